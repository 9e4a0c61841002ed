import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { fixtureJson, meetingActivity, MEETING_CHAT, mette, teamsActivity, type TeamsUser } from "../support/activities";
import { FakeConnector } from "../support/fakeConnector";
import { embeddedCosmos, STRICT_PAGES } from "../support/rootHooks";
import { StrictCosmos } from "../support/strictCosmos";
import { cardText, createHarness, tickScheduler, type Harness } from "../support/teamsChat";
import { groupPartition } from "../../src/domain/group/partition";
import { meetingDocumentId } from "../../src/domain/group/meetings";
import type { GroupMeeting } from "../../src/domain/group/model";
import type { GroupSettings } from "../../src/domain/group/groupSettings";
import type { Schedule } from "../../src/nudges/schedule";

type Json = Record<string, unknown>;

const TENANT = mette.tenantId;
const leaders: TeamsUser[] = [mette, ...Array.from({ length: 5 }, (_, i) => ({ aadObjectId: `00000000-0000-4000-8000-0000000003${String(i).padStart(2, "0")}`, tenantId: TENANT, conversationId: `a:1personal-reader-${i}`, name: `Leder ${i + 1}` }))];
const member = (u: TeamsUser) => ({ id: `29:${u.aadObjectId}`, name: u.name, aadObjectId: u.aadObjectId, userRole: "user" });
/** The group's weekly meeting on Tuesday 1 December (10:00 in Copenhagen), an hour long. */
const START = new Date("2026-12-01T09:00:00.000Z");

/**
 * Acceptance 3 of issue 29: drawing a card or composing a message only reads. Every composer and
 * view of the group's flows runs against a store that refuses any write (the strict double in
 * front of the embedded server, in its read-only mode), at the moment that used to tempt a
 * write most: the meeting has begun and its Vi-pulse is due to close, with answers waiting.
 * The writes belong to the schedule or the event that owns the change (pulse-close, the
 * meeting's start and end), which run afterwards and change what the views then show.
 */
describe("Composers and views only read (strict Cosmos double refusing every write)", () => {
  let cosmos: StrictCosmos;
  let h: Harness;
  let connector: FakeConnector;
  let now: Date;
  const pk = groupPartition(MEETING_CHAT);

  beforeEach(async () => {
    cosmos = new StrictCosmos(embeddedCosmos(), STRICT_PAGES);
    await cosmos.start();
    now = new Date("2026-11-30T08:00:00.000Z");
    h = await createHarness({ clock: () => now, cosmosEndpoint: cosmos.endpoint });
    connector = new FakeConnector();
    await connector.start();
    const meetingInfo = fixtureJson("meeting-info");
    connector.respond = (call) => {
      if (call.method === "GET" && call.path.startsWith("/v1/meetings/")) return { status: 200, body: meetingInfo };
      if (call.method === "GET" && call.path.includes("/pagedmembers")) return { status: 200, body: { members: leaders.map(member) } };
      return { status: 200 };
    };
    for (const leader of leaders) {
      const chat = h.chatAs(leader);
      await chat.install();
      await chat.click(chat.lastCard(), "Vælg rolle", { roleId: "leder-af-leder" });
      await chat.say("annuller");
    }
    const turn = (activity: Json) => h.adapter.processActivity(activity as Partial<Activity>);
    await turn(meetingActivity("meeting-chat-message", mette, { text: "<at>Lederrefleksion</at> opsæt", serviceUrl: connector.serviceUrl }));
    const card = h.adapter.sent.at(-1)!;
    const content = card.attachments![0]!.content as Json;
    const save = JSON.stringify(content).match(/"title":"Gem opsætning"[^}]*"data":(\{[^}]*\})/);
    assert.ok(save, "the settings card has its save button");
    const inputs = Object.fromEntries([...JSON.stringify(content).matchAll(/"id":"([A-Za-z]+)"[^{}]*?"value":"([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    await turn(meetingActivity("meeting-chat-message", mette, { text: undefined, replyToId: card.id, value: { ...JSON.parse(save[1]!), ...inputs, meetingFrequency: "weekly" }, serviceUrl: connector.serviceUrl }));
  });
  afterEach(async () => {
    cosmos.refuseWrites = false;
    await connector.stop();
    await h.close();
    await cosmos.stop();
  });

  /** The invitations a day before open the meeting's pulse; five leaders answer it in their 1:1 chats. */
  async function pulseAnsweredByFive(): Promise<string> {
    const invitations = (await tickScheduler(h, () => (now = new Date("2026-11-30T09:00:05.000Z")))).filter((p) => p.conversation.conversationType === "personal");
    const pulseId = /"pulseId":"([^"]+)"/.exec(JSON.stringify(invitations[0]?.message))?.[1];
    assert.ok(pulseId, "the invitations offer the meeting's pulse");
    const statementIds = h.pulses.statements("resultater").map((s) => s.id);
    for (const leader of leaders.slice(1)) {
      const ratings = Object.fromEntries(statementIds.map((id) => [`pulse:${id}`, "4"]));
      await h.adapter.processActivity(teamsActivity("personal-message", leader, { type: "invoke", name: "adaptiveCard/action", text: undefined, value: { action: { type: "Action.Execute", verb: "answerPulse", data: { pulseId, groupId: MEETING_CHAT, verb: "answerPulse", ...ratings } } } }) as Partial<Activity>);
    }
    return pulseId;
  }

  /** The meeting's document with one open agreement due on Friday (as saving the "Aftaler" card leaves it). */
  async function meetingWithAgreement(settings: GroupSettings): Promise<GroupMeeting> {
    const meeting = await h.meetingLoop.open(pk, settings, { start: START, end: new Date(START.getTime() + 3_600_000) }, "series");
    const agreement = { id: "a1", text: "Leder 1 sender planen rundt", responsible: "Leder 1", due: "2026-12-04", status: "notStarted" as const, createdBy: { name: mette.name ?? "Mette", aadObjectId: mette.aadObjectId }, createdAt: START.toISOString(), changes: [] };
    const updated = await h.meetings.update(pk, meeting.id, (m) => ({ ...m, agreements: [agreement], people: [mette.aadObjectId], openCount: 1 }));
    assert.ok(updated);
    return updated.meeting;
  }

  it("composes every card and message of the group's flows without one write, while the meeting's pulse waits to close", async () => {
    const pulseId = await pulseAnsweredByFive();
    const group = await h.groups.document(MEETING_CHAT);
    const settings = h.groups.settings.effective(group, undefined);
    const meeting = await meetingWithAgreement(settings);
    assert.equal(meeting.id, meetingDocumentId({ start: START, end: new Date(START.getTime() + 3_600_000) }));
    const reminder: Schedule = { id: `agreement-reminder.${meeting.id}.a1`, pk, type: "schedule", kind: "agreement-reminder", tenantId: TENANT, active: true, nextRunAt: now.toISOString(), payload: { meetingId: meeting.id, agreementId: "a1" } };
    const posts = (await h.schedules.forOwner(pk)).filter((s) => s.kind === "channel-meeting" || s.kind === "channel-theme");
    // The meeting has begun, and neither its start nor the pulse's close has run yet.
    now = new Date("2026-12-01T09:02:00.000Z");

    cosmos.refuseWrites = true;
    const drawn: string[] = [];
    drawn.push(cardText((await h.meetingLoop.startCard(meeting, settings)).content as Json));
    drawn.push(JSON.stringify(h.meetingLoop.endCard(meeting, settings)));
    drawn.push(JSON.stringify(await h.meetingLoop.composeReminder(reminder)));
    for (const post of posts) drawn.push(JSON.stringify(await h.groups.schedules.compose(post, now)));
    drawn.push(JSON.stringify(await h.groups.schedules.status(MEETING_CHAT)));
    drawn.push((await h.minutes.last(MEETING_CHAT, settings))?.text ?? "no minutes");
    drawn.push((await h.minutes.ofMeeting(MEETING_CHAT, meeting.id, settings)) ?? "no minutes");
    drawn.push(JSON.stringify(await h.pulses.forMeeting(pk, meeting.id, START)));
    drawn.push(JSON.stringify([...(await h.pulses.ofGroup(pk)).entries()]));
    drawn.push(JSON.stringify(await h.pulses.invitationWithoutAsker(pk, pulseId, settings.timezone)));
    cosmos.refuseWrites = false;

    assert.deepEqual(cosmos.refusedWrites, [], "no composer or view wrote");
    assert.match(drawn[0]!, /Vi-pulsen\nVi-pulsen er ved at lukke: 5 har svaret\. Resultatet kommer, når den er lukket\./);
    assert.match(drawn[2]!, /Leder 1 sender planen rundt/);
    assert.equal((await h.pulses.forMeeting(pk, meeting.id, START))?.open, true, "the pulse is still open: closing is its schedule's");
  });

  it("closes the pulse when the meeting starts, so the start card it posts shows the result, and counts the meeting when it ends", async () => {
    await pulseAnsweredByFive();
    const [start] = (await tickScheduler(h, () => (now = new Date("2026-12-01T09:10:05.000Z")))).filter((p) => p.conversation.conversationId === MEETING_CHAT);
    assert.match(cardText(start!.message.attachments![0]!.content as Json), /Vi-pulsen\nVi tænker nyt[\s\S]*Gennemsnit 4,0 \(5 vurderinger\)/);

    // Drawn again afterwards (a status click), it reads the closed result, and writes nothing.
    const settings = h.groups.settings.effective(await h.groups.document(MEETING_CHAT), undefined);
    const meeting = await h.meetings.read(pk, meetingDocumentId({ start: START, end: new Date(START.getTime() + 3_600_000) }));
    cosmos.refuseWrites = true;
    const again = cardText((await h.meetingLoop.startCard(meeting!, settings)).content as Json);
    cosmos.refuseWrites = false;
    assert.deepEqual(cosmos.refusedWrites, []);
    assert.match(again, /Gennemsnit 4,0 \(5 vurderinger\)/);

    await tickScheduler(h, () => (now = new Date("2026-12-01T10:00:05.000Z")));
    await tickScheduler(h, () => (now = new Date("2026-12-01T10:05:05.000Z")));
    assert.equal((await h.buckets.read(TENANT, "2026-Q4"))?.counts["G|meetings"], 1, "the meeting counted once, with its end");
  });
});
