/**
 * Indsigt's numbers, as pure functions. Each leader keeps their own contribution in their own
 * session (per quarter: their level, how many reflections, and their latest rating of each
 * statement per theme); the organisation's numbers are bucket documents of counts, one per
 * quarter, that only ever change by the difference a contribution made. So:
 * - a bucket holds counts under keys made of content ids (levels, themes, statements): never a
 *   leader, a text or a row per person;
 * - a leader is counted once per cell, however often they reflect (their latest rating counts);
 * - erasure and opt-out subtract exactly what the leader added: the buckets are as if they had
 *   never been there (the property test builds both and compares);
 * - what the page shows moves in steps of at least k leaders per cell (see publish), so two
 *   views a day apart never differ by one leader's reflection, or one leader's erasure.
 */

import { randomBytes } from "node:crypto";

/** INSIGHT_CONSENT: leaders count unless they opt out, or only once they opt in. */
export type InsightConsent = "opt-out" | "opt-in";

/** The leader's own choice: "in" after "mine tal tæller med", "out" after "… ikke med". */
export type InsightChoice = "in" | "out";

export function counts(choice: InsightChoice | undefined, consent: InsightConsent): boolean {
  return consent === "opt-out" ? choice !== "out" : choice === "in";
}

/** "2026-Q4" for a time in October–December 2026 (UTC; a quarter's edge hour does not matter here). */
export function quarterOf(iso: string): string {
  const at = new Date(iso);
  return `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
}

/** The quarter `steps` before `quarter` ("2026-Q1", 1 → "2025-Q4"). */
export function quarterBefore(quarter: string, steps = 1): string {
  const [year, q] = quarter.split("-Q").map(Number) as [number, number];
  const index = year * 4 + (q - 1) - steps;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

/** Quarters Indsigt shows (the current and the seven before: two years); older contributions and buckets go. */
export const QUARTERS_KEPT = 8;

/** One theme's part of a leader's quarter. */
export interface ThemeContribution {
  readonly reflections: number;
  readonly short: number;
  /** The leader's latest rating of each statement on the theme this quarter. */
  readonly ratings: Readonly<Record<string, number>>;
}

/** What one leader added in one quarter, kept in their own session and nowhere else. */
export interface QuarterContribution {
  /** The level the leader counts at all quarter: their role at their first contribution in it. */
  readonly level: string;
  /**
   * A random mark for this quarter, carried by each change, so a bucket can count how many
   * different leaders changed a cell since it last showed it (never who: it links to nobody
   * once the session is gone).
   */
  readonly mark: string;
  readonly reflections: number;
  readonly short: number;
  /** Reminders sent to them, and reflections completed within two days of one. */
  readonly reminders: number;
  readonly followed: number;
  /** When the last reminder went out (only to tell whether a reflection followed one). */
  readonly lastReminderAt?: string;
  readonly themes: Readonly<Record<string, ThemeContribution>>;
}

export interface LeaderInsight {
  readonly quarters: Readonly<Record<string, QuarterContribution>>;
}

export const emptyInsight = (): LeaderInsight => ({ quarters: {} });

/**
 * A contribution's stated maximum in the session: eight quarters of every theme and statement of
 * a role. It is bounded by the framework (ids, not text) and the quarters kept, never by use:
 * the shipped framework's largest is about 7 kB (the test builds it).
 */
export const MAX_CONTRIBUTION_BYTES = 16 * 1024;

/** A reflection completed this long after a reminder "followed" it. */
export const FOLLOWED_WITHIN_MS = 2 * 24 * 3600 * 1000;

/** What a reflection adds: numbers and content ids only. */
export interface ReflectionFacts {
  readonly completedAt: string;
  readonly level: string;
  readonly themeId: string;
  readonly short: boolean;
  readonly ratings: Readonly<Record<string, number>>;
}

const emptyQuarter = (level: string): QuarterContribution => ({ level, mark: randomBytes(12).toString("base64url"), reflections: 0, short: 0, reminders: 0, followed: 0, themes: {} });

/** Ids that may become part of a bucket key: the framework's own (lowercase, digits, dots, dashes). */
const ID = /^[a-z0-9][a-z0-9.-]{0,79}$/;
export const isContentId = (id: string) => ID.test(id);

export function withReflection(insight: LeaderInsight, facts: ReflectionFacts): LeaderInsight {
  if (!isContentId(facts.level) || !isContentId(facts.themeId)) return insight;
  const quarter = quarterOf(facts.completedAt);
  const current = insight.quarters[quarter] ?? emptyQuarter(facts.level);
  const theme = current.themes[facts.themeId] ?? { reflections: 0, short: 0, ratings: {} };
  const ratings = { ...theme.ratings };
  for (const [id, value] of Object.entries(facts.ratings)) if (isContentId(id) && Number.isInteger(value) && value >= 1 && value <= 5) ratings[id] = value;
  const followed = current.lastReminderAt !== undefined && Date.parse(facts.completedAt) - Date.parse(current.lastReminderAt) <= FOLLOWED_WITHIN_MS;
  const next: QuarterContribution = {
    ...current,
    reflections: current.reflections + 1,
    short: current.short + (facts.short ? 1 : 0),
    followed: current.followed + (followed ? 1 : 0),
    // One reminder is followed once: a second reflection the same afternoon is not "after a reminder" again.
    ...(followed ? { lastReminderAt: undefined } : {}),
    themes: { ...current.themes, [facts.themeId]: { reflections: theme.reflections + 1, short: theme.short + (facts.short ? 1 : 0), ratings } },
  };
  return pruned({ quarters: { ...insight.quarters, [quarter]: withoutUndefined(next) } }, quarter);
}

export function withReminder(insight: LeaderInsight, level: string, at: string): LeaderInsight {
  if (!isContentId(level)) return insight;
  const quarter = quarterOf(at);
  const current = insight.quarters[quarter] ?? emptyQuarter(level);
  return pruned({ quarters: { ...insight.quarters, [quarter]: { ...current, reminders: current.reminders + 1, lastReminderAt: at } } }, quarter);
}

/** Quarters older than Indsigt shows leave the contribution (their buckets expire with them). */
function pruned(insight: LeaderInsight, newest: string): LeaderInsight {
  const oldest = quarterBefore(newest, QUARTERS_KEPT);
  return { quarters: Object.fromEntries(Object.entries(insight.quarters).filter(([q]) => q > oldest)) };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Counts under flat keys of content ids; a bucket's content and a change to it. */
export type Counts = Readonly<Record<string, number>>;

/** The keys of a bucket, in one place: the page reads what the contributions write. */
export const key = {
  /** Leaders with any contribution at the level (a reflection or a reminder). */
  people: (level: string) => `P|${level}`,
  /** Leaders with at least one reflection at the level. */
  active: (level: string) => `A|${level}`,
  reflections: (level: string) => `R|${level}`,
  short: (level: string) => `K|${level}`,
  reminders: (level: string) => `M|${level}`,
  followed: (level: string) => `F|${level}`,
  themeLeaders: (level: string, theme: string) => `T|${level}|${theme}`,
  themeReflections: (level: string, theme: string) => `TR|${level}|${theme}`,
  themeShort: (level: string, theme: string) => `TK|${level}|${theme}`,
  rating: (level: string, theme: string, statement: string, value: number) => `S|${level}|${theme}|${statement}|${value}`,
  groups: () => "G|groups",
  meetings: () => "G|meetings",
  agreements: () => "G|agreements",
  agreementsDue: () => "G|due",
  agreementsDone: () => "G|done",
  pulses: (theme: string) => `V|${theme}|pulses`,
  pulseAnswers: (theme: string) => `V|${theme}|answers`,
  pulseRating: (theme: string, statement: string, value: number) => `V|${theme}|${statement}|${value}`,
} as const;

/** A bucket key: one of the shapes above, of content ids only (what a stored change is checked against). */
export const BUCKET_KEY = /^(?:[PARKMF]\|[a-z0-9][a-z0-9.-]{0,79}|T[RK]?\|[a-z0-9][a-z0-9.-]{0,79}\|[a-z0-9][a-z0-9.-]{0,79}|S\|[a-z0-9][a-z0-9.-]{0,79}\|[a-z0-9][a-z0-9.-]{0,79}\|[a-z0-9][a-z0-9.-]{0,79}\|[1-5]|G\|(?:groups|meetings|agreements|due|done)|V\|[a-z0-9][a-z0-9.-]{0,79}\|(?:pulses|answers)|V\|[a-z0-9][a-z0-9.-]{0,79}\|[a-z0-9][a-z0-9.-]{0,79}\|[1-5])$/;

/** What one leader's quarter adds to that quarter's bucket. */
export function shareOf(quarter: QuarterContribution): Counts {
  const counts: Record<string, number> = {};
  const add = (k: string, n: number) => {
    if (n !== 0) counts[k] = (counts[k] ?? 0) + n;
  };
  const level = quarter.level;
  add(key.people(level), 1);
  add(key.active(level), quarter.reflections > 0 ? 1 : 0);
  add(key.reflections(level), quarter.reflections);
  add(key.short(level), quarter.short);
  add(key.reminders(level), quarter.reminders);
  add(key.followed(level), quarter.followed);
  for (const [theme, part] of Object.entries(quarter.themes)) {
    if (part.reflections === 0) continue;
    add(key.themeLeaders(level, theme), 1);
    add(key.themeReflections(level, theme), part.reflections);
    add(key.themeShort(level, theme), part.short);
    for (const [statement, value] of Object.entries(part.ratings)) add(key.rating(level, theme, statement, value), 1);
  }
  return counts;
}

/** `a − b`, per key, without the zeros. */
export function difference(a: Counts, b: Counts): Counts {
  const out: Record<string, number> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = (a[k] ?? 0) - (b[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
}

export const negated = (counts: Counts): Counts => difference({}, counts);

/** What one contributor changes in one quarter's bucket, with their mark. */
export interface QuarterChange {
  readonly counts: Counts;
  readonly mark: string;
}

/** A change to the buckets, per quarter. */
export type BucketChange = Readonly<Record<string, QuarterChange>>;

/** What going from `before` to `after` changes in the buckets (empty quarters left out). */
export function changeBetween(before: LeaderInsight, after: LeaderInsight): BucketChange {
  const out: Record<string, QuarterChange> = {};
  for (const [quarter, now] of Object.entries(after.quarters)) {
    // A quarter pruned from the contribution is not taken out of its bucket: the bucket expires too.
    const was = before.quarters[quarter];
    const d = difference(shareOf(now), was ? shareOf(was) : {});
    if (Object.keys(d).length > 0) out[quarter] = { counts: d, mark: now.mark };
  }
  return out;
}

/** Everything the leader added: what erasure and opt-out take out again. */
export function withdrawalOf(insight: LeaderInsight): BucketChange {
  const out: Record<string, QuarterChange> = {};
  for (const [quarter, part] of Object.entries(insight.quarters)) out[quarter] = { counts: negated(shareOf(part)), mark: part.mark };
  return out;
}

/**
 * The cell a key belongs to: what the page shows as one unit, and publishes as one. A leader's
 * usage line (U), a level × theme (C), the leader groups (G), a theme's Vi-pulse (V).
 */
export function cellOf(k: string): string {
  const [kind, a, b] = k.split("|");
  switch (kind) {
    case "T": case "TR": case "TK": case "S":
      return `C|${a}|${b}`;
    case "G":
      return "G";
    case "V":
      return `V|${a}`;
    default:
      return `U|${a}`;
  }
}

/**
 * Different contributors a cell waits for before it shows its counts again: k leaders (or k
 * groups); for a theme's Vi-pulse, results from MIN_PULSE_RESULTS different groups or teams
 * (each result is already k answers), so no step of the page is one group's result alone.
 */
export const MIN_PULSE_RESULTS = 2;
export const publishAfter = (cell: string, k: number) => (cell.startsWith("V|") ? MIN_PULSE_RESULTS : k);

/** A quarter's counts: what is true now, what the page shows, and who (by mark) changed a cell since it showed. */
export interface Published {
  readonly counts: Counts;
  readonly shown: Counts;
  readonly waiting: Readonly<Record<string, readonly string[]>>;
}

/**
 * Adds a contributor's change, and shows a cell's new counts only once `publishAfter` different
 * contributors have changed it since it last showed: so no difference between two views of the
 * page isolates fewer than k leaders (a reflection, a rating changed, an erasure or an opt-out).
 */
export function publish(current: Published, change: QuarterChange, k: number): Published {
  const counts = added(current.counts, change.counts);
  const waiting: Record<string, readonly string[]> = { ...current.waiting };
  let shown: Record<string, number> = { ...current.shown };
  for (const cell of new Set(Object.keys(change.counts).map(cellOf))) {
    const marks = waiting[cell]?.includes(change.mark) ? waiting[cell]! : [...(waiting[cell] ?? []), change.mark];
    if (marks.length < publishAfter(cell, k)) {
      waiting[cell] = marks;
      continue;
    }
    delete waiting[cell];
    shown = Object.fromEntries(Object.entries(shown).filter(([k2]) => cellOf(k2) !== cell));
    for (const [k2, n] of Object.entries(counts)) if (cellOf(k2) === cell) shown[k2] = n;
  }
  return { counts, shown, waiting };
}

/** Adds a change to counts; keys that reach zero leave the bucket. */
export function added(counts: Counts, change: Counts): Counts {
  const out: Record<string, number> = { ...counts };
  for (const [k, n] of Object.entries(change)) {
    const sum = (out[k] ?? 0) + n;
    if (sum === 0) delete out[k];
    else out[k] = sum;
  }
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Whether a stored change is one we could have written: known key shapes, small whole numbers, a mark. */
export function isValidChange(change: unknown): change is BucketChange {
  if (!isObject(change) || Object.keys(change).length > QUARTERS_KEPT + 1) return false;
  return Object.entries(change).every(
    ([quarter, part]) =>
      /^\d{4}-Q[1-4]$/.test(quarter) &&
      isObject(part) && typeof part.mark === "string" && /^[A-Za-z0-9_-]{8,40}$/.test(part.mark) &&
      isObject(part.counts) && Object.keys(part.counts).length <= 2_000 &&
      Object.entries(part.counts).every(([k, n]) => BUCKET_KEY.test(k) && Number.isInteger(n) && Math.abs(n as number) <= 1_000_000),
  );
}
