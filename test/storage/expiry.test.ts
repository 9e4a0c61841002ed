import assert from "node:assert/strict";
import { reflectionTtl } from "../../src/domain/expiry";
import { asReflectionId, asTenantId, asUserId } from "../../src/domain/ids";
import { silentLogger } from "../../src/kernel/log";
import { Outbox } from "../../src/nudges/outbox";
import { ScheduleStore } from "../../src/nudges/scheduleStore";
import { openCosmosStore, type CosmosStore } from "../../src/storage/cosmosDatabase";
import { ReflectionRepository } from "../../src/storage/reflections";
import { TtlSweeper } from "../../src/storage/ttlSweeper";
import sinon from "sinon";
import { testConfig } from "../support/testConfig";

const user = { tenantId: asTenantId("11111111-1111-4111-8111-111111111111"), userId: asUserId("00000000-0000-4000-8000-0000000000aa") };

describe("history leaves by itself: ttl on settled, retired and expired items (strict Cosmos double)", () => {
  let store: CosmosStore;
  beforeEach(async () => {
    store = await openCosmosStore(testConfig().cosmos, silentLogger);
  });
  afterEach(() => store.close());

  it("computes a reflection's ttl from its completion, again at every write", () => {
    const completed = "2026-01-01T10:00:00.000Z";
    assert.equal(reflectionTtl(completed, 30, new Date("2026-01-01T10:00:00.000Z")), 30 * 86_400);
    assert.equal(reflectionTtl(completed, 30, new Date("2026-01-21T10:00:00.000Z")), 10 * 86_400, "a follow-up 20 days later keeps the same end");
    assert.equal(reflectionTtl(completed, 30, new Date("2027-01-01T10:00:00.000Z")), 60, "past its end: gone within a minute");
  });

  it("gives a reflection a ttl with RETENTION_DAYS, recomputed when a follow-up is added, and none without", async () => {
    let now = new Date("2026-11-23T09:00:00.000Z");
    const kept = new ReflectionRepository(store.containers.userData, { days: 365, clock: () => now });
    const reflection = { ...user, id: asReflectionId("r-ttl"), completedAt: now.toISOString() } as never;
    await kept.saveCompleted(reflection);
    const read = async () => (await store.containers.userData.item("r-ttl", `${user.tenantId}|${user.userId}`).read<{ ttl?: number }>()).resource;
    assert.equal((await read())?.ttl, 365 * 86_400);
    now = new Date("2026-12-23T09:00:00.000Z");
    await kept.addFollowUp(user, asReflectionId("r-ttl"), { text: "Det gik", at: now.toISOString() });
    assert.equal((await read())?.ttl, 335 * 86_400);
    const forever = new ReflectionRepository(store.containers.userData);
    await forever.saveCompleted({ ...user, id: asReflectionId("r-forever"), completedAt: now.toISOString() } as never);
    assert.equal((await store.containers.userData.item("r-forever", `${user.tenantId}|${user.userId}`).read<{ ttl?: number }>()).resource?.ttl, undefined);
  });

  it("gives a settled outbox record and a retired one-off schedule a ttl, and keeps pending ones", async () => {
    const outbox = new Outbox(store.containers.outbox, 30 * 86_400);
    const record = { id: "o1", status: "pending", tenantId: "t", ownerPk: "p", scheduleId: "s", kind: "personal-nudge", conversation: {} as never, message: { text: "x" }, createdAt: "2026-11-23T09:00:00Z", attempts: 0, nextAttemptAt: "2026-11-23T09:00:00Z" } as const;
    await outbox.enqueue(record);
    assert.equal((await outbox.get("o1"))?.ttl, undefined);
    await outbox.markSent({ ...(await outbox.get("o1"))! }, new Date());
    assert.equal((await outbox.get("o1"))?.ttl, 30 * 86_400);

    const schedules = new ScheduleStore([store.containers.userData]);
    const oneOff = { id: "follow-up-x", pk: "p|u", type: "schedule", kind: "follow-up", tenantId: "t", active: true, nextRunAt: "2026-11-23T09:00:00.000Z", payload: {} } as const;
    await schedules.upsert(oneOff);
    const claimed = await schedules.claim((await schedules.get("p|u", "follow-up-x"))!, { holder: "h", until: "2026-11-23T09:05:00.000Z" });
    await schedules.advance(claimed!, undefined, "enqueued", new Date());
    const retired = await schedules.get("p|u", "follow-up-x");
    assert.equal(retired?.active, false);
    assert.equal(retired?.ttl, 7 * 86_400);
  });

  it("deletes expired items locally with the same rule as Azure Cosmos (the embedded server ignores ttl)", async () => {
    await store.containers.outbox.items.create({ id: "old", ttl: 60 });
    await store.containers.outbox.items.create({ id: "fresh", ttl: 3600 });
    await store.containers.outbox.items.create({ id: "no-ttl" });
    await store.containers.userData.items.create({ id: "old-doc", pk: "a|b", ttl: 60 });
    const inTwoMinutes = () => new Date(Date.now() + 120_000);
    const deleted = await new TtlSweeper(store.containers, silentLogger, inTwoMinutes).sweep();
    assert.equal(deleted, 2);
    const ids = (await store.containers.outbox.items.readAll().fetchAll()).resources.map((r) => r.id).sort();
    assert.deepEqual(ids, ["fresh", "no-ttl"]);
    assert.equal((await store.containers.userData.items.readAll().fetchAll()).resources.length, 0);
  });

  it("on Cosmos (the strict double expires by ttl), settled records and retired one-offs are gone after their ttl, and pending ones stay", async () => {
    const outbox = new Outbox(store.containers.outbox, 30 * 86_400);
    const record = { status: "pending", tenantId: "t", ownerPk: "p", scheduleId: "s", kind: "personal-nudge", conversation: {} as never, message: { text: "x" }, createdAt: "2026-11-23T09:00:00Z", attempts: 0, nextAttemptAt: "2026-11-23T09:00:00Z" } as const;
    await outbox.enqueue({ ...record, id: "settled" });
    await outbox.enqueue({ ...record, id: "pending" });
    await outbox.markSent((await outbox.get("settled"))!, new Date());
    const schedules = new ScheduleStore([store.containers.userData]);
    await schedules.upsert({ id: "one-off", pk: "p|u", type: "schedule", kind: "follow-up", tenantId: "t", active: true, nextRunAt: "2026-11-23T09:00:00.000Z", payload: {} });
    const claimed = await schedules.claim((await schedules.get("p|u", "one-off"))!, { holder: "h", until: "2026-11-23T09:05:00.000Z" });
    await schedules.advance(claimed!, undefined, "enqueued", new Date());

    const clock = sinon.useFakeTimers({ now: Date.now() + 31 * 86_400_000, toFake: ["Date"] });
    try {
      assert.equal(await outbox.get("settled"), undefined);
      assert.equal((await outbox.get("pending"))?.status, "pending");
      assert.equal(await schedules.get("p|u", "one-off"), undefined);
      assert.deepEqual((await outbox.due(new Date(), 10)).map((r) => r.id), ["pending"]);
    } finally {
      clock.restore();
    }
  });
});
