import { Cron } from "croner";
import { texts } from "../kernel/texts";
import type { Shown } from "../kernel/shown";
import { escapeMarkdown } from "./cleanText";
import { localDate } from "./time";
import { AppError, ErrorCodes } from "../kernel/errors";

export type Frequency = "weekly" | "biweekly" | "monthly";

/** Which occurrence of the weekday in a month: "2" for "2. tirsdag i måneden", or the last one. */
export type WeekOfMonth = 1 | 2 | 3 | 4 | "last";

export interface Recurrence {
  readonly frequency: Frequency;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  /** Local wall-clock time "HH:MM" in `timezone`. */
  readonly time: string;
  /** IANA zone, e.g. Europe/Copenhagen; DST is the zone's business, not ours. */
  readonly timezone: string;
  /** For monthly. */
  readonly weekOfMonth?: WeekOfMonth;
  /** For biweekly: a YYYY-MM-DD in a week that has an occurrence; every other week from there. */
  readonly anchor?: string;
}


/**
 * Croner's parsed patterns, one per pattern and zone, and the occurrences already worked out.
 * Croner converts every date it steps through to and from the zone, which made this a sixth of
 * a reminder's CPU: each run asks for the next occurrence two or three times. A slot's runs share
 * a few dozen patterns and one time, so nearly all of its questions were asked before. An
 * unscheduled Cron keeps no state between nextRun calls; both maps are bounded, oldest out first.
 */
const crons = new Map<string, Cron>();
const occurrences = new Map<string, number>();
const MAX_CRONS = 1_000;
const MAX_OCCURRENCES = 10_000;

function remember<V>(map: Map<string, V>, max: number, key: string, value: V): V {
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
  return value;
}

function cronOf(pattern: string, timezone: string): Cron {
  const key = `${pattern}|${timezone}`;
  return crons.get(key) ?? remember(crons, MAX_CRONS, key, new Cron(pattern, { timezone }));
}

/** The first occurrence strictly after `after`. Croner does the calendar and DST arithmetic. */
export function nextOccurrence(recurrence: Recurrence, after: Date): Date {
  const pattern = cronPattern(recurrence);
  const key = `${pattern}|${recurrence.timezone}|${recurrence.frequency}|${recurrence.anchor ?? ""}|${after.getTime()}`;
  const known = occurrences.get(key);
  if (known !== undefined) return new Date(known);
  const cron = cronOf(pattern, recurrence.timezone);
  let candidate = cron.nextRun(after);
  if (!candidate) throw new AppError(ErrorCodes.noNextOccurrence, { detail: JSON.stringify(recurrence) });
  if (recurrence.frequency === "biweekly") {
    const anchorWeek = weekNumber(recurrence.anchor ?? localDate(candidate, recurrence.timezone));
    while ((weekNumber(localDate(candidate, recurrence.timezone)) - anchorWeek) % 2 !== 0) {
      candidate = cron.nextRun(candidate)!;
    }
  }
  return new Date(remember(occurrences, MAX_OCCURRENCES, key, candidate.getTime()));
}

export function nextOccurrences(recurrence: Recurrence, after: Date, count: number): Date[] {
  const result: Date[] = [];
  let cursor = after;
  for (let i = 0; i < count; i += 1) {
    cursor = nextOccurrence(recurrence, cursor);
    result.push(cursor);
  }
  return result;
}

/** "hver anden tirsdag kl. 09:00", "2. tirsdag i måneden kl. 14:30", … for cards. */
export function describeRecurrence(recurrence: Recurrence): Shown {
  return texts.recurrence(recurrence.frequency, recurrence.weekday, escapeMarkdown(recurrence.time), recurrence.weekOfMonth ?? 1);
}

function cronPattern(recurrence: Recurrence): string {
  const [hours, minutes] = recurrence.time.split(":").map(Number);
  const weekday = recurrence.weekday % 7; // cron: 0 = Sunday
  const day =
    recurrence.frequency === "monthly"
      ? `${weekday}#${recurrence.weekOfMonth === "last" ? "L" : (recurrence.weekOfMonth ?? 1)}`
      : String(weekday);
  return `${minutes} ${hours} * * ${day}`;
}

/** Weeks since a fixed Monday, counted by local calendar dates (so DST cannot shift it). */
function weekNumber(isoDate: string): number {
  const days = Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000);
  // 1970-01-05 was a Monday (day 4 since the epoch).
  return Math.floor((days - 4) / 7);
}
