import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { startApp } from "../../src/app";
import { silentLogger } from "../../src/log";
import { mette } from "../support/activities";
import { httpCall } from "../support/http";
import { testConfig } from "../support/testConfig";
import { harnessBehindFaultyCosmos } from "../support/faultyCosmos";
import { StrictCosmos } from "../support/strictCosmos";
import { ratingInputs, startReflection } from "../support/reflectionSteps";
import { embeddedCosmos, STRICT_PAGES } from "../support/rootHooks";
import { cardContent, cardText, type Harness } from "../support/teamsChat";

/** Teams gives a bot about 15 seconds to answer a turn. */
const TEAMS_TURN_BUDGET_MS = 15_000;

describe("a slow or throttling Cosmos in the middle of a reflection (fault-injecting proxy)", function () {
  this.timeout(60_000);
  let h: Harness;
  let cosmos: StrictCosmos;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ h, cosmos, close } = await harnessBehindFaultyCosmos({ requestTimeoutMs: 2000 }));
  });
  afterEach(() => close());

  const faults = [
    ["hangs", { kind: "hang" }],
    ["throttles every request (429)", { kind: "status", status: 429, retryAfterMs: 200 }],
    ["is unavailable (503)", { kind: "status", status: 503 }],
  ] as const;
  for (const [what, fault] of faults) {
    it(`answers "prøv igen om lidt" within Teams' budget when Cosmos ${what}, and the draft and ratings survive`, async () => {
      const chat = h.chatAs(mette);
      const statements = await startReflection(chat, "leder-af-leder");
      await chat.click(statements, "Næste", ratingInputs(statements, "2"));
      const question = chat.lastCard();

      cosmos.fault = fault;
      const started = Date.now();
      const replies = await chat.click(question, "Næste", { answer: "Et svar skrevet, mens databasen drillede" });
      const elapsed = Date.now() - started;
      assert.match(String(replies.at(-1)?.text), /Prøv igen om lidt – du står stadig, hvor du var/);
      assert.ok(elapsed < TEAMS_TURN_BUDGET_MS, `answered after ${elapsed} ms`);

      cosmos.fault = { kind: "none" };
      // The same card still works: the stack and the draft are as they were before the fault.
      await chat.click(question, "Næste", { answer: "Et svar skrevet, mens databasen drillede" });
      assert.match(cardText(cardContent(chat.lastCard())), /Spørgsmål 2 af 3/);
      const { session } = await h.sessions.load({ tenantId: mette.tenantId as never, userId: mette.aadObjectId as never });
      assert.ok(Object.values(session.draft?.ratings ?? {}).every((r) => r === 2), "the ratings are intact");
    });
  }

  it("never leaves a turn without an answer when Cosmos hangs for good", async () => {
    const chat = h.chatAs(mette);
    await chat.install();
    cosmos.fault = { kind: "hang" };
    const replies: Array<Partial<Activity>> = await chat.say("historik");
    assert.equal(replies.length, 1);
    assert.match(String(replies[0]?.text), /Prøv igen om lidt/);
  });
});

describe("/readyz while Cosmos is away (fault-injecting proxy, real HTTP server)", function () {
  this.timeout(60_000);
  it("answers 503 while Cosmos is unreachable and 200 again afterwards, with no restart", async () => {
    const cosmos = new StrictCosmos(embeddedCosmos().endpoint, STRICT_PAGES);
    await cosmos.start();
    const app = await startApp(testConfig({ COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_REQUEST_TIMEOUT_MS: "1000" }), silentLogger);
    try {
      assert.equal((await httpCall(app.port, "GET", "/readyz")).status, 200);
      for (const fault of [{ kind: "hang" }, { kind: "status", status: 503 }] as const) {
        cosmos.fault = fault;
        assert.equal((await httpCall(app.port, "GET", "/readyz")).status, 503, fault.kind);
        cosmos.fault = { kind: "none" };
        assert.equal((await httpCall(app.port, "GET", "/readyz")).status, 200, `after ${fault.kind}`);
      }
    } finally {
      await app.stop();
      await cosmos.stop();
    }
  });
});
