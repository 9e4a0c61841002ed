import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { GraphClient } from "../../src/graph/graphClient";
import { GraphMemberDirectory } from "../../src/graph/memberRoles";

import { GroupDocuments } from "../../src/storage/groupDocuments";
import { jonas, mette, teamsActivity, type TeamsUser } from "../support/activities";
import { FakeGraph } from "../support/fakeGraph";
import { cardContent, cardText, createHarness, findActions, type Harness } from "../support/teamsChat";
import { groupPartition } from "../../src/domain/group/partition";

const CHANNEL = "19:ledergruppe@thread.tacv2";
const TEAM = "19:team-ledelse@thread.tacv2";
const TEAM_GROUP = "a0b1c2d3-0000-4000-8000-00000000aaaa";
const CHAT = "19:meeting_ledergruppe@thread.v2";
const guest: TeamsUser = { aadObjectId: "00000000-0000-4000-8000-0000000000ee", tenantId: mette.tenantId, conversationId: "x", name: "Gæst Ude" };

const settings = {
  groupRole: "leder-af-leder", themeFrequency: "off", themeWeekday: "1", themeTime: "09:00",
  meetingFrequency: "weekly", meetingWeekOfMonth: "1", meetingWeekday: "3", meetingTime: "13:00", leadHours: "2", themeMode: "drift",
};

function inChannel(user: TeamsUser, text: string | undefined, extra: Record<string, unknown> = {}) {
  return teamsActivity("personal-message", user, {
    text: text === undefined ? undefined : `<at>Lederrefleksion</at> ${text}`,
    conversation: { id: `${CHANNEL};messageid=1700000000001`, conversationType: "channel", tenantId: user.tenantId },
    channelData: { tenant: { id: user.tenantId }, team: { id: TEAM, aadGroupId: TEAM_GROUP }, channel: { id: CHANNEL } },
    ...extra,
  });
}

function inChat(user: TeamsUser, text: string | undefined, extra: Record<string, unknown> = {}) {
  return teamsActivity("personal-message", user, {
    text: text === undefined ? undefined : `<at>Lederrefleksion</at> ${text}`,
    conversation: { id: CHAT, conversationType: "groupChat", tenantId: user.tenantId, isGroup: true },
    channelData: { tenant: { id: user.tenantId } },
    ...extra,
  });
}

describe("who may change a group's automation (TestAdapter, embedded Cosmos, local Graph stand-in)", () => {
  let h: Harness;
  let graph: FakeGraph;
  let now: Date;

  beforeEach(async () => {
    graph = new FakeGraph();
    await graph.start();
    graph.members.set(TEAM_GROUP, [
      { userId: mette.aadObjectId, roles: ["owner"] },
      { userId: jonas.aadObjectId, roles: [] },
      { userId: guest.aadObjectId, roles: ["guest"] },
    ]);
    graph.members.set(CHAT, [
      { userId: mette.aadObjectId, roles: ["owner"] },
      { userId: jonas.aadObjectId, roles: ["owner"] },
      { userId: guest.aadObjectId, roles: ["guest"] },
    ]);
    now = new Date("2026-11-23T08:00:00.000Z");
    h = await createHarness({ clock: () => now, members: new GraphMemberDirectory(new GraphClient(graph.baseUrl, async () => "graph-token")) });
  });
  afterEach(async () => {
    await h.close();
    await graph.stop();
  });

  const send = (activity: Record<string, unknown>) => h.adapter.processActivity(activity as never);
  const lastSent = () => h.adapter.sent.at(-1)!;
  const openSettings = async (activity: Record<string, unknown>) => {
    await send(activity);
    return lastSent();
  };
  const save = (card: Partial<Activity>, as: (user: TeamsUser, text: undefined, extra: Record<string, unknown>) => Record<string, unknown>, user: TeamsUser, inputs = settings) => {
    const action = findActions(cardContent(card)).find((a) => a.title === "Gem opsætning")!;
    return send(as(user, undefined, { replyToId: card.id, value: { ...action.data, ...inputs } }));
  };
  const stored = () => new GroupDocuments(h.store.containers.channels).read(groupPartition(CHANNEL));

  it("lets a team owner save the settings, and status shows who changed them and when", async () => {
    const card = await openSettings(inChannel(mette, "opsæt"));
    await save(card, inChannel, mette);
    assert.match(String(lastSent().text), /Opsætningen er gemt/);
    assert.equal((await stored())?.settings?.meetingWeekday, 3);
    assert.equal(graph.requests[0]?.authorization, "Bearer graph-token");

    await send(inChannel(mette, "status"));
    assert.match(cardText(cardContent(lastSent())), /Sidst ændret af Mette Leder 23\.\snovember 2026 kl\. 09:00\./);
  });

  it("refuses a member who is not an owner, and changes nothing", async () => {
    const card = await openSettings(inChannel(jonas, "opsæt"));
    await save(card, inChannel, jonas);
    assert.match(String(lastSent().text), /Kun teamets ejere/);
    assert.equal((await stored())?.settings, undefined);
  });

  it("never lets a guest save, even with a genuine card", async () => {
    const card = await openSettings(inChannel(mette, "opsæt"));
    await save(card, inChannel, guest);
    assert.match(String(lastSent().text), /Gæster kan ikke ændre/);
    assert.equal((await stored())?.settings, undefined);
  });

  it("refuses to decide when Graph cannot answer, and says so", async () => {
    const card = await openSettings(inChannel(mette, "opsæt"));
    graph.failWith = 503;
    await save(card, inChannel, mette);
    assert.match(String(lastSent().text), /kunne ikke bekræfte/);
    assert.equal((await stored())?.settings, undefined);
  });

  it("refuses an old settings card once newer settings were saved: 'Dette kort er forældet'", async () => {
    const older = await openSettings(inChannel(mette, "opsæt"));
    const newer = await openSettings(inChannel(mette, "opsæt"));
    await save(newer, inChannel, mette, { ...settings, meetingTime: "14:00" });
    await save(older, inChannel, mette, { ...settings, meetingTime: "08:00" });
    assert.match(String(lastSent().text), /Dette kort er forældet/);
    assert.equal((await stored())?.settings?.meetingTime, "14:00");
  });

  it("answers a second click on the same card with 'allerede besvaret' and a forged submit likewise", async () => {
    const card = await openSettings(inChannel(mette, "opsæt"));
    await save(card, inChannel, mette);
    await save(card, inChannel, mette, { ...settings, meetingTime: "08:00" });
    assert.match(String(lastSent().text), /allerede besvaret|forældet/);
    await send(inChannel(mette, undefined, { value: { verb: "saveChannelSettings", token: "guessed", settingsETag: "none", ...settings, meetingTime: "08:00" } }));
    assert.match(String(lastSent().text), /allerede besvaret/);
    assert.equal((await stored())?.settings?.meetingTime, "13:00");
  });

  it("in a group chat, lets the person who set it up and the people they named change it, and no one else", async () => {
    const card = await openSettings(inChat(mette, "opsæt"));
    assert.ok(findActions(cardContent(card)).length > 0);
    await save(card, inChat, mette);
    assert.match(String(lastSent().text), /Opsætningen er gemt/);

    const jonasCard = await openSettings(inChat(jonas, "opsæt"));
    await save(jonasCard, inChat, jonas, { ...settings, meetingTime: "08:00" });
    assert.match(String(lastSent().text), /Kun den, der satte gruppen op/);

    const metteCard = await openSettings(inChat(mette, "opsæt"));
    await save(metteCard, inChat, mette, { ...settings, stewards: jonas.aadObjectId } as typeof settings);
    const namedCard = await openSettings(inChat(jonas, "opsæt"));
    await save(namedCard, inChat, jonas, { ...settings, meetingTime: "08:00" });
    assert.match(String(lastSent().text), /Opsætningen er gemt/);

    const guestCard = await openSettings(inChat(guest, "opsæt"));
    await save(guestCard, inChat, guest);
    assert.match(String(lastSent().text), /Gæster kan ikke ændre/);
  });
});

describe("a group's time zone and on-demand questions (TestAdapter, embedded Cosmos)", () => {
  let h: Harness;
  let now: Date;
  beforeEach(async () => {
    now = new Date("2026-11-23T08:00:00.000Z");
    h = await createHarness({ clock: () => now });
  });
  afterEach(() => h.close());
  const send = (activity: Record<string, unknown>) => h.adapter.processActivity(activity as never);
  const lastSent = () => h.adapter.sent.at(-1)!;

  it("cannot be broken by a bad time zone from the client: it falls back to Copenhagen", async () => {
    await send(inChannel(mette, "opsæt", { localTimezone: "Mars/Olympus_Mons" }));
    const card = lastSent();
    const action = findActions(cardContent(card)).find((a) => a.title === "Gem opsætning")!;
    await send(inChannel(mette, undefined, { localTimezone: "Mars/Olympus_Mons", replyToId: card.id, value: { ...action.data, ...settings } }));
    const document = await new GroupDocuments(h.store.containers.channels).read(groupPartition(CHANNEL));
    assert.equal(document?.settings?.timezone, "Europe/Copenhagen");
    await send(inChannel(mette, "spørgsmål"));
    await send(inChannel(mette, "opsæt", { localTimezone: "Not/AZone" }));
    assert.match(cardText(cardContent(lastSent())), /Møde 25\.\snovember 2026 kl\. 13:00/);
  });

  it("repairs a bad zone already stored, so 'opsæt' and 'spørgsmål' work again", async () => {
    const documents = new GroupDocuments(h.store.containers.channels);
    await send(inChannel(mette, "status"));
    const pk = groupPartition(CHANNEL);
    const current = await documents.read(pk);
    await documents.writeIfUnchanged(current, {
      ...current!,
      settings: { roleId: "leder-af-leder", themeFrequency: "weekly", themeWeekday: 1, themeTime: "09:00", meetingFrequency: "off", meetingWeekday: 2, meetingWeekOfMonth: 2, meetingTime: "10:00", leadHours: 24, themeMode: "rotate", timezone: "Bad/Zone" },
    });
    await send(inChannel(mette, "opsæt"));
    assert.match(cardText(cardContent(lastSent())), /Ugens tema 30\.\snovember 2026 kl\. 09:00/);
    await send(inChannel(mette, "spørgsmål 1"));
    assert.equal(h.proactive.sent.length, 1);
    assert.equal((await documents.read(pk))?.settings?.timezone, "Europe/Copenhagen");
  });

  it("posts a theme's questions at most once per ten minutes in a channel, other themes still", async () => {
    await send(inChannel(mette, "spørgsmål 1"));
    await send(inChannel(jonas, "spørgsmål 1"));
    assert.match(String(lastSent().text), /lige blevet stillet her\. Prøv igen om 10 minutter/);
    await send(inChannel(mette, "spørgsmål 2"));
    assert.equal(h.proactive.sent.length, 2);
    now = new Date(now.getTime() + 10 * 60_000 + 1000);
    await send(inChannel(mette, "spørgsmål 1"));
    assert.equal(h.proactive.sent.length, 3);
  });
});
