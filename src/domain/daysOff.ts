import { dateTimeFormat } from "./time";

/**
 * Days when nothing is sent: Denmark's public holidays and the organisation's own closed days
 * (whole days, ranges, or an afternoon). Pure: the holidays come in as data, and all dates are
 * the local calendar dates of a time zone.
 */

/** One of the organisation's closed days, as in content/closed-days.json. */
export interface ClosedDay {
  readonly name: string;
  /** MM-DD (every year) or YYYY-MM-DD (once). */
  readonly from: string;
  /** Last day, inclusive, in the same form; absent means one day. */
  readonly to?: string;
  /** Closed only from this local time ("12:00": the afternoon). */
  readonly fromTime?: string;
}

export interface DaysOffSource {
  /** The public holidays of a year, as local YYYY-MM-DD → name. */
  readonly publicHolidays: (year: number) => ReadonlyMap<string, string>;
  readonly closedDays: readonly ClosedDay[];
  /** ISO weekdays that are working days; Monday–Friday when absent. */
  readonly workingDays?: readonly number[];
}

export interface Closure {
  readonly name: string;
}

/** A local date and time in a zone, as the calendar code needs them. */
export interface Local {
  readonly date: string;
  readonly time: string;
  readonly weekday: number;
}

const DAY_MS = 86_400_000;

export class DaysOff {
  private readonly holidayCache = new Map<number, ReadonlyMap<string, string>>();

  constructor(private readonly source: DaysOffSource) {}

  /** A calendar with no closed days at all: for tests and benchmarks about delivery, not dates. */
  static none(): DaysOff {
    return new DaysOff({ publicHolidays: () => new Map(), closedDays: [], workingDays: [1, 2, 3, 4, 5, 6, 7] });
  }

  /** Why nothing goes out at this instant, in this zone; undefined on an open working moment. */
  closure(instant: Date, timezone: string): Closure | undefined {
    const local = localOf(instant, timezone);
    if (!(this.source.workingDays ?? [1, 2, 3, 4, 5]).includes(local.weekday)) return { name: local.weekday === 6 ? "lørdag" : "søndag" };
    const holiday = this.holidays(Number(local.date.slice(0, 4))).get(local.date);
    if (holiday) return { name: holiday };
    const closed = this.source.closedDays.find((day) => covers(day, local));
    return closed ? { name: closed.name } : undefined;
  }

  /** The same local time on the next day that is open; the instant itself when it is open. */
  nextOpen(instant: Date, timezone: string): Date {
    return this.step(instant, timezone, +1);
  }

  /** The same local time on the latest earlier day that is open; the instant itself when it is open. */
  previousOpen(instant: Date, timezone: string): Date {
    return this.step(instant, timezone, -1);
  }

  private step(instant: Date, timezone: string, direction: 1 | -1): Date {
    let candidate = instant;
    const { time } = localOf(instant, timezone);
    // Christmas to New Year plus a weekend is the longest closure; a few months is plenty.
    for (let days = 0; days < 120 && this.closure(candidate, timezone); days += 1) {
      const next = localOf(new Date(candidate.getTime() + direction * DAY_MS), timezone);
      candidate = instantOf(next.date, time, timezone);
    }
    return candidate;
  }

  private holidays(year: number): ReadonlyMap<string, string> {
    let found = this.holidayCache.get(year);
    if (!found) {
      found = this.source.publicHolidays(year);
      this.holidayCache.set(year, found);
    }
    return found;
  }
}

function covers(day: ClosedDay, local: Local): boolean {
  const year = local.date.slice(0, 4);
  const full = (d: string) => (d.length === 5 ? `${year}-${d}` : d);
  const from = full(day.from);
  const to = full(day.to ?? day.from);
  // A yearly range across New Year (12-27 to 01-02) covers both ends of the year.
  const inRange = from <= to ? local.date >= from && local.date <= to : local.date >= from || local.date <= to;
  if (!inRange) return false;
  return day.fromTime === undefined || local.time >= day.fromTime;
}

/**
 * localOf's answers, kept. A reminder slot asks about the same few instants (everyone's 09:00 on
 * the same day, the run after it) in the same zone thousands of times, a few times per reminder,
 * and each answer takes Intl's formatToParts. Bounded, the oldest out first.
 */
const MAX_LOCALS = 1_000;
const locals = new Map<string, Local>();

/** An instant's local date, time and ISO weekday in a zone. */
export function localOf(instant: Date, timezone: string): Local {
  const key = `${instant.getTime()}|${timezone}`;
  let local = locals.get(key);
  if (!local) {
    // An unknown zone or an invalid date throws here, as before, and is not kept.
    local = Object.freeze(localOfUncached(instant, timezone));
    if (locals.size >= MAX_LOCALS) locals.delete(locals.keys().next().value!);
    locals.set(key, local);
  }
  return local;
}

function localOfUncached(instant: Date, timezone: string): Local {
  const parts = dateTimeFormat("en-GB", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    weekday: "short",
    hourCycle: "h23",
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    time: `${get("hour")}:${get("minute")}`,
    weekday: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(get("weekday")) + 1,
  };
}

/** The instant at a local date and time in a zone (DST-safe: corrected by the zone's own offset). */
export function instantOf(date: string, time: string, timezone: string): Date {
  let guess = new Date(`${date}T${time}:00Z`);
  for (let i = 0; i < 2; i += 1) {
    const local = localOf(guess, timezone);
    const drift = Date.parse(`${local.date}T${local.time}:00Z`) - Date.parse(`${date}T${time}:00Z`);
    if (drift === 0) break;
    guess = new Date(guess.getTime() - drift);
  }
  return guess;
}
