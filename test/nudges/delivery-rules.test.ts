import assert from "node:assert/strict";
import { SlidingWindowLimiter, TEAMS_CONVERSATION_LIMITS } from "../../src/nudges/rateLimiter";
import { attemptOfKind, decideRetry, isRefusal, MAX_ATTEMPTS, parseRetryAfter } from "../../src/nudges/retryPolicy";
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

describe("the rate limiter after Teams throttled a key (429)", () => {
  const KEY = "tenant:t";
  const fifty = () => new SlidingWindowLimiter(() => [{ max: 50, perMs: 1_000 }]);

  it("sends nothing for the key until Retry-After is over", () => {
    const limiter = fifty();
    const turn = limiter.tryTake([KEY], 0);
    assert.ok("turn" in turn);
    limiter.slowDown(KEY, { bookedAt: turn.turn.at, retryAfterMs: 2_000 }, 100);
    assert.deepEqual(limiter.tryTake([KEY, "conversation:c"], 1_000), { wait: 1_100 });
  });

  it("halves the key's pace once for the 429s of one round of sends, and again for a send after it", () => {
    const limiter = fifty();
    const round = [0, 1, 2].map(() => limiter.tryTake([KEY], 0)).map((a) => ("turn" in a ? a.turn : assert.fail("no turn")));
    for (const [i, turn] of round.entries()) limiter.slowDown(KEY, { bookedAt: turn.at, retryAfterMs: 1_000 }, 50 + i);
    assert.deepEqual(limiter.slowdownOf(KEY, 60), { pausedUntil: 1_052, share: 0.5, since: 50 });
    const after = limiter.tryTake([KEY], 1_052);
    assert.ok("turn" in after);
    const slower = limiter.slowDown(KEY, { bookedAt: after.turn.at, retryAfterMs: 1_000 }, 1_100);
    assert.equal(slower.share, (0.5 + 1_050 / 60_000) / 2);
  });

  it("goes at its share of the limits: half of 50 per second is 25", () => {
    const limiter = fifty();
    limiter.adopt(KEY, { pausedUntil: 0, share: 0.5, since: 0 }, 0);
    const times = drive(limiter, () => [KEY], 60);
    assert.deepEqual([times[24], times[25]], [0, 1_000]);
  });

  it("grows back to its full limits within a minute without another 429", () => {
    const limiter = fifty();
    limiter.adopt(KEY, { pausedUntil: 0, share: 1 / 64, since: 0 }, 0);
    assert.ok(limiter.slowdownOf(KEY, 30_000));
    assert.equal(limiter.slowdownOf(KEY, 60_000), undefined);
  });

  it("takes over another instance's slowdown unless its own is newer, keeping the longer pause", () => {
    const limiter = fifty();
    limiter.adopt(KEY, { pausedUntil: 3_000, share: 0.25, since: 1_000 }, 1_000);
    limiter.adopt(KEY, { pausedUntil: 5_000, share: 0.5, since: 500 }, 1_000);
    assert.deepEqual(limiter.slowdownOf(KEY, 1_000), { pausedUntil: 5_000, share: 0.25, since: 1_000 });
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

  it("retries a 500, any other server error and no connection with backoff", () => {
    for (const failure of [{ status: 500 }, { status: 501 }, { status: 0, connectorCode: "ECONNREFUSED" }]) {
      assert.deepEqual(decideRetry(failure, 2, () => 0.5), { kind: "retry", delayMs: 1_500 }, String(failure.status));
    }
  });

  it("calls any 403 or 404 a refusal, final and never retried", () => {
    for (const failure of [{ status: 403, connectorCode: "Forbidden" }, { status: 404, connectorCode: "ActivityNotFound" }]) {
      assert.equal(decideRetry(failure, 1).kind, "failed");
      assert.ok(isRefusal(failure));
    }
    assert.ok(!isRefusal({ status: 500 }));
  });

  it("counts throttles apart: a message Teams throttled still has every attempt a failure may use", () => {
    const earlier = { attempts: 7, throttles: 6 };
    assert.equal(attemptOfKind({ status: 429 }, earlier), 7);
    assert.equal(attemptOfKind({ status: 503 }, earlier), 2);
    assert.equal(decideRetry({ status: 429, retryAfterMs: 1_000 }, attemptOfKind({ status: 429 }, earlier)).kind, "retry");
    // Nine tries, six of them throttled: a 503 now is the fourth failure, within MAX_ATTEMPTS.
    assert.equal(decideRetry({ status: 503 }, attemptOfKind({ status: 503 }, { attempts: MAX_ATTEMPTS + 4, throttles: 6 })).kind, "retry");
  });

  it("reads Retry-After as seconds or as a date", () => {
    assert.equal(parseRetryAfter("2", 0), 2_000);
    assert.equal(parseRetryAfter("Mon, 23 Nov 2026 08:00:10 GMT", Date.parse("2026-11-23T08:00:00Z")), 10_000);
    assert.equal(parseRetryAfter(undefined, 0), undefined);
  });
});
