import assert from "node:assert/strict";
import type { GroupMeeting } from "../../src/domain/groupMeetings";
import { GroupContributions } from "../../src/privacy/groupContributions";
import { openCosmosStore, type CosmosStore } from "../../src/storage/cosmosDatabase";
import { GroupMeetings } from "../../src/storage/groupMeetings";
import { capturingLogger } from "../support/logLines";
import { embeddedCosmos, STRICT_PAGES } from "../support/rootHooks";
import { StrictCosmos } from "../support/strictCosmos";
import { testConfig } from "../support/testConfig";
import { silentLogger } from "../../src/log";

const jonas = { name: "Jonas Chef", aadObjectId: "00000000-0000-4000-8000-000000000002" };
const mette = { name: "Mette Leder", aadObjectId: "00000000-0000-4000-8000-000000000001" };

/** A meeting in its own group where Jonas set a status and shared a named point. */
function meetingNamingJonas(group: string): GroupMeeting {
  const start = "2026-12-01T09:00:00.000Z";
  return {
    id: `meeting|${start}`, pk: `channel|${group}`, type: "meeting", start, end: start, themeId: "drift", source: "series",
    agreements: [{ id: "a1", text: "Aftale", responsible: "Alle", status: "done", createdBy: mette, createdAt: start, changes: [{ at: start, by: jonas, status: "done" }] }],
    points: [{ id: "p-1", text: "Jonas' punkt", by: jonas }, { id: "p-2", text: "Mettes punkt", by: mette }],
    people: [jonas.aadObjectId, mette.aadObjectId].sort(),
  };
}

describe("taking a person out of their leader groups (strict double)", () => {
  let cosmos: StrictCosmos;
  let store: CosmosStore;
  let meetings: GroupMeetings;
  beforeEach(async () => {
    cosmos = new StrictCosmos(embeddedCosmos().endpoint, STRICT_PAGES);
    await cosmos.start();
    store = await openCosmosStore(testConfig({ COSMOS_ENDPOINT: cosmos.endpoint }).cosmos, silentLogger);
    meetings = new GroupMeetings(store.containers.channels);
    for (const group of ["19:a@thread.v2", "19:b@thread.v2", "19:c@thread.v2"]) await meetings.open(meetingNamingJonas(group));
  });
  afterEach(async () => {
    await store.close();
    await cosmos.stop();
  });

  it("carries on past a meeting it cannot change, counts points and names apart, and reaches that one when asked again", async () => {
    // Every write to group b's meeting fails, as a document Cosmos refuses would.
    cosmos.faultWhen = ({ method, partitionKey }) => (method === "PUT" && partitionKey.includes("channel|19:b") ? { kind: "status", status: 503 } : undefined);
    const { log, lines } = capturingLogger("warn");
    const first = await new GroupContributions(meetings, log).forget(jonas.aadObjectId);
    assert.deepEqual(first, { pointsRemoved: 2, namesReplaced: 2, notReached: 1 });
    assert.equal(lines.filter((l) => JSON.parse(l).code === "LR-1202").length, 1, "the meeting not reached is logged once, with a code");
    for (const group of ["19:a@thread.v2", "19:c@thread.v2"]) {
      const after = await meetings.read(`channel|${group}`, "meeting|2026-12-01T09:00:00.000Z");
      assert.doesNotMatch(JSON.stringify(after), /Jonas|000000000002/, group);
    }

    cosmos.faultWhen = () => undefined;
    const again = await new GroupContributions(meetings, silentLogger).forget(jonas.aadObjectId);
    assert.deepEqual(again, { pointsRemoved: 1, namesReplaced: 1, notReached: 0 });
    assert.deepEqual(await meetings.naming(jonas.aadObjectId), []);
  });
});
