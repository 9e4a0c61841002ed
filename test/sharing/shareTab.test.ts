import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createHttpServer, type HttpServer } from "../../src/server";
import { SharePages } from "../../src/sharing/sharePages";
import { EntraSigningKeys, type TabTokenSettings } from "../../src/tabs/tabToken";
import type { OfferRequest } from "../../src/sharing/shareService";
import type { Share } from "../../src/domain/sharing/share";
import { jonas, mette, type TeamsUser } from "../support/activities";
import { FakeEntra } from "../support/fakeIdentity";
import { capturingLogger } from "../support/logLines";
import { createHarness, DEFAULT_NOW, type Harness } from "../support/teamsChat";
import { SHARED_SECRET, shareContent } from "../support/shareContent";

const APP = "22222222-2222-4222-8222-222222222222";
const OTHER_TENANT = "44444444-4444-4444-8444-444444444444";
const DAY = 86_400_000;
/** A leader in the same tenant who has the app too: not the one anything was shared with. */
const karin: TeamsUser = { aadObjectId: "00000000-0000-4000-8000-000000000003", tenantId: mette.tenantId, conversationId: "a:1personal-conversation-karin", name: "Karin Kollega" };
/** Mette's colleague in her leader group's chat. */
const lars: TeamsUser = { aadObjectId: "00000000-0000-4000-8000-000000000004", tenantId: mette.tenantId, conversationId: "a:1personal-conversation-lars", name: "Lars Kollega" };

/**
 * Til min leder's reader tab through the real HTTP server, signed in with tokens a local issuer
 * signs as Entra would (FakeEntra). The named reader reads; everyone and everything else gets
 * one and the same answer, byte for byte, as for a share that never existed.
 */
describe("Til min leder's reader tab, through the HTTP server with a local Entra", function () {
  this.timeout(60_000);
  const entra = new FakeEntra();
  let h: Harness;
  let http: HttpServer;
  let port: number;
  let now: Date;
  let lines: string[];
  let settings: TabTokenSettings;

  before(() => entra.start());
  after(() => entra.stop());
  beforeEach(async () => {
    now = DEFAULT_NOW;
    const captured = capturingLogger();
    lines = captured.lines;
    h = await createHarness({ clock: () => now, log: captured.log });
    for (const user of [mette, jonas, karin, lars]) await h.chatAs(user).install();
    settings = { appId: APP, resource: `api://bot.kommune.example/${APP}`, allowedTenants: [], authority: entra.authority };
    const pages = new SharePages({ shares: h.shares, access: { kind: "entra", settings, keys: new EntraSigningKeys(entra.authority) }, clock: () => now, log: captured.log });
    http = createHttpServer({ messages: async () => ({ status: 200 }), readiness: {}, log: captured.log, shares: pages });
    port = await http.listen(0, "127.0.0.1");
  });
  afterEach(async () => {
    await http.close();
    await h.close();
  });

  /** A token as Teams SSO gets it for our tab, for a person; `claims` override. */
  const tokenFor = (user: { tenantId: string; aadObjectId: string }, claims: Record<string, unknown> = {}) => {
    const seconds = Math.floor(now.getTime() / 1000);
    return entra.token({ iss: `${entra.authority}/${user.tenantId}/v2.0`, aud: settings.resource, tid: user.tenantId, oid: user.aadObjectId, exp: seconds + 3600, nbf: seconds - 60, ...claims });
  };
  const get = async (path: string, token?: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, body: await response.text(), csp: response.headers.get("content-security-policy") };
  };
  const post = async (path: string, token: string, body: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.text() };
  };
  const read = (id: string, token?: string) => get(`/til-min-leder/delt/${encodeURIComponent(id)}`, token);
  const offer = async (overrides: Partial<OfferRequest> = {}): Promise<Share> => {
    const result = await h.shares.offer({ tenantId: mette.tenantId, sharer: { userId: mette.aadObjectId, name: "Mette Leder" }, reader: { aadObjectId: jonas.aadObjectId, name: "Jonas Chef" }, content: shareContent(), days: 30, ...overrides }, now);
    if (!result.ok) throw new Error(result.reason);
    return result.share;
  };
  /** What a share that never existed answers: the one answer every refusal must equal. */
  const neverExisted = () => read(randomBytes(16).toString("base64url"), tokenFor(jonas));
  const withoutCsp = ({ status, body }: { status: number; body: string }) => ({ status, body });

  it("The named leader reads the share, with everything the sharer wrote escaped for HTML", async () => {
    const share = await offer();
    const answer = await read(share.id, tokenFor(jonas));
    assert.equal(answer.status, 200);
    assert.ok(answer.body.includes("Fra Mette Leder"));
    assert.ok(answer.body.includes(`Min note ${SHARED_SECRET} &#60;script&#62;alert(1)&#60;/script&#62;`));
    assert.ok(answer.body.includes("&#38; &#60;b&#62;fed&#60;/b&#62;"));
    assert.ok(!answer.body.includes("<script>") && !answer.body.includes("<b>fed"));
    assert.match(answer.csp ?? "", /script-src 'self'/);
    const list = await get("/til-min-leder/delt", tokenFor(jonas));
    assert.ok(list.body.includes(`data-share-id="${share.id}"`));
    const [logged] = await h.shares.listForSharer(mette.tenantId, mette.aadObjectId);
    assert.equal(logged!.opens, 1, "the sharer sees that it was opened");
  });

  it("Nobody else, no forged or replayed id, no other tenant and no wrong token learns anything: each gets the answer of a share that never existed", async () => {
    const share = await offer();
    const toKarin = await offer({ reader: { aadObjectId: karin.aadObjectId, name: "Karin" } });
    const baseline = withoutCsp(await neverExisted());
    assert.equal(baseline.status, 404);
    const flipped = `${share.id.slice(0, -2)}${share.id.at(-2) === "A" ? "B" : "A"}${share.id.at(-1)}`;
    // The last character carries 2 spare bits: a different spelling that decodes to the same bytes.
    const respelled = share.id.slice(0, -1) + String.fromCharCode(share.id.charCodeAt(21) ^ 1);
    const cases: Array<[string, string, string | undefined]> = [
      ["someone else in the same tenant", share.id, tokenFor(karin)],
      ["the sharer's colleague in their group chat", share.id, tokenFor(lars)],
      ["the sharer herself (the share is for Jonas to read)", share.id, tokenFor(mette)],
      ["a forged id", randomBytes(16).toString("base64url"), tokenFor(jonas)],
      ["an id one character off", flipped, tokenFor(jonas)],
      ["the same id spelled another way", respelled, tokenFor(jonas)],
      ["an id that is not an id", "../../etc/passwd", tokenFor(jonas)],
      ["another share's id, replayed by someone it was not for", toKarin.id, tokenFor(jonas)],
      ["the same id from another tenant (the same object id)", share.id, tokenFor({ tenantId: OTHER_TENANT, aadObjectId: jonas.aadObjectId })],
      ["a token for the wrong audience", share.id, tokenFor(jonas, { aud: "api://someone-else/app" })],
      ["a token signed by a key Entra never published", share.id, entra.token({ iss: `${entra.authority}/${jonas.tenantId}/v2.0`, aud: settings.resource, tid: jonas.tenantId, oid: jonas.aadObjectId, exp: Math.floor(now.getTime() / 1000) + 3600 }, { key: entra.foreignKey })],
      ["no token", share.id, undefined],
    ];
    for (const [what, id, token] of cases) assert.deepEqual(withoutCsp(await read(id, token)), baseline, what);
    // Questions back are refused the same way.
    for (const [what, , token] of cases.slice(0, 3)) assert.deepEqual(await post(`/til-min-leder/delt/${share.id}/spoergsmaal`, token!, { questions: ["Må jeg se?"] }), baseline, `questions from ${what}`);
    const [logged] = (await h.shares.listForSharer(mette.tenantId, mette.aadObjectId)).filter((s) => s.id === share.id);
    assert.equal(logged!.opens, 0, "none of them counted as an opening");
  });

  it("After withdrawal, after expiry and after either person's erasure, the share answers as if it never existed", async () => {
    const baseline = withoutCsp(await neverExisted());
    const withdrawn = await offer();
    assert.equal(await h.shares.withdraw(mette.tenantId, mette.aadObjectId, withdrawn.id, now), "withdrawn");
    assert.deepEqual(withoutCsp(await read(withdrawn.id, tokenFor(jonas))), baseline, "withdrawn");

    const erasedByReader = await offer();
    await eraseAll(jonas);
    assert.deepEqual(withoutCsp(await read(erasedByReader.id, tokenFor(jonas))), baseline, "after the reader's erasure");

    await h.chatAs(jonas).install();
    const erasedBySharer = await offer();
    assert.equal((await read(erasedBySharer.id, tokenFor(jonas))).status, 200);
    await eraseAll(mette);
    assert.deepEqual(withoutCsp(await read(erasedBySharer.id, tokenFor(jonas))), baseline, "after the sharer's erasure");

    await h.chatAs(mette).install();
    const expiring = await offer({ days: 1 });
    assert.equal((await read(expiring.id, tokenFor(jonas))).status, 200);
    now = new Date(expiring.expiresAt);
    assert.deepEqual(withoutCsp(await read(expiring.id, tokenFor(jonas))), baseline, "at its expiry, before the job ran");
    await h.shares.expireDue(now);
    now = new Date(now.getTime() + DAY);
    assert.deepEqual(withoutCsp(await read(expiring.id, tokenFor(jonas))), baseline, "after the job ended it");
    const list = await get("/til-min-leder/delt", tokenFor(jonas));
    assert.ok(list.body.includes("Ingen har delt noget med dig"), list.body);
  });

  it("Questions back through the page are cleaned and bounded, reach the sharer, and never a log line", async () => {
    const share = await offer();
    const tooLong = await post(`/til-min-leder/delt/${share.id}/spoergsmaal`, tokenFor(jonas), { questions: ["x".repeat(501)] });
    assert.equal(tooLong.status, 422);
    assert.ok(tooLong.body.includes("Et af spørgsmålene er for langt."));
    const sent = await post(`/til-min-leder/delt/${share.id}/spoergsmaal`, tokenFor(jonas), { questions: [`Hvad med <i>${SHARED_SECRET}</i>?`, "", "", "", ""] });
    assert.equal(sent.status, 200);
    assert.ok(sent.body.includes("Dine spørgsmål er sendt."));
    assert.ok(sent.body.includes(`Hvad med &#60;i&#62;${SHARED_SECRET}&#60;/i&#62;?`));
    assert.equal((sent.body.match(/<textarea/g) ?? []).length, 4, "4 questions left of 5");
    assert.deepEqual((await h.shares.questionsFor(mette.tenantId, mette.aadObjectId, share.id))?.map((q) => q.text), [`Hvad med <i>${SHARED_SECRET}</i>?`]);
    assert.deepEqual(lines.filter((l) => l.includes(SHARED_SECRET)), []);
    const full = await post(`/til-min-leder/delt/${share.id}/spoergsmaal`, tokenFor(jonas), { questions: ["2", "3", "4", "5"] });
    assert.equal((full.body.match(/<textarea/g) ?? []).length, 0);
    assert.ok(full.body.includes("Du har sendt alle 5 spørgsmål til denne deling."));
  });

  /** "slet mine data" in the person's own chat, confirmed. */
  async function eraseAll(user: TeamsUser) {
    const chat = h.chatAs(user);
    await chat.say("slet mine data");
    await chat.click(chat.lastCard(), "Ja, slet alt");
  }
});
