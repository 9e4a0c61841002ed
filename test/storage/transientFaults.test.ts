import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { startApp } from "../../src/app";
import { silentLogger } from "../../src/kernel/log";
import { mette } from "../support/activities";
import { httpCall } from "../support/http";
import { testConfig } from "../support/testConfig";
import { eachBehindFaultyCosmos } from "../support/faultyCosmos";
import { StrictCosmos } from "../support/strictCosmos";
import { rate, onlyReflection, ratingInputs, startReflection, tokenOf } from "../support/reflectionSteps";
import { embeddedCosmos, STRICT_PAGES } from "../support/rootHooks";
import { cardContent, cardText } from "../support/teamsChat";

/** Teams gives a bot about 15 seconds to answer a turn. */
const TEAMS_TURN_BUDGET_MS = 15_000;

/**
 * Within Teams' budget, counted rather than timed (a clock on a busy machine proves nothing): a
 * turn that meets a hang waits one request timeout for each request it sent into it, so the
 * requests the double held, times the timeout, must leave room in the budget.
 */
function assertWithinBudget(hungRequests: number, requestTimeoutMs: number): void {
  assert.ok(hungRequests * requestTimeoutMs < TEAMS_TURN_BUDGET_MS, `the turn waited on ${hungRequests} hung request(s) of ${requestTimeoutMs} ms each`);
}

describe("a slow or throttling Cosmos in the middle of a reflection (fault-injecting proxy)", function () {
  this.timeout(60_000);
  const faulty = eachBehindFaultyCosmos({ requestTimeoutMs: 2000 });

  const faults = [
    ["hangs", { kind: "hang" }],
    ["throttles every request (429)", { kind: "status", status: 429, retryAfterMs: 200 }],
    ["is unavailable (503)", { kind: "status", status: 503 }],
  ] as const;
  for (const [what, fault] of faults) {
    it(`answers "prøv igen om lidt" within Teams' budget when Cosmos ${what}, and the draft and ratings survive`, async () => {
      const chat = faulty.h.chatAs(mette);
      const statements = await startReflection(chat, "leder-af-leder");
      await rate(chat, statements, ratingInputs(statements, "2"));
      const question = chat.lastCard();

      faulty.cosmos.fault = fault;
      const replies = await chat.click(question, "Næste", { answer: "Et svar skrevet, mens databasen drillede" });
      // The fault still holds: the answer came from the turn giving up, not from Cosmos recovering.
      assert.match(String(replies.at(-1)?.text), /Prøv igen om lidt – du står stadig, hvor du var/);
      assertWithinBudget(faulty.cosmos.hung, 2000);

      faulty.cosmos.fault = { kind: "none" };
      // The same card still works: the stack and the draft are as they were before the fault.
      await chat.click(question, "Næste", { answer: "Et svar skrevet, mens databasen drillede" });
      assert.match(cardText(cardContent(chat.lastCard())), /Spørgsmål 2 af 3/);
      const { session } = await faulty.h.sessions.load({ tenantId: mette.tenantId as never, userId: mette.aadObjectId as never });
      assert.ok(Object.values(session.draft?.ratings ?? {}).every((r) => r === 2), "the ratings are intact");
    });
  }

  it("never leaves a turn without an answer when Cosmos hangs for good", async () => {
    const chat = faulty.h.chatAs(mette);
    await chat.install();
    faulty.cosmos.fault = { kind: "hang" };
    const replies: Array<Partial<Activity>> = await chat.say("historik");
    assert.equal(replies.length, 1);
    assert.match(String(replies[0]?.text), /Prøv igen om lidt/);
  });
});

/**
 * In production a 30 s Cosmos hang meets a 4 s request timeout inside Teams' 15 s turn. The
 * test keeps those ratios and divides every duration by 8 (500 ms, the smallest timeout the
 * settings allow), so it proves the same thing in 4 s instead of 30.
 */
const SCALE = 8;
const PRODUCTION = { hangMs: 30_000, requestTimeoutMs: 4_000, turnBudgetMs: TEAMS_TURN_BUDGET_MS } as const;

describe("a reflection through a long Cosmos hang (strict double, production's timing ratios scaled down by 8)", function () {
  this.timeout(60_000);
  const faulty = eachBehindFaultyCosmos({ requestTimeoutMs: PRODUCTION.requestTimeoutMs / SCALE });

  it("answers every message through a hang of 7.5 request timeouts, each after at most three of them (inside Teams' 15 s at 4 s each), and keeps the draft and ratings, without a restart", async () => {
    const chat = faulty.h.chatAs(mette);
    const statements = await startReflection(chat, "leder-af-leder");
    await rate(chat, statements, ratingInputs(statements, "2"));
    const question = chat.lastCard();

    // The hang holds until every turn has answered, so each answer is the turn giving up on its
    // own; the turns a 30 s hang spans at 4 s per timeout (7.5) are counted, not timed.
    faulty.cosmos.fault = { kind: "hang" };
    const timings: number[] = [];
    for (let turn = 0; turn < Math.ceil(PRODUCTION.hangMs / PRODUCTION.requestTimeoutMs); turn += 1) {
      const started = Date.now();
      const hungBefore = faulty.cosmos.hung;
      const replies = turn % 2 === 0 ? await chat.click(question, "Næste", { answer: "Skrevet under nedbruddet" }) : await chat.say("hjælp");
      timings.push(Date.now() - started);
      assert.ok(replies.length >= 1, `turn ${turn} got no answer`);
      assertWithinBudget(faulty.cosmos.hung - hungBefore, PRODUCTION.requestTimeoutMs);
    }
    faulty.cosmos.fault = { kind: "none" };
    process.stdout.write(`      ${timings.length} turns during the hang, answered after ${Math.min(...timings)}–${Math.max(...timings)} ms (${faulty.cosmos.hung} requests held)\n`);

    await chat.click(question, "Næste", { answer: "Skrevet efter nedbruddet" });
    assert.match(cardText(cardContent(chat.lastCard())), /Spørgsmål 2 af 3/);
    const { session } = await faulty.h.sessions.load({ tenantId: mette.tenantId as never, userId: mette.aadObjectId as never });
    assert.ok(Object.values(session.draft?.ratings ?? {}).every((r) => r === 2), "the ratings are intact");
  });

});

describe("a reflection through steady throttling (strict double, production timeouts)", function () {
  this.timeout(120_000);
  // No requestTimeoutMs: COSMOS_REQUEST_TIMEOUT_MS as deployed.
  const faulty = eachBehindFaultyCosmos();

  it("saves a whole reflection once, with its follow-up, when 15% of Cosmos requests are throttled", async () => {
    const chat = faulty.h.chatAs(mette);
    await chat.install();
    faulty.cosmos.throttleRate = 0.15;
    let tryAgains = 0;
    // A leader who is told "prøv igen om lidt" does the same again.
    const surely = async (act: () => Promise<Array<Partial<Activity>>>) => {
      for (let attempt = 1; attempt <= 6; attempt += 1) {
        if (!(await act()).some((r) => /Prøv igen om lidt/.test(String(r.text)))) return;
        tryAgains += 1;
      }
      assert.fail("a step never got through");
    };
    const clickSurely = (card: Partial<Activity>, title: string, inputs: Record<string, string> = {}) => surely(() => chat.click(card, title, inputs));
    await clickSurely(chat.lastCard(), "Vælg rolle", { roleId: "chef" });
    const themes = chat.lastCard();
    const themeId = /"themeId":"([a-z-]+)"/.exec(JSON.stringify(cardContent(themes)))![1]!;
    await surely(() => chat.submit(themes, { verb: "chooseTheme", token: tokenOf(themes), step: "theme", themeId }));
    const statements = chat.lastCard();
    await clickSurely(statements, "Næste", ratingInputs(statements, "3"));
    await clickSurely(chat.lastCard(), "Næste", { focusDeeper: "Et svar på fokus" });
    for (const answer of ["a", "b", "c"]) await clickSurely(chat.lastCard(), "Næste", { answer });
    const summary = chat.lastCard();
    await clickSurely(summary, "Gem refleksion", { commitment: "Hvis mødet skrider, så vil jeg stoppe op", followUpDate: "2026-12-01" });
    // A double click on the same summary card saves nothing more.
    await chat.click(summary, "Gem refleksion", { commitment: "Hvis mødet skrider, så vil jeg stoppe op", followUpDate: "2026-12-01" });
    faulty.cosmos.throttleRate = 0;
    process.stdout.write(`      ${faulty.cosmos.throttled} of ${faulty.cosmos.requests} Cosmos requests throttled; the leader was asked to try again ${tryAgains} time(s)\n`);

    const reflection = await onlyReflection(faulty.h, mette);
    assert.equal(reflection.commitment, "Hvis mødet skrider, så vil jeg stoppe op");
    const followUps = (await faulty.h.schedules.forOwner(`${mette.tenantId}|${mette.aadObjectId}`)).filter((s) => s.kind === "follow-up");
    assert.equal(followUps.length, 1);
    assert.ok(faulty.cosmos.throttled > 0);
  });
});

describe("/readyz while Cosmos is away (fault-injecting proxy, real HTTP server)", function () {
  this.timeout(60_000);
  it("answers 503 while Cosmos is unreachable and 200 again afterwards, with no restart", async () => {
    const cosmos = new StrictCosmos(embeddedCosmos(), STRICT_PAGES);
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
