import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { createHttpServer, type HttpServer } from "../../src/server";
import { silentLogger } from "../../src/kernel/log";
import { MeetingPanelPages } from "../../src/meetings/meetingPanelPages";
import { EntraSigningKeys } from "../../src/tabs/tabToken";
import { groupPartition } from "../../src/domain/group/partition";
import { fixtureJson, jonas, meetingActivity, MEETING_CHAT, mette, type TeamsUser } from "../support/activities";
import { FakeConnector } from "../support/fakeConnector";
import { FakeEntra } from "../support/fakeIdentity";
import { sharedStrictCosmos } from "../support/rootHooks";
import { cardContent, cardText, createHarness, findActions, inputValues, tickScheduler, type Harness } from "../support/teamsChat";

type Json = Record<string, unknown>;

const APP_ID = "8e0f5a83-0000-4000-8000-000000000000";
const RESOURCE = `api://bot.example/botid-${APP_ID}`;
const OTHER_TENANT = "22222222-2222-4222-8222-222222222222";
const OTHER_CHAT = "19:meeting_ANOTHERGROUPsMEETINGCHAT@thread.v2";
const gaest: TeamsUser = { aadObjectId: "00000000-0000-4000-8000-0000000000ee", tenantId: mette.tenantId, conversationId: "a:1personal-gaest", name: "Gæst Ude" };
const ole: TeamsUser = { aadObjectId: "00000000-0000-4000-8000-0000000000aa", tenantId: mette.tenantId, conversationId: "a:1personal-ole", name: "Ole Anden" };

/**
 * The meeting's side panel through the real HTTP server: a leader group in a Teams meeting's
 * chat run by the real bot (TestAdapter, Cosmos behind the strict double, a fake Bot Connector
 * with the chat's roster), and the panel's routes signed in with tokens from a local Entra.
 * The group's second meeting is on: its start card is in the chat, with the first meeting's
 * agreements open.
 */
describe("the leader group's meeting side panel over HTTP (real server, local Entra, the chat's bot beside it)", function () {
  this.timeout(60_000);
  const entra = new FakeEntra();
  let h: Harness;
  let connector: FakeConnector;
  let http: HttpServer;
  let base: string;
  let now: Date;

  before(() => entra.start());
  after(() => entra.stop());

  const send = (activity: Json) => h.adapter.processActivity(activity as Partial<Activity>);
  const turn = async (activity: Json) => {
    const before = h.adapter.sent.length;
    await send(activity);
    return h.adapter.sent.slice(before);
  };
  const say = (user: TeamsUser, text: string) => turn(meetingActivity("meeting-chat-message", user, { text: `<at>Lederrefleksion</at> ${text}`, serviceUrl: connector.serviceUrl }));
  const click = (user: TeamsUser, card: Partial<Activity>, title: string, inputs: Json = {}, which = 0) => {
    const content = cardContent(card);
    const action = findActions(content).filter((a) => a.title === title)[which];
    if (!action) throw new Error(`No button "${title}"; buttons: ${findActions(content).map((a) => a.title).join(", ")}`);
    return turn(meetingActivity("meeting-chat-message", user, { text: undefined, replyToId: card.id, value: { ...action.data, ...inputValues(content), ...inputs }, serviceUrl: connector.serviceUrl }));
  };
  const tick = (at: string) => tickScheduler(h, () => (now = new Date(at)));
  const event = (name: "meeting-start" | "meeting-end") => send(meetingActivity(name, mette, { serviceUrl: connector.serviceUrl }));
  const posted = (post: { message: { attachments?: readonly unknown[] } }, id: string): Partial<Activity> => ({ id, attachments: post.message.attachments as Activity["attachments"] });

  /** A Teams SSO token as Entra signs it for this app; `claims` override. */
  const token = (user: { aadObjectId: string; tenantId: string }, claims: Json = {}) =>
    entra.token({ iss: `${entra.authority}/${user.tenantId}/v2.0`, aud: RESOURCE, tid: user.tenantId, oid: user.aadObjectId, exp: Math.floor(now.getTime() / 1000) + 3600, ...claims });
  const panel = (bearer: string | undefined, chat = MEETING_CHAT, etag?: string) =>
    fetch(`${base}/moede/panel?chat=${encodeURIComponent(chat)}`, { headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(etag ? { "if-none-match": etag } : {}) } });
  const write = async (path: "status" | "aftaler", bearer: string | undefined, body: Json) => {
    const response = await fetch(`${base}/moede/${path}`, { method: "POST", headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: JSON.stringify({ chat: MEETING_CHAT, ...body }) });
    const text = await response.text();
    return { status: response.status, text, answer: response.headers.get("content-type")?.startsWith("application/json") ? String((JSON.parse(text) as Json).answer) : undefined };
  };
  const agreementsNow = async () => (await h.meetings.forGroup(groupPartition(MEETING_CHAT), new Date("9999-12-31T00:00:00.000Z"))).map((m) => m.agreements.map((a) => `${a.text}: ${a.status}`));
  /** The panel's form token and meeting, as the page has them. */
  const formOf = (html: string) => ({ token: /data-token="([^"]+)"/.exec(html)?.[1], meetingId: /<form id="aftaler" data-meeting="([^"]+)"/.exec(html)?.[1]?.replaceAll("&#124;", "|") });

  let startCard: { activityId: string; card: Partial<Activity> };
  let firstMeetingId: string;

  beforeEach(async () => {
    now = new Date("2026-11-30T08:00:00.000Z");
    h = await createHarness({ clock: () => now });
    connector = new FakeConnector();
    await connector.start();
    const members = fixtureJson("meeting-members");
    const roster = { ...members, members: [...(members.members as Json[]), { id: `29:${gaest.aadObjectId}`, name: gaest.name, aadObjectId: gaest.aadObjectId, tenantId: mette.tenantId, userRole: "guest" }] };
    connector.respond = (call) => {
      if (call.method === "GET" && call.path.startsWith("/v1/meetings/")) return { status: 200, body: fixtureJson("meeting-info") };
      if (call.method === "GET" && call.path.includes("/pagedmembers")) return { status: 200, body: roster };
      return { status: 200 };
    };
    http = createHttpServer({
      messages: async () => ({ status: 200 }),
      readiness: {},
      log: silentLogger,
      meetingPanel: new MeetingPanelPages({
        panel: h.meetingPanel,
        access: { kind: "entra", settings: { appId: APP_ID, resource: RESOURCE, allowedTenants: [], authority: entra.authority }, keys: new EntraSigningKeys(entra.authority) },
        clock: () => now,
        log: silentLogger,
      }),
    });
    base = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}`;

    // The group: set up weekly in the meeting's chat (Tuesdays 10–11); Teams' roster has a guest.
    const [setup] = await say(mette, "opsæt");
    await click(mette, setup!, "Gem opsætning", { meetingFrequency: "weekly" });
    // Another group, in another chat, with Ole on its roster.
    await h.store.containers.channels.items.create({
      id: "channel", pk: groupPartition(OTHER_CHAT), type: "channel",
      conversation: { conversationId: OTHER_CHAT, conversationType: "groupChat", tenantId: mette.tenantId, serviceUrl: connector.serviceUrl, botId: "28:bot", active: true },
      members: [{ id: `29:${ole.aadObjectId}`, aadObjectId: ole.aadObjectId, name: ole.name }], membersAt: now.toISOString(),
    });
    // The first meeting: two agreements saved in the chat.
    now = new Date("2026-12-01T10:02:40.000Z");
    await event("meeting-end");
    const [end] = await tick("2026-12-01T10:02:41.000Z");
    await click(mette, posted(end!, "first-end"), "Gem aftalerne", { text1: "Fælles sygefraværsopfølgning", who1: "Mette", due1: "2026-12-15", text2: "Del data om ventetider", who2: "Jonas" });
    firstMeetingId = (await h.meetings.forGroup(groupPartition(MEETING_CHAT), now))[0]!.id;
    // The second meeting is on: its start card, posted through the outbox.
    const [start] = await tick("2026-12-08T09:10:05.000Z");
    const sent = h.proactive.sent.find((p) => p.message === start!.message)!;
    startCard = { activityId: sent.activityId, card: posted(start!, sent.activityId) };
    now = new Date("2026-12-08T09:15:00.000Z");
  });
  afterEach(async () => {
    await http.close();
    await connector.stop();
    await h.close();
  });

  it("shows a member today's meeting, word for word as the start card, and lets them set a status and save the agreements", async () => {
    const response = await panel(token(mette));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-security-policy")?.includes("frame-ancestors 'self' https://teams.microsoft.com"), true);
    const html = await response.text();
    assert.match(html, /<h1 data-part="heading" data-meeting-id="[^"]+">Ledergruppens møde 8\.\sdecember 2026 kl\. 10:00<\/h1>/);
    // The theme and the group's questions, word for word as the start card in the chat has them (the framework's).
    const theme = /<h2 id="tema">([^<]+)<\/h2><h3>Spørgsmål til ledergruppen<\/h3><ol>(.*?)<\/ol>/.exec(html);
    const questions = [...(theme?.[2] ?? "").matchAll(/<li>([^<]+)<\/li>/g)].map((q) => q[1]!);
    const onTheCard = cardText(cardContent(startCard.card));
    assert.equal(theme?.[1], "Sammen skaber vi løsninger");
    assert.match(onTheCard, /Dagens refleksion: Sammen skaber vi løsninger/);
    assert.equal(questions.length, 3);
    for (const question of questions) assert.ok(onTheCard.includes(question), `the start card asks "${question}" too`);
    assert.match(html, /Fælles sygefraværsopfølgning<\/p><p class="muted">Ansvarlig: Mette · senest 15\.\sdecember 2026 · aftalt 1\.\sdecember 2026<\/p><p>Status: Ikke startet<\/p>/);
    assert.equal((html.match(/data-status="/g) ?? []).length, 6, "three status buttons for each of the two open agreements");
    assert.match(html, /<form id="aftaler"/);

    const set = await write("status", token(mette), { meetingId: firstMeetingId, agreementId: "a1", status: "inProgress" });
    assert.deepEqual([set.status, set.answer], [200, "»Fælles sygefraværsopfølgning« er nu markeret som i gang."]);
    const form = formOf(html);
    const saved = await write("aftaler", token(mette), { meetingId: form.meetingId, token: form.token, text1: "Ny aftale fra panelet", who1: "Alle" });
    assert.deepEqual([saved.status, saved.answer], [200, "1 aftale er gemt for hele gruppen. Den kommer med på kortet ved næste møde."]);
    assert.deepEqual(await agreementsNow(), [["Ny aftale fra panelet: notStarted"], ["Fælles sygefraværsopfølgning: inProgress", "Del data om ventetider: notStarted"]]);
  });

  it("shows a guest what the chat shows them, without buttons or the form, and refuses their writes as the chat does", async () => {
    const html = await (await panel(token(gaest))).text();
    assert.match(html, /Fælles sygefraværsopfølgning/);
    assert.match(html, /Som gæst i ledergruppen kan du læse med, men ikke ændre gruppens punkter, aftaler eller status\./);
    assert.doesNotMatch(html, /data-status=|<form/);
    const set = await write("status", token(gaest), { meetingId: firstMeetingId, agreementId: "a1", status: "done" });
    assert.deepEqual([set.status, set.answer], [403, "Som gæst i ledergruppen kan du læse med, men ikke ændre gruppens punkter, aftaler eller status."]);
    assert.deepEqual(await agreementsNow(), [[], ["Fælles sygefraværsopfølgning: notStarted", "Del data om ventetider: notStarted"]]);
  });

  it("gives nothing, and the same answer, to a former member, another group's member, another tenant, a forged chat id, a token for another app and no token", async () => {
    // Jonas leaves the chat: Teams says so, and the roster follows at once.
    await send(meetingActivity("meeting-chat-message", mette, { type: "conversationUpdate", text: undefined, membersRemoved: [{ id: `29:${jonas.aadObjectId}`, aadObjectId: jonas.aadObjectId }], serviceUrl: connector.serviceUrl }));
    const callers: Array<[string, string | undefined, string]> = [
      ["a former member", token(jonas), MEETING_CHAT],
      ["a member of another group", token(ole), MEETING_CHAT],
      ["a member of this group, with the other group's chat id", token(mette), OTHER_CHAT],
      ["Mette's object id in another tenant", token({ ...mette, tenantId: OTHER_TENANT }), MEETING_CHAT],
      ["a forged chat id", token(mette), "19:meeting_NOSUCHCHAT@thread.v2"],
      ["a chat id that is not Teams'", token(mette), "<script>"],
      ["a token for another app", token(mette, { aud: "api://bot.example/botid-00000000-dead-4000-8000-000000000000" }), MEETING_CHAT],
      ["a token signed by someone else", entra.token({ iss: `${entra.authority}/${mette.tenantId}/v2.0`, aud: RESOURCE, tid: mette.tenantId, oid: mette.aadObjectId, exp: Math.floor(now.getTime() / 1000) + 3600 }, { key: entra.foreignKey }), MEETING_CHAT],
      ["no token", undefined, MEETING_CHAT],
    ];
    const reference = await (await panel(undefined)).text();
    assert.match(reference, /Intet at vise/);
    for (const [who, bearer, chat] of callers) {
      const response = await panel(bearer, chat);
      assert.deepEqual([response.status, await response.text()], [404, reference], who);
      const refused = await fetch(`${base}/moede/status`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify({ chat, meetingId: firstMeetingId, agreementId: "a1", status: "done" }),
      });
      assert.deepEqual([refused.status, await refused.text()], [404, reference], `${who} (a status click)`);
    }
    assert.deepEqual(await agreementsNow(), [[], ["Fælles sygefraværsopfølgning: notStarted", "Del data om ventetider: notStarted"]], "nothing changed");
  });

  it("answers in the panel's own words where the chat's would send the reader to a card or to typing in the panel", async () => {
    const form = formOf(await (await panel(token(mette))).text());
    const answers = [
      (await write("status", token(mette), { meetingId: firstMeetingId, agreementId: "a9", status: "done" })).answer,
      (await write("aftaler", token(mette), { meetingId: form.meetingId, token: "an-old-form", text1: "Ny aftale", who1: "Alle" })).answer,
      (await write("aftaler", token(jonas), { meetingId: form.meetingId, token: form.token, text1: "Jonas' aftale", who1: "Jonas" })).answer,
      (await write("aftaler", token(mette), { meetingId: form.meetingId, token: form.token, text1: "Mettes aftale", who1: "Mette" })).answer,
    ];
    assert.deepEqual(answers, [
      "Panelet sendte noget, der ikke kunne læses, så intet er ændret. Luk panelet, og åbn det igen.",
      "Formularen hører til en ældre udgave af mødet, så intet er gemt. Luk panelet, og åbn det igen.",
      "1 aftale er gemt for hele gruppen. Den kommer med på kortet ved næste møde.",
      "Aftalerne fra dette møde er allerede gemt af Jonas Chef 8.\u00a0december 2026 kl. 10:15. De står her i panelet; skriv »aftaler« i chatten, hvis en af dem skal rettes.",
    ]);
  });

  it("on a day without a meeting, promises none: it says what shows here once the group's next meeting starts", async () => {
    now = new Date("2026-12-09T09:00:00.000Z");
    const html = await (await panel(token(mette))).text();
    assert.equal(html, `<h1 data-part="heading">Ledergruppens møde</h1><p data-part="none">Intet møde i dag endnu. Når ledergruppens næste møde starter, står temaet, spørgsmålene, jeres punkter og de åbne aftaler her.</p>`);
  });

  it("shows a status set in the panel on the chat's start card, and one set in the chat in the panel", async () => {
    const first = await panel(token(jonas));
    const etag = first.headers.get("etag")!;
    const html = await first.text();
    assert.match(html, /Status: Ikke startet/);
    const updatesBefore = h.proactive.updated.length;

    // The page says which agreement, not which meeting's cards show it: the server knows today's meeting.
    await write("status", token(jonas), { meetingId: firstMeetingId, agreementId: "a1", status: "inProgress" });
    const update = h.proactive.updated.slice(updatesBefore).find((u) => u.activityId === startCard.activityId);
    assert.ok(update, "the chat's start card was updated");
    assert.match(cardText(cardContent(posted(update, "x"))), /Fælles sygefraværsopfølgning[\s\S]*Status: I gang \(Jonas Chef, 8\.\sdecember 2026 kl\. 10:15\)/);

    // In the chat, on the card as it now stands, Mette marks it done: the panel's version moves, and it shows.
    const [done] = await click(mette, posted(update, startCard.activityId), "Gjort");
    assert.ok(done);
    const after = await panel(token(jonas), MEETING_CHAT, etag);
    assert.equal(after.status, 200, "a new version, not 304");
    assert.match(await after.text(), /<p>Status: Gjort \(Mette Leder, 8\.\sdecember 2026 kl\. 10:15\)<\/p>/);
  });

  it("saves the agreements once when two members save them at the same moment, and tells the second whose stand", async () => {
    const form = formOf(await (await panel(token(mette))).text());
    const [a, b] = await Promise.all([
      write("aftaler", token(mette), { meetingId: form.meetingId, token: form.token, text1: "Mettes udgave", who1: "Mette" }),
      write("aftaler", token(jonas), { meetingId: form.meetingId, token: form.token, text1: "Jonas' udgave", who1: "Jonas" }),
    ]);
    const answers = [a.answer, b.answer].sort();
    assert.match(answers[0]!, /^1 aftale er gemt for hele gruppen\./);
    assert.match(answers[1]!, /^Aftalerne fra dette møde er allerede gemt af (Mette Leder|Jonas Chef) 8\.\sdecember 2026 kl\. 10:15\./);
    const [today] = await agreementsNow();
    assert.equal(today!.length, 1, "one set of agreements");
    // The panel shows the saved agreements in place of the form, and the chat's own form says the same as the panel did.
    const html = await (await panel(token(mette))).text();
    assert.match(html, /data-state="saved"/);
    assert.doesNotMatch(html, /<form/);
  });

  it("applies an erasure: after 'slet mine data' the panel names the person no more, and shows them nothing until Teams lists them again", async () => {
    await write("status", token(jonas), { meetingId: firstMeetingId, agreementId: "a1", status: "inProgress" });
    assert.match(await (await panel(token(mette))).text(), /Status: I gang \(Jonas Chef, /);
    const jonasChat = h.chatAs(jonas);
    const [confirm] = await jonasChat.say("slet mine data");
    await jonasChat.click(confirm!, "Ja, slet alt");
    const html = await (await panel(token(mette))).text();
    assert.match(html, /Status: I gang \(en tidligere deltager, /);
    assert.doesNotMatch(html, /Jonas Chef/);
    assert.equal((await panel(token(jonas))).status, 404, "erased from the stored roster too");
  });

  it("answers an unchanged panel with 304 for one Cosmos point read beyond the roster's, and a change with the new version", async () => {
    const first = await panel(token(mette));
    const etag = first.headers.get("etag")!;
    assert.match(etag, /^"[A-Za-z0-9_-]{22}"$/);
    const strict = sharedStrictCosmos();
    const before = new Map(strict.requestsByKind);
    const again = await panel(token(mette), MEETING_CHAT, etag);
    assert.equal(again.status, 304);
    const used = [...strict.requestsByKind].map(([kind, n]) => [kind, n - (before.get(kind) ?? 0)] as const).filter(([, n]) => n > 0);
    assert.deepEqual(used, [["point read", 2]], "the group's document (who may see it) and the meetings' change marker");
    // A change anywhere in the group's meetings (here a status set in the chat) moves the version.
    await click(mette, startCard.card, "I gang");
    const beforeChange = new Map(strict.requestsByKind);
    assert.equal((await panel(token(mette), MEETING_CHAT, etag)).status, 200);
    const redrawn = [...strict.requestsByKind].map(([kind, n]) => [kind, n - (beforeChange.get(kind) ?? 0)] as const).filter(([, n]) => n > 0);
    const total = redrawn.reduce((sum, [, n]) => sum + n, 0);
    console.log(`      a 304 costs 2 point reads; a changed panel ${total} requests: ${redrawn.map(([kind, n]) => `${n} × ${kind}`).join(", ")}`);
    // Pages of the strict double's queries come short at random: the bound allows for a few.
    assert.ok(total <= 12, `a changed panel costs ${total} requests`);
  });
});
