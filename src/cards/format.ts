import { DEFAULT_TIMEZONE, dateTimeFormat, localDate } from "../domain/time";
import type { Shown } from "../kernel/shown";

/**
 * What these formatters give is digits, Danish month names, "kl.", ":" and ",": the one thing
 * Markdown could act on is "3. " at the start (a numbered list), which each date below turns
 * into "3.\u00a0". So their output is Shown as it is.
 */
const formatted = (text: string): Shown => text as Shown;

/** "3,8": a number with one decimal, as Danish writes it. */
export function danishDecimal(n: number): Shown {
  return formatted(n.toFixed(1).replace(".", ","));
}

const DANISH_DATE = new Intl.DateTimeFormat("da-DK", { day: "numeric", month: "long", year: "numeric", timeZone: DEFAULT_TIMEZONE });

const SHORT_DATE = new Intl.DateTimeFormat("da-DK", { day: "numeric", month: "short", year: "numeric", timeZone: DEFAULT_TIMEZONE });

const toDate = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00Z`) : new Date(iso));

/**
 * "3. november 2026" for an ISO timestamp or YYYY-MM-DD date. The space after the day is a
 * no-break space: at the start of a TextBlock, "3. " is a Markdown list marker, and Teams would
 * render the date as a numbered list item.
 */
export function danishDate(iso: string, timeZone?: string): Shown {
  const format = timeZone
    ? dateTimeFormat("da-DK", { day: "numeric", month: "long", year: "numeric", timeZone })
    : DANISH_DATE;
  return formatted(format.format(toDate(iso)).replace(/^(\d+)\. /, "$1.\u00a0"));
}

/** "3. nov. 2026": the prose date, shortened for narrow places such as the progress bars' labels (one date style). */
export function shortDanishDate(iso: string): Shown {
  // A no-break space after the day, as in danishDate: "3. nov." must not read as a Markdown list.
  return formatted(SHORT_DATE.format(toDate(iso)).replace(/^(\d+)\. /, "$1.\u00a0"));
}

/** "8. december 2026 kl. 10:00" in the group's zone. */
export function danishDateTime(at: Date, timeZone: string): Shown {
  const time = dateTimeFormat("da-DK", { hour: "2-digit", minute: "2-digit", timeZone }).format(at).replace(".", ":");
  return formatted(`${danishDate(at.toISOString(), timeZone)} kl. ${time}`);
}

const WEEKDAY_AND_DATE = (timeZone: string) => dateTimeFormat("da-DK", { weekday: "long", day: "numeric", month: "long", timeZone });

/**
 * "i morgen, tirsdag den 8. december" or "fredag den 11. december": a day soon, as a colleague
 * would say it (the year only when it is not this year's), in the leader's zone.
 */
export function danishDaySoon(at: Date, now: Date, timeZone: string = DEFAULT_TIMEZONE): Shown {
  const parts = Object.fromEntries(WEEKDAY_AND_DATE(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  const year = localDate(at, timeZone).slice(0, 4);
  const day = `${parts.weekday} den ${parts.day}. ${parts.month}${year === localDate(now, timeZone).slice(0, 4) ? "" : ` ${year}`}`;
  const tomorrow = localDate(new Date(now.getTime() + 86_400_000), timeZone);
  return formatted(localDate(at, timeZone) === tomorrow ? `i morgen, ${day}` : day);
}


/**
 * A Markdown sentence of ours as plain text, for a surface that is not Markdown (a page, which
 * escapes it as HTML where it lands): an escaped character is itself again, and our emphasis
 * marks go. The side panel answers with the chat's own sentences this way, word for word.
 */
export function plainText(text: Shown): string {
  return text.replace(/\\([\\`*_~[\]()!#<>|+\-.])|\*/g, (_, escaped: string | undefined) => escaped ?? "");
}
