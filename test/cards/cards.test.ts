import assert from "node:assert/strict";
import { trusted } from "../../src/kernel/shown";
import fs from "node:fs";
import path from "node:path";
import { statementsCard, summaryCard } from "../../src/cards/reflectionCards";
import { CARDS_DIR, type CardAttachment } from "../../src/cards/renderCard";
import { createDraft } from "../../src/domain/reflection";
import { projectRoot } from "../../src/kernel/paths";
import { answeredDraft, cardCases, framework, now } from "../support/cardCases";

// The UMD build: the package's main entry needs a DOM, parsing and validating do not.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require("adaptivecards/dist/adaptivecards.min.js") as {
  AdaptiveCard: new () => { parse(json: unknown, context: unknown): void; validateProperties(): { validationEvents: Array<{ message: string }> } };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

const MAX_CARD_BYTES = 40 * 1024;

/** Button titles that do not say what they do. */
const VAGUE_BUTTONS = new Set(["ok", "send", "submit", "klik her", "videre", "ja", "nej", "gem", "vælg", "åbn", "fortsæt"]);

/**
 * What a screen reader needs from a card (WCAG 2.1 AA as far as a card can carry it): a real
 * label on every input, alt text on every image, a fallback text that says what the card is
 * for, and buttons that say what they do.
 */
function accessibilityProblems(card: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof card.fallbackText !== "string" || card.fallbackText.trim().length < 10) problems.push("no fallbackText saying what the card is for");
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    const type = typeof n.type === "string" ? n.type : "";
    if (type.startsWith("Input.") && (typeof n.label !== "string" || n.label.trim() === "")) problems.push(`${type} "${String(n.id)}" has no label`);
    if (type === "Image" && (typeof n.altText !== "string" || n.altText.trim() === "")) problems.push(`an Image has no altText`);
    if (type.startsWith("Action.") && VAGUE_BUTTONS.has(String(n.title ?? "").trim().toLowerCase())) problems.push(`button "${String(n.title)}" does not say what it does`);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return problems;
}

function problemsOf(attachment: CardAttachment): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(attachment.content, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i += 1) problems.push(`parse: ${context.getEventAt(i).message}`);
  const json = JSON.stringify(attachment.content);
  // Teams' people picker is an empty ChoiceSet filled by "choices.data" (Data.Query over
  // graph.microsoft.com/users); the reference parser insists on a static choice even then.
  const peoplePickers = (json.match(/"choices":\[\],"choices\.data":\{"type":"Data\.Query","dataset":"graph\.microsoft\.com\/users"\}/g) ?? []).length;
  let excused = 0;
  for (const event of card.validateProperties().validationEvents) {
    if (event.message === "An Input.ChoiceSet must have at least one choice defined." && excused < peoplePickers) excused += 1;
    else problems.push(`validate: ${event.message}`);
  }
  if (json.includes("${")) problems.push("an unexpanded template expression is left");
  if (Buffer.byteLength(json) > MAX_CARD_BYTES) problems.push(`${Buffer.byteLength(json)} bytes is over ${MAX_CARD_BYTES}`);
  if (attachment.content.version !== "1.5") problems.push(`version ${String(attachment.content.version)}`);
  problems.push(...accessibilityProblems(attachment.content as Record<string, unknown>));
  // Teams renders TextBlock text as Markdown: "23. november" at the start would become a list item.
  for (const text of json.match(/"text":"\d+[.)](?: [^"]*)?"/g) ?? []) problems.push(`starts like a Markdown list: ${text}`);
  return problems;
}

describe("Adaptive Card templates", () => {
  it("every template in cards/ is rendered somewhere in src/", () => {
    const sources = (fs.readdirSync(path.join(projectRoot, "src"), { recursive: true }) as string[])
      .filter((f) => f.endsWith(".ts"))
      .map((f) => fs.readFileSync(path.join(projectRoot, "src", f), "utf8"))
      .join("\n");
    for (const file of fs.readdirSync(CARDS_DIR)) {
      assert.ok(sources.includes(`renderCard("${path.basename(file, ".json")}"`), `${file} is not rendered anywhere`);
    }
  });

  const cases = cardCases();
  for (const [name, render] of cases) {
    it(`${name}: parses and validates with no errors, under 40 kB`, () => {
      assert.deepEqual(problemsOf(render()), []);
    });
  }

  it("finds a card without labels, alt text, fallback text or with a vague button inaccessible", () => {
    const bad = { type: "AdaptiveCard", body: [{ type: "Input.Text", id: "x" }, { type: "Image", url: "https://x/y.png" }], actions: [{ type: "Action.Submit", title: "OK" }] };
    assert.deepEqual(accessibilityProblems(bad), [
      "no fallbackText saying what the card is for",
      'Input.Text "x" has no label',
      "an Image has no altText",
      'button "OK" does not say what it does',
    ]);
  });

  it("invites the next step as an if-then plan, in the content file's own words", () => {
    const draft = answeredDraft("chef", "drift", 10);
    const ours = JSON.stringify(summaryCard({ token: "t", draft, today: "2026-11-23", nextStep: framework.nextStep }).content);
    assert.match(ours, /Hvis …, så vil jeg …/);
    const theirs = JSON.stringify(summaryCard({ token: "t", draft, today: "2026-11-23", nextStep: { heading: trusted("Næste skridt"), label: trusted("Når X sker, gør jeg Y"), placeholder: trusted("Når …") } }).content);
    assert.match(theirs, /"label":"Når X sker, gør jeg Y Du kan tage udgangspunkt i »[^«]+«, hvor du satte dig selv til 5\."/, "their words, then the focus statement as a starting point");
    assert.doesNotMatch(theirs, /Hvis …/);
  });

  it("has the rating scale's five Danish labels as choices, since Teams does not render Input.Rating", () => {
    const card = statementsCard({ token: "t", draft: createDraft(framework, "chef" as never, "drift" as never, "d", now) });
    const json = JSON.stringify(card.content);
    assert.ok(!json.includes("Input.Rating"));
    for (const label of ["1 – I meget lav grad", "2 – I lav grad", "3 – I nogen grad", "4 – I høj grad", "5 – I meget høj grad"]) {
      assert.ok(json.includes(label), label);
    }
  });
});
