import path from "node:path";
import { DaysOff, type ClosedDay } from "../domain/daysOff";
import { readValidatedJson } from "../content/validatedJson";
import { projectRoot } from "../kernel/paths";

interface HolidayTable {
  readonly source: string;
  readonly firstYear: number;
  readonly lastYear: number;
  /** "YYYY-MM-DD" → the holiday's Danish name. */
  readonly days: Readonly<Record<string, string>>;
}

const TABLE_FILE = path.join(projectRoot, "content", "danish-public-holidays.json");
const SCHEMA_FILE = path.join(projectRoot, "content", "danish-public-holidays.schema.json");

/**
 * Denmark's public holidays ("helligdage") from date-holidays, a maintained calendar, rather
 * than our own Easter arithmetic; taken into a table at development time (`npm run holidays`),
 * so the running bot does not carry that library's parser and time-zone data. Days like
 * Grundlovsdag and juleaften are closed by agreement, not by law, and live in
 * content/closed-days.json where an organisation can change them.
 */
export function danishPublicHolidays(table: HolidayTable = holidayTable()): (year: number) => ReadonlyMap<string, string> {
  const byYear = new Map<number, Map<string, string>>();
  for (const [date, name] of Object.entries(table.days)) {
    const year = Number(date.slice(0, 4));
    byYear.set(year, (byYear.get(year) ?? new Map<string, string>()).set(date, name));
  }
  // Past the table (after 2099) no day is a public holiday: the closed-days file still counts.
  return (year) => byYear.get(year) ?? new Map<string, string>();
}

let loaded: HolidayTable | undefined;
function holidayTable(): HolidayTable {
  loaded ??= readValidatedJson<HolidayTable>(TABLE_FILE, SCHEMA_FILE).data;
  return loaded;
}

/** Denmark's public holidays plus the organisation's own closed days. */
export function danishDaysOff(closedDays: readonly ClosedDay[]): DaysOff {
  return new DaysOff({ publicHolidays: danishPublicHolidays(), closedDays });
}
