import Holidays from "date-holidays";
import { DaysOff, type ClosedDay } from "../domain/daysOff";

/**
 * Denmark's public holidays ("helligdage") from date-holidays, a maintained calendar, rather
 * than our own Easter arithmetic. Only type "public": days like Grundlovsdag and juleaften are
 * closed by agreement, not by law, and live in content/closed-days.json where an organisation
 * can change them.
 */
export function danishPublicHolidays(year: number): ReadonlyMap<string, string> {
  const days = new Map<string, string>();
  for (const holiday of new Holidays("DK").getHolidays(year)) {
    if (holiday.type === "public") days.set(holiday.date.slice(0, 10), holiday.name);
  }
  return days;
}

/** Denmark's public holidays plus the organisation's own closed days. */
export function danishDaysOff(closedDays: readonly ClosedDay[]): DaysOff {
  return new DaysOff({ publicHolidays: danishPublicHolidays, closedDays });
}
