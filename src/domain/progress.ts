import type { Shown } from "../kernel/shown";
import type { Theme } from "./framework";
import { averageRating, type Reflection } from "./reflection";

export interface ProgressPoint {
  readonly completedAt: string;
  readonly average: number;
}

export interface ThemeProgress {
  readonly theme: Theme;
  /** Oldest first, the most recent `maxPoints`. */
  readonly points: readonly ProgressPoint[];
}

export interface FocusSuggestion {
  readonly reflection: Reflection;
  readonly statements: ReadonlyArray<{ readonly text: Shown; readonly rating: number; readonly ratingLabel: Shown }>;
}

/** Average self-assessment per reflection, grouped by theme in the framework's order. */
export function progressByTheme(reflections: readonly Reflection[], themes: readonly Theme[], maxPoints = 6): ThemeProgress[] {
  return themes.map((theme) => {
    const points = reflections
      .filter((r) => r.themeId === theme.id)
      .map((r) => ({ completedAt: r.completedAt, average: averageRating(r) }))
      .filter((p): p is ProgressPoint => p.average !== null)
      .sort((a, b) => a.completedAt.localeCompare(b.completedAt));
    return { theme, points: points.slice(-maxPoints) };
  });
}

/**
 * The statements rated lowest in the most recent reflection: where to look next. None when all
 * were rated alike, since "lowest" would then point nowhere.
 */
export function suggestedFocus(reflections: readonly Reflection[], max = 3): FocusSuggestion | undefined {
  const latest = [...reflections].sort((a, b) => b.completedAt.localeCompare(a.completedAt))[0];
  if (!latest || latest.statements.length === 0) return undefined;
  const ratings = latest.statements.map((s) => s.rating);
  const lowest = Math.min(...ratings);
  if (lowest === Math.max(...ratings)) return undefined;
  return {
    reflection: latest,
    statements: latest.statements.filter((s) => s.rating === lowest).slice(0, max),
  };
}
