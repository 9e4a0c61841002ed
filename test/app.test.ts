import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import zlib from "node:zlib";
import { projectRoot } from "../src/kernel/paths";
import { mette, teamsActivity } from "./support/activities";
import { FakeEntra, FakeIdentity } from "./support/fakeIdentity";
import { INSIGHT_ROLE } from "../src/insight/insightPages";
import { sharedCosmos } from "./support/rootHooks";
import { provisionCosmos, testConfig } from "./support/testConfig";

const APP_ID = "8e0f5a83-0000-4000-8000-000000000000";
const SERVICE_URL = "https://smba.trafficmanager.net/emea/";

/** Resident memory of a process, from Linux's /proc; undefined elsewhere. */
function rssBytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function post(port: number, body: Buffer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path: "/api/messages", method: "POST", headers: { "content-type": "application/json", "content-length": String(body.length), ...headers } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * The edge as deployed: the real entry point in its own process, an app id, an external Cosmos
 * (the test's Cosmos server, reached as COSMOS_ENDPOINT), and a token issuer on loopback.
 */
describe("started as in production (app id, external Cosmos), the process survives hostile requests", function () {
  this.timeout(60_000);
  let child: ChildProcess;
  let port = 0;
  let identity: FakeIdentity;
  const entra = new FakeEntra();
  let stderr = "";

  before(async function () {
    // Starting the real entry point under tsx takes seconds when the machine is idle and far
    // longer when it is busy; the start-up is waited for by what it says, not by a clock, and
    // this generous limit only stops a hook that would otherwise hang.
    this.timeout(300_000);
    identity = new FakeIdentity();
    await identity.start();
    await entra.start();
    const cosmos = sharedCosmos();
    const database = `production-${process.pid}`;
    // The account as the Bicep leaves it: database and containers exist; the app only checks.
    await provisionCosmos(testConfig({ COSMOS_DATABASE: database }));
    child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? "",
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "info",
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: "secret",
        MicrosoftAppTenantId: mette.tenantId,
        BotOpenIdMetadata: identity.metadataUrl,
        ENTRA_AUTHORITY: entra.authority,
        COSMOS_ENDPOINT: cosmos.endpoint,
        COSMOS_KEY: cosmos.key,
        COSMOS_DATABASE: database,
        EXPORT_SIGNING_KEY: "a-signing-key-for-the-production-test-0123456789",
        SCHEDULER_ENABLED: "false",
      },
    });
    port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const listening = /"port":(\d+),"host":"127\.0\.0\.1","msg":"Lederrefleksion is listening"/.exec(out);
        if (listening) resolve(Number(listening[1]));
      });
      child.stderr!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        stderr += chunk.toString();
      });
      child.on("exit", (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
  });
  after(async () => {
    child.kill("SIGTERM");
    await identity.stop();
    await entra.stop();
  });

  it("answers compressed garbage and a gzip bomb with 415, with memory growth under 50 MB", async () => {
    const before = rssBytes(child.pid!);
    const bomb = zlib.gzipSync(Buffer.alloc(256 * 1024 * 1024));
    for (const [encoding, body] of [["gzip", Buffer.from("hello")], ["deflate", Buffer.from([0x78, 0x9c, 1, 2, 3])], ["gzip", bomb], ["gzip", bomb]] as const) {
      assert.equal(await post(port, body, { "content-encoding": encoding }), 415);
    }
    const after = rssBytes(child.pid!);
    if (before !== undefined && after !== undefined) {
      process.stdout.write(`      memory: ${(before / 1e6).toFixed(1)} MB before, ${(after / 1e6).toFixed(1)} MB after two ${(bomb.length / 1024).toFixed(0)} kB gzip bombs of 256 MB each\n`);
      assert.ok(after - before < 50 * 1024 * 1024, `grew by ${((after - before) / 1e6).toFixed(1)} MB`);
    }
  });

  it("answers four kinds of forged token with 401, and a genuine one is let through", async () => {
    const activity = Buffer.from(JSON.stringify(teamsActivity("personal-message", mette, { type: "typing", text: undefined, serviceUrl: SERVICE_URL })));
    const forged = identity.forgeries(APP_ID, SERVICE_URL);
    assert.ok(forged.length >= 4);
    for (const [kind, token] of forged) assert.equal(await post(port, activity, { authorization: `Bearer ${token}` }), 401, kind);
    // One log line per refusal on stdout, and no stack traces from the validator on stderr.
    assert.doesNotMatch(stderr, /Error finding key|TokenExpiredError|\s+at /);
    // A typing activity gets no reply, so no outbound call leaves this machine; 200 proves the
    // validator accepted the genuine token and the 401s above are about the forgeries.
    assert.equal(await post(port, activity, { authorization: `Bearer ${identity.token(APP_ID, SERVICE_URL)}` }), 200);
  });

  it("checks the Indsigt tab's token against the authority ENTRA_AUTHORITY names (a sovereign cloud or test issuer needs no patch)", async () => {
    const claims = { iss: `${entra.authority}/${mette.tenantId}/v2.0`, aud: APP_ID, tid: mette.tenantId, oid: mette.aadObjectId, exp: Math.floor(Date.now() / 1000) + 3600, roles: [INSIGHT_ROLE] };
    const numbers = (token: string) => fetch(`http://127.0.0.1:${port}/indsigt/tal`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    assert.equal(await numbers(entra.token(claims)), 200);
    assert.equal(await numbers(entra.token(claims, { key: entra.foreignKey })), 401);
    assert.equal(await numbers(entra.token({ ...claims, iss: `https://login.microsoftonline.com/${mette.tenantId}/v2.0` })), 401, "the public cloud's issuer is not this authority's");
    assert.equal(entra.fetches.get(mette.tenantId), 1, "the keys came from the configured authority, once");
  });

  it("is still alive and ready at the end", async () => {
    const answer = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(answer.status, 200);
    assert.equal(child.exitCode, null);
  });
});
