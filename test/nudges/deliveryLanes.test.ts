import assert from "node:assert/strict";
import sinon from "sinon";
import { createAdapter } from "../../src/bot/adapter";
import { ConnectorMessenger } from "../../src/bot/connectorMessenger";
import type { StoredConversation } from "../../src/domain/conversation";
import { silentLogger } from "../../src/kernel/log";
import { Delivery, type DeliveryOptions } from "../../src/nudges/delivery";
import { Outbox, type OutboxRecord } from "../../src/nudges/outbox";
import { SlidingWindowLimiter, TEAMS_CONVERSATION_LIMITS } from "../../src/nudges/rateLimiter";
import { TENANT_LEASE_MS, TENANT_SEND_MARGIN_MS, TenantLeases } from "../../src/nudges/tenantLeases";
import { openCosmosStore, type CosmosStore } from "../../src/storage/cosmosDatabase";
import { FakeConnector } from "../support/fakeConnector";
import { testConfig } from "../support/testConfig";

const START = new Date("2026-11-23T08:00:00.000Z"); // Monday 09:00 in Copenhagen
const TENANTS = { a: "11111111-1111-4111-8111-111111111111", b: "22222222-2222-4222-8222-222222222222", c: "33333333-3333-4333-8333-333333333333" };
type Tenant = keyof typeof TENANTS;
const tenantNamed = Object.fromEntries(Object.entries(TENANTS).map(([name, id]) => [id, name])) as Record<string, Tenant>;

describe("delivery lanes: which tenants a due query asks for (strict Cosmos double, real Connector client, fake Connector)", () => {
  let store: CosmosStore;
  let connector: FakeConnector;
  let clock: sinon.SinonFakeTimers;

  /** The outbox, keeping the tenants each due query asked for (its third argument). */
  class AskedOutbox extends Outbox {
    readonly asked: Array<Parameters<Outbox["due"]>[2]> = [];
    override async due(...args: Parameters<Outbox["due"]>) {
      this.asked.push(args[2]);
      return super.due(...args);
    }
  }

  const conversationOf = (tenant: Tenant, i: number): StoredConversation => ({
    channelId: "msteams",
    serviceUrl: connector.serviceUrl,
    conversationId: `a:1${tenant}-${i}`,
    conversationType: "personal",
    tenantId: TENANTS[tenant],
    botId: "28:bot",
    userId: `29:user-${i}`,
    active: true,
    updatedAt: START.toISOString(),
  });
  /** `count` records of a tenant, one conversation each, due one millisecond apart from `from` on. */
  const recordsOf = (tenant: Tenant, count: number, from: Date): OutboxRecord[] =>
    Array.from({ length: count }, (_, i) =>
      Outbox.pending(
        { id: `${tenant}-${i}`, tenantId: TENANTS[tenant], ownerPk: `${TENANTS[tenant]}|user-${i}`, scheduleId: "nudge", kind: "personal-nudge", conversation: conversationOf(tenant, i), message: { text: `${tenant} ${i}` } },
        new Date(from.getTime() + i),
      ),
    );
  const minutesAgo = (minutes: number) => new Date(START.getTime() - minutes * 60_000);
  const deliveryOver = (outbox: Outbox, holder: string, options: Partial<DeliveryOptions> = {}) =>
    new Delivery(
      outbox,
      new ConnectorMessenger(createAdapter(testConfig().bot), ""),
      new SlidingWindowLimiter((key) => (key.startsWith("tenant:") ? [{ max: 50, perMs: 1_000 }] : TEAMS_CONVERSATION_LIMITS)),
      new TenantLeases(store.containers.outbox, { holder, leaseMs: TENANT_LEASE_MS, sendMarginMs: TENANT_SEND_MARGIN_MS, clock: () => new Date() }),
      async () => undefined,
      { holder, leaseMs: 60_000, batchSize: 100, concurrency: 4, maxTenants: 24, tickBudgetMs: 30_000, clock: () => new Date(), sleep: async (ms) => void clock.tick(ms), ...options },
      silentLogger,
    );
  /** The tenant of each message the Connector took, in the order it took them. */
  const sentBy = () => connector.sentActivities().map((a) => String(a.text).split(" ")[0] as Tenant);

  beforeEach(async () => {
    store = await openCosmosStore(testConfig().cosmos, silentLogger);
    connector = new FakeConnector();
    await connector.start();
    // Only Date is faked: Cosmos and HTTP keep their real timers; delivery's waits move the clock.
    clock = sinon.useFakeTimers({ now: START, toFake: ["Date"] });
  });
  afterEach(async () => {
    clock.restore();
    await connector.stop();
    await store.close();
  });

  it("A tenant with more due records than a due query returns does not hold up another tenant's records once its lane is full (Teams slowed it down)", async () => {
    const outbox = new AskedOutbox(store.containers.outbox);
    // A's 300 records are all older than B's 5: a due query (TOP 100, oldest first) answers with A's alone.
    await outbox.enqueueAll(recordsOf("a", 300, minutesAgo(10)));
    await outbox.enqueueAll(recordsOf("b", 5, minutesAgo(5)));
    // Teams throttles A's first send: A goes on at half its pace, and its lane holds more than that takes.
    let throttled = false;
    connector.respond = (call) => {
      if (throttled || !call.conversationId.startsWith("a:1a-")) return { status: 200 };
      throttled = true;
      return { status: 429, headers: { "retry-after": "1" }, body: { error: { code: "Throttled" } } };
    };

    const report = await deliveryOver(outbox, "instance-a").tick();

    const sent = sentBy();
    assert.equal(sent.filter((t) => t === "b").length, 5, "B's messages went out in this tick");
    const aBeforeB = sent.slice(0, sent.lastIndexOf("b")).filter((t) => t === "a").length;
    // Before, B's records came up in a due query only once fewer than 100 of A's were left unclaimed.
    assert.ok(aBeforeB < 100, `${aBeforeB} of A's messages went out before B's last: B waited for A's records beyond the first due query's`);
    assert.ok(
      outbox.asked.some((tenants) => tenants?.except?.includes(TENANTS.a)),
      `a due query left A's full lane out: ${JSON.stringify(outbox.asked)}`,
    );
    assert.deepEqual(report, { sent: 304, retried: 1, failed: 0, handedOver: 0 }, "A's records all went out too, but the throttled one, due again later");
  });

  it("With every lane taken (maxTenants), asks only for its lanes' tenants, and leaves another tenant's records unclaimed for another instance", async () => {
    const outbox = new AskedOutbox(store.containers.outbox);
    await outbox.enqueueAll(recordsOf("a", 10, minutesAgo(3)));
    await outbox.enqueueAll(recordsOf("b", 10, minutesAgo(2)));
    await outbox.enqueueAll(recordsOf("c", 10, minutesAgo(1)));

    assert.deepEqual(await deliveryOver(outbox, "instance-a", { maxTenants: 2 }).tick(), { sent: 20, retried: 0, failed: 0, handedOver: 0 });
    assert.deepEqual([...new Set(sentBy())].sort(), ["a", "b"]);
    // The first due query finds all three tenants; lanes for A and B take every lane there is.
    assert.deepEqual(outbox.asked[0], { except: [] });
    const later = outbox.asked.slice(1);
    assert.ok(later.length > 0, "it asked again while its lanes sent");
    for (const tenants of later) {
      assert.ok(tenants?.only, `a later due query names the tenants it asks for: ${JSON.stringify(tenants)}`);
      assert.deepEqual(tenants.only.filter((id) => id !== TENANTS.a && id !== TENANTS.b), [], `asked only for its lanes' tenants: ${JSON.stringify(tenants.only.map((id) => tenantNamed[id]))}`);
    }
    const left = await Promise.all(recordsOf("c", 10, minutesAgo(1)).map((r) => outbox.get(r.id)));
    assert.deepEqual(
      left.map((r) => [r?.status, r?.lease?.holder]),
      Array.from({ length: 10 }, () => ["pending", undefined]),
      "C's records are pending, claimed by no one",
    );

    // Another instance, with a lane free, sends them.
    const other = new AskedOutbox(store.containers.outbox);
    assert.deepEqual(await deliveryOver(other, "instance-b", { maxTenants: 2 }).tick(), { sent: 10, retried: 0, failed: 0, handedOver: 0 });
    assert.deepEqual(sentBy().slice(20), Array.from({ length: 10 }, () => "c"));
    assert.deepEqual(other.asked[0]?.except?.map((id) => tenantNamed[id]).sort(), ["a", "b"], "it left out the tenants instance-a holds");
  });

  describe("the outbox's due query", () => {
    it("answers with only the named tenants' due records, or with every tenant's but those left out, oldest first", async () => {
      const outbox = new Outbox(store.containers.outbox);
      await outbox.enqueueAll([...recordsOf("c", 2, minutesAgo(3)), ...recordsOf("a", 2, minutesAgo(2)), ...recordsOf("b", 2, minutesAgo(1))]);
      await outbox.enqueue(Outbox.pending({ ...recordsOf("a", 1, START)[0]!, id: "a-later" }, new Date(START.getTime() + 60_000)));
      const ids = async (tenants?: Parameters<Outbox["due"]>[2]) => (await outbox.due(new Date(), 10, tenants)).map((r) => r.id);

      assert.deepEqual(await ids(), ["c-0", "c-1", "a-0", "a-1", "b-0", "b-1"]);
      assert.deepEqual(await ids({ only: [TENANTS.a, TENANTS.b] }), ["a-0", "a-1", "b-0", "b-1"]);
      assert.deepEqual(await ids({ only: [TENANTS.b] }), ["b-0", "b-1"]);
      assert.deepEqual(await ids({ only: [] }), [], "no tenant named, none asked for");
      assert.deepEqual(await ids({ except: [TENANTS.c] }), ["a-0", "a-1", "b-0", "b-1"]);
      assert.deepEqual(await ids({ except: [TENANTS.a, TENANTS.c] }), ["b-0", "b-1"]);
      assert.deepEqual(await ids({ except: [] }), ["c-0", "c-1", "a-0", "a-1", "b-0", "b-1"]);
      assert.deepEqual(await ids({ only: [TENANTS.a], except: [TENANTS.a] }), ["a-0", "a-1"], "`only`, when given, is what counts");
      assert.deepEqual((await outbox.due(new Date(), 3, { only: [TENANTS.a, TENANTS.b] })).map((r) => r.id), ["a-0", "a-1", "b-0"], "no more than asked for");
    });
  });
});
