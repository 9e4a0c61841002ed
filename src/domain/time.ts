/** The zone of a leader or group that has not chosen one: a Danish municipality's. The one place it is written. */
export const DEFAULT_TIMEZONE = "Europe/Copenhagen";

/** Posts go out on the half hour in working hours ("Ugens tema", personal reminders). */
export const REMINDER_TIMES: readonly string[] = Array.from({ length: 18 }, (_, i) => `${String(8 + Math.floor(i / 2)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`);

/**
 * An `Intl.DateTimeFormat` for a locale and options, built once. Building one costs about a
 * hundred times what formatting with it does, and a scheduler tick asks for the same few zones'
 * local dates for every schedule it runs (it was the costliest line of a 20,000-user slot).
 */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    // An unknown zone throws here, as before, and is not kept.
    format = new Intl.DateTimeFormat(locale, options);
    if (formats.size >= MAX_FORMATS) formats.delete(formats.keys().next().value!);
    formats.set(key, format);
  }
  return format;
}

/** The local calendar date of an instant in a zone, as YYYY-MM-DD. */
export function localDate(instant: Date, timezone: string): string {
  return dateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

/** Zones come from settings, a few per municipality; the bound only keeps a bad actor from growing it. */
const MAX_FORMATS = 500;
const formats = new Map<string, Intl.DateTimeFormat>();

/** A local calendar date (YYYY-MM-DD) `days` later; at noon UTC, so no zone's midnight moves it. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The ISO weekday of a local calendar date (YYYY-MM-DD): 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
}
