import assert from "node:assert/strict";
import { AGREEMENT_HISTORY, changeCount, withEdit, type AgreementChangeOutcome, openAgreements, parseAgreements, saveChange, withStatus } from "../../src/domain/group/agreements";
import { instantMeetingKey, slotAround } from "../../src/domain/group/meetings";
import { namedMembers } from "../../src/domain/group/roster";
import { proposeSeries } from "../../src/domain/group/seriesProposal";
import { withoutPerson } from "../../src/domain/group/erasure";
import { type Agreement, type GroupMeeting } from "../../src/domain/group/model";
import { defaultGroupSettings, withProposal } from "../../src/domain/group/groupSettings";
import { parseIntent } from "../../src/domain/intent";
import { loadFramework } from "../../src/content/loadContent";
import { projectRoot } from "../../src/kernel/paths";
import path from "node:path";
import { nextOccurrences, type Recurrence } from "../../src/domain/recurrence";

const ZONE = "Europe/Copenhagen";
const mette = { name: "Mette Leder", aadObjectId: "00000000-0000-4000-8000-000000000001" };
const jonas = { name: "Jonas Chef", aadObjectId: "00000000-0000-4000-8000-000000000002" };

const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));

describe("the series a Teams meeting suggests", () => {
  it("reads weekday, start and length in the group's zone, in winter and in summer", () => {
    assert.deepEqual(proposeSeries({ scheduledStart: "2026-12-01T09:00:00Z", scheduledEnd: "2026-12-01T10:00:00Z" }, ZONE), {
      weekday: 2, time: "10:00", durationMinutes: 60, text: "Jeres møde ser ud til at ligge tirsdag kl. 10–11. Teams siger ikke, hvor ofte I mødes: vælg det nedenfor, og ret resten, hvis det ikke passer.",
    });
    const summer = proposeSeries({ scheduledStart: "2027-06-03T06:30:00Z", scheduledEnd: "2027-06-03T08:00:00Z" }, ZONE);
    assert.deepEqual([summer?.weekday, summer?.time, summer?.durationMinutes], [4, "08:30", 90]);
    assert.match(summer!.text, /torsdag kl\. 8\.30–10\./);
  });

  it("proposes every week for a recurring Teams meeting, since Teams does not say how often, and says so", () => {
    const recurring = proposeSeries({ type: "Recurring", scheduledStart: "2026-12-01T09:00:00Z", scheduledEnd: "2026-12-01T10:00:00Z" }, ZONE);
    assert.equal(recurring?.frequency, "weekly");
    assert.match(recurring!.text, /gentages i Teams og ser ud til at ligge hver uge tirsdag kl\. 10–11/);
    assert.equal(withProposal({ ...defaultGroupSettings(framework, ZONE), meetingFrequency: "monthly" }, recurring).meetingFrequency, "weekly");
    assert.equal(proposeSeries({ type: "Scheduled", scheduledStart: "2026-12-01T09:00:00Z", scheduledEnd: "2026-12-01T10:00:00Z" }, ZONE)?.frequency, undefined);
  });

  it("rounds an odd start to the quarter hour and a length to the nearest the card offers", () => {
    const odd = proposeSeries({ scheduledStart: "2026-12-02T12:07:00Z", scheduledEnd: "2026-12-02T12:59:00Z" }, ZONE);
    assert.deepEqual([odd?.time, odd?.durationMinutes], ["13:00", 45]);
  });

  it("proposes nothing for an instant meeting, a weekend, a night, or times that make no sense", () => {
    assert.equal(proposeSeries({ type: "MeetNow" }, ZONE), undefined);
    assert.equal(proposeSeries({ scheduledStart: "2026-12-05T09:00:00Z", scheduledEnd: "2026-12-05T10:00:00Z" }, ZONE), undefined);
    assert.equal(proposeSeries({ scheduledStart: "2026-12-01T02:00:00Z", scheduledEnd: "2026-12-01T03:00:00Z" }, ZONE), undefined);
    assert.equal(proposeSeries({ scheduledStart: "2026-12-01T10:00:00Z", scheduledEnd: "2026-12-01T09:00:00Z" }, ZONE), undefined);
    assert.equal(proposeSeries({ scheduledStart: "i morgen", scheduledEnd: "2026-12-01T09:00:00Z" }, ZONE), undefined);
  });
});

describe("which meeting an event belongs to", () => {
  const tuesdays: Recurrence = { frequency: "weekly", weekday: 2, time: "10:00", timezone: ZONE };
  const near = (from: Date) => nextOccurrences(tuesdays, from, 3);
  const hour = 3_600_000;

  it("matches a start event to the occurrence it comes near, early or late", () => {
    assert.equal(slotAround(near, new Date("2026-12-01T08:52:00Z"), hour, "start")?.start.toISOString(), "2026-12-01T09:00:00.000Z");
    assert.equal(slotAround(near, new Date("2026-12-01T09:25:00Z"), hour, "start")?.start.toISOString(), "2026-12-01T09:00:00.000Z");
  });

  it("matches an end event by the meeting's length, even when it overran", () => {
    const slot = slotAround(near, new Date("2026-12-01T10:40:00Z"), hour, "end");
    assert.deepEqual([slot?.start.toISOString(), slot?.end.toISOString()], ["2026-12-01T09:00:00.000Z", "2026-12-01T10:00:00.000Z"]);
  });

  it("finds no occurrence for a meeting on another day", () => {
    assert.equal(slotAround(near, new Date("2026-12-03T09:00:00Z"), hour, "start"), undefined);
  });

  it("keeps an instant meeting's start and end events on one day together, and two meetings apart", () => {
    const a = instantMeetingKey("meeting-a", new Date("2026-12-03T13:00:00Z"), ZONE);
    assert.equal(instantMeetingKey("meeting-a", new Date("2026-12-03T13:40:00Z"), ZONE).getTime(), a.getTime());
    assert.notEqual(instantMeetingKey("meeting-b", new Date("2026-12-03T13:00:00Z"), ZONE).getTime(), a.getTime());
  });
});

describe("the agreements card's rows", () => {
  const at = new Date("2026-12-01T10:05:00Z");

  it("keeps rows with text, trimmed, in order, and leaves empty rows out", () => {
    const parsed = parseAgreements({ text1: "  Fælles  opfølgning ", who1: "Mette", text3: "Data om ventetider", who3: "Jonas", due3: "2026-12-15", text2: "", who2: "" }, mette, at);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.agreements.map((a) => [a.id, a.text, a.responsible, a.due ?? null]), [
      ["a1", "Fælles opfølgning", "Mette", null],
      ["a3", "Data om ventetider", "Jonas", "2026-12-15"],
    ]);
  });

  it("says which row is wrong: no one responsible, a date that is not one, a text too long, or nothing at all", () => {
    assert.deepEqual(parseAgreements({ text2: "x", who2: "" }, mette, at), { ok: false, problem: "no-responsible", row: 2 });
    assert.deepEqual(parseAgreements({ text1: "x", who1: "y", due1: "2026-02-30" }, mette, at), { ok: false, problem: "bad-date", row: 1 });
    assert.deepEqual(parseAgreements({ text4: "x".repeat(301), who4: "y" }, mette, at), { ok: false, problem: "too-long", row: 4 });
    assert.deepEqual(parseAgreements({ text1: { evil: true }, who1: "y" }, mette, at), { ok: false, problem: "too-long", row: 1 });
    assert.deepEqual(parseAgreements({}, mette, at), { ok: false, problem: "none" });
  });
});

describe("saving a meeting's agreements (a pure decision)", () => {
  const at = new Date("2026-12-01T10:05:00Z");
  const meeting: GroupMeeting = { id: "meeting|2026-12-01T09:00:00.000Z", pk: "channel|19:x", type: "meeting", start: "2026-12-01T09:00:00.000Z", end: "2026-12-01T10:00:00.000Z", themeId: "drift", source: "series", agreementsToken: "card-1", agreements: [], people: [] };
  const rows = parseAgreements({ text1: "Fælles opfølgning", who1: "Alle" }, mette, at);

  it("saves once with the card's token, using the token up and naming who saved", () => {
    const change = saveChange(meeting, "card-1", rows, mette, at);
    assert.equal(change.kind, "changed");
    if (change.kind !== "changed") return;
    assert.equal(change.meeting.agreementsToken, undefined);
    assert.deepEqual([change.meeting.agreements.length, change.meeting.agreementsSavedBy, change.meeting.people], [1, mette, [mette.aadObjectId]]);
    assert.deepEqual(saveChange(change.meeting, "card-1", rows, jonas, at), { kind: "refused", why: "already-saved" }, "the second saver learns it was saved");
  });

  it("refuses an old card's token and rows that do not parse, changing nothing", () => {
    assert.deepEqual(saveChange(meeting, "card-0", rows, mette, at), { kind: "refused", why: "token-used" });
    assert.deepEqual(saveChange(meeting, "card-1", parseAgreements({}, mette, at), mette, at), { kind: "refused", why: "invalid" });
  });
});

describe("whom an agreement's responsible names", () => {
  const members = [
    { id: "29:1", aadObjectId: "a1", name: "Mette Leder" },
    { id: "29:2", aadObjectId: "a2", name: "Jonas Chef" },
    { id: "29:3", aadObjectId: "a3", name: "Mette Hansen" },
  ];
  const named = (text: string) => namedMembers(text, members).map((m) => m.name);

  it("finds full names, and first names only one member has, in lists with 'og', commas and slashes", () => {
    assert.deepEqual(named("Jonas"), ["Jonas Chef"]);
    assert.deepEqual(named("mette leder og JONAS"), ["Mette Leder", "Jonas Chef"]);
    assert.deepEqual(named("Mette Hansen, Jonas / Mette Leder"), ["Mette Hansen", "Jonas Chef", "Mette Leder"]);
  });

  it("names nobody for a first name two members share, a team word, or a stranger", () => {
    assert.deepEqual(named("Mette"), []);
    assert.deepEqual(named("Alle"), []);
    assert.deepEqual(named("Ole"), []);
  });
});

describe("follow-up and erasure", () => {
  const agreement = (id: string, status: Agreement["status"] = "notStarted"): Agreement => ({ id, text: `aftale ${id}`, responsible: "Alle", status, createdBy: mette, createdAt: "2026-12-01T10:05:00Z", changes: [] });
  const changed = (outcome: AgreementChangeOutcome): Agreement => {
    assert.equal(outcome.kind, "changed");
    return (outcome as Extract<AgreementChangeOutcome, { kind: "changed" }>).agreement;
  };
  const meeting = (start: string, agreements: Agreement[]): GroupMeeting => ({ id: `meeting|${start}`, pk: "channel|19:x", type: "meeting", start, end: start, themeId: "drift", source: "series", agreements, people: [] });

  it("follows up earlier agreements not done before the meeting, keeping one marked done during it", () => {
    const done = changed(withStatus(agreement("a2"), "done", jonas, new Date("2026-12-08T09:15:00Z")));
    const doneEarlier = changed(withStatus(agreement("a3"), "done", jonas, new Date("2026-12-04T12:00:00Z")));
    const history = [meeting("2026-12-01T09:00:00.000Z", [agreement("a1"), done, doneEarlier]), meeting("2026-12-08T09:00:00.000Z", [agreement("a1")])];
    assert.deepEqual(openAgreements(history, new Date("2026-12-08T09:00:00.000Z")).map((o) => o.agreement.id), ["a1", "a2"]);
    assert.deepEqual(openAgreements(history, new Date("2026-12-15T09:00:00.000Z")).map((o) => `${o.meeting.start.slice(5, 10)} ${o.agreement.id}`), ["12-08 a1", "12-01 a1"]);
  });

  it("records a status change once, with who and when", () => {
    const once = changed(withStatus(agreement("a1"), "inProgress", jonas, new Date("2026-12-08T09:15:00Z")));
    assert.deepEqual(once.changes, [{ at: "2026-12-08T09:15:00.000Z", by: jonas, status: "inProgress" }]);
    assert.deepEqual(withStatus(once, "inProgress", mette, new Date()), { kind: "same" });
  });

  it("keeps the last five changes and counts the rest, however many edits come", () => {
    let current = agreement("a1");
    for (let i = 0; i < 1000; i += 1) {
      // One edit every three minutes: within the pace a meeting may change an agreement.
      current = changed(withEdit(current, { text: `aftale, version ${i}`, responsible: "Alle" }, jonas, new Date(Date.UTC(2026, 11, 8) + i * 180_000)));
    }
    assert.equal(current.changes.length, AGREEMENT_HISTORY.kept);
    assert.equal(changeCount(current), 1000);
    assert.equal(current.changes.at(-1)?.before?.text, "aftale, version 998");
    assert.ok(JSON.stringify(current).length < 3_000);
  });

  it("refuses a sixth change within ten minutes, and accepts it once the window has passed", () => {
    let current = agreement("a1");
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 8, 9, minute));
    for (let i = 0; i < AGREEMENT_HISTORY.kept; i += 1) current = changed(withStatus(current, i % 2 === 0 ? "done" : "inProgress", jonas, at(i)));
    assert.deepEqual(withStatus(current, current.status === "done" ? "inProgress" : "done", jonas, at(5)), { kind: "refused", why: "too-often" });
    assert.equal(withStatus(current, current.status === "done" ? "inProgress" : "done", jonas, at(11)).kind, "changed");
  });

  it("replaces only the erased person's name, everywhere, and forgets their id", () => {
    const a1 = changed(withStatus({ ...agreement("a1"), createdBy: jonas }, "done", jonas, new Date("2026-12-08T09:15:00Z")));
    const a2 = changed(withStatus(agreement("a2"), "inProgress", mette, new Date("2026-12-08T09:16:00Z")));
    const { meeting: after, replaced } = withoutPerson({ ...meeting("2026-12-01T09:00:00.000Z", [a1, a2]), agreementsSavedBy: jonas, people: [jonas.aadObjectId, mette.aadObjectId] }, jonas.aadObjectId);
    assert.equal(replaced, 3);
    assert.deepEqual(after.agreementsSavedBy, { name: "en tidligere deltager" });
    assert.deepEqual(after.agreements[0]?.createdBy, { name: "en tidligere deltager" });
    assert.deepEqual(after.agreements[1]?.changes[0]?.by, mette);
    assert.deepEqual(after.people, [mette.aadObjectId]);
    assert.doesNotMatch(JSON.stringify(after), /Jonas|0000000002/);
  });
});

describe("Teams' meeting events", () => {
  const source = (name: string, value: unknown) => ({ type: "event", name, value, botId: "28:bot" });

  it("reads the start and end times Teams sends, in PascalCase or camelCase", () => {
    assert.deepEqual(parseIntent(source("application/vnd.microsoft.meetingStart", { Id: "m1", StartTime: "2026-12-01T09:01:12.4388966Z" })), {
      kind: "meetingEvent", edge: "start", at: new Date("2026-12-01T09:01:12.438Z"), teamsMeetingId: "m1",
    });
    const end = parseIntent(source("application/vnd.microsoft.meetingEnd", { id: "m1", endTime: "2026-12-01T10:02:40Z" }));
    assert.deepEqual(end, { kind: "meetingEvent", edge: "end", at: new Date("2026-12-01T10:02:40Z"), teamsMeetingId: "m1" });
  });

  it("keeps a meeting event with a missing or forged payload, without trusting any of it", () => {
    for (const value of [undefined, null, "x", [1], { StartTime: "not a time", Id: 42 }, { StartTime: "2026-13-45T99:00:00Z", Id: "x".repeat(5000) }]) {
      assert.deepEqual(parseIntent(source("application/vnd.microsoft.meetingStart", value)), { kind: "meetingEvent", edge: "start", at: undefined, teamsMeetingId: undefined });
    }
  });

  it("ignores other events", () => {
    assert.deepEqual(parseIntent(source("application/vnd.microsoft.readReceipt", {})), { kind: "ignored", activityType: "event" });
  });
});
