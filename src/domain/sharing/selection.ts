import { escapeMarkdown } from "../cleanText";
import type { Framework } from "../framework";
import { pulseStatements } from "../group/pulse";
import { ok, refuse, type Result } from "../result";
import { teamPulseBeside, type Reflection } from "../reflection";
import type { TeamPulseRecord } from "../teamPulse";
import { localDate } from "../time";
import { SHARE_LIMITS, type ShareContent, type SharedChange, type SharedPulse, type SharedReflection, type ShareSelection } from "./content";

/**
 * Til min leder: the frozen copy made from what the leader ticked (ShareSelection) and their own
 * stored data, nothing else. Pure: the handler reads the leader's reflections (only ever from
 * their own partition) and their session's Vi-pulse records, and this decides what goes in.
 *
 * What each tick carries:
 * - a reflection is chosen by id from the leader's own; an id that is not among them is refused,
 *   never skipped, so a tampered card cannot make the preview quietly differ from the choice;
 * - "ratings" carries the statements and their ratings, and leaves out the notes and the
 *   framework's questions with their answers; "whole" carries them too;
 * - the focus (the statement the reflection went deeper on, and what the leader wrote to it) and
 *   the plan (and how it went) are ticks of their own, whichever detail is chosen;
 * - the change is per statement, from the first and the last reflection on its theme in the period;
 * - a Vi-pulse carries the team's averages only where its result was shown (k answers or more),
 *   and never an answer: the leader's record holds counts only.
 */

/** Why a selection cannot be shared, each with its own Danish answer (texts.sharing.problem). */
export type SelectionProblem =
  /** Nothing ticked that would carry anything. */
  | "empty"
  /** Reflections ticked, but neither "whole" nor "ratings". */
  | "noDetail"
  /** An id that is not one of the leader's own reflections. */
  | "unknownReflection"
  | "tooManyReflections"
  /** The period is not two dates, or ends before it starts, or is longer than CHANGE_MAX_DAYS. */
  | "badPeriod"
  /** No statement was rated in two reflections on its theme within the period. */
  | "noChange"
  /** The Vi-pulse ticked, but none of the leader's pulses has closed. */
  | "noPulses"
  /** The copy would be bigger than a share may be (SHARE_LIMITS.documentBytes, with room for the questions back). */
  | "tooLarge";

/** The follow-ups of a plan a share carries: the newest, so one reflection stays one message in the preview. */
export const SHARED_FOLLOW_UPS = 3;
/** The longest period the change may be asked over: a few years of reflections, and a bounded query. */
export const CHANGE_MAX_DAYS = 3 * 366;
/**
 * What the content may take in UTF-8, leaving room in the share's document for the questions
 * back (each up to questionLength characters of up to 4 bytes) and the document's own fields.
 */
export const CONTENT_MAX_BYTES = SHARE_LIMITS.documentBytes - SHARE_LIMITS.questions * SHARE_LIMITS.questionLength * 4 - 8 * 1024;

export interface LeaderData {
  /** The leader's own reflections, newest first (ReflectionRepository.listNewestFirst of their key). */
  readonly reflections: readonly Reflection[];
  /** The leader's own Vi-pulse records (their session's teamPulses), oldest first. */
  readonly pulses: readonly TeamPulseRecord[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a selection ticks anything at all (the card's "nothing chosen" answer comes before any reading). */
export function selectsNothing(selection: ShareSelection): boolean {
  return selection.reflectionIds.length === 0 && selection.change === undefined && !selection.pulse;
}

/** The copy the other leader will read, made at `now` in the leader's zone, or why it cannot be. */
export function shareContentOf(selection: ShareSelection, data: LeaderData, framework: Pick<Framework, "sharedRole" | "statements" | "theme">, now: Date, timezone: string): Result<ShareContent, SelectionProblem> {
  if (selectsNothing(selection)) return refuse("empty");
  const ids = [...new Set(selection.reflectionIds)];
  if (ids.length > SHARE_LIMITS.reflections) return refuse("tooManyReflections");
  const own = new Map(data.reflections.map((r) => [r.id as string, r]));
  if (ids.some((id) => !own.has(id))) return refuse("unknownReflection");
  // Newest first, as the leader's history lists them, whatever order the card sent.
  const chosen = data.reflections.filter((r) => ids.includes(r.id));
  const reflections = chosen.map((r) => sharedReflection(r, selection));

  let change: SharedChange | undefined;
  if (selection.change) {
    const made = changeOver(selection.change, data.reflections, timezone);
    if (!made.ok) return made;
    change = made.value;
  }

  let pulses: SharedPulse[] | undefined;
  if (selection.pulse) {
    const closed = data.pulses.filter((p) => p.result).slice(-SHARE_LIMITS.pulses).reverse();
    if (closed.length === 0) return refuse("noPulses");
    pulses = closed.map((record) => sharedPulse(record, framework));
  }

  const content: ShareContent = {
    version: 1,
    madeAt: now.toISOString(),
    reflections,
    ...(change ? { change } : {}),
    ...(pulses ? { pulses } : {}),
  };
  return Buffer.byteLength(JSON.stringify(content)) > CONTENT_MAX_BYTES ? refuse("tooLarge") : ok(content);
}

function sharedReflection(reflection: Reflection, selection: ShareSelection): SharedReflection {
  const whole = selection.reflectionDetail === "whole";
  const focus = reflection.focus;
  return {
    themeTitle: reflection.themeTitle,
    roleName: reflection.roleName,
    completedAt: reflection.completedAt,
    ...(reflection.short ? { short: true as const } : {}),
    statements: reflection.statements.map((s) => ({ text: s.text, rating: s.rating, ratingLabel: s.ratingLabel, ...(whole ? { note: s.note } : {}) })),
    ...(whole ? { questions: reflection.questions.map((q) => ({ text: q.text, answer: q.answer })) } : {}),
    ...(selection.focus && focus
      ? {
          focus: {
            deeper: { statement: focus.deeper.statement, prompt: focus.deeper.prompt, answer: focus.deeper.answer },
            ...(focus.strength ? { strength: { statement: focus.strength.statement, prompt: focus.strength.prompt, answer: focus.strength.answer } } : {}),
          },
        }
      : {}),
    ...(selection.plan
      ? {
          plan: {
            commitment: reflection.commitment,
            followUps: (reflection.followUps ?? []).slice(-SHARED_FOLLOW_UPS).map((f) => ({ text: f.text, at: f.at, ...(f.outcome ? { outcome: f.outcome } : {}) })),
          },
        }
      : {}),
  };
}

/**
 * Per statement, its rating in the first and in the last reflection on its theme within the
 * period (the leader's local dates, both included), and how many of them rated it. A statement
 * rated only once in the period has no change and is left out; "Ved ikke" (0) is not a rating.
 */
export function changeOver(period: { readonly from: string; readonly to: string }, reflections: readonly Reflection[], timezone: string): Result<SharedChange, SelectionProblem> {
  const { from, to } = period;
  if (!DATE.test(from) || !DATE.test(to) || from > to || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) return refuse("badPeriod");
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > CHANGE_MAX_DAYS) return refuse("badPeriod");
  const inPeriod = reflections
    .filter((r) => {
      const day = localDate(new Date(r.completedAt), timezone);
      return day >= from && day <= to;
    })
    .sort((a, b) => a.completedAt.localeCompare(b.completedAt));
  const statements: Array<SharedChange["statements"][number]> = [];
  for (const themeId of [...new Set(inPeriod.map((r) => r.themeId))]) {
    const onTheme = inPeriod.filter((r) => r.themeId === themeId);
    const last = onTheme.at(-1)!;
    for (const statement of last.statements) {
      const rated = onTheme.map((r) => r.statements.find((s) => s.id === statement.id)?.rating).filter((v): v is number => v !== undefined && v > 0);
      if (rated.length < 2) continue;
      statements.push({ themeTitle: last.themeTitle, text: statement.text, first: rated[0]!, last: rated.at(-1)!, reflections: rated.length });
    }
  }
  return statements.length === 0 ? refuse("noChange") : ok({ from, to, statements });
}

function sharedPulse(record: TeamPulseRecord, framework: Pick<Framework, "sharedRole" | "statements" | "theme">): SharedPulse {
  const result = record.result!;
  const beside = teamPulseBeside([record], record.themeId);
  const statements = pulseStatements(framework, record.themeId).map((s) => {
    const numbers = beside?.statements[s.id];
    return {
      text: s.text,
      // Below the anonymity threshold nothing of the team is carried, not even counts.
      ...(result.shown && numbers?.team !== undefined ? { team: numbers.team } : {}),
      ...(numbers?.self !== undefined && numbers.self > 0 ? { self: numbers.self } : {}),
    };
  });
  return {
    themeTitle: framework.theme(record.themeId)?.title ?? escapeMarkdown(record.themeTitle ?? record.themeId),
    closedAt: result.closedAt,
    answered: result.answered,
    shown: result.shown,
    statements,
  };
}

/** What the choice card's inputs say, once read: the selection, for how many days, and to whom (an Entra object id). */
export interface CardChoice {
  readonly selection: ShareSelection;
  readonly days: number;
  readonly readerId: string;
}

export type CardProblem = SelectionProblem | "noReader" | "badDays";

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REFLECTION_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The choice card's inputs, read as untrusted: a toggle is on only as "true", the reflections are
 * a comma-separated list of ids (checked against the leader's own later), the reader is one Entra
 * object id (what Teams' people picker submits), the days a whole number from 1 to maxDays.
 * Nothing a card does not offer gets through as something else.
 */
export function choiceFromCard(inputs: Readonly<Record<string, unknown>>): Result<CardChoice, CardProblem> {
  const on = (name: string) => inputs[name] === "true" || inputs[name] === true;
  const listed = typeof inputs.reflectionIds === "string" ? inputs.reflectionIds.split(",").map((id) => id.trim()).filter((id) => id !== "") : [];
  if (listed.length > SHARE_LIMITS.reflections) return refuse("tooManyReflections");
  if (listed.some((id) => !REFLECTION_ID.test(id))) return refuse("unknownReflection");
  const detail = inputs.detail;
  if (listed.length > 0 && detail !== "whole" && detail !== "ratings") return refuse("noDetail");
  const from = inputs.changeFrom;
  const to = inputs.changeTo;
  const selection: ShareSelection = {
    reflectionIds: listed,
    reflectionDetail: detail === "whole" ? "whole" : "ratings",
    focus: on("focus"),
    plan: on("plan"),
    ...(on("change") ? { change: { from: typeof from === "string" ? from : "", to: typeof to === "string" ? to : "" } } : {}),
    pulse: on("pulse"),
  };
  if (selectsNothing(selection)) return refuse("empty");
  const reader = typeof inputs.reader === "string" ? inputs.reader.trim().toLowerCase() : "";
  if (!OBJECT_ID.test(reader)) return refuse("noReader");
  const days = typeof inputs.days === "number" ? inputs.days : typeof inputs.days === "string" && /^\d{1,3}$/.test(inputs.days.trim()) ? Number(inputs.days.trim()) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > SHARE_LIMITS.maxDays) return refuse("badDays");
  return ok({ selection, days, readerId: reader });
}
