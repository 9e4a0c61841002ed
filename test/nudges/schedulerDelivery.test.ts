import assert from "node:assert/strict";
import sinon from "sinon";
import { createAdapter } from "../../src/bot/adapter";
import { ConnectorMessenger } from "../../src/bot/connectorMessenger";
import type { StoredConversation } from "../../src/domain/conversation";
import { DaysOff } from "../../src/domain/daysOff";
import { silentLogger } from "../../src/kernel/log";
import { Delivery } from "../../src/nudges/delivery";
import { DELIVERY_LEASE_MS, SCHEDULE_LEASE_MS } from "../../src/nudges/leases";
import { Outbox } from "../../src/nudges/outbox";
import { SlidingWindowLimiter, TEAMS_CONVERSATION_LIMITS } from "../../src/nudges/rateLimiter";
import type { Schedule } from "../../src/nudges/schedule";
import { ScheduleStore } from "../../src/nudges/scheduleStore";
import { Scheduler, type Composer } from "../../src/nudges/scheduler";
import { TENANT_LEASE_MS, TENANT_SEND_MARGIN_MS, TenantLeases } from "../../src/nudges/tenantLeases";
import { openCosmosStore, type CosmosStore } from "../../src/storage/cosmosDatabase";
import { FakeConnector } from "../support/fakeConnector";
import { windowBreaches } from "../support/rateWindows";
import { testConfig } from "../support/testConfig";

const START = new Date("2026-11-23T08:00:00.000Z"); // Monday 09:00 in Copenhagen
const HOUR = 3_600_000;

describe("scheduler and delivery (strict Cosmos double, real Connector client, fake Connector)", () => {
  let store: CosmosStore;
  let connector: FakeConnector;
  let clock: sinon.SinonFakeTimers;
  let schedules: ScheduleStore;
  let outbox: Outbox;
  let gone: Array<{ conversationId: string; reason: string }>;

  const conversationFor = (i: number): StoredConversation => ({
    channelId: "msteams",
    serviceUrl: connector.serviceUrl,
    conversationId: `a:1conversation-${i}`,
    conversationType: "personal",
    tenantId: "11111111-1111-4111-8111-111111111111",
    botId: "28:bot",
    userId: `29:user-${i}`,
    active: true,
    updatedAt: START.toISOString(),
  });
  /** A test composer: the schedule carries its conversation; the message says which run it is. */
  const compose: Composer = async (schedule, runAt) => ({
    kind: "send",
    conversation: schedule.payload.conversation as StoredConversation,
    message: { text: `Påmindelse ${runAt.toISOString()}` },
  });
  const weeklyNudge = (i: number, nextRunAt = START): Schedule => ({
    id: "nudge",
    pk: `11111111-1111-4111-8111-111111111111|user-${i}`,
    type: "schedule",
    kind: "personal-nudge",
    tenantId: "11111111-1111-4111-8111-111111111111",
    active: true,
    nextRunAt: nextRunAt.toISOString(),
    recurrence: { frequency: "weekly", weekday: 1, time: "09:00", timezone: "Europe/Copenhagen" },
    payload: { conversation: conversationFor(i) },
  });
  const schedulerNamed = (holder: string) =>
    new Scheduler(schedules, outbox, compose, { holder, leaseMs: 60_000, graceMs: 6 * HOUR, batchSize: 50, concurrency: 4, tickBudgetMs: 30_000, clock: () => new Date(), daysOff: DaysOff.none() }, silentLogger);
  const deliveryNamed = (holder: string, onGone = async (c: StoredConversation, reason: string) => void gone.push({ conversationId: c.conversationId, reason })) =>
    new Delivery(
      outbox,
      new ConnectorMessenger(createAdapter(testConfig().bot), ""),
      new SlidingWindowLimiter((key) => (key.startsWith("tenant:") ? [{ max: 50, perMs: 1_000 }] : TEAMS_CONVERSATION_LIMITS)),
      tenantLeasesOf(holder),
      onGone,
      { holder, leaseMs: 60_000, batchSize: 100, concurrency: 4, maxTenants: 24, tickBudgetMs: 30_000, clock: () => new Date(), sleep: async (ms) => void clock.tick(ms) },
      silentLogger,
    );
  const tenantLeasesOf = (holder: string) => new TenantLeases(store.containers.outbox, { holder, leaseMs: TENANT_LEASE_MS, sendMarginMs: TENANT_SEND_MARGIN_MS, clock: () => new Date() });
  const sentTo = () => connector.sentActivities().map((a) => `${(a.conversation as { id: string }).id} ${String(a.text)}`);

  beforeEach(async () => {
    store = await openCosmosStore(testConfig().cosmos, silentLogger);
    connector = new FakeConnector();
    await connector.start();
    // Only Date is faked: Cosmos and HTTP keep their real timers, the scheduler's sense of "now" is ours.
    clock = sinon.useFakeTimers({ now: START, toFake: ["Date"] });
    schedules = new ScheduleStore([store.containers.userData]);
    outbox = new Outbox(store.containers.outbox);
    gone = [];
  });
  afterEach(async () => {
    clock.restore();
    await connector.stop();
    await store.close();
  });

  it("sends every nudge exactly once with two scheduler and two delivery instances, week after week", async () => {
    for (let i = 0; i < 12; i += 1) await schedules.upsert(weeklyNudge(i));
    const [a, b] = [schedulerNamed("instance-a"), schedulerNamed("instance-b")];
    const [da, db] = [deliveryNamed("instance-a"), deliveryNamed("instance-b")];

    for (let week = 0; week < 2; week += 1) {
      await Promise.all([a.tick(), b.tick(), a.tick()]);
      await Promise.all([da.tick(), db.tick()]);
      await Promise.all([da.tick(), db.tick()]);
      clock.tick(7 * 24 * HOUR);
    }
    const sends = sentTo();
    assert.equal(sends.length, 24, sends.join("\n"));
    assert.equal(new Set(sends).size, 24, "no message went out twice");
    for (let i = 0; i < 12; i += 1) {
      assert.deepEqual(sends.filter((s) => s.startsWith(`a:1conversation-${i} `)).map((s) => s.split(" ")[2]), ["2026-11-23T08:00:00.000Z", "2026-11-30T08:00:00.000Z"]);
    }
  });

  it("keeps the id Teams gave a post on its record, and updates that post in place through the Connector", async () => {
    connector.respond = (call) => (call.method === "POST" ? { status: 200, body: { id: "1700000000001" } } : { status: 200, body: { id: call.activityId } });
    await schedules.upsert(weeklyNudge(0));
    await schedulerNamed("a").tick();
    await deliveryNamed("a").tick();
    const [record] = await outbox.posted("11111111-1111-4111-8111-111111111111|user-0", "personal-nudge");
    assert.equal(record?.activityId, "1700000000001");

    const messenger = new ConnectorMessenger(createAdapter(testConfig().bot), "");
    await messenger.update(conversationFor(0), record!.activityId!, { text: "Rettet" });
    const put = connector.calls.find((c) => c.method === "PUT");
    assert.equal(put?.path, "/v3/conversations/a%3A1conversation-0/activities/1700000000001");
    assert.equal(put?.body.text, "Rettet");

    connector.respond = () => ({ status: 403, body: { error: { code: "BotNotInConversationRoster" } } });
    await assert.rejects(messenger.update(conversationFor(0), "1700000000001", { text: "Igen" }), (err: { code: string; status: number; connectorCode: string }) => {
      assert.deepEqual([err.code, err.status, err.connectorCode], ["LR-1601", 403, "BotNotInConversationRoster"]);
      return true;
    });
  });

  it("keeps going record by record: one schedule whose composer fails does not stop the others", async () => {
    for (let i = 0; i < 3; i += 1) await schedules.upsert(weeklyNudge(i));
    const failing: Composer = async (schedule, runAt) => {
      if (schedule.pk.endsWith("user-1")) throw new Error("the composer broke on this one");
      return compose(schedule, runAt);
    };
    const scheduler = new Scheduler(schedules, outbox, failing, { holder: "a", leaseMs: 60_000, graceMs: 6 * HOUR, batchSize: 50, concurrency: 4, tickBudgetMs: 30_000, clock: () => new Date(), daysOff: DaysOff.none() }, silentLogger);
    assert.equal(await scheduler.tick(), 2);
    await deliveryNamed("a").tick();
    assert.deepEqual(sentTo().map((s) => s.split(" ")[0]).sort(), ["a:1conversation-0", "a:1conversation-2"]);
  });

  it("sends what was claimed but not sent, once, after the lease runs out", async () => {
    await schedules.upsert(weeklyNudge(1));
    await schedulerNamed("a").tick();
    // Instance a claims the record, then dies before sending.
    const [record] = await outbox.due(new Date(), 10);
    assert.ok(await outbox.claim(record!, { holder: "a", until: new Date(Date.now() + 60_000).toISOString() }));

    const survivor = deliveryNamed("b");
    assert.deepEqual(await survivor.tick(), { sent: 0, retried: 0, failed: 0, handedOver: 0 }, "the lease is still a's");
    clock.tick(61_000);
    assert.deepEqual(await survivor.tick(), { sent: 1, retried: 0, failed: 0, handedOver: 0 });
    assert.deepEqual(await survivor.tick(), { sent: 0, retried: 0, failed: 0, handedOver: 0 });
    assert.equal(sentTo().length, 1);
    assert.equal((await outbox.get(record!.id))?.status, "sent");
  });

  describe("when other instances claim from the same batch", () => {
    /** Schedules whose claims another instance wins whenever `lose(n)` says so for the nth claim. */
    class Contested extends ScheduleStore {
      claims = 0;
      /** Bulk claim requests: what claiming costs. */
      requests = 0;
      constructor(private readonly lose: (n: number) => boolean) {
        super([store.containers.userData]);
      }
      override async claimAll(...args: Parameters<ScheduleStore["claimAll"]>) {
        this.requests += 1;
        const [seen, lease, now] = args;
        const theirs = seen.filter(() => this.lose(++this.claims));
        await super.claimAll(theirs, { holder: "another instance", until: new Date(Date.now() + 60_000).toISOString() }, now);
        return super.claimAll(seen.filter((s) => !theirs.includes(s)), lease, now);
      }
    }
    const schedulerOver = (contested: ScheduleStore) =>
      new Scheduler(contested, outbox, compose, { holder: "a", leaseMs: 60_000, graceMs: 6 * HOUR, batchSize: 100, concurrency: 4, tickBudgetMs: 30_000, clock: () => new Date(), daysOff: DaysOff.none() }, silentLogger);

    it("stops taking from a batch once a chunk's claims are mostly lost, and looks again", async () => {
      for (let i = 0; i < 100; i += 1) await schedules.upsert(weeklyNudge(i));
      // Another instance wins every race after the first 10: the rest is its, or soon will be.
      const contested = new Contested((n) => n > 10);
      assert.equal(await schedulerOver(contested).tick(), 10);
      // Without the rule it would try all 100 (7 chunks of 16). With it: a chunk with 10 won, a
      // chunk all lost, then a fresh batch whose first chunk is lost too, and it gives up.
      assert.ok(contested.requests <= 3, `${contested.requests} claim requests (${contested.claims} claims): it stopped soon after it began to lose`);
    });

    it("goes through the whole batch when only some races are lost", async () => {
      for (let i = 0; i < 40; i += 1) await schedules.upsert(weeklyNudge(i));
      const contested = new Contested((n) => n % 3 === 0);
      assert.equal(await schedulerOver(contested).tick(), 27);
      assert.equal(contested.claims, 40);
    });
  });

  describe("when Cosmos answers a claim slowly", () => {
    /**
     * The outbox, with claim n taking `delays[n]` of the clock before it answers, and `meanwhile`
     * run while the first one does. The first is the bulk claim of the tenant's due records; a
     * renewal claims its record alone.
     */
    class SlowClaims extends Outbox {
      claims = 0;
      constructor(
        private readonly delays: readonly number[],
        private readonly meanwhile: () => Promise<void> = async () => undefined,
      ) {
        super(store.containers.outbox);
      }
      override async claimAll(...args: Parameters<Outbox["claimAll"]>) {
        return this.slowly(() => super.claimAll(...args));
      }
      override async claim(...args: Parameters<Outbox["claim"]>) {
        return this.slowly(() => super.claim(...args));
      }
      private async slowly<T>(claim: () => Promise<T>): Promise<T> {
        const delay = this.delays[this.claims] ?? 0;
        this.claims += 1;
        const answer = await claim();
        clock.tick(delay);
        if (this.claims === 1) await this.meanwhile();
        return answer;
      }
    }
    const deliveryOver = (slow: Outbox, holder: string, tenants = tenantLeasesOf(holder)) =>
      new Delivery(
        slow,
        new ConnectorMessenger(createAdapter(testConfig().bot), ""),
        new SlidingWindowLimiter(() => [{ max: 50, perMs: 1_000 }]),
        tenants,
        async () => undefined,
        { holder, leaseMs: 60_000, batchSize: 100, concurrency: 4, maxTenants: 24, tickBudgetMs: 30_000, clock: () => new Date(), sleep: async (ms) => void clock.tick(ms) },
        silentLogger,
      );

    it("does not send a record whose lease ran out while its claim was answered and its next tick sent it", async () => {
      await schedules.upsert(weeklyNudge(3));
      await schedulerNamed("a").tick();
      // a's claim is stored, but its answer takes 70 s: the record's lease (60 s) runs out, and
      // a's next tick, which keeps the tenant's lease, finds the record due again and sends it.
      const tenants = tenantLeasesOf("a");
      const slow = new SlowClaims([70_000], async () => {
        assert.equal((await deliveryOver(new Outbox(store.containers.outbox), "a", tenants).tick()).sent, 1, "the next tick sent the record");
      });
      assert.deepEqual(await deliveryOver(slow, "a", tenants).tick(), { sent: 0, retried: 1, failed: 0, handedOver: 0 });
      assert.equal(slow.claims, 2, "the slow worker renewed its claim before sending, and found it taken");
      assert.equal(sentTo().length, 1, "the record went out once");
    });

    it("renews a claim that came back with less than half its lease left, then sends it once", async () => {
      await schedules.upsert(weeklyNudge(4));
      await schedulerNamed("a").tick();
      const slow = new SlowClaims([40_000, 0]);
      assert.deepEqual(await deliveryOver(slow, "a").tick(), { sent: 1, retried: 0, failed: 0, handedOver: 0 });
      assert.equal(slow.claims, 2, "the claim and one renewal");
      assert.equal(sentTo().length, 1);
    });

    it("leaves a record to its lease when every claim comes back with less than half of it left", async () => {
      await schedules.upsert(weeklyNudge(5));
      await schedulerNamed("a").tick();
      const slow = new SlowClaims([40_000, 40_000, 40_000]);
      assert.deepEqual(await deliveryOver(slow, "a").tick(), { sent: 0, retried: 1, failed: 0, handedOver: 0 });
      assert.equal(slow.claims, 3, "the claim and two renewals");
      assert.equal(sentTo().length, 0, "nothing is sent on a lease that could run out mid-send");
      clock.tick(61_000);
      assert.deepEqual(await deliveryNamed("b").tick(), { sent: 1, retried: 0, failed: 0, handedOver: 0 });
      assert.equal(sentTo().length, 1);
    });
  });

  it("picks up a crashed instance's claims within a minute with the app's leases", async () => {
    assert.ok(SCHEDULE_LEASE_MS + DELIVERY_LEASE_MS <= 60_000, "a crashed claim waits at most one lease of each kind");
    await schedules.upsert(weeklyNudge(2));
    const crashed = new Scheduler(schedules, outbox, compose, { holder: "crashed", leaseMs: SCHEDULE_LEASE_MS, graceMs: 6 * HOUR, batchSize: 50, concurrency: 4, tickBudgetMs: 30_000, clock: () => new Date(), daysOff: DaysOff.none() }, silentLogger);
    await crashed.tick();
    const [record] = await outbox.due(new Date(), 10);
    // It held the tenant and had claimed the record when it died.
    assert.ok(await tenantLeasesOf("crashed").acquire(record!.tenantId));
    assert.ok(await outbox.claim(record!, { holder: "crashed", until: new Date(Date.now() + DELIVERY_LEASE_MS).toISOString() }));
    clock.tick(TENANT_LEASE_MS + 1_000);
    assert.ok(await tenantLeasesOf("survivor").acquire(record!.tenantId), "the tenant is free after one tenant lease");
    clock.tick(DELIVERY_LEASE_MS - TENANT_LEASE_MS);
    assert.deepEqual(await deliveryNamed("survivor").tick(), { sent: 1, retried: 0, failed: 0, handedOver: 0 });
  });

  it("waits as a 429's Retry-After says, then succeeds, with no retry hidden in the Connector client", async () => {
    let calls = 0;
    connector.respond = () => (++calls === 1 ? { status: 429, headers: { "retry-after": "2" }, body: { error: { code: "Throttled" } } } : { status: 200 });
    await schedules.upsert(weeklyNudge(2));
    await schedulerNamed("a").tick();
    const delivery = deliveryNamed("a");
    assert.deepEqual(await delivery.tick(), { sent: 0, retried: 1, failed: 0, handedOver: 0 });
    assert.equal(connector.calls.length, 1, "the client did not retry on its own, past the rate limiter");
    clock.tick(1_000);
    assert.deepEqual(await delivery.tick(), { sent: 0, retried: 0, failed: 0, handedOver: 0 }, "not before Retry-After");
    clock.tick(1_100);
    assert.deepEqual(await delivery.tick(), { sent: 1, retried: 0, failed: 0, handedOver: 0 });
    assert.equal(connector.calls.length, 2);
  });

  it("keeps a tenant Teams throttled slow on the instance that sends for it next", async () => {
    const arrivals: number[] = [];
    let throttled = false;
    connector.respond = () => {
      if (!throttled) {
        throttled = true;
        return { status: 429, headers: { "retry-after": "1" }, body: { error: { code: "Throttled" } } };
      }
      arrivals.push(Date.now());
      return { status: 200 };
    };
    await schedules.upsert(weeklyNudge(0));
    await schedulerNamed("a").tick();
    assert.deepEqual(await deliveryNamed("a").tick(), { sent: 0, retried: 1, failed: 0, handedOver: 0 });

    // Instance a sends no more; once its tenant lease has run out, b takes the tenant with 60 messages due.
    for (let i = 1; i <= 60; i += 1) await schedules.upsert(weeklyNudge(i));
    clock.tick(TENANT_LEASE_MS + 1_000);
    while ((await schedulerNamed("b").tick()) > 0);
    assert.deepEqual(await deliveryNamed("b").tick(), { sent: 61, retried: 0, failed: 0, handedOver: 0 });
    // a halved the pace Teams allows, and it has grown back for 11 s since: about 34 per second, not 50.
    assert.deepEqual(windowBreaches(arrivals, { max: 34, perMs: 1_000 }), []);
  });

  it("deactivates a conversation the user blocked, and does not retry", async () => {
    connector.respond = () => ({ status: 403, body: { error: { code: "ConversationBlockedByUser", message: "blocked" } } });
    await schedules.upsert(weeklyNudge(3));
    await schedulerNamed("a").tick();
    assert.deepEqual(await deliveryNamed("a").tick(), { sent: 0, retried: 0, failed: 1, handedOver: 0 });
    assert.deepEqual(gone, [{ conversationId: "a:1conversation-3", reason: "403 ConversationBlockedByUser" }]);
    assert.equal(connector.calls.length, 1);
    const [record] = await outbox.recentFor(weeklyNudge(3).pk, 1);
    assert.deepEqual([record?.status, record?.reason], ["failed", "403 ConversationBlockedByUser"]);
  });

  it("prunes settled records past their keep time and keeps pending ones", async () => {
    await schedules.upsert(weeklyNudge(6));
    await schedules.upsert({ ...weeklyNudge(7), nextRunAt: new Date(START.getTime() + HOUR).toISOString() });
    await schedulerNamed("a").tick();
    await deliveryNamed("a").tick();
    clock.tick(HOUR);
    await schedulerNamed("a").tick(); // user 7's record: pending
    assert.equal(await outbox.pruneSettledBefore(new Date(Date.now() + 1)), 1);
    assert.equal((await outbox.recentFor(weeklyNudge(6).pk, 5)).length, 0);
    assert.equal((await outbox.recentFor(weeklyNudge(7).pk, 5))[0]?.status, "pending");
  });

  it("after downtime sends a run missed within the grace window once, and skips older ones", async () => {
    await schedules.upsert({ ...weeklyNudge(4), nextRunAt: new Date(START.getTime() - 14 * 24 * HOUR).toISOString() });
    clock.tick(2 * HOUR); // up again at 11:00, two hours after this week's run
    await schedulerNamed("a").tick();
    await deliveryNamed("a").tick();
    assert.deepEqual(sentTo(), ["a:1conversation-4 Påmindelse 2026-11-23T08:00:00.000Z"]);
    const after = await schedules.get(weeklyNudge(4).pk, "nudge");
    assert.equal(after?.nextRunAt, "2026-11-30T08:00:00.000Z");

    await schedules.upsert({ ...weeklyNudge(5), nextRunAt: new Date(START.getTime() - 7 * 24 * HOUR).toISOString() });
    clock.tick(24 * HOUR); // Tuesday: last Monday's run is a day old, beyond the 6-hour grace
    await schedulerNamed("a").tick();
    await deliveryNamed("a").tick();
    assert.equal(sentTo().length, 1, "nothing more was sent");
    assert.match(String((await schedules.get(weeklyNudge(5).pk, "nudge"))?.lastOutcome), /grace window/);
  });
});
