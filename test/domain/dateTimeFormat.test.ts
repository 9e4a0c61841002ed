import assert from "node:assert/strict";
import fc from "fast-check";
import { dateTimeFormat } from "../../src/domain/time";
import { localOf } from "../../src/domain/daysOff";

describe("date formats", () => {
  it("builds one format per locale and options, and formats as a fresh one would", () => {
    const options: Intl.DateTimeFormatOptions = { timeZone: "Europe/Copenhagen", year: "numeric", month: "2-digit", day: "2-digit" };
    assert.equal(dateTimeFormat("en-CA", options), dateTimeFormat("en-CA", { ...options }));
    assert.notEqual(dateTimeFormat("en-CA", options), dateTimeFormat("en-CA", { ...options, timeZone: "America/Nuuk" }));
    const at = new Date("2026-12-31T23:30:00Z");
    assert.equal(dateTimeFormat("en-CA", options).format(at), new Intl.DateTimeFormat("en-CA", options).format(at));
    assert.deepEqual(localOf(at, "Europe/Copenhagen"), { date: "2027-01-01", time: "00:30", weekday: 5 });
  });

  it("still refuses an unknown zone, every time", () => {
    for (let i = 0; i < 2; i += 1) assert.throws(() => dateTimeFormat("en-CA", { timeZone: "Mars/Olympus" }), RangeError);
  });

  it("keeps a bounded number, so zones sent by a caller cannot grow it without end", () => {
    const first = dateTimeFormat("en-GB", { timeZone: "Etc/GMT+1", minute: "2-digit" });
    const zones = Intl.supportedValuesOf("timeZone");
    for (const locale of ["da-DK", "en-CA"]) for (const timeZone of zones) dateTimeFormat(locale, { timeZone, minute: "2-digit" });
    assert.ok(zones.length * 2 > 500, "more than are kept");
    assert.notEqual(dateTimeFormat("en-GB", { timeZone: "Etc/GMT+1", minute: "2-digit" }), first, "the oldest was let go");
  });

  it("answers an instant's local date, time and weekday as Intl does, asked once or again, in any zone, across the bound of those kept", () => {
    const zones = ["Europe/Copenhagen", "America/Nuuk", "Atlantic/Faroe", "UTC", "Pacific/Chatham"];
    const fresh = (at: Date, timeZone: string) => {
      const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23", weekday: "long" }).formatToParts(at);
      const get = (type: string) => parts.find((p) => p.type === type)!.value;
      return { date: `${get("year")}-${get("month")}-${get("day")}`, time: `${get("hour")}:${get("minute")}`, weekday: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].indexOf(get("weekday")) + 1 };
    };
    // Minutes around DST changes and New Year, and anywhere in a few years; more instants than are kept.
    const instant = fc.oneof(
      fc.integer({ min: -180, max: 180 }).map((m) => new Date(Date.parse("2026-10-25T01:00:00Z") + m * 60_000)),
      fc.integer({ min: -180, max: 180 }).map((m) => new Date(Date.parse("2027-01-01T00:00:00Z") + m * 60_000)),
      fc.date({ min: new Date("2025-01-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(instant, fc.constantFrom(...zones)), { minLength: 1, maxLength: 40 }), (asks) => {
        for (const [at, zone] of [...asks, ...asks]) assert.deepEqual({ ...localOf(at, zone) }, fresh(at, zone));
      }),
      { numRuns: 100 },
    );
    assert.throws(() => localOf(new Date("2026-12-31T23:30:00Z"), "Mars/Olympus"), RangeError);
    assert.throws(() => localOf(new Date("2026-12-31T23:30:00Z"), "Mars/Olympus"), RangeError, "an unknown zone is refused every time");
  });
});
