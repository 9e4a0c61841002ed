import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import path from "node:path";
import fc from "fast-check";
import { loadFramework } from "../../src/content/loadContent";
import { changeBetween, emptyInsight, key, withdrawalOf, withReflection, withReminder, type BucketChange, type LeaderInsight } from "../../src/domain/insight/aggregate";
import { changeDocument, InsightChanges } from "../../src/insight/contributions";
import { silentLogger } from "../../src/kernel/log";
import { projectRoot } from "../../src/kernel/paths";
import { ScheduleStore } from "../../src/nudges/scheduleStore";
import { openCosmosStore, type CosmosStore } from "../../src/storage/cosmosDatabase";
import { applyChanges, applyToBucket, BucketStore, bucketPk, type Bucket } from "../../src/storage/insightBuckets";
import { PendingChanges, type PendingChange } from "../../src/storage/insightChanges";
import { insightView } from "../../src/domain/insight/insightView";
import { capturingLogger } from "../support/logLines";
import { sharedStrictCosmos } from "../support/rootHooks";
import { testConfig } from "../support/testConfig";
import { random, simulateLeader } from "../support/insightSeed";

const NOW = new Date("2026-11-20T10:00:00.000Z");
const K = 5;
const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));

/** Today's way: each change applied to the tenant's bucket as it happens, one at a time. */
function oneAtATime(changes: readonly PendingChange[], tenantId: string): Map<string, Bucket> {
  const buckets = new Map<string, Bucket>();
  for (const { changeId, change } of changes) {
    for (const [quarter, part] of Object.entries(change)) {
      const decision = applyToBucket(buckets.get(quarter), { tenantId, quarter, changeId, change: part, k: K, now: NOW });
      if (decision.write) buckets.set(quarter, decision.write);
    }
  }
  return buckets;
}

/** What the page and its CSV are made from: counts, what shows, who waits (and no system fields). */
const published = (b: Bucket | undefined) => (b ? { counts: b.counts, shown: b.shown, waiting: b.waiting } : undefined);

/** Leaders' changes as they happened: each leader's in order, the leaders interleaved, one change a minute. */
function changesOf(tenantId: string, leaders: ReadonlyArray<readonly BucketChange[]>): PendingChange[] {
  const out: PendingChange[] = [];
  const longest = Math.max(0, ...leaders.map((l) => l.length));
  for (let i = 0; i < longest; i += 1) {
    leaders.forEach((changes, n) => {
      if (!changes[i]) return;
      out.push(changeDocument({ pk: `${tenantId}|leader-${n}`, tenantId }, changes[i]!, new Date(NOW.getTime() - 3_600_000 + out.length * 60_000)));
    });
  }
  return out;
}

describe("Indsigt's tally (strict Cosmos double)", () => {
  let store: CosmosStore;
  let buckets: BucketStore;
  let pending: PendingChanges;
  const tallyOf = (holder: string, log = silentLogger) => new InsightChanges(buckets, pending, new ScheduleStore([store.containers.userData, store.containers.channels]), () => NOW, log, holder);
  const stage = async (changes: readonly PendingChange[]) => {
    for (const change of changes) await store.containers.userData.items.create(change);
  };
  const bucketsOf = async (tenantId: string, quarters: readonly string[]) => new Map((await Promise.all(quarters.map(async (q) => [q, await buckets.read(tenantId, q)] as const))).filter((e): e is readonly [string, Bucket] => e[1] !== undefined));

  beforeEach(async () => {
    store = await openCosmosStore(testConfig().cosmos, silentLogger);
    buckets = new BucketStore(store.containers.insight, K);
    pending = new PendingChanges([store.containers.userData, store.containers.channels]);
  });
  afterEach(() => store.close());

  it("leaves the buckets, what they show and who they wait for exactly as applying each change as it happened would, over 2 years of 12 leaders", async () => {
    const tenantId = randomUUID();
    const next = random(30);
    const leaders = Array.from({ length: 12 }, (_, i) => simulateLeader(framework, i % 3 === 0 ? "chef" : "leder-af-leder", new Date("2025-01-01T08:00:00Z"), NOW, 12, next).changes);
    const changes = changesOf(tenantId, leaders);
    assert.ok(changes.length > 600, `${changes.length} changes: more than one look and one chunk of a tenant`);
    await stage(changes);

    assert.equal(await tallyOf("a").tally(), changes.length);

    const expected = oneAtATime(changes, tenantId);
    const stored = await bucketsOf(tenantId, [...expected.keys()]);
    assert.deepEqual([...stored.keys()].sort(), [...expected.keys()].sort());
    for (const [quarter, bucket] of expected) assert.deepEqual(published(stored.get(quarter)), published(bucket), quarter);
    // And the page a reader sees from them is the same page.
    const quarter = "2026-Q4";
    const page = (of: ReadonlyMap<string, Bucket>) => insightView(framework, quarter, of.get(quarter)?.shown ?? {}, of.get("2026-Q3")?.shown ?? {}, K);
    assert.deepEqual(page(stored), page(expected));
    assert.deepEqual(await pending.oldest(10), [], "every applied change is gone");
  });

  it("writes nothing to a tenant's buckets while changes wait, and each tenant's buckets in one write per 250 of its changes", async () => {
    const strict = sharedStrictCosmos();
    const tenants = [randomUUID(), randomUUID()];
    const slot = tenants.flatMap((tenantId) =>
      changesOf(tenantId, Array.from({ length: 300 }, () => [changeBetween(emptyInsight(), withReminder(emptyInsight(), "leder-af-leder", NOW.toISOString()))])),
    );
    const insightWrites: string[] = [];
    strict.faultWhen = (r) => {
      // Bulk requests there are reads (of the buckets); a transactional batch writes them.
      if (r.path.includes("/colls/insight/") && r.method !== "GET" && !(r.batch && !r.atomic)) insightWrites.push(r.batch ? "batch" : r.method);
      return undefined;
    };
    try {
      await stage(slot);
      assert.deepEqual(insightWrites, [], "a reminder slot writes nothing to a bucket");
      await tallyOf("a").tally();
    } finally {
      strict.faultWhen = () => undefined;
    }
    // Per tenant: the lease, then its 300 reminders in two writes (250 and 50) of its bucket.
    assert.equal(insightWrites.filter((w) => w === "batch").length, 4, insightWrites.join(" "));
    for (const tenantId of tenants) assert.equal((await buckets.read(tenantId, "2026-Q4"))?.counts[key.reminders("leder-af-leder")], 300);
  });

  it("counts no change twice when a tally stopped after writing the buckets and before deleting the changes, or when two instances tally at once", async () => {
    const tenantId = randomUUID();
    const changes = changesOf(tenantId, Array.from({ length: 40 }, (_, i) => [changeBetween(emptyInsight(), withReflection(emptyInsight(), { completedAt: NOW.toISOString(), level: "chef", themeId: "drift", short: i % 2 === 0, ratings: { "drift.chef.1": 1 + (i % 5) } }))]));
    await stage(changes);
    // An instance wrote the buckets, then died before its delete.
    const lease = (await buckets.takeTally(tenantId, "dead", new Date(NOW.getTime() - 1), new Date(NOW.getTime() - 60_000)))!;
    assert.notEqual(await buckets.applyMany(tenantId, lease, changes, new Date(NOW.getTime() - 1), NOW), "lease-lost");
    // Two instances find the same changes still waiting.
    await Promise.all([tallyOf("a").tally(), tallyOf("b").tally()]);
    assert.deepEqual(published(await buckets.read(tenantId, "2026-Q4")), published(oneAtATime(changes, tenantId).get("2026-Q4")));
    assert.equal((await buckets.read(tenantId, "2026-Q4"))?.counts[key.reflections("chef")], 40);
  });

  it("drops a change that would take a bucket past its maximum, with its code (LR-1701), and goes on with the others", async () => {
    const tenantId = randomUUID();
    const forged = (n: number): BucketChange => ({ "2026-Q4": { counts: Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [key.rating("chef", "drift", `forged.${n}.${"x".repeat(60)}.${i}`, 3), 1])), mark: "a-mark-of-someone" } });
    const honest = changeBetween(emptyInsight(), withReminder(emptyInsight(), "chef", NOW.toISOString()));
    const changes = changesOf(tenantId, [[forged(1), forged(2), forged(3)], [honest]]);
    await stage(changes);
    const captured = capturingLogger("info");
    await tallyOf("a", captured.log).tally();
    assert.match(captured.lines.join("\n"), /LR-1701/);
    assert.equal((await buckets.read(tenantId, "2026-Q4"))?.counts[key.reminders("chef")], 1, "the honest change counted");
    assert.deepEqual(await pending.oldest(10), [], "none is tried again for ever");
  });

  it("leaves a tenant another instance tallies to it", async () => {
    const tenantId = randomUUID();
    await stage(changesOf(tenantId, [[changeBetween(emptyInsight(), withReminder(emptyInsight(), "chef", NOW.toISOString()))]]));
    assert.ok(await buckets.takeTally(tenantId, "other", new Date(NOW.getTime() + 60_000), NOW));
    assert.equal(await tallyOf("a").tally(), 0);
    assert.equal((await pending.oldest(10)).length, 1, "still waiting for whoever holds the tenant");
    assert.equal((await store.containers.insight.item("tally-lease", bucketPk(tenantId)).read<{ holder: string }>()).resource?.holder, "other");
  });
});

describe("Indsigt's tally (pure): applying changes in chunks", () => {
  // Today's way applies each change as it comes; the tally applies a tenant's waiting changes a
  // chunk at a time. For any leaders' reflections, reminders and withdrawals, and any cut into
  // chunks, the buckets (counts, what shows, who waits) are the same.
  it("gives the buckets applying each change as it happened gives, however the changes are cut into chunks (property)", () => {
    const level = fc.constantFrom("leder-af-medarbejder", "chef");
    const event = fc.oneof(
      fc.record({ kind: fc.constant("reflection" as const), day: fc.integer({ min: 0, max: 400 }), level, themeId: fc.constantFrom("drift", "resultater"), short: fc.boolean(), ratings: fc.dictionary(fc.constantFrom("s1", "s2", "s3"), fc.integer({ min: 1, max: 5 })) }),
      fc.record({ kind: fc.constant("reminder" as const), day: fc.integer({ min: 0, max: 400 }), level }),
    );
    const leader = fc.record({ events: fc.array(event, { maxLength: 6 }), withdrawn: fc.boolean() });
    fc.assert(
      fc.property(fc.array(leader, { minLength: 1, maxLength: 10 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }), (leaders, cuts) => {
        const at = (day: number) => new Date(Date.UTC(2025, 6, 1) + day * 86_400_000).toISOString();
        const perLeader = leaders.map(({ events, withdrawn }) => {
          let insight: LeaderInsight = emptyInsight();
          const own: BucketChange[] = [];
          for (const e of [...events].sort((a, b) => a.day - b.day)) {
            const next = e.kind === "reflection" ? withReflection(insight, { completedAt: at(e.day), level: e.level, themeId: e.themeId, short: e.short, ratings: e.ratings }) : withReminder(insight, e.level, at(e.day));
            own.push(changeBetween(insight, next));
            insight = next;
          }
          return withdrawn ? [...own, withdrawalOf(insight)] : own;
        });
        const changes = changesOf("t", perLeader);
        const expected = oneAtATime(changes, "t");
        let chunked = new Map<string, Bucket>();
        for (let at = 0, c = 0; at < changes.length; at += cuts[c % cuts.length]!, c += 1) {
          chunked = applyChanges(chunked, changes.slice(at, at + cuts[c % cuts.length]!), { tenantId: "t", k: K, now: NOW }).working;
        }
        assert.deepEqual([...chunked.keys()].sort(), [...expected.keys()].sort());
        for (const [quarter, bucket] of expected) assert.deepEqual(published(chunked.get(quarter)), published(bucket));
      }),
      { numRuns: 200 },
    );
  });
});
