import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { fixtureJson, meetingActivity, MEETING_CHAT, mette, teamsActivity, type TeamsUser } from "../support/activities";
import { FakeConnector } from "../support/fakeConnector";
import { sharedStrictCosmos } from "../support/rootHooks";
import { cardText, createHarness, tickScheduler, type Harness } from "../support/teamsChat";
import { groupPartition } from "../../src/domain/group/partition";
import { exportMarkdown } from "../../src/cards/exportDocument";
import { asTenantId, asUserId } from "../../src/domain/ids";
import { pulseLedgerPartition } from "../../src/domain/group/pulse";

type Json = Record<string, unknown>;

/** How many times each race below is run: enough that both orders, and the close in the middle of the answers, happen. */
const RACES = 20;

const TENANT = mette.tenantId;
const TEAM_CHAT = "19:team-chat-mette@thread.v2";
const OTHER_CHAT = "19:another-team@thread.v2";
/** Mette's team: seven members besides her. */
const team: TeamsUser[] = Array.from({ length: 7 }, (_, i) => ({
  aadObjectId: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, "0")}`,
  tenantId: TENANT,
  conversationId: `a:1personal-team-${i}`,
  name: `Medarbejder ${i + 1}`,
}));
const guest: TeamsUser = { aadObjectId: "00000000-0000-4000-8000-000000000999", tenantId: TENANT, conversationId: "a:1guest", name: "Gæst Udefra" };
const member = (u: TeamsUser, role = "user") => ({ id: `29:${u.aadObjectId}`, name: u.name, aadObjectId: u.aadObjectId, userRole: role });

/**
 * Vi-pulsen for a leader's own team, as Teams drives it: "@Lederrefleksion puls" in the team's
 * chat, members answering with Action.Execute (an "adaptiveCard/action" invoke, answered with a
 * card for them alone), the close on its schedule or by the leader, and the result in the
 * leader's 1:1 chat. The real bot on a TestAdapter, Cosmos behind the strict double, a fake
 * Bot Connector serving the chat's roster.
 */
describe("Vi-pulsen for a leader's team (TestAdapter, strict Cosmos double, fake Connector)", () => {
  let h: Harness;
  let connector: FakeConnector;
  let now: Date;
  const rosters: Record<string, Json[]> = {};

  beforeEach(async () => {
    now = new Date("2026-11-30T08:00:00.000Z");
    h = await createHarness({ clock: () => now });
    connector = new FakeConnector();
    await connector.start();
    rosters[TEAM_CHAT] = [member(mette), ...team.map((u) => member(u)), member(guest, "guest")];
    rosters[OTHER_CHAT] = [member(mette), ...team.slice(0, 5).map((u) => member(u))];
    connector.respond = (call) => {
      const roster = Object.entries(rosters).find(([chat]) => call.path.startsWith(`/v3/conversations/${encodeURIComponent(chat)}/pagedmembers`));
      return roster ? { status: 200, body: { members: roster[1] } } : { status: 200 };
    };
  });
  afterEach(async () => {
    await connector.stop();
    await h.close();
  });

  const inChat = (user: TeamsUser, overrides: Json, chat = TEAM_CHAT) =>
    meetingActivity("meeting-chat-message", user, {
      serviceUrl: connector.serviceUrl,
      conversation: { isGroup: true, conversationType: "groupChat", id: chat, tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      ...overrides,
    });
  /** One turn on an instance (this test's bot unless said), and only its own replies (they answer its id), so turns can run at once. */
  const turn = async (activity: Json, on: Harness = h) => {
    await on.adapter.processActivity(activity as Partial<Activity>);
    return on.adapter.sent.filter((r) => r.replyToId === activity.id);
  };
  const say = async (user: TeamsUser, text: string, chat = TEAM_CHAT, on: Harness = h) => turn(inChat(user, { text: `<at>Lederrefleksion</at> ${text}` }, chat), on);
  const texts = (replies: Array<Partial<Activity>>) => replies.map((r) => r.text ?? "").join("\n");
  /** An Action.Execute click: Teams sends the button's data merged with the card's inputs. */
  const execute = async (user: TeamsUser, verb: string, data: Json, chat = TEAM_CHAT) => {
    const replies = await turn(inChat(user, { type: "invoke", name: "adaptiveCard/action", text: undefined, value: { action: { type: "Action.Execute", verb, data: { ...data, verb } } } }, chat));
    const invoke = replies.find((r) => r.type === "invokeResponse")?.value as { status: number; body: { type: string; value: unknown } } | undefined;
    assert.ok(invoke, `${verb}: answered in the invoke's response`);
    assert.equal(invoke.status, 200);
    return invoke.body.type === "application/vnd.microsoft.card.adaptive" ? { card: cardText(invoke.body.value as Json), content: invoke.body.value as Json } : { text: String(invoke.body.value) };
  };
  const statementIds = () => h.pulses.statements("drift").map((s) => s.id);
  const ratingsOf = (values: number[]) => Object.fromEntries(statementIds().map((id, i) => [`pulse:${id}`, String(values[i % values.length])]));

  /** Mette, with the app in her 1:1 chat, asks her team's chat for a pulse on "drift". */
  async function askTeam(chat = TEAM_CHAT): Promise<string> {
    const replies = await say(mette, "puls drift", chat);
    const card = replies.find((r) => r.attachments?.length);
    assert.ok(card, texts(replies));
    const content = card.attachments![0]!.content as Json;
    assert.match(cardText(content), /Vi-pulsen: Sammen sikrer vi driften\nMette Leder vil gerne høre, hvordan I ser 3 udsagn fra ledelsesgrundlaget/);
    assert.match(cardText(content), /Din leder ser kun samlede tal, og kun når mindst 5 har svaret\. Ingen kan se, hvad du har svaret\./);
    // The result comes to the leader's 1:1 chat, and the reply in the team's chat says so.
    assert.match(texts(replies), /Pulsen om »Sammen sikrer vi driften« er sendt\. .*Du får resultatet i din private chat med mig, når mindst 5 har svaret\./);
    return /"pulseId":"([^"]+)"/.exec(JSON.stringify(content))![1]!;
  }
  const answer = (user: TeamsUser, pulseId: string, values: number[], chat = TEAM_CHAT) => execute(user, "answerPulse", { pulseId, groupId: chat, ...ratingsOf(values) }, chat);
  /** What the pulse's partition holds now, as stored. */
  const stored = async (chat = TEAM_CHAT) => {
    const { resources } = await h.store.containers.channels.items.query({ query: "SELECT * FROM c WHERE c.pk = @pk AND (c.type = 'pulse' OR c.type = 'pulseAnswer')", parameters: [{ name: "@pk", value: groupPartition(chat) }] }).fetchAll();
    return resources as Json[];
  };
  const resultSentToMette = () => h.proactive.sent.filter((p) => p.conversation.conversationId === mette.conversationId && JSON.stringify(p.message).includes("Dit teams Vi-puls"));
  async function withMetteInstalled() {
    const chat = h.chatAs(mette);
    await chat.install();
    await chat.click(chat.lastCard(), "Vælg rolle", { roleId: "leder-af-leder" });
    await chat.say("annuller");
    return chat;
  }
  async function closeOnSchedule() {
    now = new Date(now.getTime() + 8 * 86_400_000);
    await h.scheduler.tick();
    await h.delivery.tick();
  }

  it("shows nothing with 4 answers: the leader learns only how many answered, and the closed pulse keeps no id, name or mark", async () => {
    await withMetteInstalled();
    const pulseId = await askTeam();
    for (const u of team.slice(0, 4)) assert.match((await answer(u, pulseId, [4, 3, 5])).card ?? "", /Tak – dit svar er gemt[\s\S]*Dit svar \(kun du ser det\)/);
    await closeOnSchedule();
    const [result] = resultSentToMette();
    assert.match(JSON.stringify(result?.message), /4 svarede\. Resultatet vises kun fra 5 svar, så ingen kan genkendes; svarene er slettet\./);
    assert.doesNotMatch(JSON.stringify(result?.message), /▇|Gennemsnit/);

    const documents = await stored();
    assert.deepEqual(documents.map((d) => d.type), ["pulse"], "the answers are gone");
    const text = JSON.stringify(documents);
    for (const u of [mette, ...team]) assert.ok(!text.includes(u.aadObjectId), `${u.name}'s id is not in the closed pulse`);
    assert.doesNotMatch(text, /Medarbejder|Mette/);
    assert.equal(documents[0]!.eligible, undefined);
    assert.equal(documents[0]!.requestedBy, undefined);
    assert.equal(documents[0]!.counts, undefined, "a hidden result keeps no counts at all");
    assert.equal(documents[0]!.answered, 4);
    await h.scheduler.tick();
    assert.deepEqual(Object.keys((await h.buckets.read(TENANT, "2026-Q4"))?.counts ?? {}).filter((k) => k.startsWith("V|")), [], "a hidden result adds nothing to Indsigt");
  });

  it("keeps the team's roster on its chat's document only while the pulse is open: once it closes, no name or id of the team is left there", async () => {
    await withMetteInstalled();
    const pulseId = await askTeam();
    const groupDocument = async () => (await h.store.containers.channels.item("channel", groupPartition(TEAM_CHAT)).read<Json>()).resource;
    const whileOpen = JSON.stringify(await groupDocument());
    assert.ok(team.every((u) => whileOpen.includes(u.aadObjectId)), "while open, the roster says who may still answer");
    for (const u of team.slice(0, 5)) await answer(u, pulseId, [4, 4, 4]);
    await closeOnSchedule();
    const closed = await groupDocument();
    assert.ok(closed, "the chat's document stays");
    assert.equal(closed.members, undefined);
    assert.equal(closed.membersAt, undefined);
    for (const u of [...team, guest]) assert.ok(!JSON.stringify(closed).includes(u.aadObjectId), `${u.name}'s id has left the chat's document`);
    assert.doesNotMatch(JSON.stringify(closed), /Medarbejder|Gæst Udefra/);
  });

  it("shows the distribution from the 5th answer, beside the leader's own rating, which does not count", async () => {
    const metteChat = await withMetteInstalled();
    const pulseId = await askTeam();
    // Mette rates the same statements herself: kept in her record, not counted with the team's.
    assert.match((await execute(mette, "openPulse", { pulseId, groupId: TEAM_CHAT })).card ?? "", /Hvor godt passer det på os lige nu\?/);
    assert.match((await answer(mette, pulseId, [4])).card ?? "", /Din egen vurdering er gemt[\s\S]*tæller ikke med i teamets tal/);
    const values = [[2, 3, 1], [2, 4, 5], [3, 4, 1], [3, 4, 5], [5, 4, 0]];
    for (const [i, u] of team.slice(0, 5).entries()) await answer(u, pulseId, values[i]!);
    assert.match(texts(await say(mette, "puls luk")), /Pulsen er lukket\. 5 personer svarede/);
    await h.delivery.tick();
    const [result] = resultSentToMette();
    const shown = cardText(result!.message.attachments![0]!.content as Json);
    assert.match(shown, /^Dit teams Vi-puls: Sammen sikrer vi driften\n5 personer svarede \(lukket 30\.\snovember 2026\)\./);
    // Statement 1: 2, 2, 3, 3, 5 → 3,0; statement 2: four 4s and a 3 → 3,8; statement 3: 1, 5, 1, 5 and a "Ved ikke": 4 ratings, too few.
    assert.match(shown, /Dit team: 3,0 · Dig: 4\n1  ·{10}  0\n2  █{10}  2\n3  █{10}  2\n4  ·{10}  0\n5  █{5}·{5}  1\nGennemsnit 3,0 \(5 vurderinger\)/);
    assert.match(shown, /Dig: 4\nFærre end 5 gav en vurdering – for få til at vise\./);
    assert.match(shown, /Her ser I forskelligt på det – tal om hvorfor: »Vi har tydelig ansvarsfordeling/);
    assert.match(shown, /Dit team: 3,8 · Dig: 4/);
    assert.match(shown, /Færre end 5 gav en vurdering – for få til at vise\./);

    // Indsigt gets what the leader saw: the result's counts, without the statement too few rated, and without Mette's own rating.
    await h.insight.tally();
    const [s1, s2, s3] = statementIds();
    const pulseCounts = Object.fromEntries(Object.entries((await h.buckets.read(TENANT, "2026-Q4"))?.counts ?? {}).filter(([k]) => k.startsWith("V|")));
    assert.deepEqual(pulseCounts, {
      "V|drift|pulses": 1, "V|drift|answers": 5,
      [`V|drift|${s1}|2`]: 2, [`V|drift|${s1}|3`]: 2, [`V|drift|${s1}|5`]: 1,
      [`V|drift|${s2}|3`]: 1, [`V|drift|${s2}|4`]: 4,
    });
    assert.ok(!Object.keys(pulseCounts).some((k) => k.includes(s3!)));

    // The next reflection on the theme opens with the team's result beside her own rating.
    await metteChat.say("start");
    // "Sammen sikrer vi driften" is the first theme on the card.
    await metteChat.click(metteChat.lastCard(), "Vælg tema");
    const statements = cardText((metteChat.lastCard().attachments![0]!.content as Json));
    assert.match(statements, /Dit teams Vi-puls \(lukket 30\.\snovember 2026\) ved siden af din egen vurdering:\n• Vi har tydelig ansvarsfordeling[^\n]*\nDit team: 3,0 · Dig: 4/);

    // "udvikling" has it beside her own ratings, in numbers.
    await metteChat.say("annuller");
    const [progress] = await metteChat.say("udvikling");
    assert.match(cardText(progress!.attachments![0]!.content as Json), /Sammen sikrer vi driften[\s\S]*Dit teams Vi-puls [^:]+: 3,4 i snit \(5 svar\) · din egen vurdering: 4,0/);

    // Her export has the pulse: her own rating and the team's counts, nobody's answer.
    const exported = await h.exports.collect({ tenantId: asTenantId(TENANT), userId: asUserId(mette.aadObjectId) });
    assert.match(exportMarkdown(exported), /## Vi-pulser, du har sendt til dit team\n\n- [^\n]*»Sammen sikrer vi driften«[^\n]*5 svar \(tallene står i filen med alle dine data\)/);
    assert.deepEqual(exported.teamPulses[0]?.self, Object.fromEntries(statementIds().map((id) => [id, 4])));

    // One pulse per team per theme per 30 days.
    assert.match(texts(await say(mette, "puls drift")), /Der har været en puls om »Sammen sikrer vi driften« her inden for 30 dage\. Den næste kan sendes fra 30\.\sdecember 2026/);
  });

  it("counts a member once: a changed answer replaces the first, a repeated one changes nothing", async () => {
    await withMetteInstalled();
    const pulseId = await askTeam();
    await answer(team[0]!, pulseId, [1]);
    await answer(team[0]!, pulseId, [5]);
    await answer(team[0]!, pulseId, [5]);
    const reopened = await execute(team[0]!, "openPulse", { pulseId, groupId: TEAM_CHAT });
    assert.match(JSON.stringify(reopened.content), /"id":"pulse:drift\.faelles\.1"[^}]*"value":"5"/, "the card shows their own choice again, to them");
    for (const u of team.slice(1, 5)) await answer(u, pulseId, [1]);
    assert.equal((await stored()).filter((d) => d.type === "pulseAnswer").length, 5);
    await closeOnSchedule();
    const [pulse] = await stored();
    assert.deepEqual((pulse!.counts as Record<string, number[]>)[statementIds()[0]!], [0, 4, 0, 0, 0, 1], "four 1s and one 5: the 1 that was changed is gone");
  });

  it("refuses a guest, someone outside the team, a member who left, a forged pulse and a closed one, each in words", async () => {
    await withMetteInstalled();
    const pulseId = await askTeam();
    assert.match((await answer(guest, pulseId, [3])).text ?? "", /gæst/);
    const outsider = { ...team[0]!, aadObjectId: "00000000-0000-4000-8000-000000000777", name: "Ole Udenfor" };
    assert.match((await answer(outsider, pulseId, [3])).text ?? "", /ikke med i gruppen/);
    // Teams says a member left: they answer no more.
    await turn(inChat(team[6]!, { type: "conversationUpdate", text: undefined, membersRemoved: [{ id: `29:${team[6]!.aadObjectId}`, aadObjectId: team[6]!.aadObjectId }] }));
    assert.match((await answer(team[6]!, pulseId, [3])).text ?? "", /ikke med i gruppen/);
    assert.match((await answer(team[0]!, "made-up-pulse-id", [3])).text ?? "", /kan ikke finde den puls/);
    assert.match((await execute(team[0]!, "answerPulse", { pulseId, groupId: TEAM_CHAT, [`pulse:${statementIds()[0]}`]: "7" })).text ?? "", /Vælg en vurdering ved hvert udsagn/);
    // The same card clicked in another chat looks in that chat's partition.
    assert.match((await answer(team[0]!, pulseId, [3], OTHER_CHAT)).text ?? "", /kan ikke finde den puls/);
    await closeOnSchedule();
    assert.match((await answer(team[0]!, pulseId, [3])).text ?? "", /Pulsen er lukket/);
    assert.equal((await stored()).filter((d) => d.type === "pulseAnswer").length, 0);
  });

  it("hides a result whose roster overlaps another shown on the theme within 30 days (the differencing rule)", async () => {
    await withMetteInstalled();
    const first = await askTeam();
    for (const u of team.slice(0, 5)) await answer(u, first, [4]);
    await closeOnSchedule();
    assert.equal(resultSentToMette().length, 1);
    assert.equal((await h.store.containers.channels.items.query({ query: "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'pulseRoster'", parameters: [{ name: "@pk", value: pulseLedgerPartition(TENANT, "drift") }] }).fetchAll()).resources.length, 1, "the roster behind a shown result is kept for the window");
    // Another chat with five of the same people, on the same theme, within 30 days.
    rosters[OTHER_CHAT] = [member(mette), ...team.slice(0, 5).map((u) => member(u)), member({ ...team[0]!, aadObjectId: "00000000-0000-4000-8000-000000000555", name: "Ny" })];
    const second = await askTeam(OTHER_CHAT);
    for (const u of team.slice(0, 5)) await answer(u, second, [2], OTHER_CHAT);
    await closeOnSchedule();
    const results = resultSentToMette();
    assert.equal(results.length, 2);
    assert.match(JSON.stringify(results[1]!.message), /nogle af jer var også med i en anden puls om samme tema inden for 30 dage/);
    assert.doesNotMatch(JSON.stringify(results[1]!.message), /Gennemsnit/);
  });

  it("takes an open answer out when the member erases their data; the closed counts stay without them", async () => {
    await withMetteInstalled();
    const pulseId = await askTeam();
    const memberChat = h.chatAs(team[0]!);
    await memberChat.install();
    await answer(team[0]!, pulseId, [2]);
    const [confirm] = await memberChat.say("slet mine data");
    const receipt = await memberChat.click(confirm!, "Ja, slet alt");
    assert.match(texts(receipt), /1 svar på en åben Vi-puls er slettet/);
    const left = await stored();
    assert.deepEqual(left.map((d) => d.type), ["pulse"]);
    assert.equal((left[0]!.eligible as string[]).length, 6, "their mark leaves the roster of the open pulse");
  });

  it("counts each answer once when two instances take the clicks and both close the pulse", async () => {
    await withMetteInstalled();
    const pulseId = await askTeam();
    const other = await createHarness({ database: h.database, clock: () => now });
    let sentByOther = 0;
    try {
      const viaOther = (u: TeamsUser, values: number[]) =>
        other.adapter.processActivity(inChat(u, { type: "invoke", name: "adaptiveCard/action", text: undefined, value: { action: { type: "Action.Execute", verb: "answerPulse", data: { verb: "answerPulse", pulseId, groupId: TEAM_CHAT, ...ratingsOf(values) } } } }) as Partial<Activity>);
      await Promise.all(team.slice(0, 6).map((u, i) => (i % 2 ? answer(u, pulseId, [3]) : viaOther(u, [3]))));
      await Promise.all(team.slice(0, 6).map((u, i) => (i % 2 ? viaOther(u, [4]) : answer(u, pulseId, [4]))));
      now = new Date(now.getTime() + 8 * 86_400_000);
      await Promise.all([h.scheduler.tick(), other.scheduler.tick(), h.pulseClosing.close(groupPartition(TEAM_CHAT), pulseId), other.pulseClosing.close(groupPartition(TEAM_CHAT), pulseId)]);
      await Promise.all([h.delivery.tick(), other.delivery.tick()]);
      sentByOther = other.proactive.sent.filter((p) => JSON.stringify(p.message).includes("Dit teams Vi-puls")).length;
    } finally {
      await other.close();
    }
    const [pulse] = await stored();
    assert.equal(pulse!.answered, 6);
    assert.deepEqual((pulse!.counts as Record<string, number[]>)[statementIds()[0]!], [0, 0, 0, 0, 6, 0]);
    assert.equal(resultSentToMette().length + sentByOther, 1, "the leader gets the result once");
  });

  /** A few milliseconds of random latency per Cosmos request while `body` runs, so concurrent turns interleave differently each time, as over the network. */
  async function withJitter<T>(body: () => Promise<T>): Promise<T> {
    const cosmos = sharedStrictCosmos();
    cosmos.latencyMs = () => Math.floor(Math.random() * 6);
    try {
      return await body();
    } finally {
      cosmos.latencyMs = () => 0;
    }
  }

  it("thanks and stores each of 40 answers clicked at the same moment", async () => {
    const many: TeamsUser[] = Array.from({ length: 40 }, (_, i) => ({ aadObjectId: `00000000-0000-4000-8000-0000000003${String(i).padStart(2, "0")}`, tenantId: TENANT, conversationId: `a:1personal-many-${i}`, name: `Medarbejder ${i + 10}` }));
    rosters[TEAM_CHAT] = [member(mette), ...many.map((u) => member(u))];
    const pulseId = await askTeam();
    // Every answer is written with its gate unchanged: sixteen gates, so 40 at once seldom wait for each other, and never give up.
    const replies = await withJitter(() => Promise.all(many.map((u) => answer(u, pulseId, [3]))));
    assert.equal(replies.filter((r) => /Tak – dit svar er gemt/.test(r.card ?? "")).length, 40);
    assert.equal((await stored()).filter((d) => d.type === "pulseAnswer").length, 40);
  });

  it(`never shows both of two overlapping pulses closed at the same moment on two instances, in ${RACES} races`, async () => {
    // Channel A: Mette and five members. Group chat B: the same people and one more, X.
    const x = team[5]!;
    rosters[OTHER_CHAT] = [member(mette), ...team.slice(0, 5).map((u) => member(u))];
    rosters[TEAM_CHAT] = [member(mette), ...team.slice(0, 5).map((u) => member(u)), member(x)];
    const other = await createHarness({ database: h.database, clock: () => now });
    const outcomes = { aShown: 0, bShown: 0 };
    try {
      await withJitter(async () => {
        for (let race = 0; race < RACES; race += 1) {
          // A month apart, so neither the one-pulse-per-30-days rule nor the last race's results stand in the way.
          now = new Date(Date.parse("2026-11-30T08:00:00.000Z") + race * 31 * 86_400_000);
          const a = await askTeam(OTHER_CHAT);
          const b = await askTeam(TEAM_CHAT);
          await Promise.all([
            ...team.slice(0, 5).map((u) => answer(u, a, [4], OTHER_CHAT)),
            ...team.slice(0, 5).map((u) => answer(u, b, [4], TEAM_CHAT)),
            answer(x, b, [1], TEAM_CHAT),
          ]);
          // The leader closes both at once, each on another instance.
          await Promise.all([say(mette, "puls luk", OTHER_CHAT, h), say(mette, "puls luk", TEAM_CHAT, other)]);
          const [inA] = (await stored(OTHER_CHAT)).filter((d) => d.pulseId === a);
          const [inB] = (await stored(TEAM_CHAT)).filter((d) => d.pulseId === b);
          assert.equal(inA?.status, "closed");
          assert.equal(inB?.status, "closed");
          assert.ok(!(inA!.shown && inB!.shown), `race ${race}: both shown, and their difference is X's answers`);
          assert.equal(Number(inA!.shown) + Number(inB!.shown), 1, `race ${race}: one of them shows, the other is hidden for the overlap`);
          assert.equal((inA!.shown ? inB : inA)!.hiddenBecause, "overlap");
          outcomes.aShown += Number(inA!.shown);
          outcomes.bShown += Number(inB!.shown);
        }
      });
    } finally {
      await other.close();
    }
    process.stdout.write(`      ${RACES} races: A shown ${outcomes.aShown} times, B shown ${outcomes.bShown} times, never both\n`);
  }).timeout(120_000);

  it(`either counts an answer or refuses it in words when six answer while "puls luk" runs, in ${RACES} races`, async () => {
    const outcomes = { counted: 0, refused: 0 };
    await withJitter(async () => {
      for (let race = 0; race < RACES; race += 1) {
        now = new Date(Date.parse("2026-11-30T08:00:00.000Z") + race * 31 * 86_400_000);
        const pulseId = await askTeam();
        // The close starts with the answers, or once the first one, two or three of them came back.
        const closeAfter = race % 4;
        let back = 0;
        let startClose = () => {};
        const closeStarts = new Promise<void>((resolve) => (startClose = resolve));
        if (closeAfter === 0) startClose();
        const answering = team.slice(0, 6).map((u) =>
          answer(u, pulseId, [3]).then((reply) => {
            if ((back += 1) === closeAfter) startClose();
            return reply;
          }),
        );
        const [closing, ...answers] = await Promise.all([closeStarts.then(() => say(mette, "puls luk")), ...answering]);
        let thanked = 0;
        for (const reply of answers) {
          if (/Tak – dit svar er gemt/.test(reply.card ?? "")) thanked += 1;
          else assert.match(reply.text ?? "", /^Pulsen (er lukket|lukkede)[^.]*\./, `race ${race}: an answer neither counted nor refused in words`);
        }
        const [pulse] = (await stored()).filter((d) => d.pulseId === pulseId);
        assert.equal(pulse?.answered, thanked, `race ${race}: ${thanked} were thanked, ${String(pulse?.answered)} counted`);
        assert.match(texts(closing), new RegExp(`Pulsen er lukket\\. ${thanked === 0 ? "0 personer" : thanked === 1 ? "1 person" : `${thanked} personer`} svarede`));
        outcomes.counted += thanked;
        outcomes.refused += 6 - thanked;
      }
    });
    process.stdout.write(`      ${RACES * 6} answers racing a close: ${outcomes.counted} counted, ${outcomes.refused} refused in words, none thanked and dropped\n`);
  }).timeout(120_000);
});

/**
 * Vi-pulsen in a leader group's meeting loop: the invitation the day before offers it, members
 * answer in their 1:1 chat (Action.Execute there too), and "Dagens refleksion" shows the group's
 * result when the meeting starts, which then is part of the minutes, as numbers.
 */
describe("Vi-pulsen in a leader group's meeting loop (TestAdapter, strict Cosmos double, fake Connector)", () => {
  let h: Harness;
  let connector: FakeConnector;
  let now: Date;
  const leaders: TeamsUser[] = [mette, ...Array.from({ length: 5 }, (_, i) => ({ aadObjectId: `00000000-0000-4000-8000-0000000002${String(i).padStart(2, "0")}`, tenantId: TENANT, conversationId: `a:1personal-leader-${i}`, name: `Leder ${i + 1}` }))];

  beforeEach(async () => {
    now = new Date("2026-11-30T08:00:00.000Z");
    h = await createHarness({ clock: () => now });
    connector = new FakeConnector();
    await connector.start();
    const meetingInfo = fixtureJson("meeting-info");
    connector.respond = (call) => {
      if (call.method === "GET" && call.path.startsWith("/v1/meetings/")) return { status: 200, body: meetingInfo };
      if (call.method === "GET" && call.path.includes("/pagedmembers")) return { status: 200, body: { members: leaders.map((u) => member(u)) } };
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
    await connector.stop();
    await h.close();
  });

  const tick = (at: string) => tickScheduler(h, () => (now = new Date(at)));
  /** An Action.Execute in the leader's own 1:1 chat, from the invitation there. */
  const executeInPersonal = async (user: TeamsUser, verb: string, data: Json) => {
    const before = h.adapter.sent.length;
    await h.adapter.processActivity(teamsActivity("personal-message", user, { type: "invoke", name: "adaptiveCard/action", text: undefined, value: { action: { type: "Action.Execute", verb, data: { ...data, verb } } } }) as Partial<Activity>);
    const invoke = h.adapter.sent.slice(before).find((r) => r.type === "invokeResponse")?.value as { body: { type: string; value: unknown } };
    return invoke.body.type === "application/vnd.microsoft.card.adaptive" ? cardText(invoke.body.value as Json) : String(invoke.body.value);
  };

  async function invitationsWithPulse(): Promise<{ pulseId: string; statementIds: string[] }> {
    const invitations = (await tick("2026-11-30T09:00:05.000Z")).filter((p) => p.conversation.conversationType === "personal");
    assert.equal(invitations.length, leaders.length);
    const card = JSON.stringify(invitations[0]!.message);
    assert.match(card, /"title":"Svar på Vi-pulsen"/);
    assert.match(card, /Vi-pulsen: hvordan ser I temaets »Vi«-udsagn\?/);
    const pulseId = /"pulseId":"([^"]+)"/.exec(card)![1]!;
    return { pulseId, statementIds: h.pulses.statements("resultater").map((s) => s.id) };
  }

  it("says at the meeting how many answered when fewer than 5 did, and shows no numbers", async () => {
    const { pulseId, statementIds } = await invitationsWithPulse();
    for (const leader of leaders.slice(0, 4)) {
      assert.match(await executeInPersonal(leader, "openPulse", { pulseId, groupId: MEETING_CHAT }), /Vi-pulsen: Sammen styrker vi resultaterne/);
      assert.match(await executeInPersonal(leader, "answerPulse", { pulseId, groupId: MEETING_CHAT, ...Object.fromEntries(statementIds.map((id) => [`pulse:${id}`, "4"])) }), /Tak – dit svar er gemt/);
    }
    const [start] = (await tick("2026-12-01T09:10:05.000Z")).filter((p) => p.conversation.conversationId === MEETING_CHAT);
    const shown = cardText(start!.message.attachments![0]!.content as Json);
    assert.match(shown, /Vi-pulsen\n4 svarede\. Resultatet vises kun fra 5 svar, så ingen kan genkendes; svarene er slettet\./);
    assert.doesNotMatch(shown, /Gennemsnit/);
  });

  it("shows the group's result on 'Dagens refleksion' from 5 answers, with the widest spread as a prompt, and keeps the numbers in the minutes", async () => {
    const { pulseId, statementIds } = await invitationsWithPulse();
    const values = ["1", "2", "4", "5", "5"];
    for (const [i, leader] of leaders.slice(0, 5).entries()) {
      await executeInPersonal(leader, "answerPulse", { pulseId, groupId: MEETING_CHAT, ...Object.fromEntries(statementIds.map((id) => [`pulse:${id}`, id.endsWith(".1") ? values[i]! : "3"])) });
    }
    const [start] = (await tick("2026-12-01T09:10:05.000Z")).filter((p) => p.conversation.conversationId === MEETING_CHAT);
    const shown = cardText(start!.message.attachments![0]!.content as Json);
    assert.match(shown, /Vi-pulsen\nVi tænker nyt, afprøver og lærer[^\n]*\n1  █{5}·{5}  1\n2  █{5}·{5}  1\n3  ·{10}  0\n4  █{5}·{5}  1\n5  █{10}  2\nGennemsnit 3,4 \(5 vurderinger\)/);
    assert.match(shown, /Her ser I forskelligt på det – tal om hvorfor: »Vi tænker nyt/);
    now = new Date("2026-12-01T11:00:00.000Z");
    await h.adapter.processActivity(meetingActivity("meeting-chat-message", mette, { text: "<at>Lederrefleksion</at> referat", serviceUrl: connector.serviceUrl }) as Partial<Activity>);
    const minutes = h.adapter.sent.at(-1)!.text ?? "";
    assert.match(minutes, /\*\*Vi-pulsen \(5 svar\)\*\*\n- Vi tænker nyt, afprøver og lærer[^\n]*: 1: 1, 2: 1, 3: 0, 4: 1, 5: 2\. Gennemsnit 3,4 \(5 vurderinger\)/);
    assert.doesNotMatch(minutes, /Leder \d|0000-4000/, "numbers only: no one who answered");
  });
});
