import assert from "node:assert/strict";
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
});
