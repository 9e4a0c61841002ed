import assert from "node:assert/strict";
import sinon from "sinon";
import { createAdapter } from "../../src/bot/adapter";
import { ConnectorMessenger } from "../../src/bot/connectorMessenger";
import type { StoredConversation } from "../../src/domain/conversation";
import { DaysOff } from "../../src/domain/daysOff";
import { silentLogger } from "../../src/kernel/log";
import { Delivery, DELIVERY_SETTINGS } from "../../src/nudges/delivery";
import { SCHEDULE_LEASE_MS } from "../../src/nudges/leases";
import { Outbox } from "../../src/nudges/outbox";
import { SlidingWindowLimiter, TEAMS_CONVERSATION_LIMITS, withHeadroom, type RateLimit } from "../../src/nudges/rateLimiter";
import { startNudgeLoops } from "../../src/nudges/runner";
import type { Schedule } from "../../src/nudges/schedule";
import { ScheduleStore } from "../../src/nudges/scheduleStore";
import { Scheduler, SCHEDULER_SETTINGS, type Composer } from "../../src/nudges/scheduler";
import { TENANT_LEASE_MS, TENANT_SEND_MARGIN_MS, TenantLeases } from "../../src/nudges/tenantLeases";
import { openCosmosStore, type CosmosStore } from "../../src/storage/cosmosDatabase";
import { FakeConnector } from "../support/fakeConnector";
import { windowBreaches } from "../support/rateWindows";
import { testConfig } from "../support/testConfig";

const START = new Date("2026-11-23T08:00:00.000Z");
const TENANT_LIMIT: RateLimit = { max: 50, perMs: 1_000 };
const TENANTS = { busy: "11111111-1111-4111-8111-111111111111", small: "22222222-2222-4222-8222-222222222222" };
/** A leadership channel in the busy tenant that gets many posts at once: the per-conversation limits bite. */
const CHANNEL = "19:leaders@thread.tacv2";
const CHANNEL_POSTS = 12;

for (const instances of [2, 4]) {
  describe(`${instances} instances sending one slot together (fake timers, strict Cosmos double, fake Connector)`, function () {
    this.timeout(120_000);
    const realSetTimeout = globalThis.setTimeout;
    let connector: FakeConnector;
    let clock: sinon.SinonFakeTimers;
    let stores: CosmosStore[];
    const arrivals: Array<{ at: number; conversationId: string; text: string }> = [];

    const conversation = (tenantId: string, conversationId: string): StoredConversation => ({
      channelId: "msteams", serviceUrl: connector.serviceUrl, conversationId, conversationType: conversationId === CHANNEL ? "channel" : "personal",
      tenantId, botId: "28:bot", userId: "29:someone", active: true, updatedAt: START.toISOString(),
    });
    const compose: Composer = async (schedule, runAt) => ({ kind: "send", conversation: schedule.payload.conversation as StoredConversation, message: { text: `${schedule.pk}/${schedule.id} ${runAt.toISOString()}` } });
    const schedule = (tenantId: string, owner: string, id: string, conversationId: string): Schedule => ({
      id, pk: `${tenantId}|${owner}`, type: "schedule", kind: "personal-nudge", tenantId, active: true, nextRunAt: START.toISOString(), payload: { conversation: conversation(tenantId, conversationId) },
    });

    beforeEach(async () => {
      arrivals.length = 0;
      connector = new FakeConnector();
      await connector.start();
      connector.respond = (call) => {
        arrivals.push({ at: Date.now(), conversationId: call.conversationId, text: String(call.body.text) });
        return { status: 200 };
      };
      const config = testConfig();
      stores = [];
      for (let i = 0; i < instances; i += 1) stores.push(await openCosmosStore(config.cosmos, silentLogger));
      const schedules = new ScheduleStore([stores[0]!.containers.userData]);
      for (let i = 0; i < 150; i += 1) await schedules.upsert(schedule(TENANTS.busy, `user-${i}`, "nudge", `a:1busy-${i}`));
      for (let i = 0; i < 100; i += 1) await schedules.upsert(schedule(TENANTS.small, `user-${i}`, "nudge", `a:1small-${i}`));
      for (let i = 0; i < CHANNEL_POSTS; i += 1) await schedules.upsert(schedule(TENANTS.busy, `leader-${i}`, "questions", CHANNEL));
      // Date and timers are faked: ticks, limiter waits and leases run on the test's clock.
      clock = sinon.useFakeTimers({ now: START, toFake: ["Date", "setTimeout", "clearTimeout"] });
    });
    afterEach(async () => {
      clock.restore();
      for (const store of stores) await store.close();
      await connector.stop();
    });

    it("sends every message exactly once, and no tenant's or conversation's window is ever exceeded", async () => {
      const expected = 150 + 100 + CHANNEL_POSTS;
      const loops = stores.map((store, i) => {
        const holder = `instance-${i}`;
        const clockNow = () => new Date();
        const schedules = new ScheduleStore([store.containers.userData]);
        const outbox = new Outbox(store.containers.outbox);
        const tenantLimits = withHeadroom([TENANT_LIMIT]);
        const conversationLimits = withHeadroom(TEAMS_CONVERSATION_LIMITS);
        return startNudgeLoops({
          scheduler: new Scheduler(schedules, outbox, compose, { holder, leaseMs: SCHEDULE_LEASE_MS, graceMs: 3_600_000, ...SCHEDULER_SETTINGS, batchSize: 40, clock: clockNow, daysOff: DaysOff.none() }, silentLogger),
          delivery: new Delivery(
            outbox,
            new ConnectorMessenger(createAdapter(testConfig().bot), ""),
            new SlidingWindowLimiter((key) => (key.startsWith("tenant:") ? tenantLimits : conversationLimits)),
            new TenantLeases(store.containers.outbox, { holder, leaseMs: TENANT_LEASE_MS, sendMarginMs: TENANT_SEND_MARGIN_MS, clock: clockNow }),
            async () => undefined,
            { holder, ...DELIVERY_SETTINGS, batchSize: 60, clock: clockNow, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
            silentLogger,
          ),
          tickMs: 1_000,
          log: silentLogger,
        });
      });

      // Fake time moves 5 ms for each real millisecond or so, letting Cosmos and the Connector answer in between.
      const deadline = START.getTime() + 120_000;
      while (arrivals.length < expected && Date.now() < deadline) {
        await clock.tickAsync(5);
        await new Promise((resolve) => realSetTimeout(resolve, 1));
      }
      let stopped = false;
      const stopping = Promise.all(loops.map((l) => l.stop())).then(() => (stopped = true));
      while (!stopped) {
        await clock.tickAsync(50);
        await new Promise((resolve) => realSetTimeout(resolve, 1));
      }
      await stopping;

      const texts = arrivals.map((a) => a.text);
      assert.equal(new Set(texts).size, texts.length, "no message went out twice");
      assert.equal(texts.length, expected, `${texts.length} of ${expected} arrived`);
      for (const [name, tenantId] of Object.entries(TENANTS)) {
        const times = arrivals.filter((a) => a.text.startsWith(tenantId)).map((a) => a.at);
        assert.deepEqual(windowBreaches(times, TENANT_LIMIT, START.getTime()), [], `the ${name} tenant's 50 per second`);
      }
      const channelTimes = arrivals.filter((a) => a.conversationId === CHANNEL).map((a) => a.at);
      for (const limit of TEAMS_CONVERSATION_LIMITS) assert.deepEqual(windowBreaches(channelTimes, limit, START.getTime()), [], `the channel's ${limit.max} per ${limit.perMs} ms`);
      const seconds = (Math.max(...arrivals.map((a) => a.at)) - START.getTime()) / 1000;
      process.stdout.write(`      ${expected} messages in ${seconds.toFixed(1)} s of fake time across ${instances} instances\n`);
    });
  });
}
