import assert from "node:assert/strict";
import type { GroupMeeting } from "../../src/domain/group/model";
import { pointAuthorKeyer } from "../../src/domain/pointAuthor";
import { GroupContributions } from "../../src/group/contributions";
import { GroupMeetings } from "../../src/storage/meetingStore";
import { GroupDocuments } from "../../src/storage/groupDocuments";
import { capturingLogger } from "../support/logLines";
import type { StrictCosmos } from "../support/strictCosmos";
import { eachStoreBehindFaultyCosmos } from "../support/faultyCosmos";
import { silentLogger } from "../../src/kernel/log";

const jonas = { name: "Jonas Chef", aadObjectId: "00000000-0000-4000-8000-000000000002" };
const mette = { name: "Mette Leder", aadObjectId: "00000000-0000-4000-8000-000000000001" };
const TENANT = "11111111-1111-4111-8111-111111111111";
const authorKeyOf = pointAuthorKeyer(Buffer.from("a server secret of at least thirty-two characters"));
const jonasUser = { tenantId: TENANT, userId: jonas.aadObjectId };

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
  const faulty = eachStoreBehindFaultyCosmos({
    seed: async (store) => {
      for (const group of ["19:a@thread.v2", "19:b@thread.v2", "19:c@thread.v2"]) await new GroupMeetings(store.containers.channels).open(meetingNamingJonas(group));
    },
  });
  let meetings: GroupMeetings;
  let groups: GroupDocuments;
  let cosmos: StrictCosmos;
  beforeEach(() => {
    ({ cosmos } = faulty);
    meetings = new GroupMeetings(faulty.store.containers.channels);
    groups = new GroupDocuments(faulty.store.containers.channels);
  });

  it("carries on past a meeting it cannot change, counts points and names apart, and reaches that one when asked again", async () => {
    // Every write to group b's meeting fails, as a document Cosmos refuses would: a replace, or the
    // transactional batch that carries the meetings' change marker beside it.
    cosmos.faultWhen = ({ method, batch, partitionKey }) => ((method === "PUT" || batch) && partitionKey.includes("channel|19:b") ? { kind: "status", status: 503 } : undefined);
    const { log, lines } = capturingLogger("warn");
    const first = await new GroupContributions({ meetings, groups, authorKeyOf, log }).forget(jonasUser);
    assert.deepEqual(first, { pointsRemoved: 2, namesReplaced: 2, notReached: 1, cardsUpdated: 0, cardsQueued: 0, cardsNotUpdated: 0 });
    assert.equal(lines.filter((l) => JSON.parse(l).code === "LR-1202").length, 1, "the meeting not reached is logged once, with a code");
    for (const group of ["19:a@thread.v2", "19:c@thread.v2"]) {
      const after = await meetings.read(`channel|${group}`, "meeting|2026-12-01T09:00:00.000Z");
      assert.doesNotMatch(JSON.stringify(after), /Jonas|000000000002/, group);
    }

    cosmos.faultWhen = () => undefined;
    const again = await new GroupContributions({ meetings, groups, authorKeyOf, log: silentLogger }).forget(jonasUser);
    assert.deepEqual(again, { pointsRemoved: 1, namesReplaced: 1, notReached: 0, cardsUpdated: 0, cardsQueued: 0, cardsNotUpdated: 0 });
    assert.deepEqual(await meetings.naming(jonas.aadObjectId), []);
  });

  it("finds all of 60 unnamed points by their author's mark, though the leader's own record lists none, and the groups never name them", async () => {
    const start = (i: number) => new Date(Date.parse("2025-01-07T09:00:00.000Z") + i * 7 * 86_400_000).toISOString();
    for (let i = 0; i < 60; i += 1) {
      await meetings.open({
        id: `meeting|${start(i)}`, pk: "channel|19:d@thread.v2", type: "meeting", start: start(i), end: start(i), themeId: "drift", source: "series", agreements: [],
        points: [{ id: `p-${i}`, text: `Punkt ${i}`, authorKey: authorKeyOf(jonasUser) }, { id: `q-${i}`, text: "Mettes", by: mette }],
        people: [mette.aadObjectId], authorKeys: [authorKeyOf(jonasUser)],
      });
    }
    const stored = JSON.stringify(await meetings.read("channel|19:d@thread.v2", `meeting|${start(0)}`));
    assert.doesNotMatch(stored, /000000000002|Jonas/, "an unnamed point does not say who shared it");
    const erased = await new GroupContributions({ meetings, groups, authorKeyOf, log: silentLogger }).forget(jonasUser, []);
    // The 60 unnamed points, and the 3 named ones and 3 status changes of the meetings every test starts with.
    assert.deepEqual(erased, { pointsRemoved: 63, namesReplaced: 3, notReached: 0, cardsUpdated: 0, cardsQueued: 0, cardsNotUpdated: 0 });
    const left = await meetings.naming(jonas.aadObjectId, authorKeyOf(jonasUser));
    assert.deepEqual(left, []);
    assert.deepEqual((await meetings.read("channel|19:d@thread.v2", `meeting|${start(59)}`))?.points?.map((p) => p.id), ["q-59"], "Mette's named point stays");
  });

  it("marks the same leader alike and two leaders apart, and only with the server's secret", () => {
    const other = pointAuthorKeyer(Buffer.from("another server's secret, also thirty-two characters"));
    assert.equal(authorKeyOf(jonasUser), authorKeyOf({ tenantId: TENANT.toUpperCase(), userId: jonas.aadObjectId }));
    assert.notEqual(authorKeyOf(jonasUser), authorKeyOf({ tenantId: TENANT, userId: mette.aadObjectId }));
    assert.notEqual(authorKeyOf(jonasUser), other(jonasUser));
  });
});
