import { key } from "../insight/aggregate";
import type { Framework, Statement } from "../framework";

/**
 * Vi-pulsen, as pure rules: a pulse is one theme's Fælles ("Vi …") statements, rated 1–5 or
 * "Ved ikke" by a group (its meeting loop) or by a leader's team. What is stored while it is
 * open, what is kept once it closes (counts only), when a result may be shown (at least k
 * answers, and no roster overlapping another shown result on the theme within 30 days), and
 * what the result says. Every decision here is a function of its arguments; the repository
 * (pulseStore.ts) writes what they decide.
 */

/** "Ved ikke" is stored as 0; the scale is 1–5. */
export const DONT_KNOW = 0;
export const PULSE_SCALE = [1, 2, 3, 4, 5] as const;
/** A pulse per group (or team) per theme per window, and no shown results on a theme whose rosters overlap within it. */
export const PULSE_WINDOW_DAYS = 30;
/** The fewest answers a result shows from; PULSE_MIN_ANSWERS may raise it, never lower it. */
export const PULSE_MIN_ANSWERS_FLOOR = 5;
/** The most members a pulse can be put to: the roster a group keeps (bot/groupRoster MAX_ROSTER). */
export const PULSE_MAX_ROSTER = 1000;

const DAY = 86_400_000;

/** Who is asked: a leader group about itself (the meeting loop), or a leader's own team. */
export type PulseAudience = "group" | "team";

/** Counts per statement: index 0 is "Ved ikke", 1–5 the scale. */
export type PulseCounts = Readonly<Record<string, readonly number[]>>;

/** One pulse, in the partition of the group or team it was put to. */
export interface PulseDocument {
  readonly id: string;
  readonly pk: string;
  readonly type: "pulse";
  readonly pulseId: string;
  readonly tenantId: string;
  readonly audience: PulseAudience;
  readonly themeId: string;
  readonly statementIds: readonly string[];
  /**
   * "closing": a close has shut the answer gates (below) and is counting. From here on an answer
   * is refused, and every one written before is counted.
   */
  readonly status: "open" | "closing" | "closed";
  readonly openedAt: string;
  readonly closesAt: string;
  /** A group's pulse belongs to a meeting: its result shows on that meeting's "Dagens refleksion". */
  readonly meetingId?: string;
  /**
   * While open only: the keyed marks (domain/pointAuthor) of the members who may answer, taken
   * when it opened (guests and the leader who asked are not among them). Gone once it closes.
   */
  readonly eligible?: readonly string[];
  /** While open only, a team pulse: the leader who asked, to send the result to. Gone once it closes. */
  readonly requestedBy?: { readonly tenantId: string; readonly userId: string };
  /** Once closed: the counts, and how many answered. Nothing else about anyone. */
  readonly closedAt?: string;
  readonly answered?: number;
  readonly counts?: PulseCounts;
  /** Once closed: whether its result may be shown, and if not, why. */
  readonly shown?: boolean;
  readonly hiddenBecause?: "too-few" | "overlap";
  readonly _etag?: string;
}

/** One member's answer while the pulse is open: its id is the pulse and the member's keyed mark, so a member counts once. */
export interface PulseAnswerDocument {
  readonly id: string;
  readonly pk: string;
  readonly type: "pulseAnswer";
  readonly pulseId: string;
  /** The member's keyed mark: how a second answer replaces the first, and how "slet mine data" finds it. */
  readonly authorKey: string;
  readonly ratings: Readonly<Record<string, number>>;
  readonly answeredAt: string;
  /** Seconds: an answer outlives its pulse by two days at most, whatever happens to the closing. */
  readonly ttl: number;
}

/**
 * A gate for the answers of one in PULSE_GATES of a pulse's members (by the first character of
 * their mark). An answer is written only in one transactional batch with its gate, rewritten
 * unchanged with If-Match on the eTag it was read with; a close shuts every gate, in one batch
 * with the pulse becoming "closing", before it reads the answers. So an answer lands before the
 * close (and is counted) or fails and is refused, never thanked for and then deleted. Sixteen
 * gates rather than one, so members answering at the same moment seldom wait for each other.
 */
export interface PulseAnswerGate {
  readonly id: string;
  readonly pk: string;
  readonly type: "pulseGate";
  readonly pulseId: string;
  readonly open: boolean;
  readonly ttl: number;
}

/**
 * The roster behind a shown result, kept for the window only (ttl), in a partition per tenant and
 * theme: how a later result on the theme is checked for overlap. Marks only, no names.
 */
export interface PulseRosterRecord {
  readonly id: string;
  readonly pk: string;
  readonly type: "pulseRoster";
  readonly members: readonly string[];
  readonly shownAt: string;
  readonly ttl: number;
}

/**
 * The head of the ledger of one tenant and theme: one small document that every recorded roster
 * rewrites, in the same transactional batch, with If-Match on the eTag it was read with. So
 * "check the rosters shown, and record mine" is one step: a close that read the ledger before
 * another recorded fails its write and checks again (pulseLedger.ts). Fixed size; it leaves by
 * its ttl a window after the last result shown.
 */
export interface PulseLedgerHead {
  readonly id: typeof PULSE_LEDGER_HEAD_ID;
  readonly pk: string;
  readonly type: "pulseLedgerHead";
  readonly changedAt: string;
  readonly ttl: number;
}

export const PULSE_LEDGER_HEAD_ID = "pulse-ledger-head";
export const pulseDocumentId = (pulseId: string) => `pulse|${pulseId}`;
export const pulseAnswerId = (pulseId: string, authorKey: string) => `pulse-answer|${pulseId}|${authorKey}`;
export const PULSE_GATES = 16;
export const pulseGateId = (pulseId: string, gate: number) => `pulse-gate|${pulseId}|${gate}`;
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** The gate of a member's answers: marks are base64url HMACs, so their first characters spread evenly over the gates. */
export const pulseGateOf = (authorKey: string) => Math.max(0, BASE64URL.indexOf(authorKey.charAt(0))) % PULSE_GATES;
/** The partition of the rosters of shown results on one theme in one tenant. */
export const pulseLedgerPartition = (tenantId: string, themeId: string) => `pulse-ledger|${tenantId.toLowerCase()}|${themeId}`;
export const PULSE_WINDOW_SECONDS = PULSE_WINDOW_DAYS * 86_400;

/** Whether a new pulse on the theme may open here: one per group or team per theme per window. */
export function mayOpen(earlier: ReadonlyArray<Pick<PulseDocument, "themeId" | "openedAt">>, themeId: string, now: Date): { ok: true } | { ok: false; until: Date } {
  const recent = earlier
    .filter((p) => p.themeId === themeId && now.getTime() - Date.parse(p.openedAt) < PULSE_WINDOW_DAYS * DAY)
    .map((p) => Date.parse(p.openedAt))
    .sort((a, b) => b - a)[0];
  return recent === undefined ? { ok: true } : { ok: false, until: new Date(recent + PULSE_WINDOW_DAYS * DAY) };
}

/** Why an answer is refused, or undefined when it may be stored. */
export function answerRefusal(pulse: PulseDocument | undefined, authorKey: string, now: Date): "gone" | "closed" | "not-eligible" | undefined {
  if (!pulse) return "gone";
  if (pulse.status !== "open" || Date.parse(pulse.closesAt) <= now.getTime()) return "closed";
  if (!(pulse.eligible ?? []).includes(authorKey)) return "not-eligible";
  return undefined;
}

/** A card's choices as ratings: every statement needs 1–5 or "Ved ikke" (0); anything else is refused. */
export function parsePulseRatings(inputs: Readonly<Record<string, unknown>>, statementIds: readonly string[]): Record<string, number> | undefined {
  const ratings: Record<string, number> = {};
  for (const id of statementIds) {
    const raw = inputs[`pulse:${id}`];
    const value = typeof raw === "string" && /^[0-5]$/.test(raw) ? Number(raw) : typeof raw === "number" && Number.isInteger(raw) ? raw : NaN;
    if (!(value === DONT_KNOW || (value >= 1 && value <= 5))) return undefined;
    ratings[id] = value;
  }
  return ratings;
}

/** The answers as counts per statement and value: what a closed pulse keeps. */
export function tally(answers: ReadonlyArray<Readonly<Record<string, number>>>, statementIds: readonly string[]): PulseCounts {
  const counts: Record<string, number[]> = {};
  for (const id of statementIds) counts[id] = [0, 0, 0, 0, 0, 0];
  for (const answer of answers) {
    for (const id of statementIds) {
      const value = answer[id];
      if (value !== undefined && value >= 0 && value <= 5) counts[id]![value]! += 1;
    }
  }
  return counts;
}

/** One statement of a shown result. */
export interface StatementResult {
  readonly statementId: string;
  /** How many gave 1, 2, 3, 4, 5. */
  readonly distribution: readonly number[];
  readonly dontKnow: number;
  readonly rated: number;
  /** The average of the 1–5 ratings, one decimal. */
  readonly mean: number;
  readonly spread: number;
}

export type PulseResult =
  | { readonly kind: "hidden"; readonly answered: number; readonly needed: number; readonly because: "too-few" | "overlap" }
  | {
      readonly kind: "shown";
      readonly answered: number;
      /** Statements with at least k ratings (not "Ved ikke"); the others say only that too few rated them. */
      readonly statements: readonly StatementResult[];
      readonly tooFewRated: readonly string[];
      /** The statement the group sees most differently (the widest spread), when one stands out. */
      readonly widest?: string;
    };

/**
 * What a pulse may show: nothing below k answers; per statement, a distribution only when at
 * least k gave it a rating. No number shown ever describes fewer than k people.
 */
export function pulseResult(counts: PulseCounts, statementIds: readonly string[], answered: number, k: number, overlap = false): PulseResult {
  if (answered < k || overlap) return { kind: "hidden", answered, needed: k, because: overlap && answered >= k ? "overlap" : "too-few" };
  const statements: StatementResult[] = [];
  const tooFewRated: string[] = [];
  for (const id of statementIds) {
    const c = counts[id] ?? [0, 0, 0, 0, 0, 0];
    const distribution = c.slice(1, 6);
    const rated = distribution.reduce((a, b) => a + b, 0);
    if (rated < k) {
      tooFewRated.push(id);
      continue;
    }
    const mean = distribution.reduce((sum, n, i) => sum + n * (i + 1), 0) / rated;
    const variance = distribution.reduce((sum, n, i) => sum + n * (i + 1 - mean) ** 2, 0) / rated;
    statements.push({ statementId: id, distribution, dontKnow: c[0] ?? 0, rated, mean: Math.round(mean * 10) / 10, spread: Math.sqrt(variance) });
  }
  const widest = [...statements].sort((a, b) => b.spread - a.spread)[0];
  // "Ser forskelligt på det" only when it is so: at least a point's standard deviation.
  return { kind: "shown", answered, statements, tooFewRated, ...(widest && widest.spread >= 1 ? { widest: widest.statementId } : {}) };
}

/**
 * Whether a result may show beside the results shown on the same theme in the window: only when
 * its roster shares nobody with any of them. A difference between two results over overlapping
 * rosters would describe the people in one and not the other, however few; with disjoint rosters
 * every combination of shown numbers describes whole rosters of at least k who answered.
 */
export function overlapsShown(roster: readonly string[], shown: ReadonlyArray<Pick<PulseRosterRecord, "members" | "shownAt">>, now: Date): boolean {
  const mine = new Set(roster);
  return shown.some((r) => now.getTime() - Date.parse(r.shownAt) < PULSE_WINDOW_DAYS * DAY && r.members.some((m) => mine.has(m)));
}

/**
 * The differencing rule as one step against the ledger as read: "shown" when this pulse's roster
 * is there already (a close run twice, or on two instances), "overlap" when it shares anyone with
 * a roster shown in the window, and otherwise "record": keep it, and show the result.
 */
export function differencing(shown: readonly PulseRosterRecord[], mine: Pick<PulseRosterRecord, "id" | "members">, now: Date): "shown" | "overlap" | "record" {
  if (shown.some((r) => r.id === mine.id)) return "shown";
  return overlapsShown(mine.members, shown, now) ? "overlap" : "record";
}

/** The effective k: the floor, or the configured value if higher. */
export function minimumAnswers(configured: number | undefined): number {
  return Math.max(PULSE_MIN_ANSWERS_FLOOR, configured ?? PULSE_MIN_ANSWERS_FLOOR);
}

/**
 * A pulse's result as stored: a closed one's (shown from its counts, or hidden and why); one not
 * closed yet shows nothing (how many answered so far is read separately).
 */
export function storedResult(pulse: PulseDocument, k: number): PulseResult {
  if (pulse.status !== "closed") return { kind: "hidden", answered: 0, needed: k, because: "too-few" };
  if (!pulse.shown || !pulse.counts) return { kind: "hidden", answered: pulse.answered ?? 0, needed: k, because: pulse.hiddenBecause ?? "too-few" };
  return pulseResult(pulse.counts, pulse.statementIds, pulse.answered ?? 0, k);
}

/**
 * What a shown result adds to Indsigt: one pulse, its answers, and the ratings of each statement
 * shown (only what its group or leader saw: statements with k ratings), under its theme.
 */
export function pulseInsightCounts(themeId: string, result: Extract<PulseResult, { kind: "shown" }>): Record<string, number> {
  const counts: Record<string, number> = { [key.pulses(themeId)]: 1, [key.pulseAnswers(themeId)]: result.answered };
  for (const s of result.statements) s.distribution.forEach((n, i) => n > 0 && (counts[key.pulseRating(themeId, s.statementId, i + 1)] = n));
  return counts;
}

/** The theme's Fælles statements a pulse asks about, in the framework's order: those it was opened with, when given. */
export function pulseStatements(framework: Pick<Framework, "sharedRole" | "statements">, themeId: string, only?: readonly string[]): readonly Statement[] {
  const shared = framework.sharedRole;
  const all = shared ? framework.statements(themeId as never, shared.id) : [];
  return only ? all.filter((s) => only.includes(s.id)) : all;
}
