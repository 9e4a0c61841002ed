import assert from "node:assert/strict";
import { openAgreements } from "../../src/domain/group/agreements";
import { withIndexes } from "../../src/domain/group/meetings";
import { type Agreement, type GroupMeeting } from "../../src/domain/group/model";
import { type CosmosStore } from "../../src/storage/cosmosDatabase";
import { GroupMeetings } from "../../src/storage/meetingStore";
import type { StrictCosmos } from "../support/strictCosmos";
import { eachStoreBehindFaultyCosmos } from "../support/faultyCosmos";

const PK = "channel|19:meeting_x@thread.v2";
const START = "2026-12-01T09:00:00.000Z";
const meeting: GroupMeeting = { id: `meeting|${START}`, pk: PK, type: "meeting", start: START, end: START, themeId: "drift", source: "series", agreements: [], people: [] };
const reminder = { id: `agreement-reminder.meeting|${START}.a1`, pk: PK, type: "schedule", kind: "agreement-reminder", tenantId: "t", active: true, nextRunAt: "2026-12-14T08:00:00.000Z", payload: {} };

describe("a meeting and its reminders, written together (strict double)", () => {
  const faulty = eachStoreBehindFaultyCosmos({ settings: { COSMOS_REQUEST_TIMEOUT_MS: "10000" }, seed: async (store) => void (await new GroupMeetings(store.containers.channels).open(meeting)) });
  let cosmos: StrictCosmos;
  let store: CosmosStore;
  let meetings: GroupMeetings;
  beforeEach(() => {
    ({ cosmos, store } = faulty);
    meetings = new GroupMeetings(store.containers.channels);
  });

  const reminderStored = async () => (await store.containers.channels.item(reminder.id, PK).read()).resource !== undefined;
  const save = () =>
    meetings.update(PK, meeting.id, (current) => ({ ...current, agreementsSavedAt: START }), () => [reminder]);

  it("stores neither when the write fails, and both when it succeeds: no meeting without its reminders", async () => {
    cosmos.faultWhen = ({ batch }) => (batch ? { kind: "status", status: 503 } : undefined);
    await assert.rejects(save());
    assert.equal((await meetings.read(PK, meeting.id))?.agreementsSavedAt, undefined);
    assert.equal(await reminderStored(), false);

    cosmos.faultWhen = () => undefined;
    const result = await save();
    assert.equal(result?.changed, true);
    assert.equal((await meetings.read(PK, meeting.id))?.agreementsSavedAt, START);
    assert.equal(await reminderStored(), true);
  });

  it("finds an agreement still open after 60 meetings for the next meeting's card, and only the meetings that matter", async () => {
    const start = (i: number) => new Date(Date.parse("2025-01-07T09:00:00.000Z") + i * 7 * 86_400_000).toISOString();
    const agreement = (status: Agreement["status"], at: string): Agreement => ({ id: "a1", text: `Aftale fra ${at.slice(0, 10)}`, responsible: "Alle", status, createdBy: { name: "Mette" }, createdAt: at, changes: [] });
    for (let i = 0; i < 60; i += 1) {
      await meetings.open(withIndexes({ ...meeting, id: `meeting|${start(i)}`, start: start(i), end: start(i), agreements: [agreement(i === 0 ? "inProgress" : "done", start(i))] }));
    }
    const next = new Date(start(60));
    const candidates = await meetings.toFollowUp(PK, next);
    const open = openAgreements(candidates, next);
    assert.deepEqual(open.map((o) => o.agreement.text), ["Aftale fra 2025-01-07"]);
    assert.ok(candidates.length < 5, `only meetings with something to follow up are read (${candidates.length})`);
    assert.equal((await meetings.forGroup(PK, next)).length, 50, "the history lists the last 50 held");
  });
});
