import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import path from "node:path";
import { authenticateTab, HttpSigningKeys, INSIGHT_ROLE } from "../../src/insight/tabToken";
import { InsightPages } from "../../src/insight/insightPages";
import { createHttpServer, type HttpServer } from "../../src/server";
import { loadFramework } from "../../src/content/loadContent";
import { projectRoot } from "../../src/kernel/paths";
import { capturingLogger } from "../support/logLines";

const TENANT = "11111111-1111-4111-8111-111111111111";
const APP = "22222222-2222-4222-8222-222222222222";
const settings = { appId: APP, resource: `api://bot.kommune.example/${APP}`, allowedTenants: [TENANT] };
const NOW = new Date("2026-12-06T09:00:00.000Z");
const seconds = NOW.getTime() / 1000;

const ours = generateKeyPairSync("rsa", { modulusLength: 2048 });
const foreign = generateKeyPairSync("rsa", { modulusLength: 2048 });
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
function token(claims: Record<string, unknown>, options: { key?: KeyObject; kid?: string; alg?: string } = {}): string {
  const header = b64({ alg: options.alg ?? "RS256", kid: options.kid ?? "key-1", typ: "JWT" });
  const payload = b64({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: settings.resource, tid: TENANT, oid: "33333333-3333-4333-8333-333333333333", exp: seconds + 3600, nbf: seconds - 60, roles: [INSIGHT_ROLE], ...claims });
  if (options.alg === "none") return `${header}.${payload}.x`;
  if (options.alg === "HS256") return `${header}.${payload}.${createHmac("sha256", "secret").update(`${header}.${payload}`).digest("base64url")}`;
  return `${header}.${payload}.${sign("RSA-SHA256", Buffer.from(`${header}.${payload}`), options.key ?? ours.privateKey).toString("base64url")}`;
}

/** A local issuer: the tenant's keys endpoint, as Entra publishes it. */
describe("the Indsigt tab's sign-in, against a local issuer's published keys", () => {
  let server: http.Server;
  let keys: HttpSigningKeys;
  before(async () => {
    const jwk = { ...ours.publicKey.export({ format: "jwk" }), kid: "key-1", use: "sig" };
    server = http.createServer((req, res) => {
      res.writeHead(req.url === `/${TENANT}/discovery/v2.0/keys` ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    keys = new HttpSigningKeys((tenant) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/${tenant}/discovery/v2.0/keys`);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

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
    ["HS256 (a public key used as a secret)", () => `Bearer ${token({}, { alg: "HS256" })}`, "algorithm HS256 is not accepted"],
    ["a foreign key under our kid", () => `Bearer ${token({}, { key: foreign.privateKey })}`, "bad signature"],
    ["an unknown kid", () => `Bearer ${token({}, { kid: "key-9" })}`, "unknown signing key"],
    ["another tenant", () => `Bearer ${token({ tid: "44444444-4444-4444-8444-444444444444", iss: "https://login.microsoftonline.com/44444444-4444-4444-8444-444444444444/v2.0" })}`, "tenant not allowed"],
    ["an issuer not the tenant's", () => `Bearer ${token({ iss: "https://evil.example/v2.0" })}`, "wrong issuer"],
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
      ["a foreign key", () => `Bearer ${token({}, { key: foreign.privateKey })}`],
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
