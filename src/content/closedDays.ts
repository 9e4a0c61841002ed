import path from "node:path";
import type { ClosedDay } from "../domain/daysOff";
import { projectRoot } from "../kernel/paths";
import { ContentError, readValidatedJson } from "./validatedJson";

export const CLOSED_DAYS_SCHEMA_PATH = path.join(projectRoot, "content", "closed-days.schema.json");

interface ClosedDaysFile {
  readonly version: 1;
  readonly closedDays: readonly ClosedDay[];
}

/** The organisation's own closed days, validated like the framework file: a broken file stops start-up. */
export function loadClosedDays(file: string): readonly ClosedDay[] {
  const { data } = readValidatedJson<ClosedDaysFile>(file, CLOSED_DAYS_SCHEMA_PATH);
  data.closedDays.forEach((day, i) => {
    if (day.to !== undefined && day.to.length !== day.from.length) {
      throw new ContentError(file, `$.closedDays[${i}].to`, `must have the same form as "from" (${day.from.length === 5 ? "MM-DD" : "YYYY-MM-DD"})`);
    }
    if (day.fromTime !== undefined && day.to !== undefined && day.to !== day.from) {
      throw new ContentError(file, `$.closedDays[${i}].fromTime`, "an afternoon closure is for one day; split the range");
    }
  });
  return Object.freeze([...data.closedDays]);
}
