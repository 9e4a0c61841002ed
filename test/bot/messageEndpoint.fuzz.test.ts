import assert from "node:assert/strict";
import fc from "fast-check";
import { startApp, type RunningApp } from "../../src/app";
import { CARD_VERBS } from "../../src/domain/cardSubmit";
import { capturingLogger } from "../support/logLines";
import { mette, teamsActivity } from "../support/activities";
import { FakeConnector } from "../support/fakeConnector";
import { testConfig } from "../support/testConfig";

/** How many generated activities go through the real HTTP server. */
const RUNS = 10_000;

const TYPED = ["hjælp", "start", "annuller", "historik", "udvikling", "eksport", "slet mine data", "påmindelser", "opsæt", "status", "spørgsmål 2", "skift rolle"];

type Json = Record<string, unknown>;

/**
 * The fuzz test the edge is held to: thousands of generated activities, most of them wrong in
 * some way a hostile or broken client could make them, through the real restify server.
 * Required: no 5xx, no unhandled turn error, and an answer to every well-formed message.
 */
describe("fuzzing /api/messages with generated activities (real HTTP server, embedded Cosmos)", function () {
  // A guard against a hang, not a measure of speed: on a busy 2-core machine the 10,000 runs take minutes.
  this.timeout(1_200_000);
  let app: RunningApp;
  let connector: FakeConnector;
  let lines: string[] = [];

  before(async () => {
    connector = new FakeConnector();
    await connector.start();
    const { log, lines: captured } = capturingLogger("warn");
    lines = captured;
    app = await startApp(testConfig({ SCHEDULER_ENABLED: "false", LOG_LEVEL: "warn" }), log);
  });
  after(async () => {
    await app.stop();
    await connector.stop();
  });

  it(`answers ${RUNS} generated activities without a 5xx or an unhandled turn error, and answers every well-formed message`, async () => {
    let userNumber = 0;
    const text = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...TYPED) },
      { weight: 4, arbitrary: fc.string({ maxLength: 300, unit: "grapheme" }) },
      { weight: 1, arbitrary: fc.constantFrom(".".repeat(28_000) + "a", "<at>Lederrefleksion</at> ".repeat(500), "\u0000\uffff\ud800") },
    );
    const cardValue = fc.oneof(
      fc.record({ verb: fc.constantFrom(...CARD_VERBS, "dropTables"), token: fc.string({ maxLength: 90 }), step: fc.string({ maxLength: 20 }), questionIndex: fc.anything() }, { requiredKeys: ["verb"] }),
      fc.anything(),
    );
    const wellFormed = fc.record({ text: fc.option(text, { nil: undefined }), value: fc.option(cardValue, { nil: undefined }) });
    const mutation = fc.record({
      path: fc.constantFrom("type", "id", "channelId", "serviceUrl", "from", "from.id", "from.aadObjectId", "conversation", "conversation.id", "conversation.conversationType", "conversation.tenantId", "recipient", "text", "locale", "replyToId", "localTimezone", "membersAdded", "channelData", "channelData.tenant"),
      to: fc.oneof(fc.constant(undefined), fc.anything({ maxDepth: 2 }), fc.constantFrom("", "javascript:alert(1)", "http://10.0.0.1/", { href: "x" }, [], 0)),
    });
    const generated = fc.oneof(
      { weight: 4, arbitrary: wellFormed.map((w) => ({ kind: "well-formed" as const, ...w })) },
      { weight: 5, arbitrary: fc.tuple(wellFormed, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([w, m]) => ({ kind: "mutated" as const, ...w, mutations: m })) },
      { weight: 1, arbitrary: fc.anything().map((body) => ({ kind: "garbage" as const, body })) },
    );

    let fiveHundreds = 0;
    let unanswered = 0;
    let messagesChecked = 0;
    await fc.assert(
      fc.asyncProperty(generated, async (g) => {
        userNumber += 1;
        const id = `00000000-0000-4000-8000-${String(userNumber).padStart(12, "0")}`;
        const user = { aadObjectId: id, tenantId: mette.tenantId, conversationId: `a:fuzz-${userNumber}` };
        let body: unknown;
        if (g.kind === "garbage") body = g.body;
        else {
          const activity = teamsActivity("personal-message", user, { serviceUrl: connector.serviceUrl, text: g.text, value: g.value });
          if (g.kind === "mutated") for (const m of g.mutations) setPath(activity, m.path, m.to);
          body = activity;
        }
        const before = connector.calls.length;
        const response = await fetch(`http://127.0.0.1:${app.port}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body) ?? "null",
        });
        await response.arrayBuffer();
        if (response.status >= 500) fiveHundreds += 1;
        assert.ok(response.status < 500, `HTTP ${response.status} for ${String(JSON.stringify(body)).slice(0, 300)}`);
        // A well-formed message always deserves an answer: a command's, "I did not understand",
        // or "I only read text and cards" for an empty one.
        if (g.kind === "well-formed") {
          messagesChecked += 1;
          const answered = connector.calls.slice(before).some((c) => c.conversationId === user.conversationId);
          if (!answered) unanswered += 1;
          assert.ok(answered, `no answer to ${JSON.stringify({ text: g.text?.slice(0, 80), value: g.value }).slice(0, 300)}`);
        }
      }),
      { numRuns: RUNS, seed: 20261123, endOnFailure: true },
    );
    const turnErrors = lines.filter((l) => l.includes('"code":"LR-1001"') || l.includes('"code":"LR-1002"'));
    process.stdout.write(`      fuzz: ${RUNS} activities, ${messagesChecked} well-formed messages answered, ${fiveHundreds} × 5xx, ${turnErrors.length} turn errors\n`);
    assert.equal(fiveHundreds, 0);
    assert.equal(unanswered, 0);
    assert.deepEqual(turnErrors, []);
  });
});

/** Sets (or, with undefined, deletes) a dotted path in an activity, creating objects on the way. */
function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split(".");
  let node: Json = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Json;
  }
  const last = keys.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}
