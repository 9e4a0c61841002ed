import assert from "node:assert/strict";
import fs from "node:fs";
import { danishPublicHolidays } from "../../src/nudges/danishHolidays";
import { HOLIDAYS_FILE, holidayTable } from "../../scripts/danishHolidays";

describe("Denmark's public holidays, as a table taken from date-holidays", function () {
  this.timeout(20_000);

  it("is what the installed date-holidays says for 2000–2099: after a calendar update, run npm run holidays", () => {
    assert.equal(fs.readFileSync(HOLIDAYS_FILE, "utf8"), holidayTable(), "content/danish-public-holidays.json has drifted from date-holidays");
  });

  it("knows Store Bededag until 2023 and not from 2024, when it was abolished", () => {
    const holidays = danishPublicHolidays();
    assert.equal(holidays(2023).get("2023-05-05"), "Store Bededag");
    assert.equal([...holidays(2024).values()].includes("Store Bededag"), false);
    assert.equal(holidays(2026).size, 10);
  });

  it("has no public holidays past the table, so schedules there still run", () => {
    assert.equal(danishPublicHolidays()(2100).size, 0);
  });
});
