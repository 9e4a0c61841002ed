import assert from "node:assert/strict";
import { TestAdapter, TurnContext, type Activity } from "botbuilder";
import { startApp, type RunningApp } from "../../src/app";
import { keepWithinTeamsLimit } from "../../src/bot/outbox";
import { mette, teamsMessage } from "../support/activities";
import { FakeConnector } from "../support/fakeConnector";
import { httpCall } from "../support/http";
import { capturingLogger } from "../support/logLines";
import { testConfig } from "../support/testConfig";

describe("a reply Teams refuses or drops (real server, fake Connector)", () => {
  let app: RunningApp;
  let connector: FakeConnector;
  let lines: string[];
  beforeEach(async () => {
    connector = new FakeConnector();
    await connector.start();
    const captured = capturingLogger("warn");
    lines = captured.lines;
    app = await startApp(testConfig(), captured.log);
  });
  afterEach(async () => {
    await app.stop();
    await connector.stop();
  });

  const codes = () => lines.map((l) => JSON.parse(l) as { code?: string }).map((l) => l.code).filter(Boolean);

  it("is logged as a send failure (LR-1601), never as storage (LR-1401), when the connection is reset", async () => {
    connector.respond = () => ({ status: 0, reset: true });
    const answer = await httpCall(app.port, "POST", "/api/messages", teamsMessage(mette, "hjælp", { serviceUrl: connector.serviceUrl }));
    assert.ok(answer.status < 500, `the endpoint answered ${answer.status}`);
    assert.ok(codes().includes("LR-1601"), codes().join(", "));
    assert.ok(!codes().includes("LR-1401"), codes().join(", "));
  });

  it("is logged as a send failure when Teams answers 403 in a group chat", async () => {
    connector.respond = () => ({ status: 403, body: { error: { code: "BotNotInConversationRoster" } } });
    const inGroup = teamsMessage(mette, "<at>Lederrefleksion</at> hjælp", {
      serviceUrl: connector.serviceUrl,
      conversation: { id: "19:chat-ledergruppe@thread.v2", conversationType: "groupChat", tenantId: mette.tenantId, isGroup: true },
    });
    await httpCall(app.port, "POST", "/api/messages", inGroup);
    assert.ok(codes().includes("LR-1601"), codes().join(", "));
    assert.ok(!codes().includes("LR-1001"), "not an unexpected error");
  });
});

describe("every reply measured as Teams measures it, in one place", () => {
  it("replaces a reply over the 40 KB budget (UTF-16) with a short Danish note, and keeps one within it", () => {
    const context = new TurnContext(new TestAdapter(), { type: "message", text: "x", channelId: "msteams", conversation: { id: "c" } as Activity["conversation"] });
    const small = { type: "message", text: "æ".repeat(20 * 1024 - 200) };
    // 20,000 emoji are 40,000 UTF-16 units: 80 KB as Teams counts.
    const big = { type: "message", text: "😀".repeat(20_000) };
    const activities: Array<Partial<Activity>> = [small, big];
    keepWithinTeamsLimit(context, activities);
    assert.equal(activities[0], small);
    assert.match(String(activities[1]?.text), /Svaret blev for stort til én besked i Teams/);
  });
});
