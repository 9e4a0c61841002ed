import assert from "node:assert/strict";
import { SlidingWindowLimiter, TEAMS_CONVERSATION_LIMITS } from "../../src/nudges/rateLimiter";
import { decideRetry, parseRetryAfter } from "../../src/nudges/retryPolicy";
import { windowBreaches } from "../support/rateWindows";

function assertWithin(times: number[], max: number, perMs: number): void {
  assert.deepEqual(windowBreaches(times, { max, perMs }), []);
}

/**
 * Drives a limiter as concurrent senders do: at each moment, every waiting send asks for a
 * turn; a send that gets one is answered `rtt` ms later. Returns when each send went out.
 */
function drive(limiter: SlidingWindowLimiter, keysOf: (i: number) => string[], count: number, rtt = 0): number[] {
  const startedAt: number[] = [];
  let answers: Array<{ at: number; turn: { done(at: number): void } }> = [];
  let next = 0;
  for (let now = 0; next < count && now < 600_000; now += 1) {
    for (const answer of answers.filter((a) => a.at <= now)) answer.turn.done(answer.at);
    answers = answers.filter((a) => a.at > now);
    while (next < count) {
      const answer = limiter.tryTake(keysOf(next), now);
      if (!("turn" in answer)) break;
      answers.push({ at: now + rtt, turn: answer.turn });
      startedAt.push(now);
      next += 1;
    }
  }
  return startedAt;
}

describe("the rate limiter", () => {
  it("keeps one conversation within 7/1 s, 8/2 s and 60/30 s", () => {
    const times = drive(new SlidingWindowLimiter(() => TEAMS_CONVERSATION_LIMITS), () => ["conv"], 100);
    for (const { max, perMs } of TEAMS_CONVERSATION_LIMITS) assertWithin(times, max, perMs);
    assert.equal(times[6], 0, "the first seven go at once");
    assert.ok(times[99]! < 60_000, "and no slower than the limits force");
  });

  it("keeps a tenant within its requests per second across many conversations", () => {
    const limiter = new SlidingWindowLimiter((key) => (key.startsWith("tenant:") ? [{ max: 50, perMs: 1_000 }] : TEAMS_CONVERSATION_LIMITS));
    const times = drive(limiter, (i) => [`conv:${i}`, "tenant:t"], 500);
    assertWithin(times, 50, 1_000);
    assert.ok(times[499]! <= 9_000, `500 sends at 50 RPS take about 9 s, not ${times[499]}`);
  });

  it("counts a send in its window until its answer is back, so network time cannot squeeze two windows into one", () => {
    const rtt = 40;
    const times = drive(new SlidingWindowLimiter(() => [{ max: 50, perMs: 1_000 }]), () => ["tenant:t"], 200, rtt);
    // Teams may see any send as late as its answer: the 51st must start after the 1st's answer plus a window.
    assertWithin(times.map((t, i) => (i % 50 === 0 ? t + rtt : t)), 50, 1_000);
    assert.equal(times[50], rtt + 1_000);
  });
});

describe("the retry policy", () => {
  it("waits as Retry-After says on 429", () => {
    assert.deepEqual(decideRetry({ status: 429, retryAfterMs: 3_000 }, 1), { kind: "retry", delayMs: 3_000 });
  });

  it("backs off exponentially with jitter on 502/503/504/412, and gives up after the last attempt", () => {
    const delays = [1, 2, 3, 4].map((attempt) => decideRetry({ status: 503 }, attempt, () => 0.5));
    assert.deepEqual(delays.map((d) => (d.kind === "retry" ? d.delayMs : -1)), [750, 1_500, 3_000, 6_000]);
    assert.equal(decideRetry({ status: 412 }, 1, () => 0).kind, "retry");
    assert.deepEqual(decideRetry({ status: 504 }, 5), { kind: "failed", reason: "504 after 5 attempts" });
  });

  it("calls a blocked or removed conversation gone, and other errors permanent", () => {
    assert.deepEqual(decideRetry({ status: 403, connectorCode: "ConversationBlockedByUser" }, 1), { kind: "gone", reason: "403 ConversationBlockedByUser" });
    assert.deepEqual(decideRetry({ status: 404, connectorCode: "ConversationNotFound" }, 1), { kind: "gone", reason: "404 ConversationNotFound" });
    assert.deepEqual(decideRetry({ status: 400, connectorCode: "BadArgument" }, 1), { kind: "failed", reason: "400 BadArgument" });
  });

  it("reads Retry-After as seconds or as a date", () => {
    assert.equal(parseRetryAfter("2", 0), 2_000);
    assert.equal(parseRetryAfter("Mon, 23 Nov 2026 08:00:10 GMT", Date.parse("2026-11-23T08:00:00Z")), 10_000);
    assert.equal(parseRetryAfter(undefined, 0), undefined);
  });
});
