import assert from "node:assert/strict";
import { ShareService, type OfferRequest } from "../../src/sharing/shareService";
import { ShareStore } from "../../src/storage/shares";
import { asTenantId, asUserId } from "../../src/domain/ids";
import { exportMarkdown } from "../../src/cards/exportDocument";
import { SHARE_LIMITS } from "../../src/domain/sharing/content";
import { MAX_ACTIVE_SHARES, MAX_OFFERS_PER_DAY } from "../../src/domain/sharing/share";
import { jonas, mette, type TeamsUser } from "../support/activities";
import { capturingLogger } from "../support/logLines";
import { cardText, createHarness, DEFAULT_NOW, type Harness } from "../support/teamsChat";
import { SHARED_SECRET, sharedReflection, shareContent } from "../support/shareContent";

const DAY = 86_400_000;
const later = (days: number) => new Date(DEFAULT_NOW.getTime() + days * DAY);
const karin: TeamsUser = { aadObjectId: "00000000-0000-4000-8000-000000000003", tenantId: mette.tenantId, conversationId: "a:1personal-conversation-karin", name: "Karin Kollega" };

/** Mette shares with Jonas, her own leader. */
function offerOf(overrides: Partial<OfferRequest> = {}): OfferRequest {
  return {
    tenantId: mette.tenantId,
    sharer: { userId: mette.aadObjectId, name: "Mette Leder" },
    reader: { aadObjectId: jonas.aadObjectId, name: "Jonas Chef" },
    content: shareContent(),
    days: 30,
    ...overrides,
  };
}

/** The fields of `whole` that `expected` names, to compare with it. */
function subset(whole: object | undefined, expected: object): object {
  return Object.fromEntries(Object.keys(expected).map((k) => [k, (whole as Record<string, unknown> | undefined)?.[k]]));
}

const identityOf = (user: TeamsUser) => ({ tenantId: user.tenantId, aadObjectId: user.aadObjectId });
const texts = (sent: Harness["proactive"]["sent"]) => sent.map((s) => JSON.stringify(s.message));

describe("Til min leder: the share service", () => {
  let h: Harness;
  let lines: string[];
  let now = DEFAULT_NOW;
  /** Delivery's tick at a time: what was queued until then goes out. */
  const deliverAt = async (at: Date) => {
    now = at;
    await h.delivery.tick();
  };

  beforeEach(async () => {
    const captured = capturingLogger();
    lines = captured.lines;
    now = DEFAULT_NOW;
    h = await createHarness({ log: captured.log, clock: () => now });
    await h.chatAs(mette).install();
    await h.chatAs(jonas).install();
  });
  afterEach(async () => h.close());

  async function offered() {
    const result = await h.shares.offer(offerOf(), DEFAULT_NOW);
    if (!result.ok) throw new Error(`not offered: ${result.reason}`);
    await h.delivery.tick();
    return result.share;
  }

  it("When a leader shares with someone who has the app, the share is stored for 30 days and the reader is told who shared and until when, without any of the content", async () => {
    const share = await offered();
    // To the end of the 30th day, Danish time: "til og med 23. december".
    assert.equal(share.expiresAt, "2026-12-23T23:00:00.000Z");
    assert.equal(share.state, "active");
    const [notice, ...more] = h.proactive.sent;
    assert.equal(more.length, 0);
    assert.equal(notice!.conversation.aadObjectId, jonas.aadObjectId);
    const text = cardText(notice!.message.attachments![0]!.content as Record<string, unknown>);
    assert.ok(text.includes("Mette Leder har delt"));
    assert.ok(text.includes("23.\u00a0december 2026"));
    assert.ok(!JSON.stringify(notice!.message).includes(SHARED_SECRET));
    assert.ok(!JSON.stringify(notice!.message).includes("Tillid og ansvar"));
    assert.equal((await h.shares.listForSharer(mette.tenantId, mette.aadObjectId)).length, 1);
  });

  it("When the reader does not have the app, the sharer is refused and nothing is stored or sent", async () => {
    const result = await h.shares.offer(offerOf({ reader: { aadObjectId: karin.aadObjectId, name: "Karin" } }), DEFAULT_NOW);
    assert.deepEqual(result, { ok: false, reason: "readerNotInstalled" });
    await h.delivery.tick();
    assert.equal(h.proactive.sent.length, 0);
    assert.equal((await h.shares.listForSharer(mette.tenantId, mette.aadObjectId)).length, 0);
    assert.equal((await h.shares.listForReader(identityOf(karin), DEFAULT_NOW)).length, 0);
  });

  it("Sharing with oneself, for days outside 1 to 90, with nothing in it, or past the limits is refused, and nothing is stored", async () => {
    const refusals = [
      [offerOf({ reader: { aadObjectId: mette.aadObjectId.toUpperCase(), name: "Mette" } }), "self"],
      [offerOf({ days: 0 }), "badDays"],
      [offerOf({ days: SHARE_LIMITS.maxDays + 1 }), "badDays"],
      [offerOf({ days: 1.5 }), "badDays"],
      [offerOf({ content: shareContent({ reflections: [] }) }), "empty"],
      [offerOf({ content: shareContent({ reflections: Array.from({ length: SHARE_LIMITS.reflections + 1 }, () => sharedReflection()) }) }), "tooLarge"],
      [offerOf({ content: shareContent({ reflections: [sharedReflection({ plan: { commitment: "x".repeat(SHARE_LIMITS.documentBytes), followUps: [] } })] }) }), "tooLarge"],
    ] as const;
    for (const [request, reason] of refusals) assert.deepEqual(await h.shares.offer(request, DEFAULT_NOW), { ok: false, reason }, reason);
    assert.equal((await h.shares.offer(offerOf({ days: SHARE_LIMITS.maxDays }), DEFAULT_NOW) as unknown as Record<string, unknown>)["ok"], true);
    assert.equal((await h.shares.listForSharer(mette.tenantId, mette.aadObjectId)).length, 1);
  });

  it(`A leader may have at most ${MAX_ACTIVE_SHARES} active shares at once`, async () => {
    // One a day: the daily bound is another rule, below.
    for (let i = 0; i < MAX_ACTIVE_SHARES; i += 1) assert.equal((await h.shares.offer(offerOf(), later(i)) as unknown as Record<string, unknown>)["ok"], true);
    assert.deepEqual(await h.shares.offer(offerOf(), later(MAX_ACTIVE_SHARES)), { ok: false, reason: "tooMany" });
  });

  it(`A leader may make at most ${MAX_OFFERS_PER_DAY} shares in a day, withdrawn ones counted, so offering and withdrawing again cannot flood a colleague`, async () => {
    for (let i = 0; i < MAX_OFFERS_PER_DAY; i += 1) {
      const result = await h.shares.offer(offerOf(), DEFAULT_NOW);
      assert.ok(result.ok);
      assert.equal(await h.shares.withdraw(mette.tenantId, mette.aadObjectId, result.share.id, DEFAULT_NOW), "withdrawn");
    }
    assert.deepEqual(await h.shares.offer(offerOf(), new Date(DEFAULT_NOW.getTime() + DAY - 1)), { ok: false, reason: "tooOften" });
    assert.equal((await h.shares.offer(offerOf(), later(1))).ok, true);
  });

  it("The named reader opens the share: the first opening is kept and every opening counted; anyone else gets nothing and changes nothing", async () => {
    const share = await offered();
    assert.equal(await h.shares.open(identityOf(karin), share.id, later(1)), undefined);
    assert.equal(await h.shares.open({ tenantId: "22222222-2222-4222-8222-222222222222", aadObjectId: jonas.aadObjectId }, share.id, later(1)), undefined);
    assert.equal(await h.shares.open(identityOf(mette), share.id, later(1)), undefined);
    const first = await h.shares.open(identityOf(jonas), share.id, later(1));
    assert.ok(first?.content?.reflections[0]?.statements[0]?.note?.includes(SHARED_SECRET));
    await h.shares.open({ tenantId: jonas.tenantId.toUpperCase(), aadObjectId: jonas.aadObjectId.toUpperCase() }, share.id, later(2));
    const [logged] = await h.shares.listForSharer(mette.tenantId, mette.aadObjectId);
    assert.deepEqual(subset(logged, { firstOpenedAt: later(1).toISOString(), opens: 2 }), { firstOpenedAt: later(1).toISOString(), opens: 2 });
  });

  it("When the sharer withdraws, the reader can no longer open it, the content is gone from storage, and the reader's notice says it has ended", async () => {
    const share = await offered();
    assert.equal(await h.shares.withdraw(jonas.tenantId, jonas.aadObjectId, share.id, later(1)), "notFound");
    assert.equal(await h.shares.withdraw(mette.tenantId, mette.aadObjectId, share.id, later(1)), "withdrawn");
    assert.equal(await h.shares.withdraw(mette.tenantId, mette.aadObjectId, share.id, later(1)), "notActive");
    assert.equal(await h.shares.open(identityOf(jonas), share.id, later(1)), undefined);
    assert.equal((await h.shares.listForReader(identityOf(jonas), later(1))).length, 0);
    const [logged] = await h.shares.listForSharer(mette.tenantId, mette.aadObjectId);
    assert.deepEqual(subset(logged, { state: "withdrawn", content: null, endedAt: later(1).toISOString() }), { state: "withdrawn", content: null, endedAt: later(1).toISOString() });
    const [update, ...more] = h.proactive.updated;
    assert.equal(more.length, 0);
    assert.equal(update!.activityId, h.proactive.sent[0]!.activityId);
    assert.ok(cardText(update!.message.attachments![0]!.content as Record<string, unknown>).includes("Delingen er slut"));
    assert.ok(cardText(update!.message.attachments![0]!.content as Record<string, unknown>).includes("Delingen er trukket tilbage, udløbet eller slettet."));
    assert.ok(!JSON.stringify(update!.message).includes("Mette"));
  });

  it("Questions back are cleaned, at most 5 and each at most 500 characters, and reach the sharer's chat with a button to take them along", async () => {
    const share = await offered();
    assert.deepEqual(await h.shares.askQuestions(identityOf(jonas), share.id, ["x".repeat(SHARE_LIMITS.questionLength + 1)], later(1)), { ok: false, reason: "tooLong" });
    assert.deepEqual(await h.shares.askQuestions(identityOf(jonas), share.id, ["a", "b", "c", "d", "e", "f"], later(1)), { ok: false, reason: "tooMany" });
    assert.deepEqual(await h.shares.askQuestions(identityOf(jonas), share.id, ["  ", ""], later(1)), { ok: false, reason: "empty" });
    assert.deepEqual(await h.shares.askQuestions(identityOf(karin), share.id, ["Hvem er du?"], later(1)), { ok: false, reason: "notFound" });
    const asked = await h.shares.askQuestions(identityOf(jonas), share.id, [`Hvad \u202Emener\u202C du med ${SHARED_SECRET}?`, "", "Hvordan kan jeg hjælpe?"], later(1));
    assert.deepEqual(asked, { ok: true, added: [{ text: `Hvad mener du med ${SHARED_SECRET}?`, at: later(1).toISOString() }, { text: "Hvordan kan jeg hjælpe?", at: later(1).toISOString() }] });
    assert.deepEqual(await h.shares.askQuestions(identityOf(jonas), share.id, ["1", "2", "3", "4"], later(1)), { ok: false, reason: "tooMany" });
    await deliverAt(later(1));
    const card = h.proactive.sent.find((s) => s.conversation.aadObjectId === mette.aadObjectId)!;
    const content = card.message.attachments![0]!.content as Record<string, unknown>;
    assert.ok(cardText(content).includes("Hvordan kan jeg hjælpe?"));
    assert.ok(JSON.stringify(content.actions).includes(JSON.stringify({ verb: "shareQuestionsTake", shareId: share.id })));
    assert.deepEqual((await h.shares.questionsFor(mette.tenantId, mette.aadObjectId, share.id))?.map((q) => q.text), [`Hvad mener du med ${SHARED_SECRET}?`, "Hvordan kan jeg hjælpe?"]);
    assert.equal(await h.shares.questionsFor(jonas.tenantId, jonas.aadObjectId, share.id), undefined);
  });

  it("No shared text and no question ever reaches a log line", async () => {
    const share = await offered();
    await h.shares.open(identityOf(jonas), share.id, later(1));
    await h.shares.askQuestions(identityOf(jonas), share.id, [`Spørgsmål ${SHARED_SECRET}`], later(1));
    await deliverAt(later(1));
    await h.shares.withdraw(mette.tenantId, mette.aadObjectId, share.id, later(2));
    await deliverAt(later(2));
    await h.shares.eraseFor(jonas.tenantId, jonas.aadObjectId, later(3));
    assert.equal(lines.some((l) => l.includes("Til min leder")), true);
    assert.deepEqual(lines.filter((l) => l.includes(SHARED_SECRET) || l.includes("Tillid og ansvar")), []);
  });

  it("Expiry: once past its days the share cannot be read even before the job runs; the job ends it once, across two instances on the same store", async () => {
    const share = await offered();
    assert.equal(await h.shares.open(identityOf(jonas), share.id, new Date(share.expiresAt)), undefined);
    const other = new ShareService({ shares: new ShareStore(h.store.containers.userData), sessions: h.sessions, outbox: h.outbox, messenger: h.proactive, tabLink: () => "x", log: capturingLogger().log, holder: "other" });
    const [here, there] = await Promise.all([h.shares.expireDue(later(31)), other.expireDue(later(31))]);
    assert.equal(here + there, 1);
    // The one that held the lease is done; a later run (the lease run out) finds nothing either.
    assert.equal(await other.expireDue(later(32)), 0);
    assert.equal(await h.shares.expireDue(later(32)), 0);
    const [logged] = await h.shares.listForSharer(mette.tenantId, mette.aadObjectId);
    assert.deepEqual(subset(logged, { state: "expired", content: null }), { state: "expired", content: null });
    assert.equal(h.proactive.updated.length, 1);
  });

  it("Even when both instances hold the job at once (a lease run out mid-run), each share ends once and each notice is re-drawn once", async () => {
    const offered5 = [];
    for (let i = 0; i < 5; i += 1) offered5.push(await h.shares.offer(offerOf({ days: 1 }), DEFAULT_NOW));
    await h.delivery.tick();
    /** A store whose job lease is always free: only the conditional writes keep the two apart. */
    class AlwaysLeased extends ShareStore {
      override async takeJobLease(): Promise<boolean> {
        return true;
      }
    }
    const instance = (holder: string) =>
      new ShareService({ shares: new AlwaysLeased(h.store.containers.userData), sessions: h.sessions, outbox: h.outbox, messenger: h.proactive, tabLink: () => "x", log: capturingLogger().log, holder });
    const [a, b] = await Promise.all([instance("a").expireDue(later(3)), instance("b").expireDue(later(3))]);
    assert.equal(a + b, 5);
    assert.equal(h.proactive.updated.length, 5);
    assert.equal(new Set(h.proactive.updated.map((u) => u.activityId)).size, 5);
    assert.ok(offered5.every((o) => o.ok));
  });

  it("Nothing of a share reaches Indsigt: sharing, reading, questions and withdrawal stage no change to its counts", async () => {
    const before = (await h.pendingChanges.oldest(500)).length;
    const share = await offered();
    await h.shares.open(identityOf(jonas), share.id, later(1));
    await h.shares.askQuestions(identityOf(jonas), share.id, [`Spørgsmål ${SHARED_SECRET}`], later(1));
    await h.shares.withdraw(mette.tenantId, mette.aadObjectId, share.id, later(2));
    assert.equal((await h.pendingChanges.oldest(500)).length, before);
    assert.equal(await h.insight.tally(), 0);
  });

  it("When the reader erases their data, the share, its questions and its read log go, and the questions card in the sharer's chat loses the questions", async () => {
    const share = await offered();
    await h.shares.open(identityOf(jonas), share.id, later(1));
    await h.shares.askQuestions(identityOf(jonas), share.id, ["Hvad vil du bruge mig til?"], later(1));
    await deliverAt(later(1));
    assert.equal(await h.shares.eraseFor(jonas.tenantId, jonas.aadObjectId, later(2)), 1);
    assert.equal((await h.shares.listForSharer(mette.tenantId, mette.aadObjectId)).length, 0);
    assert.equal(await h.shares.open(identityOf(jonas), share.id, later(2)), undefined);
    const updates = texts(h.proactive.updated);
    assert.equal(updates.some((t) => t.includes("Spørgsmålene er slettet")), true);
    assert.equal(updates.some((t) => t.includes("Delingen er slut")), true);
    assert.ok(!updates.join("").includes("Hvad vil du bruge mig til?"));
  });

  /** Every document still stored, in the user data and outbox containers, as one string to search. */
  const everything = async () => {
    const all = await Promise.all([h.store.containers.userData, h.store.containers.outbox].map((c) => c.items.query("SELECT * FROM c").fetchAll()));
    return JSON.stringify(all.flatMap((r) => r.resources));
  };

  it("When the reader erases their data after the share was withdrawn, the sharer's log keeps nothing of them, and the questions card loses the questions", async () => {
    const share = await offered();
    await h.shares.open(identityOf(jonas), share.id, later(1));
    await h.shares.askQuestions(identityOf(jonas), share.id, ["Hvad vil du bruge mig til?"], later(1));
    await deliverAt(later(1));
    await h.shares.withdraw(mette.tenantId, mette.aadObjectId, share.id, later(2));
    assert.equal(await h.shares.open(identityOf(jonas), share.id, later(2)), undefined, "the ended pointer never makes the share readable");
    assert.deepEqual(await h.shares.askQuestions(identityOf(jonas), share.id, ["Mere?"], later(2)), { ok: false, reason: "notFound" });
    assert.equal(await h.shares.eraseFor(jonas.tenantId, jonas.aadObjectId, later(3)), 1);
    assert.deepEqual(await h.shares.listForSharer(mette.tenantId, mette.aadObjectId), []);
    const stored = await everything();
    assert.ok(!stored.includes("Jonas Chef") && !stored.includes("Hvad vil du bruge mig til?"), "nothing of the reader in storage");
    assert.equal(texts(h.proactive.updated).some((t) => t.includes("Spørgsmålene er slettet")), true);
  });

  it("Questions still waiting to be sent when the reader erases their data are never sent", async () => {
    const share = await offered();
    await h.shares.askQuestions(identityOf(jonas), share.id, ["Et ventende spørgsmål"], later(1));
    await h.shares.eraseFor(jonas.tenantId, jonas.aadObjectId, later(1));
    await deliverAt(later(1));
    assert.ok(!texts(h.proactive.sent).join("").includes("Et ventende spørgsmål"));
    assert.ok(!(await everything()).includes("Et ventende spørgsmål"));
  });

  for (const [how, end] of [
    ["the sharer withdraws", (shareId: string, at: Date) => h.shares.withdraw(mette.tenantId, mette.aadObjectId, shareId, at)],
    ["the sharer erases their data", (_shareId: string, at: Date) => h.shares.eraseFor(mette.tenantId, mette.aadObjectId, at)],
  ] as const) {
    it(`A notice still waiting to be sent when ${how} is never sent`, async () => {
      const result = await h.shares.offer(offerOf(), DEFAULT_NOW);
      assert.ok(result.ok);
      await end(result.share.id, later(1));
      await deliverAt(later(1));
      assert.deepEqual(h.proactive.sent, []);
    });
  }

  it("When the sharer erases their data, the reader's stored copy of the notice no longer names them", async () => {
    await offered();
    assert.ok((await everything()).includes("Mette Leder"));
    await h.shares.eraseFor(mette.tenantId, mette.aadObjectId, later(2));
    const { resources } = await h.store.containers.outbox.items.query("SELECT * FROM c").fetchAll();
    assert.ok(resources.length > 0);
    assert.ok(!JSON.stringify(resources).includes("Mette"));
  });

  it("When the sharer erases their data, the share goes and the reader's notice says it has ended", async () => {
    const share = await offered();
    assert.equal(await h.shares.eraseFor(mette.tenantId, mette.aadObjectId, later(2)), 1);
    assert.equal(await h.shares.open(identityOf(jonas), share.id, later(2)), undefined);
    assert.equal((await h.shares.listForReader(identityOf(jonas), later(2))).length, 0);
    assert.equal(texts(h.proactive.updated).length, 1);
    assert.ok(texts(h.proactive.updated)[0]!.includes("Delingen er slut"));
  });

  it("Export holds, for the sharer, what they shared and the questions they got; for the reader, only who shared when, the state, and their own questions and read log, never the content", async () => {
    const share = await offered();
    await h.shares.open(identityOf(jonas), share.id, later(1));
    await h.shares.askQuestions(identityOf(jonas), share.id, ["Et spørgsmål"], later(1));
    const sharer = await h.shares.exportFor(mette.tenantId, mette.aadObjectId);
    assert.deepEqual(sharer.made.map((s) => s.id), [share.id]);
    assert.ok(JSON.stringify(sharer.made).includes(SHARED_SECRET), "the sharer's own content");
    assert.deepEqual(sharer.made[0]!.questions.map((q) => q.text), ["Et spørgsmål"]);
    assert.deepEqual(sharer.received, []);
    const reader = await h.shares.exportFor(jonas.tenantId, jonas.aadObjectId);
    assert.deepEqual(reader.made, []);
    assert.deepEqual(reader.received, [
      { id: share.id, sharerName: "Mette Leder", createdAt: share.createdAt, expiresAt: share.expiresAt, state: "active", firstOpenedAt: later(1).toISOString(), opens: 1, questions: [{ text: "Et spørgsmål", at: later(1).toISOString() }] },
    ]);
    // Through the export itself, as "eksport" builds it.
    const exported = await h.exports.collect({ tenantId: asTenantId(mette.tenantId), userId: asUserId(mette.aadObjectId) });
    assert.deepEqual(exported.shares?.made.map((s) => s.id), [share.id]);
    assert.ok(exportMarkdown(exported).includes("Delt med Jonas Chef"));
    const readers = await h.exports.collect({ tenantId: asTenantId(jonas.tenantId), userId: asUserId(jonas.aadObjectId) });
    assert.ok(!JSON.stringify(readers).includes(SHARED_SECRET));
    assert.ok(exportMarkdown(readers).includes("Et spørgsmål"));
    // Once withdrawn, the reader's export still says what happened, and still holds no content.
    await h.shares.withdraw(mette.tenantId, mette.aadObjectId, share.id, later(2));
    const after = await h.shares.exportFor(jonas.tenantId, jonas.aadObjectId);
    assert.deepEqual(after.received.map((s) => [s.id, s.state, s.questions.length]), [[share.id, "withdrawn", 1]]);
  });
});
