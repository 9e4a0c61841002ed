import assert from "node:assert/strict";
import path from "node:path";
import sinon from "sinon";
import { authenticateTab as authenticate, EntraSigningKeys, KEYS_COOLDOWN_MS, MAX_CACHED_TENANTS, type SigningKeys, type TabTokenSettings } from "../../src/tabs/tabToken";
import { INSIGHT_ROLE } from "../../src/insight/insightPages";

/** Indsigt's check: the one that asks for a role. */
const authenticateTab = (authorization: string | undefined, settings: TabTokenSettings, keys: SigningKeys, now: Date) => authenticate(authorization, settings, keys, now, INSIGHT_ROLE);
import { InsightPages } from "../../src/insight/insightPages";
import { createHttpServer, type HttpServer } from "../../src/server";
import { loadFramework } from "../../src/content/loadContent";
import { projectRoot } from "../../src/kernel/paths";
import { FakeEntra } from "../support/fakeIdentity";
import { capturingLogger } from "../support/logLines";

const TENANT = "11111111-1111-4111-8111-111111111111";
const OTHER_TENANT = "44444444-4444-4444-8444-444444444444";
const APP = "22222222-2222-4222-8222-222222222222";
const NOW = new Date("2026-12-06T09:00:00.000Z");
const seconds = NOW.getTime() / 1000;

/** The Indsigt tab's sign-in, against a local Entra: its published keys, counted per fetch. */
describe("the Indsigt tab's sign-in, against a local issuer's published keys", () => {
  const entra = new FakeEntra();
  let settings: TabTokenSettings;
  let keys: EntraSigningKeys;
  before(async () => {
    await entra.start();
    settings = { appId: APP, resource: `api://bot.kommune.example/${APP}`, allowedTenants: [TENANT], authority: entra.authority };
    keys = new EntraSigningKeys(entra.authority);
  });
  after(() => entra.stop());

  /** A token as Teams SSO gets it for our tab; `claims` override, `options` forge. */
  const token = (claims: Record<string, unknown>, options: Parameters<FakeEntra["token"]>[1] = {}) =>
    entra.token({ iss: `${entra.authority}/${TENANT}/v2.0`, aud: settings.resource, tid: TENANT, oid: "33333333-3333-4333-8333-333333333333", exp: seconds + 3600, nbf: seconds - 60, roles: [INSIGHT_ROLE], ...claims }, options);
  const check = (authorization: string | undefined) => authenticateTab(authorization, settings, keys, NOW);

  it("lets in a valid token with the role (200)", async () => {
    assert.deepEqual(await check(`Bearer ${token({})}`), { ok: true, tenantId: TENANT, userId: "33333333-3333-4333-8333-333333333333" });
    assert.equal((await check(`Bearer ${token({ aud: APP, iss: `https://sts.windows.net/${TENANT}/` })}`)).ok, true, "the v1 issuer and the app id as audience too");
  });

  it("refuses a valid token without the role with 403", async () => {
    assert.deepEqual(await check(`Bearer ${token({ roles: ["Something.Else"] })}`), { ok: false, status: 403, reason: `the role ${INSIGHT_ROLE} is missing` });
  });

  const refused: Array<[string, () => string | undefined, string]> = [
    ["the wrong audience", () => `Bearer ${token({ aud: "api://someone-else/app" })}`, "wrong audience"],
    ["an expired token", () => `Bearer ${token({ exp: seconds - 3600 })}`, "expired"],
    ["alg: none", () => `Bearer ${token({}, { alg: "none" })}`, "algorithm none is not accepted"],
    ["HS256 (the published public key used as a secret)", () => `Bearer ${token({}, { alg: "HS256" })}`, "algorithm HS256 is not accepted"],
    ["a foreign key under our kid", () => `Bearer ${token({}, { key: entra.foreignKey })}`, "bad signature"],
    ["an unknown kid", () => `Bearer ${token({}, { kid: "key-9" })}`, "unknown signing key"],
    ["another tenant", () => `Bearer ${token({ tid: OTHER_TENANT, iss: `${entra.authority}/${OTHER_TENANT}/v2.0` })}`, "tenant not allowed"],
    ["an issuer not the tenant's", () => `Bearer ${token({ iss: "https://evil.example/v2.0" })}`, "wrong issuer"],
    ["the public cloud's issuer while the authority is another", () => `Bearer ${token({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0` })}`, "wrong issuer"],
    ["no token", () => undefined, "no bearer token"],
    ["garbage", () => "Bearer abc.def", "no bearer token"],
  ];
  for (const [what, make, reason] of refused) {
    it(`refuses ${what} with 401 (${reason})`, async () => {
      assert.deepEqual(await check(make()), { ok: false, status: 401, reason });
    });
  }

  describe("on the real HTTP server, /indsigt/tal and its CSV", () => {
    let http: HttpServer;
    let port: number;
    const captured = capturingLogger("info");
    before(async () => {
      const pages = new InsightPages({
        framework: loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json")),
        buckets: { read: async () => undefined },
        k: 5,
        access: { kind: "entra", settings, keys },
        clock: () => NOW,
        log: captured.log,
      });
      http = createHttpServer({ messages: async () => ({ status: 200 }), readiness: {}, log: captured.log, insight: pages });
      port = await http.listen(0, "127.0.0.1");
    });
    after(() => http.close());

    const get = async (path: string, authorization?: string) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: authorization ? { authorization } : {} });
      return { status: response.status, text: await response.text() };
    };

    it("answers a reader with the role 200 and the numbers, and one without it 403 with whom to ask, in Danish", async () => {
      for (const path of ["/indsigt/tal?kvartal=2026-Q4", "/indsigt/tal.csv?kvartal=2026-Q4"]) {
        assert.equal((await get(path, `Bearer ${token({})}`)).status, 200, path);
        const denied = await get(path, `Bearer ${token({ roles: [] })}`);
        assert.equal(denied.status, 403, path);
        assert.match(denied.text, /Du har ikke adgang til Indsigt.*rollen »Indsigt\.Laes«/s);
      }
    });

    for (const [what, make] of [
      ["the wrong audience", () => `Bearer ${token({ aud: "api://someone-else/app" })}`],
      ["an expired token", () => `Bearer ${token({ exp: seconds - 3600 })}`],
      ["alg: none", () => `Bearer ${token({}, { alg: "none" })}`],
      ["a foreign key", () => `Bearer ${token({}, { key: entra.foreignKey })}`],
      ["no token", () => undefined],
    ] as const) {
      it(`answers ${what} 401 with a Danish page, and logs the reason without the token`, async () => {
        const authorization = make();
        const answer = await get("/indsigt/tal", authorization);
        assert.equal(answer.status, 401);
        assert.match(answer.text, /Du skal logge ind/);
        assert.doesNotMatch(answer.text.replace(/<[^>]+>/g, ""), /\d/, `no number of any kind: ${answer.text}`);
        const line = captured.lines.at(-1) ?? "";
        assert.match(line, /LR-1704/);
        if (authorization) assert.ok(!line.includes(authorization.slice(7, 40)), "the token is not logged");
      });
    }
  });
});

/**
 * Issue 28: made-up tokens must not make the server call Entra at will. The local Entra counts
 * every key fetch; each test has a key cache of its own, as a fresh process would.
 */
describe("the tab's key lookups, which a stranger's tokens cannot drive", () => {
  const entra = new FakeEntra();
  let anyTenant: TabTokenSettings;
  before(async () => {
    await entra.start();
    anyTenant = { appId: APP, resource: `api://bot.kommune.example/${APP}`, allowedTenants: [], authority: entra.authority };
  });
  after(() => entra.stop());
  beforeEach(() => {
    entra.fetches.clear();
    entra.failing.clear();
  });

  const tenantId = (i: number) => `${i.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
  /** A token a forger makes: right tenant, issuer and audience, a random kid, no valid signature. */
  const forged = (tenant: string, kid = `forged-${Math.random().toString(36).slice(2)}`) =>
    `Bearer ${entra.token({ iss: `${entra.authority}/${tenant}/v2.0`, aud: anyTenant.resource, tid: tenant, oid: "33333333-3333-4333-8333-333333333333", exp: seconds + 3600, roles: [INSIGHT_ROLE] }, { kid, randomSignature: true })}`;

  it("refuses a token that cannot pass (audience, expiry, algorithm, tenant, issuer) without fetching any key", async () => {
    const keys = new EntraSigningKeys(entra.authority);
    const settings = { ...anyTenant, allowedTenants: [TENANT] };
    const claims = { iss: `${entra.authority}/${TENANT}/v2.0`, aud: settings.resource, tid: TENANT, oid: "33333333-3333-4333-8333-333333333333", exp: seconds + 3600, roles: [INSIGHT_ROLE] };
    const cannotPass: Array<[string, string]> = [
      [entra.token({ ...claims, aud: "api://someone-else/app" }, { kid: "new-1" }), "wrong audience"],
      [entra.token({ ...claims, exp: seconds - 3600 }, { kid: "new-2" }), "expired"],
      [entra.token(claims, { alg: "none", kid: "new-3" }), "algorithm none is not accepted"],
      [entra.token(claims, { alg: "HS256", kid: "new-4" }), "algorithm HS256 is not accepted"],
      [entra.token({ ...claims, tid: OTHER_TENANT, iss: `${entra.authority}/${OTHER_TENANT}/v2.0` }, { kid: "new-5" }), "tenant not allowed"],
      [entra.token({ ...claims, iss: "https://evil.example/v2.0" }, { kid: "new-6" }), "wrong issuer"],
    ];
    for (const [jwt, reason] of cannotPass) assert.deepEqual(await authenticateTab(`Bearer ${jwt}`, settings, keys, NOW), { ok: false, status: 401, reason });
    assert.equal(entra.totalFetches, 0);
  });

  it("answers 200 concurrent forged tokens with unknown kids with one key fetch for their tenant, and 200 more within the cool-down with none", async () => {
    const keys = new EntraSigningKeys(entra.authority);
    const flood = () => Promise.all(Array.from({ length: 200 }, () => authenticateTab(forged(TENANT), anyTenant, keys, NOW)));
    for (const identity of await flood()) assert.deepEqual(identity, { ok: false, status: 401, reason: "unknown signing key" });
    assert.equal(entra.fetches.get(TENANT), 1);
    for (const identity of await flood()) assert.deepEqual(identity, { ok: false, status: 401, reason: "unknown signing key" });
    assert.deepEqual([...entra.fetches], [[TENANT, 1]], "one fetch, for that tenant only");
  });

  it("asks a tenant whose keys endpoint fails once per cool-down, however many tokens name it", async () => {
    const keys = new EntraSigningKeys(entra.authority);
    entra.failing.add(OTHER_TENANT);
    const flood = () => Promise.all(Array.from({ length: 200 }, () => authenticateTab(forged(OTHER_TENANT), anyTenant, keys, NOW)));
    for (const identity of await flood()) assert.deepEqual(identity, { ok: false, status: 401, reason: "the signing keys could not be fetched" });
    for (const identity of await flood()) assert.deepEqual(identity, { ok: false, status: 401, reason: "the signing keys could not be fetched" });
    assert.equal(entra.fetches.get(OTHER_TENANT), 1);
  });

  it("fetches again for an unknown kid once the cool-down is over, so a key Entra rolls over to is accepted", async () => {
    // jose keeps its cool-down with Date.now(): only the date is faked, so the fetches run as usual.
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
    try {
      const keys = new EntraSigningKeys(entra.authority);
      entra.rollOver("rolled-over");
      const genuine = `Bearer ${entra.token({ iss: `${entra.authority}/${TENANT}/v2.0`, aud: APP, tid: TENANT, oid: "33333333-3333-4333-8333-333333333333", exp: seconds + 3600, roles: [INSIGHT_ROLE] }, { kid: "rolled-over" })}`;
      assert.equal((await authenticateTab(forged(TENANT), anyTenant, keys, NOW)).ok, false);
      assert.deepEqual(await authenticateTab(genuine, anyTenant, keys, NOW), { ok: true, tenantId: TENANT, userId: "33333333-3333-4333-8333-333333333333" }, "published before the first fetch: no second one needed");
      assert.equal(entra.fetches.get(TENANT), 1);
      await authenticateTab(forged(TENANT), anyTenant, keys, NOW);
      assert.equal(entra.fetches.get(TENANT), 1, "within the cool-down");
      clock.tick(KEYS_COOLDOWN_MS + 1);
      await authenticateTab(forged(TENANT), anyTenant, keys, NOW);
      assert.equal(entra.fetches.get(TENANT), 2, "after it");
    } finally {
      clock.restore();
    }
  });

  it("keeps at most MAX_CACHED_TENANTS tenants' keys with 10,000 tenant ids (ALLOWED_TENANTS=*), the least recently used out first", async function () {
    this.timeout(60_000);
    // Ten thousand loopback round trips take half a minute on a busy machine: the local issuer answers in-process here.
    const keys = new EntraSigningKeys(entra.authority, { fetch: entra.fetch });
    let largest = 0;
    for (let batch = 0; batch < 100; batch += 1) {
      const tenants = Array.from({ length: 100 }, (_, i) => tenantId(batch * 100 + i));
      await Promise.all(tenants.map((tenant) => authenticateTab(forged(tenant), anyTenant, keys, NOW)));
      largest = Math.max(largest, keys.cachedTenants);
    }
    assert.equal(entra.fetches.size, 10_000, "each tenant was looked up");
    assert.equal(largest, MAX_CACHED_TENANTS);
    // The most recent tenant is still held (no new fetch within its cool-down); the first was dropped.
    await authenticateTab(forged(tenantId(9_999)), anyTenant, keys, NOW);
    assert.equal(entra.fetches.get(tenantId(9_999)), 1);
    await authenticateTab(forged(tenantId(0)), anyTenant, keys, NOW);
    assert.equal(entra.fetches.get(tenantId(0)), 2);
  });
});
