import fs from "node:fs";
import path from "node:path";
import Holidays from "date-holidays";
import { projectRoot } from "../src/kernel/paths";

/**
 * Denmark's public holidays ("helligdage") for the years the bot can schedule in, taken from
 * date-holidays, a maintained calendar. The table is made here, at development time, so the
 * running bot does not load that library (its parser and time-zone data cost about 16 MB of every
 * process). `npm run holidays` writes it; test/nudges/danishHolidays.test.ts fails when the
 * installed date-holidays says otherwise, so a calendar update is one command away.
 */

export const HOLIDAYS_FILE = path.join(projectRoot, "content", "danish-public-holidays.json");
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2099;

/** Only type "public": days like Grundlovsdag and juleaften are closed by agreement, not by law. */
export function publicHolidaysFromCalendar(year: number): Record<string, string> {
  const days: Record<string, string> = {};
  for (const holiday of new Holidays("DK").getHolidays(year)) {
    if (holiday.type === "public") days[holiday.date.slice(0, 10)] = holiday.name;
  }
  return days;
}

export function holidayTable(): string {
  const days: Record<string, string> = {};
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year += 1) Object.assign(days, publicHolidaysFromCalendar(year));
  const source = `date-holidays ${(JSON.parse(fs.readFileSync(require.resolve("date-holidays/package.json"), "utf8")) as { version: string }).version}`;
  return JSON.stringify({ source, firstYear: FIRST_YEAR, lastYear: LAST_YEAR, days }, null, 1) + "\n";
}

if (require.main === module) {
  fs.writeFileSync(HOLIDAYS_FILE, holidayTable());
  process.stdout.write(`Wrote ${path.relative(projectRoot, HOLIDAYS_FILE)} from date-holidays (${FIRST_YEAR}–${LAST_YEAR})\n`);
}
