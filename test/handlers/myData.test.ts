import assert from "node:assert/strict";
import sinon from "sinon";
import { asTenantId, asUserId } from "../../src/domain/ids";
import type { UserKey } from "../../src/domain/identity";
import { startRetentionJob } from "../../src/privacy/retentionJob";
import { silentLogger } from "../../src/kernel/log";
import { jonas, mette, type TeamsUser } from "../support/activities";
import { rate, completeReflection, ratingInputs } from "../support/reflectionSteps";
import { cardContent, cardText, createHarness, DEFAULT_NOW, findActions, texts, type Harness } from "../support/teamsChat";

const keyOf = (user: TeamsUser): UserKey => ({ tenantId: asTenantId(user.tenantId), userId: asUserId(user.aadObjectId) });
/** The same Entra object id in another tenant: a different person as far as we are concerned. */
const metteElsewhere: TeamsUser = { ...mette, tenantId: "22222222-2222-4222-8222-222222222222", conversationId: "a:1mette-other-tenant" };

function linkToken(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}

function exportUrls(h: Harness): { md: string; json: string } {
  const card = cardContent(h.adapter.sent.at(-1)!);
  const urls = (card.actions as Array<{ url: string; title: string }>).map((a) => a.url);
  return { md: urls[0]!, json: urls[1]! };
}

describe("my reflections: history, progress, export and deletion (TestAdapter, embedded Cosmos)", () => {
  let h: Harness;
  let clock: Date;
  beforeEach(async () => {
    clock = DEFAULT_NOW;
    h = await createHarness({ clock: () => clock });
  });
  afterEach(() => h.close());

  it("lists reflections newest first and pages with 'Vis flere'", async () => {
    const chat = h.chatAs(mette);
    for (let i = 0; i < 7; i += 1) {
      clock = new Date(Date.UTC(2026, 9, 1 + i, 9));
      await completeReflection(chat, { alreadyStarted: i > 0, themeIndex: i % 4, commitment: `skridt ${i}` });
    }
    await chat.say("historik");
    const first = cardContent(chat.lastCard());
    assert.equal(findActions(first).filter((a) => a.title === "Åbn refleksion").length, 5);
    assert.match(cardText(first), /skridt 6[\s\S]*skridt 2/);

    await chat.click(chat.lastCard(), "Vis flere");
    const second = cardContent(chat.lastCard());
    assert.match(cardText(second), /Dine refleksioner \(fortsat\)/);
    assert.equal(findActions(second).filter((a) => a.title === "Åbn refleksion").length, 2);
    assert.match(cardText(second), /skridt 1[\s\S]*skridt 0/);
    assert.equal(findActions(second).some((a) => a.title === "Vis flere"), false);
  });

  it("opens one reflection with the texts asked at the time, and keeps a follow-up note", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat, { answers: ["Mit første svar", "b", "c"], commitment: "Tal med teamet" });
    await chat.say("historik");
    await chat.click(chat.lastCard(), "Åbn refleksion");
    const detail = chat.lastCard();
    assert.match(cardText(cardContent(detail)), /Hvordan skaber du rammerne for, at dit lederteam[\s\S]*Mit første svar[\s\S]*Tal med teamet/);

    await chat.click(detail, "Gem opfølgning", { followUp: "Det gik godt – vi har aftalt en plan." });
    assert.match(cardText(chat.current(detail)), /Opfølgninger[\s\S]*Det gik godt – vi har aftalt en plan\./);
    const [stored] = await h.reflections.listNewestFirst(keyOf(mette));
    assert.deepEqual(stored?.followUps?.map((f) => f.text), ["Det gik godt – vi har aftalt en plan."]);
  });

  it("works in the middle of a reflection and leaves the leader's place alone", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat);
    await chat.say("start");
    await chat.click(chat.lastCard(), "Vælg tema");
    const statements = chat.lastCard();
    await chat.say("historik");
    assert.match(cardText(cardContent(chat.lastCard())), /Dine refleksioner/);
    await rate(chat, statements, ratingInputs(statements, "3"));
    assert.match(cardText(cardContent(chat.lastCard())), /Spørgsmål 1 af 3/);
  });

  it("refuses to open another user's reflection, even with its id", async () => {
    await completeReflection(h.chatAs(mette), { answers: ["hemmeligt", "b", "c"] });
    const [metteReflection] = await h.reflections.listNewestFirst(keyOf(mette));
    const jonasChat = h.chatAs(jonas);
    await jonasChat.install();
    const replies = await jonasChat.submit(jonasChat.lastCard(), { verb: "openReflection", reflectionId: metteReflection!.id });
    assert.deepEqual(texts(replies), ["Den refleksion findes ikke (længere)."]);
    const follow = await jonasChat.submit(jonasChat.lastCard(), { verb: "addFollowUp", reflectionId: metteReflection!.id, followUp: "indbrud" });
    assert.deepEqual(texts(follow), ["Den refleksion findes ikke (længere)."]);
    assert.equal((await h.reflections.get(keyOf(mette), metteReflection!.id))?.followUps, undefined);
  });

  it("shows progress per theme as bars over several reflections, and the lowest rated statements as focus", async () => {
    const chat = h.chatAs(mette);
    const ratings = ["2", "3", "5"];
    for (const [i, rating] of ratings.entries()) {
      clock = new Date(Date.UTC(2026, 8 + i, 10, 9));
      await completeReflection(chat, { alreadyStarted: i > 0, themeIndex: 0, rating });
    }
    clock = new Date(Date.UTC(2026, 11, 1, 9));
    await completeReflection(chat, { alreadyStarted: true, themeIndex: 1, ratingFor: (i) => (i === 0 ? "1" : "4") });

    await chat.say("udvikling");
    const card = cardContent(chat.lastCard());
    const text = cardText(card);
    assert.match(text, /Sammen sikrer vi driften[\s\S]*10\.\ssep\. 2026[\s\S]*2,0[\s\S]*10\.\sokt\. 2026[\s\S]*3,0[\s\S]*10\.\snov\. 2026[\s\S]*5,0/);
    assert.match(text, /Sammen skaber vi løsninger\nIkke reflekteret endnu/);
    // Under a theme's bars, its last reflection's two ends: the average 3,3 would hide the 1.
    assert.match(text, /Sammen styrker vi resultaterne[\s\S]*Lavest: »Jeg har strategisk overblik[^«]*« \(1\) · Højest: »[^«]+« \(4\)/);
    assert.match(text, /Forslag til fokus: lavest vurderet sidst \(Sammen styrker vi resultaterne, 1\.\sdecember 2026\)/);
    assert.match(text, /Jeg har strategisk overblik[^\n]*\(1 – i meget lav grad\)/);
    assert.doesNotMatch(text.slice(text.indexOf("Forslag til fokus")), /Jeg skaber rammer og sætter retning/, "only the lowest rated statements are suggested");
    const bars = JSON.stringify(card).match(/"style":"accent"/g) ?? [];
    assert.equal(bars.length, 4);
  });

  it("exports every stored item of the user and nothing of anybody else", async () => {
    await completeReflection(h.chatAs(mette), { answers: ["mettes svar", "b", "c"], commitment: "mettes skridt" });
    await completeReflection(h.chatAs(mette), { alreadyStarted: true, themeIndex: 1, answers: ["mettes andet svar", "b", "c"] });
    const metteChat = h.chatAs(mette);
    await metteChat.say("start");
    await metteChat.click(metteChat.lastCard(), "Vælg tema");
    await completeReflection(h.chatAs(jonas), { answers: ["jonas' svar", "b", "c"] });
    await completeReflection(h.chatAs(metteElsewhere), { answers: ["den anden tenants svar", "b", "c"] });

    await metteChat.say("eksport");
    assert.match(cardText(cardContent(h.adapter.sent.at(-1)!)), /2 refleksioner og et ufærdigt udkast/);
    const { md, json } = exportUrls(h);
    assert.ok(md.startsWith("https://bot.example/export/"));

    const data = JSON.parse((await h.exports.download(linkToken(json)))!.body) as {
      profile: { roleId: string };
      draft: { themeTitle: string };
      reflections: Array<{ userId: string; tenantId: string }>;
    };
    assert.equal(data.profile.roleId, "leder-af-leder");
    assert.ok(data.draft.themeTitle);
    assert.equal(data.reflections.length, 2);
    assert.ok(data.reflections.every((r) => r.userId === mette.aadObjectId && r.tenantId === mette.tenantId));

    const markdown = (await h.exports.download(linkToken(md)))!.body;
    assert.match(markdown, /## Sammen sikrer vi driften[\s\S]*mettes svar[\s\S]*\*\*Næste skridt\*\*\n\n> mettes skridt/);
    assert.match(markdown, /## Sammen styrker vi resultaterne[\s\S]*mettes andet svar/);
    for (const foreign of ["jonas' svar", "den anden tenants svar"]) {
      assert.ok(!markdown.includes(foreign) && !JSON.stringify(data).includes(foreign), foreign);
    }
  });

  it("deletes everything of the user on confirmation, leaves others intact, and a later export is empty", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat);
    await completeReflection(chat, { alreadyStarted: true, themeIndex: 1 });
    await completeReflection(h.chatAs(jonas));

    await chat.say("slet mine data");
    const confirm = chat.lastCard();
    assert.match(cardText(cardContent(confirm)), /Refleksioner\n2 refleksioner med svar og opfølgninger/);
    const replies = await chat.click(confirm, "Ja, slet alt");
    assert.match(texts(replies).join(), /Alt er slettet: 2 refleksioner, 0 planlagte påmindelser samt/);

    const { resources } = await h.store.containers.userData.items
      .query({ query: "SELECT * FROM c WHERE CONTAINS(c.pk, @id) OR c.userId = @id", parameters: [{ name: "@id", value: mette.aadObjectId }] })
      .fetchAll();
    assert.deepEqual(resources, []);
    assert.equal((await h.reflections.listNewestFirst(keyOf(jonas))).length, 1);

    // A second click on the old confirmation is harmless, and stores nothing.
    assert.deepEqual(texts(await chat.click(confirm, "Ja, slet alt")), ["Dette kort er allerede besvaret."]);
    await chat.say("eksport");
    const data = JSON.parse((await h.exports.download(linkToken(exportUrls(h).json)))!.body) as { reflections: unknown[]; profile?: unknown; draft?: unknown };
    assert.deepEqual([data.reflections, data.profile, data.draft], [[], undefined, undefined]);
    const after = await h.store.containers.userData.items
      .query({ query: "SELECT * FROM c WHERE CONTAINS(c.pk, @id)", parameters: [{ name: "@id", value: mette.aadObjectId }] })
      .fetchAll();
    assert.deepEqual(after.resources, []);
  });

  it("keeps the data on 'Nej, behold mine data', and the old card cannot delete later", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat);
    await chat.say("slet mine data");
    const confirm = chat.lastCard();
    await chat.click(confirm, "Nej, behold mine data");
    assert.match(cardText(chat.current(confirm)), /Dine data er ikke slettet/);
    assert.deepEqual(texts(await chat.click(confirm, "Ja, slet alt")), ["Dette kort er allerede besvaret."]);
    assert.equal((await h.reflections.listNewestFirst(keyOf(mette))).length, 1);
  });
});

describe("the retention job", () => {
  let timers: sinon.SinonFakeTimers;
  afterEach(() => timers?.restore());

  it("runs shortly after start and then once a day, deleting what is older than RETENTION_DAYS", async () => {
    timers = sinon.useFakeTimers({ now: new Date("2026-11-23T03:00:00Z"), toFake: ["setTimeout", "setInterval", "clearTimeout", "clearInterval", "Date"] });
    const cutoffs: string[] = [];
    const job = startRetentionJob({
      retentionDays: 365,
      reflections: { deleteCompletedBefore: async (cutoff: Date) => (cutoffs.push(cutoff.toISOString()), 0) },
      log: silentLogger,
    });
    await timers.tickAsync(5_000);
    await timers.tickAsync(86_400_000);
    job.stop();
    await timers.tickAsync(86_400_000);
    assert.deepEqual(cutoffs, ["2025-11-23T03:00:05.000Z", "2025-11-24T03:00:00.000Z"]);
  });
});
