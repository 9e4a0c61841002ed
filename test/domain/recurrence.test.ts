import assert from "node:assert/strict";
import { describeRecurrence, nextOccurrence, nextOccurrences, type Recurrence } from "../../src/domain/recurrence";
import { isWithinWorkingHours, morningOf, nextWorkingMoment } from "../../src/nudges/workingHours";

const CPH = "Europe/Copenhagen";
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe("recurrence (croner, Europe/Copenhagen)", () => {
  it("keeps 09:00 local across spring-forward (last Sunday of March)", () => {
    const weekly: Recurrence = { frequency: "weekly", weekday: 1, time: "09:00", timezone: CPH };
    assert.deepEqual(iso(nextOccurrences(weekly, new Date("2026-03-20T00:00:00Z"), 3)), [
      "2026-03-23T08:00:00.000Z", // CET, UTC+1
      "2026-03-30T07:00:00.000Z", // CEST, UTC+2 from 29 March
      "2026-04-06T07:00:00.000Z",
    ]);
  });

  it("keeps 09:00 local across fall-back (last Sunday of October)", () => {
    const weekly: Recurrence = { frequency: "weekly", weekday: 1, time: "09:00", timezone: CPH };
    assert.deepEqual(iso(nextOccurrences(weekly, new Date("2026-10-20T00:00:00Z"), 2)), [
      "2026-10-26T08:00:00.000Z", // CET again from 25 October
      "2026-11-02T08:00:00.000Z",
    ]);
  });

  it("runs an occurrence at 02:30 on the spring-forward night exactly once, and in the right week", () => {
    const sunday: Recurrence = { frequency: "weekly", weekday: 7, time: "02:30", timezone: CPH };
    const [first, second] = nextOccurrences(sunday, new Date("2026-03-28T00:00:00Z"), 2);
    // 02:30 does not exist on 29 March; what matters is one run that Sunday and one the next.
    assert.ok(first!.toISOString().startsWith("2026-03-29"));
    assert.equal(second!.toISOString(), "2026-04-05T00:30:00.000Z");
  });

  it("finds the 2nd Tuesday of each month ('2. tirsdag i måneden')", () => {
    const monthly: Recurrence = { frequency: "monthly", weekday: 2, weekOfMonth: 2, time: "14:00", timezone: CPH };
    assert.deepEqual(iso(nextOccurrences(monthly, new Date("2026-10-01T00:00:00Z"), 3)), [
      "2026-10-13T12:00:00.000Z",
      "2026-11-10T13:00:00.000Z",
      "2026-12-08T13:00:00.000Z",
    ]);
    assert.equal(describeRecurrence(monthly), "2.\u00a0tirsdag i måneden kl. 14:00");
  });

  it("finds the last Thursday of the month", () => {
    const last: Recurrence = { frequency: "monthly", weekday: 4, weekOfMonth: "last", time: "08:30", timezone: CPH };
    assert.equal(nextOccurrence(last, new Date("2026-10-01T00:00:00Z")).toISOString(), "2026-10-29T07:30:00.000Z");
  });

  it("runs every other week from its anchor week, across a DST change", () => {
    const biweekly: Recurrence = { frequency: "biweekly", weekday: 3, time: "10:00", timezone: CPH, anchor: "2026-03-18" };
    assert.deepEqual(iso(nextOccurrences(biweekly, new Date("2026-03-10T00:00:00Z"), 3)), [
      "2026-03-18T09:00:00.000Z",
      "2026-04-01T08:00:00.000Z",
      "2026-04-15T08:00:00.000Z",
    ]);
    assert.equal(describeRecurrence(biweekly), "hver anden onsdag kl. 10:00");
  });
});

describe("working hours (weekdays 08–17, the leader's zone)", () => {
  it("knows a Saturday and an evening are outside", () => {
    assert.equal(isWithinWorkingHours(new Date("2026-11-21T10:00:00Z"), CPH), false);
    assert.equal(isWithinWorkingHours(new Date("2026-11-23T17:30:00Z"), CPH), false);
    assert.equal(isWithinWorkingHours(new Date("2026-11-23T09:00:00Z"), CPH), true);
  });

  it("moves a Saturday nudge to Monday 08:00 local", () => {
    assert.equal(nextWorkingMoment(new Date("2026-11-21T10:00:00Z"), CPH).toISOString(), "2026-11-23T07:00:00.000Z");
  });

  it("puts a follow-up date at 09:00 local, and a Sunday follow-up on Monday morning", () => {
    assert.equal(morningOf("2026-12-15", CPH).toISOString(), "2026-12-15T08:00:00.000Z");
    assert.equal(morningOf("2026-07-01", CPH).toISOString(), "2026-07-01T07:00:00.000Z");
    assert.equal(morningOf("2026-11-22", CPH).toISOString(), "2026-11-23T07:00:00.000Z");
  });
});
