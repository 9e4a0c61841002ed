import { localOf } from "../domain/daysOff";
import { localDate } from "../domain/time";

/** Personal nudges go out on weekdays, 08:00–17:00, in the leader's own time zone. */
export const WORKING_HOURS = { start: 8, end: 17 } as const;

export function localParts(instant: Date, timezone: string): { weekday: number; hour: number; minute: number } {
  const { weekday, time } = localOf(instant, timezone);
  return { weekday, hour: Number(time.slice(0, 2)), minute: Number(time.slice(3, 5)) };
}

export function isWithinWorkingHours(instant: Date, timezone: string): boolean {
  const { weekday, hour } = localParts(instant, timezone);
  return weekday >= 1 && weekday <= 5 && hour >= WORKING_HOURS.start && hour < WORKING_HOURS.end;
}

/**
 * The same instant if it is within working hours, else the next weekday at 08:00 local time.
 * Steps an hour at a time, which is plenty for a nudge and cannot be fooled by DST.
 */
export function nextWorkingMoment(instant: Date, timezone: string): Date {
  let candidate = new Date(instant);
  for (let i = 0; i < 24 * 8 && !isWithinWorkingHours(candidate, timezone); i += 1) {
    const { minute } = localParts(candidate, timezone);
    candidate = new Date(candidate.getTime() + (60 - minute) * 60_000 - (candidate.getTime() % 60_000));
  }
  return candidate;
}

/** Local 09:00 on a YYYY-MM-DD date (a follow-up date), moved into working hours if need be. */
export function morningOf(isoDate: string, timezone: string): Date {
  // Start from 09:00 UTC that day and correct by the zone's offset on that day.
  const guess = new Date(`${isoDate}T09:00:00Z`);
  const { hour } = localParts(guess, timezone);
  const corrected = new Date(guess.getTime() - (hour - 9) * 3_600_000);
  return localDate(corrected, timezone) === isoDate ? nextWorkingMoment(corrected, timezone) : nextWorkingMoment(guess, timezone);
}
