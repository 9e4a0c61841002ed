/**
 * Indsigt's numbers from reflections, as pure functions: per quarter, level (role) and theme,
 * how many leaders and reflections, and per statement the distribution of self-ratings and its
 * median. Only counts come in (a leader is an opaque key, counted once per cell); no text, name
 * or per-person row comes out. What may be shown is suppression.ts's decision.
 */

/** What one reflection contributes: never its text. */
export interface ReflectionFact {
  /** An opaque key of the leader (a keyed mark, not an id): counted once per cell. */
  readonly leader: string;
  readonly completedAt: string;
  readonly level: string;
  readonly themeId: string;
  readonly short: boolean;
  readonly ratings: Readonly<Record<string, number>>;
}

/** "2026-Q4" for a time in October–December 2026 (UTC; a quarter's edge hour does not matter here). */
export function quarterOf(iso: string): string {
  const at = new Date(iso);
  return `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
}

export interface StatementStats {
  /** How many ratings of 1, 2, 3, 4, 5. */
  readonly distribution: readonly number[];
  readonly median: number;
  /** Distinct leaders who rated it. */
  readonly leaders: number;
}

export interface Cell {
  readonly level: string;
  readonly themeId: string;
  readonly leaders: number;
  readonly reflections: number;
  readonly short: number;
  readonly statements: Readonly<Record<string, StatementStats>>;
}

/** The cells of one quarter: one per level and theme that has any reflection. */
export function cellsOf(facts: readonly ReflectionFact[], quarter: string): Cell[] {
  const groups = new Map<string, ReflectionFact[]>();
  for (const fact of facts) {
    if (quarterOf(fact.completedAt) !== quarter) continue;
    const key = `${fact.level}\u0000${fact.themeId}`;
    groups.set(key, [...(groups.get(key) ?? []), fact]);
  }
  return [...groups.values()].map((group) => {
    const statements: Record<string, StatementStats> = {};
    for (const id of new Set(group.flatMap((f) => Object.keys(f.ratings)))) {
      const rated = group.filter((f) => f.ratings[id] !== undefined && f.ratings[id]! >= 1 && f.ratings[id]! <= 5);
      const values = rated.map((f) => f.ratings[id]!).sort((a, b) => a - b);
      const distribution = [1, 2, 3, 4, 5].map((v) => values.filter((x) => x === v).length);
      statements[id] = { distribution, median: median(values), leaders: new Set(rated.map((f) => f.leader)).size };
    }
    return {
      level: group[0]!.level,
      themeId: group[0]!.themeId,
      leaders: new Set(group.map((f) => f.leader)).size,
      reflections: group.length,
      short: group.filter((f) => f.short).length,
      statements,
    };
  });
}

/** The lowest statements of a level by median (then by the share rated 1–2), among those at least k leaders rated. */
export function lowestStatements(cells: readonly Cell[], level: string, k: number, count = 3): Array<{ statementId: string; median: number }> {
  return cells
    .filter((c) => c.level === level)
    .flatMap((c) => Object.entries(c.statements).filter(([, s]) => s.leaders >= k).map(([statementId, s]) => ({ statementId, median: s.median, low: (s.distribution[0]! + s.distribution[1]!) / Math.max(1, s.distribution.reduce((a, b) => a + b, 0)) })))
    .sort((a, b) => a.median - b.median || b.low - a.low || a.statementId.localeCompare(b.statementId))
    .slice(0, count)
    .map(({ statementId, median: m }) => ({ statementId, median: m }));
}

function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
