import assert from "node:assert/strict";
import net, { type AddressInfo } from "node:net";
import { startApp } from "../src/app";
import type { AppError } from "../src/kernel/errors";
import { silentLogger } from "../src/kernel/log";
import { createHttpServer, MAX_BODY_BYTES } from "../src/server";
import { mette, teamsActivity, teamsMessage } from "./support/activities";
import { appWithConnector } from "./support/fakeConnector";
import { httpCall } from "./support/http";
import { provisionCosmos, testConfig } from "./support/testConfig";

describe("HTTP server (real restify, embedded Cosmos, fake Bot Connector)", () => {
  const running = appWithConnector();

  it("answers /healthz with JSON while the process is up", async () => {
    const answer = await httpCall(running.app.port, "GET", "/healthz");
    assert.equal(answer.status, 200);
    assert.equal((answer.body as { status: string }).status, "ok");
  });

  it("answers /readyz with 200 when storage is reachable and content is loaded", async () => {
    const answer = await httpCall(running.app.port, "GET", "/readyz");
    assert.equal(answer.status, 200);
    assert.deepEqual((answer.body as { checks: unknown }).checks, {
      storage: { ok: true },
      content: { ok: true, contentVersion: running.app.framework.contentVersion },
    });
  });



  it("delivers the Danish help text to the activity's serviceUrl when a user writes 'hjælp'", async () => {
    const answer = await httpCall(running.app.port, "POST", "/api/messages", teamsMessage(mette, "hjælp", { serviceUrl: running.connector.serviceUrl }));
    assert.equal(answer.status, 200);
    const [call] = await running.connector.waitForCalls(1);
    assert.equal(call?.conversationId, mette.conversationId);
    assert.match(JSON.stringify(call?.body.attachments), /Sådan bruger du Lederrefleksion/);
  });

  it("welcomes a user once when the app is installed in personal scope", async () => {
    const install = teamsActivity("personal-install", mette, { serviceUrl: running.connector.serviceUrl });
    await httpCall(running.app.port, "POST", "/api/messages", install);
    await httpCall(running.app.port, "POST", "/api/messages", { ...install, id: "again" });
    const welcomes = running.connector.sentActivities().filter((a) => JSON.stringify(a).includes("Velkommen til Lederrefleksion"));
    assert.equal(welcomes.length, 1);
  });

  it("points a user who types while a card waits back to the card", async () => {
    await httpCall(running.app.port, "POST", "/api/messages", teamsActivity("personal-install", mette, { serviceUrl: running.connector.serviceUrl }));
    await httpCall(running.app.port, "POST", "/api/messages", teamsMessage(mette, "hvad er klokken", { serviceUrl: running.connector.serviceUrl }));
    const last = running.connector.sentActivities().at(-1);
    assert.match(String(last?.text), /Brug kortet ovenfor til at svare/);
  });

  it("rejects malformed JSON with 400 and keeps serving", async () => {
    const answer = await httpCall(running.app.port, "POST", "/api/messages", "{not json");
    assert.equal(answer.status, 400);
    assert.equal((await httpCall(running.app.port, "GET", "/healthz")).status, 200);
  });

  it("rejects JSON that is not an activity with 400", async () => {
    for (const body of [{}, [], { type: 5 }, "null"]) {
      const answer = await httpCall(running.app.port, "POST", "/api/messages", body);
      assert.equal(answer.status, 400, `for ${JSON.stringify(body)}`);
    }
  });

  it("rejects a body over the size limit with 413", async () => {
    const huge = teamsMessage(mette, "x".repeat(MAX_BODY_BYTES + 1), { serviceUrl: running.connector.serviceUrl });
    const answer = await httpCall(running.app.port, "POST", "/api/messages", huge);
    assert.equal(answer.status, 413);
    assert.equal(running.connector.calls.length, 0);
  });
});

describe("HTTP server with another organisation's framework (CONTENT_PATH)", () => {
  it("starts and serves that framework", async () => {
    const app = await startApp(testConfig({ CONTENT_PATH: "test/fixtures/content/mini-framework.json" }), silentLogger);
    try {
      assert.deepEqual(app.framework.themes.map((t) => t.title), ["Vi viser tillid", "Vi har mod"]);
      const answer = await httpCall(app.port, "GET", "/readyz");
      assert.match(String((answer.body as { checks: { content: { contentVersion: string } } }).checks.content.contentVersion), /^test-1#/);
    } finally {
      await app.stop();
    }
  });
});

describe("HTTP server readiness", () => {
  it("answers /readyz with 503 and the reason when a check fails", async () => {
    const http = createHttpServer({
      messages: async () => ({ status: 200 }),
      readiness: {
        storage: async () => {
          throw new Error("connect ECONNREFUSED 127.0.0.1:8081");
        },
      },
      log: silentLogger,
    });
    const port = await http.listen(0, "127.0.0.1");
    try {
      const answer = await httpCall(port, "GET", "/readyz");
      assert.equal(answer.status, 503);
      assert.deepEqual((answer.body as { checks: unknown }).checks, {
        storage: { ok: false, reason: "connect ECONNREFUSED 127.0.0.1:8081" },
      });
    } finally {
      await http.close();
    }
  });
});

describe("HTTP server on a taken port", () => {
  it("refuses to listen with LR-1103, naming the address, when another server holds the port", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as AddressInfo).port;
    const http = createHttpServer({ messages: async () => ({ status: 200 }), readiness: {}, log: silentLogger });
    try {
      await assert.rejects(http.listen(port, "127.0.0.1"), (error: AppError) => {
        assert.equal(error.code, "LR-1103");
        assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}: EADDRINUSE`));
        return true;
      });
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});

describe("HTTP server with a bot registration", () => {
  it("rejects an unauthenticated POST with 401 when MicrosoftAppId is set", async () => {
    const config = testConfig({
      MicrosoftAppId: "8e0f5a83-0000-4000-8000-000000000000",
      MicrosoftAppPassword: "secret",
      MicrosoftAppType: "SingleTenant",
      MicrosoftAppTenantId: "11111111-1111-4111-8111-111111111111",
      HOST: "127.0.0.1",
    });
    await provisionCosmos(config);
    const app = await startApp(config, silentLogger);
    try {
      const answer = await httpCall(app.port, "POST", "/api/messages", teamsMessage(mette, "hjælp"));
      assert.equal(answer.status, 401);
    } finally {
      await app.stop();
    }
  });
});
