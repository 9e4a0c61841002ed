import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadClosedDays } from "../../src/content/closedDays";
import { ContentError } from "../../src/content/validatedJson";
import { asTenantId, asUserId } from "../../src/domain/ids";
import { partitionKeyOf } from "../../src/domain/identity";
import { danishDaysOff } from "../../src/nudges/danishHolidays";
import { adjustRun, plannedRuns } from "../../src/nudges/plannedRuns";
import type { Recurrence } from "../../src/domain/recurrence";
import { mette } from "../support/activities";
import { completeReflection } from "../support/reflectionSteps";
import { cardText, createHarness, testDaysOff, type Harness } from "../support/teamsChat";

const CPH = "Europe/Copenhagen";
const weekly = (weekday: number, time: string): Recurrence => ({ frequency: "weekly", weekday, time, timezone: CPH });
const at = (iso: string) => new Date(iso);

describe("days off: nothing goes out on a Danish public holiday or a closed day", () => {
  const daysOff = testDaysOff();
  const move = (recurrence: Recurrence, run: string, leadMs = 0) => adjustRun({ recurrence, leadMs, timezone: CPH }, at(run), daysOff).toISOString();

  it("moves a Thursday reminder on Skærtorsdag 2027 past Easter to Tuesday, across the change to summer time", () => {
    // Thu 25 March 09:00 CET; Fri is Langfredag, Mon is 2. påskedag; clocks go forward on Sunday 28th.
    assert.equal(move(weekly(4, "09:00"), "2027-03-25T08:00:00.000Z"), "2027-03-30T07:00:00.000Z");
  });

  it("moves a reminder on Kristi Himmelfartsdag to the Friday after", () => {
    assert.equal(move(weekly(4, "09:00"), "2027-05-06T07:00:00.000Z"), "2027-05-07T07:00:00.000Z");
  });

  it("moves an afternoon reminder on Grundlovsdag (closed from 12:00 by the closed-days file), and keeps a morning one", () => {
    assert.equal(move(weekly(5, "13:00"), "2026-06-05T11:00:00.000Z"), "2026-06-08T11:00:00.000Z");
    assert.equal(move(weekly(5, "09:00"), "2026-06-05T07:00:00.000Z"), "2026-06-05T07:00:00.000Z");
  });

  it("moves a reminder in Christmas week past New Year's Day to the first working day", () => {
    // Tue 29 Dec 2026 is in the closed 24–31 December; 1 January is a holiday; 2–3 January a weekend.
    assert.equal(move(weekly(2, "09:00"), "2026-12-29T08:00:00.000Z"), "2027-01-04T08:00:00.000Z");
  });

  it("sends one reminder, not two, when a moved run would land on the next regular one", () => {
    // Monday 28 December 2026 is closed; the next open Monday is 4 January, which is also the next regular run.
    assert.equal(move(weekly(1, "09:00"), "2026-12-28T08:00:00.000Z"), "2027-01-04T08:00:00.000Z");
    const runs = plannedRuns({ recurrence: weekly(1, "09:00"), timezone: CPH }, at("2026-12-27T00:00:00.000Z"), 2, daysOff);
    assert.deepEqual(runs.map((r) => r.toISOString()), ["2027-01-04T08:00:00.000Z", "2027-01-11T08:00:00.000Z"]);
  });

  it("moves the questions before a meeting earlier, so they still come before it", () => {
    // Meeting Tue 30 March 2027 10:00, questions 24 hours before: Monday is 2. påskedag, Fri and Thu are holidays.
    assert.equal(move(weekly(2, "10:00"), "2027-03-29T08:00:00.000Z", 24 * 3_600_000), "2027-03-24T09:00:00.000Z");
  });

  it("skips a meeting that falls on a holiday, with its questions", () => {
    // Meeting Thu 6 May 2027 (Kristi Himmelfartsdag) → the next one, Thu 13 May; its questions on Wed 12 May.
    assert.equal(move(weekly(4, "10:00"), "2027-05-05T08:00:00.000Z", 24 * 3_600_000), "2027-05-12T08:00:00.000Z");
  });

  it("shows the next dates as they will really happen", () => {
    const runs = plannedRuns({ recurrence: weekly(4, "09:00"), timezone: CPH }, at("2027-04-26T00:00:00.000Z"), 3, daysOff);
    assert.deepEqual(runs.map((r) => r.toISOString()), ["2027-04-29T07:00:00.000Z", "2027-05-07T07:00:00.000Z", "2027-05-13T07:00:00.000Z"]);
  });

  it("honours the organisation's own closed days from its file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "closed-days-"));
    const file = path.join(dir, "closed.json");
    fs.writeFileSync(file, JSON.stringify({ version: 1, closedDays: [{ name: "Kommunens temadag", from: "2026-11-26" }] }));
    try {
      const own = danishDaysOff(loadClosedDays(file));
      assert.equal(own.closure(at("2026-11-26T08:00:00.000Z"), CPH)?.name, "Kommunens temadag");
      assert.equal(own.closure(at("2026-12-29T08:00:00.000Z"), CPH), undefined, "without the shipped file, Christmas week is open");
      assert.equal(adjustRun({ recurrence: weekly(4, "09:00"), timezone: CPH }, at("2026-11-26T08:00:00.000Z"), own).toISOString(), "2026-11-27T08:00:00.000Z");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const broken: Array<[string, unknown, RegExp]> = [
    ["a date that is not a date", { version: 1, closedDays: [{ name: "x", from: "2026-13-01" }] }, /\$\.closedDays\[0\]\.from/],
    ["an unknown property", { version: 1, closedDays: [{ name: "x", from: "06-05", until: "06-06" }] }, /unknown property "until"/],
    ["a range mixing yearly and one-off dates", { version: 1, closedDays: [{ name: "x", from: "12-24", to: "2026-12-31" }] }, /\$\.closedDays\[0\]\.to: must have the same form/],
    ["an afternoon on a range", { version: 1, closedDays: [{ name: "x", from: "12-24", to: "12-31", fromTime: "12:00" }] }, /split the range/],
  ];
  for (const [what, content, reason] of broken) {
    it(`refuses a closed-days file with ${what}, naming where`, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "closed-days-"));
      const file = path.join(dir, "closed.json");
      fs.writeFileSync(file, JSON.stringify(content));
      try {
        assert.throws(() => loadClosedDays(file), (error: unknown) => error instanceof ContentError && reason.test(error.message));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe("a weekly reminder that falls on a holiday (TestAdapter, embedded Cosmos, scheduler)", () => {
  let h: Harness;
  let now: Date;
  const METTE = { tenantId: asTenantId(mette.tenantId), userId: asUserId(mette.aadObjectId) };
  beforeEach(async () => {
    now = new Date("2027-05-03T08:00:00.000Z"); // Monday before Kristi Himmelfartsdag
    h = await createHarness({ clock: () => now });
  });
  afterEach(() => h.close());

  it("is not sent on Kristi Himmelfartsdag, arrives on Friday instead, and the card said so in advance", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat);
    await chat.say("påmindelser");
    const card = chat.lastCard();
    await chat.click(card, "Gem påmindelser", { frequency: "weekly", weekday: "4", time: "09:00" });
    assert.match(cardText(chat.current(card)), /De næste: 7\.\smaj 2027 \(flyttet fra 6\.\smaj 2027: Kristi Himmelfartsdag\), 13\.\smaj 2027, 20\.\smaj 2027\./);
    assert.equal((await h.schedules.get(partitionKeyOf(METTE), "nudge"))?.nextRunAt, "2027-05-07T07:00:00.000Z");

    now = new Date("2027-05-06T07:00:30.000Z");
    await h.scheduler.tick();
    await h.delivery.tick();
    assert.equal(h.proactive.sent.length, 0, "nothing on the holiday");
    now = new Date("2027-05-07T07:00:30.000Z");
    await h.scheduler.tick();
    await h.delivery.tick();
    assert.equal(h.proactive.sent.length, 1);
    assert.equal((await h.schedules.get(partitionKeyOf(METTE), "nudge"))?.nextRunAt, "2027-05-13T07:00:00.000Z");
  });

  it("moves a stored run that falls on a holiday when it comes due, instead of sending it", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat);
    await chat.say("påmindelser");
    await chat.click(chat.lastCard(), "Gem påmindelser", { frequency: "weekly", weekday: "4", time: "09:00" });
    const stored = (await h.schedules.get(partitionKeyOf(METTE), "nudge"))!;
    await h.schedules.upsert({ ...stored, nextRunAt: "2027-05-06T07:00:00.000Z" });
    now = new Date("2027-05-06T07:00:30.000Z");
    await h.scheduler.tick();
    await h.delivery.tick();
    assert.equal(h.proactive.sent.length, 0);
    const moved = await h.schedules.get(partitionKeyOf(METTE), "nudge");
    assert.equal(moved?.nextRunAt, "2027-05-07T07:00:00.000Z");
    assert.match(String(moved?.lastOutcome), /moved: Kristi Himmelfartsdag/);
  });
});
