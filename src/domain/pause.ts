import { ok, refuse, type Result } from "./result";

/** How far ahead a pause may reach: a long leave, not forever (turning reminders off is for that). */
export const MAX_PAUSE_DAYS = 366;

export type PauseProblem = "invalid-date" | "not-after-today" | "too-far";

/**
 * The pause card's date: the first day reminders come again. Tomorrow at the earliest, and at
 * most a year ahead; anything else is refused with a reason.
 */
export function pauseUntil(raw: unknown, today: string): Result<string, PauseProblem> {
  if (typeof raw !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`))) return refuse("invalid-date");
  if (raw <= today) return refuse("not-after-today");
  const days = (Date.parse(`${raw}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
  return days > MAX_PAUSE_DAYS ? refuse("too-far") : ok(raw);
}

/** Whether reminders are paused on a local date. */
export function isPaused(pausedUntil: string | undefined, localDay: string): boolean {
  return pausedUntil !== undefined && localDay < pausedUntil;
}

/** After this many reminders without a reflection, the next one asks (once) whether to remind less often. */
export const REMINDERS_BEFORE_ASKING = 3;

export type GentlerFrequency = "biweekly" | "monthly" | "off";

/** What to offer instead: every other week or monthly, and always the choice to stop. */
export function gentlerFrequencies(current: "weekly" | "biweekly" | "monthly"): readonly GentlerFrequency[] {
  return current === "weekly" ? ["biweekly", "monthly", "off"] : current === "biweekly" ? ["monthly", "off"] : ["off"];
}
