import assert from "node:assert/strict";
import type { GroupMeeting } from "../../src/domain/groupMeetings";
import { silentLogger } from "../../src/log";
import { openCosmosStore, type CosmosStore } from "../../src/storage/cosmosDatabase";
import { GroupMeetings } from "../../src/storage/groupMeetings";
import { embeddedCosmos, STRICT_PAGES } from "../support/rootHooks";
import { StrictCosmos } from "../support/strictCosmos";
import { testConfig } from "../support/testConfig";

const PK = "channel|19:meeting_x@thread.v2";
const START = "2026-12-01T09:00:00.000Z";
const meeting: GroupMeeting = { id: `meeting|${START}`, pk: PK, type: "meeting", start: START, end: START, themeId: "drift", source: "series", agreements: [], people: [] };
const reminder = { id: `agreement-reminder.meeting|${START}.a1`, pk: PK, type: "schedule", kind: "agreement-reminder", tenantId: "t", active: true, nextRunAt: "2026-12-14T08:00:00.000Z", payload: {} };

describe("a meeting and its reminders, written together (strict double)", () => {
  let cosmos: StrictCosmos;
  let store: CosmosStore;
  let meetings: GroupMeetings;
  beforeEach(async () => {
    cosmos = new StrictCosmos(embeddedCosmos().endpoint, STRICT_PAGES);
    await cosmos.start();
    store = await openCosmosStore(testConfig({ COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_REQUEST_TIMEOUT_MS: "500" }).cosmos, silentLogger);
    meetings = new GroupMeetings(store.containers.channels);
    await meetings.open(meeting);
  });
  afterEach(async () => {
    await store.close();
    await cosmos.stop();
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
});
