import type { Framework } from "../framework";
import type { RoleId, ThemeId } from "../ids";
import { key, MIN_PULSE_RESULTS, quarterBefore, type Counts } from "./aggregate";
import { cellKey, suppress } from "./suppression";

/**
 * What Indsigt shows for one quarter, decided once: the page and the CSV both render this, so
 * the download is exactly what the page shows. A suppressed number is `null` (the page says
 * "færre end k", the CSV leaves it blank). Only counts from the buckets and the framework's own
 * texts come in; no text a person wrote exists here to leak.
 */
export interface InsightView {
  readonly quarter: string;
  readonly previousQuarter: string;
  readonly k: number;
  readonly usage: {
    readonly rows: readonly UsageRow[];
    /** All levels together, when the hidden rows hold nobody or at least k. */
    readonly total: UsageNumbers | null;
  };
  readonly levels: readonly LevelView[];
  /** Leaders per theme over all levels ("Alle niveauer"), when shown. */
  readonly themeTotals: ReadonlyArray<{ readonly themeId: string; readonly title: string; readonly leaders: number | null }>;
  readonly groups: GroupNumbers | null;
  readonly pulses: readonly PulseView[];
}

export interface UsageNumbers {
  readonly leaders: number;
  readonly reflections: number;
  readonly short: number;
  readonly reminders: number;
  readonly followed: number;
}

export interface UsageRow {
  readonly levelId: string;
  readonly levelName: string;
  readonly numbers: UsageNumbers | null;
}

export interface StatementView {
  readonly id: string;
  readonly text: string;
  /** Ratings 1–5 (each leader's latest in the quarter), when at least k leaders rated it. */
  readonly distribution: readonly number[] | null;
  readonly median: number | null;
  /** The median's change since last quarter, when both quarters show it. */
  readonly change: number | null;
}

export interface CellView {
  readonly themeId: string;
  readonly title: string;
  readonly leaders: number | null;
  readonly statements: readonly StatementView[];
}

export interface LevelView {
  readonly levelId: string;
  readonly levelName: string;
  readonly cells: readonly CellView[];
  /** The three statements rated lowest at the level (by median, then the share rated 1–2), among those shown. */
  readonly lowest: ReadonlyArray<{ readonly themeTitle: string; readonly text: string; readonly median: number }>;
}

export interface GroupNumbers {
  readonly groups: number;
  readonly meetings: number;
  readonly agreements: number;
  /** Agreements that came up again at a next meeting, and of those, marked done by then. */
  readonly due: number;
  readonly done: number;
}

export interface PulseView {
  readonly themeId: string;
  readonly title: string;
  /** Results (each from at least k answers) and answers behind them; null when fewer than two groups or teams. */
  readonly numbers: { readonly pulses: number; readonly answers: number; readonly statements: ReadonlyArray<{ readonly text: string; readonly distribution: readonly number[]; readonly mean: number }> } | null;
}


export function insightView(framework: Framework, quarter: string, current: Counts, previous: Counts, k: number): InsightView {
  const levels = framework.individualRoles;
  const themes = framework.themes;
  const n = (counts: Counts, k2: string) => counts[k2] ?? 0;

  // Brug: one line per level; a level's leaders partition the quarter's (one level each), so the total adds up.
  const usageCells = levels.map((l) => ({ row: l.id, col: "brug", leaders: n(current, key.active(l.id)), people: n(current, key.people(l.id)) }));
  const usageShown = suppress(usageCells, k);
  const usageOf = (level: string): UsageNumbers => ({
    leaders: n(current, key.active(level)),
    reflections: n(current, key.reflections(level)),
    short: n(current, key.short(level)),
    reminders: n(current, key.reminders(level)),
    followed: n(current, key.followed(level)),
  });
  const rows = levels.map((l) => ({ levelId: l.id, levelName: l.name, numbers: usageShown.shown.has(cellKey(l.id, "brug")) ? usageOf(l.id) : null }));
  const sum = (list: readonly UsageNumbers[]): UsageNumbers => ({
    leaders: list.reduce((s, u) => s + u.leaders, 0),
    reflections: list.reduce((s, u) => s + u.reflections, 0),
    short: list.reduce((s, u) => s + u.short, 0),
    reminders: list.reduce((s, u) => s + u.reminders, 0),
    followed: list.reduce((s, u) => s + u.followed, 0),
  });
  const total = usageShown.colTotals.has("brug") ? sum(levels.map((l) => usageOf(l.id))) : null;

  // Hvor lederne ser sig selv: level × theme, suppressed together (a theme's column adds up over levels).
  const ratingTable = (counts: Counts) => suppress(levels.flatMap((l) => themes.map((t) => ({ row: l.id, col: t.id, leaders: n(counts, key.themeLeaders(l.id, t.id)) }))), k);
  const nowShown = ratingTable(current);
  const beforeShown = ratingTable(previous);
  const statementOf = (counts: Counts, shownTable: ReturnType<typeof suppress>, level: string, theme: string, statement: string) => {
    if (!shownTable.shown.has(cellKey(level, theme))) return null;
    const distribution = [1, 2, 3, 4, 5].map((v) => n(counts, key.rating(level, theme, statement, v)));
    return distribution.reduce((a, b) => a + b, 0) >= k ? distribution : null;
  };
  const levelViews = levels.map((l): LevelView => {
    const cells = themes.map((t): CellView => {
      const shown = nowShown.shown.has(cellKey(l.id, t.id));
      const statements = framework.statements(t.id as ThemeId, l.id as RoleId).map((s): StatementView => {
        const distribution = statementOf(current, nowShown, l.id, t.id, s.id);
        const earlier = statementOf(previous, beforeShown, l.id, t.id, s.id);
        const median = distribution ? medianOf(distribution) : null;
        return { id: s.id, text: s.text, distribution, median, change: median !== null && earlier ? median - medianOf(earlier) : null };
      });
      return { themeId: t.id, title: t.title, leaders: shown ? n(current, key.themeLeaders(l.id, t.id)) : null, statements };
    });
    const lowest = cells
      .flatMap((c) => c.statements.filter((s) => s.distribution && s.median !== null).map((s) => ({ themeTitle: c.title, text: s.text, median: s.median!, low: lowShare(s.distribution!) })))
      .sort((a, b) => a.median - b.median || b.low - a.low || a.text.localeCompare(b.text, "da"))
      .slice(0, 3)
      .map(({ themeTitle, text, median }) => ({ themeTitle, text, median }));
    return { levelId: l.id, levelName: l.name, cells, lowest };
  });
  const themeTotals = themes.map((t) => ({
    themeId: t.id,
    title: t.title,
    leaders: nowShown.colTotals.has(t.id) ? levels.reduce((s, l) => s + n(current, key.themeLeaders(l.id, t.id)), 0) : null,
  }));

  // Ledergrupper: counts of groups, shown from k groups.
  const groupCount = n(current, key.groups());
  const groups = groupCount >= k
    ? { groups: groupCount, meetings: n(current, key.meetings()), agreements: n(current, key.agreements()), due: n(current, key.agreementsDue()), done: n(current, key.agreementsDone()) }
    : null;

  // Vi-pulsen: results already shown to their groups (each from k answers), summed per theme over at least two.
  const shared = framework.sharedRole;
  const pulses = themes.map((t): PulseView => {
    const results = n(current, key.pulses(t.id));
    const answers = n(current, key.pulseAnswers(t.id));
    if (results < MIN_PULSE_RESULTS || answers < k || !shared) return { themeId: t.id, title: t.title, numbers: null };
    const statements = framework.statements(t.id as ThemeId, shared.id).flatMap((s) => {
      const distribution = [1, 2, 3, 4, 5].map((v) => n(current, key.pulseRating(t.id, s.id, v)));
      const count = distribution.reduce((a, b) => a + b, 0);
      return count >= k ? [{ text: s.text, distribution, mean: distribution.reduce((a, c, i) => a + c * (i + 1), 0) / count }] : [];
    });
    return { themeId: t.id, title: t.title, numbers: { pulses: results, answers, statements } };
  });

  return { quarter, previousQuarter: quarterBefore(quarter), k, usage: { rows, total }, levels: levelViews, themeTotals, groups, pulses };
}

export function medianOf(distribution: readonly number[]): number {
  const values = distribution.flatMap((count, i) => Array<number>(count).fill(i + 1));
  if (values.length === 0) return 0;
  const mid = Math.floor(values.length / 2);
  return values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

const lowShare = (distribution: readonly number[]) => (distribution[0]! + distribution[1]!) / Math.max(1, distribution.reduce((a, b) => a + b, 0));
