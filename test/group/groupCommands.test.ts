import assert from "node:assert/strict";
import { createAdapter } from "../../src/bot/adapter";
import { ConnectorMessenger } from "../../src/bot/connectorMessenger";
import type { StoredConversation } from "../../src/domain/conversation";
import { parseConfig } from "../../src/kernel/config";

import { mette, teamsActivity } from "../support/activities";
import { FakeConnector } from "../support/fakeConnector";
import type { Activity } from "botbuilder";
import { cardContent, cardText, createHarness, findActions, RecordingMessenger, type Harness } from "../support/teamsChat";
import { DeliveryError } from "../../src/nudges/messenger";
import { groupPartition } from "../../src/domain/group/partition";

const CHANNEL = "19:ledergruppe@thread.tacv2";
const TEAM = "19:team-ledelse@thread.tacv2";

function channelMessage(text: string, extra: Record<string, unknown> = {}) {
  return teamsActivity("personal-message", mette, {
    text: `<at>Lederrefleksion</at> ${text}`,
    conversation: { id: `${CHANNEL};messageid=1700000000001`, conversationType: "channel", tenantId: mette.tenantId },
    channelData: { tenant: { id: mette.tenantId }, team: { id: TEAM }, channel: { id: CHANNEL } },
    ...extra,
  });
}

describe("leadership channels (TestAdapter, embedded Cosmos, recorded Connector)", () => {
  let h: Harness;
  let now: Date;
  beforeEach(async () => {
    now = new Date("2026-11-23T08:00:00.000Z"); // Monday 09:00 in Copenhagen
    h = await createHarness({ clock: () => now });
  });
  afterEach(() => h.close());

  const lastSent = () => h.adapter.sent.at(-1)!;
  const send = (activity: Record<string, unknown>) => h.adapter.processActivity(activity as never);
  /** Clicks "Gem opsætning" on a settings card the way Teams does: the button's data with the inputs. */
  const saveFrom = (card: Partial<Activity>, inputs: Record<string, string>) => {
    const action = findActions(cardContent(card)).find((a) => a.title === "Gem opsætning")!;
    return send(channelMessage("", { text: undefined, replyToId: card.id, value: { ...action.data, ...inputs } }));
  };
  const meetingsOnWednesdays = {
    groupRole: "leder-af-leder", themeFrequency: "off", themeWeekday: "1", themeTime: "09:00",
    meetingFrequency: "weekly", meetingWeekOfMonth: "1", meetingWeekday: "3", meetingTime: "13:00", leadHours: "2", themeMode: "drift",
  };

  it("configures a channel through its card and shows the next dates", async () => {
    await send(channelMessage("opsæt"));
    const card = lastSent();
    assert.match(cardText(cardContent(card)), /Opsæt kanalen for ledergruppen/);

    await saveFrom(card, {
      groupRole: "leder-af-leder",
      themeFrequency: "weekly", themeWeekday: "1", themeTime: "08:30",
      meetingFrequency: "monthly", meetingWeekOfMonth: "2", meetingWeekday: "2", meetingTime: "10:00", leadHours: "24",
      themeMode: "rotate",
    });
    const updated = h.adapter.updates.find((u) => u.id === card.id)!;
    const text = cardText(cardContent(updated));
    assert.match(text, /Møde 8\.\sdecember 2026 kl\. 10:00 \(.+\) – spørgsmål 7\.\sdecember 2026 kl\. 10:00/);
    assert.match(text, /Ugens tema 30\.\snovember 2026 kl\. 08:30/);
    const schedules = await h.schedules.forOwner(groupPartition(CHANNEL));
    assert.deepEqual(schedules.map((s) => [s.id, s.nextRunAt]).sort(), [
      ["channel-meeting", "2026-12-07T09:00:00.000Z"],
      ["channel-theme", "2026-11-30T07:30:00.000Z"],
      // The meeting loop, as in a meeting's chat: "Dagens refleksion" ten minutes in, "Hvad aftalte I?" at the end.
      ["meeting-end", "2026-12-08T10:00:00.000Z"],
      ["meeting-invitations", "2026-12-07T09:00:00.000Z"],
      ["meeting-start", "2026-12-08T09:10:00.000Z"],
    ]);
  });

  it("posts the group questions for a named theme as a new thread on 'spørgsmål'", async () => {
    await send(channelMessage("spørgsmål resultater"));
    const [post] = h.proactive.sent;
    assert.equal(post?.message.newThread, true);
    assert.equal(post?.conversation.conversationId, CHANNEL);
    assert.equal(post?.conversation.channelIdInTeam, CHANNEL);
    const text = cardText(post!.message.attachments![0]!.content as Record<string, unknown>);
    assert.match(text, /Sammen styrker vi resultaterne/);
    assert.match(text, /1\nHvordan udvikler og forbedrer vi som gruppe resultater på baggrund af data og ny forskning\?/);
    assert.match(text, /3\nHvordan kan vi bruge hinanden til at sikre, at vi alle arbejder efter de rette mål og strategier\?/);
  });

  it("posts the questions before each meeting, and shows it under 'status'", async () => {
    await send(channelMessage("opsæt"));
    await saveFrom(lastSent(), meetingsOnWednesdays);
    now = new Date("2026-11-25T10:00:05.000Z"); // Wednesday 11:00, two hours before the 13:00 meeting
    await h.scheduler.tick();
    await h.delivery.tick();
    assert.equal(h.proactive.sent.length, 1);
    assert.match(cardText(h.proactive.sent[0]!.message.attachments![0]!.content as Record<string, unknown>), /Før mødet 25\.\snovember 2026 kl\. 13:00[\s\S]*Sammen sikrer vi driften[\s\S]*Hvordan er vi som gruppe med til at sikre høj faglig kvalitet/);

    await send(channelMessage("status"));
    const status = cardText(cardContent(lastSent()));
    assert.match(status, /Spørgsmål før møde \(hver onsdag kl\. 13:00\)\n2\.\sdecember 2026 kl\. 11:00/);
    assert.match(status, /25\.\snovember 2026 kl\. 11:00\nSpørgsmål til mødet: sendt/);
  });

  it("When 'spørgsmål' starts a new thread, then it goes through the outbox and its record says sent", async () => {
    await send(channelMessage("spørgsmål resultater"));
    assert.equal(h.proactive.sent.length, 1);
    const [record] = await h.outbox.recentFor(groupPartition(CHANNEL), 5);
    assert.equal(record?.kind, "group-questions");
    assert.equal(record?.status, "sent");
    assert.equal(record?.lease, undefined, "a settled record holds no lease");
  });

  it("When Teams refuses the new thread, then the group gets its questions here, and the outbox records the refusal without retrying", async () => {
    await h.close();
    const refusing = new RecordingMessenger();
    refusing.send = () => Promise.reject(new DeliveryError(403, "Forbidden", undefined, "no new threads"));
    h = await createHarness({ clock: () => now, messenger: refusing });
    await send(channelMessage("spørgsmål resultater"));
    assert.match(cardText(cardContent(lastSent())), /Sammen styrker vi resultaterne/);
    const [record] = await h.outbox.recentFor(groupPartition(CHANNEL), 5);
    assert.equal(record?.status, "failed");
    assert.equal(record?.reason, "403 Forbidden");
    now = new Date(now.getTime() + 3_600_000);
    assert.deepEqual(await h.delivery.tick(), { sent: 0, retried: 0, failed: 0, handedOver: 0 });
    assert.equal((await h.conversations.sharedConversation(CHANNEL))?.active, true, "a refused thread leaves the group's conversation as it is");
  });

  it("When someone asks to reflect in a channel, then their 1:1 chat is opened through the outbox, in their own partition", async () => {
    await send(channelMessage("start"));
    const [opened] = h.proactive.sent;
    assert.equal(opened?.conversation.conversationType, "personal");
    assert.equal(opened?.conversation.aadObjectId, mette.aadObjectId);
    const [record] = await h.outbox.recentFor(`${mette.tenantId}|${mette.aadObjectId}`, 5);
    assert.equal(record?.kind, "private-chat");
    assert.equal(record?.status, "sent");
  });

  it("refuses settings that are not the card's choices", async () => {
    await send(channelMessage("opsæt"));
    await saveFrom(lastSent(), { groupRole: "kejser", themeFrequency: "daily" });
    assert.match(String(lastSent().text), /kunne ikke læses/);
    assert.deepEqual(await h.schedules.forOwner(groupPartition(CHANNEL)), []);
  });
});

describe("a group prompt through the real Connector client", () => {
  it("starts a new thread in the team channel with the bot's message", async () => {
    const connector = new FakeConnector();
    await connector.start();
    try {
      const messenger = new ConnectorMessenger(createAdapter(parseConfig({}).bot), "");
      const channel: StoredConversation = {
        channelId: "msteams", serviceUrl: connector.serviceUrl, conversationId: CHANNEL, conversationType: "channel",
        tenantId: mette.tenantId, botId: "28:bot", teamId: TEAM, channelIdInTeam: CHANNEL, active: true, updatedAt: "",
      };
      connector.respond = (call) => (call.path === "/v3/conversations" ? { status: 201, body: { id: `${CHANNEL};messageid=42`, activityId: "42" } } : { status: 200 });
      await messenger.send(channel, { newThread: true, text: "Spørgsmål til ledergruppen" });
      const [create] = connector.calls;
      assert.equal(create?.path, "/v3/conversations");
      const body = create!.body as { isGroup: boolean; channelData: { channel: { id: string } }; activity: { text: string } };
      assert.equal(body.isGroup, true);
      assert.equal(body.channelData.channel.id, CHANNEL);
      assert.equal(body.activity.text, "Spørgsmål til ledergruppen");
    } finally {
      await connector.stop();
    }
  });
});

describe("a 1:1 chat created through the real Connector client", () => {
  it("creates the conversation with the tenant in the parameters and channelData, then sends", async () => {
    const connector = new FakeConnector();
    await connector.start();
    try {
      connector.respond = (call) => (call.path === "/v3/conversations" ? { status: 201, body: { id: "a:1new-personal-chat" } } : { status: 200 });
      const messenger = new ConnectorMessenger(createAdapter(parseConfig({}).bot), "");
      await messenger.send(
        { channelId: "msteams", serviceUrl: connector.serviceUrl, conversationId: "", conversationType: "personal", tenantId: mette.tenantId, botId: "28:bot", userId: "29:mette", active: true, updatedAt: "" },
        { text: "Hej" },
      );
      const [create, send] = connector.calls;
      const body = create!.body as { isGroup: boolean; tenantId: string; channelData: { tenant: { id: string } }; members: Array<{ id: string }> };
      assert.deepEqual([create?.path, body.isGroup, body.tenantId, body.channelData.tenant.id, body.members[0]?.id], ["/v3/conversations", false, mette.tenantId, mette.tenantId, "29:mette"]);
      assert.equal(send?.conversationId, "a:1new-personal-chat");
      assert.equal(send?.body.text, "Hej");
    } finally {
      await connector.stop();
    }
  });
});
