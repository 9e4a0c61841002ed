import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import type { Reflection } from "../../src/domain/reflection";
import type { TeamsUser } from "./activities";
import { cardContent, inputIds, type Harness, type TeamsChat } from "./teamsChat";

/** Steps of the guided reflection, clicked the way a leader clicks them. */

/** Clicks through role → theme for a fresh user; returns the statements card. */
export async function startReflection(chat: TeamsChat, roleId: string, themeButtonIndex = 0): Promise<Partial<Activity>> {
  await chat.install();
  await chat.click(chat.lastCard(), "Vælg rolle", { roleId });
  return chooseTheme(chat, themeButtonIndex);
}

/** Clicks the n-th theme's "Vælg tema" on the theme card just shown; returns the statements card. */
export async function chooseTheme(chat: TeamsChat, index: number): Promise<Partial<Activity>> {
  const themeCard = chat.lastCard();
  // Each theme has two buttons (full and short): its id once, in the card's order.
  const themeIds = [...new Set(JSON.stringify(cardContent(themeCard)).match(/"themeId":"[a-z-]+"/g) ?? [])];
  const themeId = themeIds[index]?.split(":")[1]?.replace(/"/g, "");
  await chat.submit(themeCard, { verb: "chooseTheme", token: tokenOf(themeCard), step: "theme", themeId });
  return chat.lastCard();
}

export function tokenOf(card: Partial<Activity>): string {
  const match = /"token":"([^"]+)"/.exec(JSON.stringify(cardContent(card)));
  if (!match?.[1]) throw new Error("card has no token");
  return match[1];
}

export function ratingInputs(card: Partial<Activity>, value: string): Record<string, string> {
  return Object.fromEntries(inputIds(cardContent(card)).filter((id) => id.startsWith("rating:")).map((id) => [id, value]));
}

/** Whether the card shown is the focus card that follows the ratings ("Et spadestik dybere"). */
export function isFocusCard(card: Partial<Activity>): boolean {
  return inputIds(cardContent(card)).includes("focusDeeper");
}

/** Rates the statements and passes the focus card that follows (leaving its answers empty): the framework's first question shows. */
export async function rate(chat: TeamsChat, statements: Partial<Activity>, inputs: Record<string, unknown>): Promise<void> {
  await chat.click(statements, "Næste", inputs);
  if (isFocusCard(chat.lastCard())) await chat.click(chat.lastCard(), "Næste", { focusDeeper: "" });
}

/** Answers the focus card, if it shows, then the framework's questions in order. */
export async function answerAll(chat: TeamsChat, answers: readonly string[], focus: { deeper?: string; strength?: string } = {}): Promise<void> {
  if (isFocusCard(chat.lastCard())) await chat.click(chat.lastCard(), "Næste", { focusDeeper: focus.deeper ?? "", ...(focus.strength !== undefined ? { focusStrength: focus.strength } : {}) });
  for (const answer of answers) await chat.click(chat.lastCard(), "Næste", { answer });
}

export async function onlyReflection(h: Harness, user: TeamsUser): Promise<Reflection> {
  const all = await h.reflections.listNewestFirst({ tenantId: user.tenantId as never, userId: user.aadObjectId as never });
  assert.equal(all.length, 1, `expected one stored reflection, found ${all.length}`);
  return all[0]!;
}

/** A whole reflection from first contact to "Gem refleksion". */
export async function completeReflection(
  chat: TeamsChat,
  options: {
    roleId?: string;
    themeIndex?: number;
    rating?: string;
    /** Per statement, by position; overrides `rating`. */
    ratingFor?: (statementIndex: number) => string;
    answers?: readonly string[];
    commitment?: string;
    followUpDate?: string;
    alreadyStarted?: boolean;
  } = {},
): Promise<void> {
  let statements: Partial<Activity>;
  if (options.alreadyStarted) {
    await chat.say("start");
    statements = await chooseTheme(chat, options.themeIndex ?? 0);
  } else {
    statements = await startReflection(chat, options.roleId ?? "leder-af-leder", options.themeIndex ?? 0);
  }
  const ratings = ratingInputs(statements, options.rating ?? "4");
  if (options.ratingFor) Object.keys(ratings).forEach((field, i) => (ratings[field] = options.ratingFor!(i)));
  await chat.click(statements, "Næste", ratings);
  await answerAll(chat, options.answers ?? ["a", "b", "c"]);
  await chat.click(chat.lastCard(), "Gem refleksion", { commitment: options.commitment ?? "", followUpDate: options.followUpDate ?? "" });
}
