import assert from "node:assert/strict";
import { PostedCards } from "../../src/group/postedCards";
import { GroupContributions } from "../../src/group/contributions";
import { GroupDocuments } from "../../src/storage/groupDocuments";
import { pointAuthorKeyer } from "../../src/domain/pointAuthor";
import { DeliveryError } from "../../src/nudges/messenger";
import type { StoredConversation } from "../../src/domain/conversation";
import { groupPartition } from "../../src/domain/group/partition";
import { withoutPoint } from "../../src/domain/group/meetings";
import { capturingLogger } from "../support/logLines";
import { createHarness, type Harness } from "../support/teamsChat";

const GROUP = "19:meeting_posted@thread.v2";
const TENANT = "11111111-1111-4111-8111-111111111111";
const jonas = { name: "Jonas Chef", aadObjectId: "00000000-0000-4000-8000-000000000002" };
const START = "2026-12-01T09:00:00.000Z";
const conversation: StoredConversation = {
  channelId: "msteams", serviceUrl: "http://127.0.0.1:9/", conversationId: GROUP, conversationType: "groupChat", tenantId: TENANT, botId: "28:bot", active: true, updatedAt: START,
};

describe("cards already posted in a group, after someone erases their data (strict double)", () => {
  let h: Harness;
  const clock = () => new Date("2026-12-02T09:00:00.000Z");
  beforeEach(async () => {
    h = await createHarness({ clock });
    const pk = groupPartition(GROUP);
    await h.meetings.open({
      id: `meeting|${START}`, pk, type: "meeting", start: START, end: START, themeId: "drift", source: "series", agreements: [],
      points: [{ id: "p-1", text: "Jonas' eget punkt", by: jonas }], people: [jonas.aadObjectId],
    });
    const card = { contentType: "application/vnd.microsoft.card.adaptive", content: { type: "AdaptiveCard", body: [{ type: "TextBlock", text: "Jonas' eget punkt – Jonas Chef" }] } };
    await h.outbox.enqueue({
      id: "posted-start", status: "sent", tenantId: TENANT, ownerPk: pk, scheduleId: "meeting-start", kind: "meeting-start", meetingId: `meeting|${START}`, conversation,
      message: { attachments: [card] }, createdAt: START, attempts: 1, nextAttemptAt: START, activityId: "1700000000042",
    });
  });
  afterEach(() => h.close());

  it("erases the person everywhere and forgets the outbox's copy, even when Teams refuses to update the post, and says so", async () => {
    const refusing = { update: async () => Promise.reject(new DeliveryError(403, "BotNotInConversationRoster", undefined, "removed")) };
    const { log, lines } = capturingLogger("warn");
    const posted = new PostedCards({ outbox: h.outbox, messenger: refusing, meetings: h.meetings, groups: h.groups, loop: h.meetingLoop, minutes: h.minutes, pulses: h.pulses, clock, log });
    const erased = await new GroupContributions({ meetings: h.meetings, groups: new GroupDocuments(h.store.containers.channels), authorKeyOf: pointAuthorKeyer(Buffer.alloc(32, 7)), log, postedCards: posted }).forget({ tenantId: TENANT, userId: jonas.aadObjectId });
    assert.deepEqual(erased, { pointsRemoved: 1, namesReplaced: 0, notReached: 0, cardsUpdated: 0, cardsQueued: 0, cardsNotUpdated: 1 });
    assert.doesNotMatch(JSON.stringify((await h.outbox.get("posted-start"))?.message), /Jonas/, "our copy of the post names nobody now");
    assert.deepEqual(lines.map((l) => JSON.parse(l).code), ["LR-1601"], "logged as a send failure, not as storage");
  });

  it("queues an update Teams cannot take now, one per post with the newest content, and delivery sends it later", async () => {
    const busy = { update: async () => Promise.reject(new DeliveryError(503, "ServiceUnavailable", undefined, "busy")) };
    // A minute before the harness's now, so the retry is due when delivery looks.
    const posted = new PostedCards({ outbox: h.outbox, messenger: busy, meetings: h.meetings, groups: h.groups, loop: h.meetingLoop, minutes: h.minutes, pulses: h.pulses, log: capturingLogger("warn").log, clock: () => new Date("2026-12-02T08:59:00.000Z") });
    assert.deepEqual(await posted.refresh([groupPartition(GROUP)], "a mark nothing names"), { updated: 0, queued: 1, failed: 0 });
    await h.meetings.update(groupPartition(GROUP), `meeting|${START}`, (current) => withoutPoint(current, "p-1"));
    assert.deepEqual(await posted.refresh([groupPartition(GROUP)], "a mark nothing names"), { updated: 0, queued: 1, failed: 0 });

    const queued = await h.outbox.get("posted-start~update");
    assert.deepEqual([queued?.status, queued?.replaces, queued?.message], ["pending", "1700000000042", (await h.outbox.get("posted-start"))?.message]);
    assert.doesNotMatch(JSON.stringify(queued?.message), /Jonas/, "the newest content: the point is gone");
    assert.deepEqual(await h.delivery.tick(), { sent: 1, retried: 0, failed: 0, handedOver: 0 });
    assert.deepEqual(h.proactive.updated.map((u) => [u.activityId, JSON.stringify(u.message) === JSON.stringify(queued?.message)]), [["1700000000042", true]]);
    assert.deepEqual(h.proactive.sent, [], "an update, not a new post");
  });

  it("updates the post Teams named, by its id, to the meeting without the person", async () => {
    const posted = new PostedCards({ outbox: h.outbox, messenger: h.proactive, meetings: h.meetings, groups: h.groups, loop: h.meetingLoop, minutes: h.minutes, pulses: h.pulses, clock, log: capturingLogger("warn").log });
    assert.deepEqual(await posted.refresh([groupPartition(GROUP), groupPartition("19:elsewhere@thread.v2")], "a mark nothing names"), { updated: 1, queued: 0, failed: 0 });
    const [update] = h.proactive.updated;
    assert.equal(update?.activityId, "1700000000042");
    assert.equal(update?.conversation.conversationId, GROUP);
    assert.match(JSON.stringify(update?.message), /Dagens refleksion/);
  });
});
