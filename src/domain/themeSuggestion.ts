import type { Theme } from "./framework";
import type { ThemeId } from "./ids";

export interface ThemeChoice {
  readonly theme: Theme;
  /** ISO timestamp of the last completed reflection on this theme, if any. */
  readonly lastReflectedAt: string | undefined;
  readonly suggested: boolean;
}

/**
 * Suggests the least recently reflected theme: one never reflected on comes first (in the
 * framework's order), otherwise the one reflected on longest ago.
 */
export function suggestTheme(themes: readonly Theme[], lastReflectedAt: Readonly<Record<string, string>>): ThemeId | undefined {
  let best: Theme | undefined;
  let bestAt = "";
  for (const theme of themes) {
    const at = lastReflectedAt[theme.id];
    if (at === undefined) return theme.id;
    if (best === undefined || at < bestAt) {
      best = theme;
      bestAt = at;
    }
  }
  return best?.id;
}

export function themeChoices(themes: readonly Theme[], lastReflectedAt: Readonly<Record<string, string>>): ThemeChoice[] {
  const suggested = suggestTheme(themes, lastReflectedAt);
  return themes.map((theme) => ({ theme, lastReflectedAt: lastReflectedAt[theme.id], suggested: theme.id === suggested }));
}
