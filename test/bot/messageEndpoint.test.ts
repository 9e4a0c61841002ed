import assert from "node:assert/strict";
import http from "node:http";
import zlib from "node:zlib";
import sinon from "sinon";
import { ConfigurationServiceClientCredentialFactory } from "botbuilder";
import { startApp, type RunningApp } from "../../src/app";
import { capturingLogger } from "../support/logLines";
import { mette, teamsMessage } from "../support/activities";
import { appWithConnector, FakeConnector } from "../support/fakeConnector";
import { FakeIdentity } from "../support/fakeIdentity";
import { httpCall } from "../support/http";
import { provisionCosmos, testConfig } from "../support/testConfig";

const APP_ID = "8e0f5a83-0000-4000-8000-000000000000";
const TENANT = "11111111-1111-4111-8111-111111111111";

/** A raw POST, so tests control the bytes and headers exactly (fetch would fix some of them). */
function rawPost(port: number, path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path, method: "POST", headers: { "content-length": String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

describe("the HTTP edge refuses hostile requests before any turn (real restify server)", () => {
  const running = appWithConnector();


  for (const encoding of ["gzip", "deflate", "br", "GZIP", "identity, gzip"]) {
    it(`answers a body with Content-Encoding "${encoding}" with 415 and keeps serving`, async () => {
      const answer = await rawPost(running.app.port, "/api/messages", Buffer.from("hello"), { "content-type": "application/json", "content-encoding": encoding });
      assert.equal(answer.status, 415);
      assert.equal((await httpCall(running.app.port, "GET", "/healthz")).status, 200);
    });
  }

  it("answers a gzip bomb with 415 without inflating it", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(200 * 1024 * 1024));
    const answer = await rawPost(running.app.port, "/api/messages", bomb, { "content-type": "application/json", "content-encoding": "gzip" });
    assert.equal(answer.status, 415);
    assert.equal((await httpCall(running.app.port, "GET", "/healthz")).status, 200);
  });

  it("answers a declared body over the limit with 413 before reading it", async () => {
    const answer = await rawPost(running.app.port, "/api/messages", Buffer.from("{}"), { "content-type": "application/json", "content-length": String(10 * 1024 * 1024) }).catch(
      (error: Error) => ({ status: -1, body: error.message }),
    );
    // The server answers 413 and closes; the client may see the answer or a reset, never a 2xx.
    assert.ok(answer.status === 413 || answer.status === -1, `got ${answer.status}`);
    assert.equal((await httpCall(running.app.port, "GET", "/healthz")).status, 200);
  });

  const malformed: Array<[string, (a: Record<string, unknown>) => unknown, string]> = [
    ["from missing", ({ from: _f, ...rest }) => rest, "$.from"],
    ["from.id empty", (a) => ({ ...a, from: { id: "" } }), "$.from.id"],
    ["from.aadObjectId empty", (a) => ({ ...a, from: { id: "29:x", aadObjectId: "" } }), "$.from.aadObjectId"],
    ["conversation a string", (a) => ({ ...a, conversation: "c" }), "$.conversation"],
    ["recipient missing", ({ recipient: _r, ...rest }) => rest, "$.recipient"],
    ["serviceUrl an object", (a) => ({ ...a, serviceUrl: { href: "http://127.0.0.1" } }), "$.serviceUrl"],
    ["serviceUrl not a URL", (a) => ({ ...a, serviceUrl: "javascript:alert(1)" }), "$.serviceUrl"],
    ["serviceUrl missing", ({ serviceUrl: _s, ...rest }) => rest, "$.serviceUrl"],
    ["text a number", (a) => ({ ...a, text: 42 }), "$.text"],
    ["locale an array", (a) => ({ ...a, locale: ["da"] }), "$.locale"],
    ["channelId missing", ({ channelId: _c, ...rest }) => rest, "$.channelId"],
    ["id a number", (a) => ({ ...a, id: 7 }), "$.id"],
    ["localTimezone an object", (a) => ({ ...a, localTimezone: {} }), "$.localTimezone"],
    ["membersAdded with a nameless member", (a) => ({ ...a, membersAdded: [{}] }), "$.membersAdded[0].id"],
    ["conversationType unknown", (a) => ({ ...a, conversation: { id: "c", conversationType: "meeting-room" } }), "$.conversation.conversationType"],
  ];
  for (const [what, mutate, path] of malformed) {
    it(`answers an activity with ${what} with 400 naming ${path}, and runs no turn`, async () => {
      const activity = mutate(teamsMessage(mette, "hjælp", { serviceUrl: running.connector.serviceUrl }));
      const answer = await httpCall(running.app.port, "POST", "/api/messages", activity);
      assert.equal(answer.status, 400);
      assert.equal((answer.body as { path: string }).path, path);
      assert.equal(running.connector.calls.length, 0);
    });
  }

  it("answers an anonymous activity whose serviceUrl is not loopback with 400 and never calls it", async () => {
    const answer = await httpCall(running.app.port, "POST", "/api/messages", teamsMessage(mette, "hjælp", { serviceUrl: "https://attacker.example/" }));
    assert.equal(answer.status, 400);
    assert.equal((answer.body as { error: string }).error, "service_url_not_loopback");
  });

  it("answers a 120 kB message in well under a second and keeps serving others", async () => {
    const started = process.hrtime.bigint();
    const answer = await httpCall(running.app.port, "POST", "/api/messages", teamsMessage(mette, ".".repeat(120_000) + "a", { serviceUrl: running.connector.serviceUrl }));
    assert.equal(answer.status, 200);
    const [reply] = await running.connector.waitForCalls(1);
    assert.ok(reply, "the long message got an answer");
    // Not a timing assertion on speed: it only guards against the seconds-long regex stall.
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 2000);
  });
});

describe("the HTTP edge with a bot registration (real token validation against a local issuer)", () => {
  let app: RunningApp;
  let identity: FakeIdentity;
  let connector: FakeConnector;
  let lines: string[] = [];

  beforeEach(async () => {
    identity = new FakeIdentity();
    await identity.start();
    connector = new FakeConnector();
    await connector.start();
    const captured = capturingLogger();
    lines = captured.lines;
    const log = captured.log;
    const config = testConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: "secret", MicrosoftAppTenantId: TENANT, BotOpenIdMetadata: identity.metadataUrl, SCHEDULER_ENABLED: "false" });
    await provisionCosmos(config);
    app = await startApp(config, log);
  });
  afterEach(async () => {
    sinon.restore();
    await app.stop();
    await connector.stop();
    await identity.stop();
  });

  const post = (activity: Record<string, unknown>, token: string | undefined) =>
    httpCall(app.port, "POST", "/api/messages", activity, token === undefined ? {} : { authorization: `Bearer ${token}` });
  const message = (overrides: Record<string, unknown> = {}) => teamsMessage(mette, "hjælp", { serviceUrl: connector.serviceUrl, ...overrides });

  it("runs the turn for a genuine token and answers through the Connector", async () => {
    // The outbound token for replies comes from Entra ID: the outside world, so it is stubbed.
    sinon.stub(ConfigurationServiceClientCredentialFactory.prototype, "createCredentials").resolves({
      signRequest: async (request: unknown) => request,
      getToken: async () => "outbound-token",
    } as never);
    const answer = await post(message(), identity.token(APP_ID, connector.serviceUrl));
    assert.equal(answer.status, 200);
    const [call] = await connector.waitForCalls(1);
    assert.match(JSON.stringify(call?.body), /Sådan bruger du Lederrefleksion/);
  });

  it("answers a request with no token with 401", async () => {
    assert.equal((await post(message(), undefined)).status, 401);
  });

  it("answers each kind of forged token with 401 and one log line without a stack, and runs no turn", async () => {
    for (const [kind, token] of identity.forgeries(APP_ID, connector.serviceUrl)) {
      lines.length = 0;
      const answer = await post(message(), token);
      assert.equal(answer.status, 401, kind);
      assert.deepEqual(Object.keys(answer.body as object).sort(), ["error", "message"], kind);
      const refusals = lines.filter((l) => l.includes("Refused activity"));
      assert.equal(refusals.length, 1, `${kind}: ${lines.join("")}`);
      assert.doesNotMatch(refusals[0]!, /"stack"|\s+at /, kind);
    }
    assert.equal(connector.calls.length, 0);
  });

  it("answers a genuine token used for another serviceUrl with 401", async () => {
    assert.equal((await post(message(), identity.token(APP_ID, "https://elsewhere.example/"))).status, 401);
  });

  it("answers an activity from another channel than Teams with 403", async () => {
    const answer = await post(message({ channelId: "webchat" }), identity.token(APP_ID, connector.serviceUrl));
    assert.equal(answer.status, 403);
    assert.equal((answer.body as { error: string }).error, "channel_not_allowed");
  });

  it("answers an activity from a tenant that is not allowed with 403", async () => {
    const other = "22222222-2222-4222-8222-222222222222";
    const answer = await post(
      message({ conversation: { id: mette.conversationId, conversationType: "personal", tenantId: other }, channelData: { tenant: { id: other } } }),
      identity.token(APP_ID, connector.serviceUrl),
    );
    assert.equal(answer.status, 403);
    assert.equal((answer.body as { error: string }).error, "tenant_not_allowed");
  });

  it("answers an activity whose two tenant fields disagree with 403", async () => {
    const answer = await post(message({ channelData: { tenant: { id: "22222222-2222-4222-8222-222222222222" } } }), identity.token(APP_ID, connector.serviceUrl));
    assert.equal(answer.status, 403);
  });

  it("checks the token before the shape, so an unauthenticated caller learns nothing about the schema", async () => {
    const answer = await post({ type: "message", from: 5 }, undefined);
    assert.equal(answer.status, 401);
  });
});
