/**
 * `npm run bench:insight`: Indsigt at a municipality's size. 2,000 leaders (BENCH_LEADERS) with
 * two years of reflections every two weeks or so, and a reminder before each, made by the bot's
 * own functions (withReflection, changeBetween, shareOf) into one bucket per quarter. Cosmos is
 * the embedded server behind the strict double, with 5 ms per request (as bench:fanout). Prints:
 * - the buckets' sizes;
 * - today's way, each change applied to its bucket as it happens: per reflection the Cosmos
 *   requests and time, and a reminder slot's changes to one bucket from two instances;
 * - the tally: a reminder slot of the same size through the real scheduler and composer (writes
 *   to the tenant's buckets during it: must be none), then the tally of its changes (requests,
 *   time, bucket writes), and the buckets both ways for the same changes (must be equal);
 * - per page view (the numbers of a quarter) and per CSV: p50/p95/max time through the real HTTP
 *   server, and Cosmos requests and bytes read, with the RU that Azure's published rates put on
 *   them (a point read: 1 RU per KB up to 10 RU at 100 KB).
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "../src/kernel/config";
import { loadFramework } from "../src/content/loadContent";
import { silentLogger } from "../src/kernel/log";
import { projectRoot } from "../src/kernel/paths";
import { openCosmosStore } from "../src/storage/cosmosDatabase";
import { startEmbeddedCosmos } from "../src/storage/embeddedCosmos";
import { added, changeBetween, quarterBefore, quarterOf, shareOf, withReflection, type Counts } from "../src/domain/insight/aggregate";
import { BucketStore, bucketId, bucketPk, type Bucket } from "../src/storage/insightBuckets";
import { InsightPages } from "../src/insight/insightPages";
import { createHttpServer } from "../src/server";
import { StrictCosmos } from "../test/support/strictCosmos";
import { random, simulateLeader, type SeededLeader } from "../test/support/insightSeed";
import { benchSize, failBench } from "./smoke";
import type { Framework } from "../src/domain/framework";
import type { CosmosStore } from "../src/storage/cosmosDatabase";
import type { StoredConversation } from "../src/domain/conversation";
import type { UserSession } from "../src/domain/session";
import { asRoleId } from "../src/domain/ids";
import { DaysOff } from "../src/domain/daysOff";
import { createAllIfAbsent } from "../src/storage/conditionalWrites";
import { applyToBucket } from "../src/storage/insightBuckets";
import { PendingChanges } from "../src/storage/insightChanges";
import { UserSessionStore } from "../src/storage/userSessions";
import { ReflectionRepository } from "../src/storage/reflections";
import { PersonalNudges } from "../src/reminders/personalReminders";
import { InsightChanges } from "../src/insight/contributions";
import { Outbox } from "../src/nudges/outbox";
import { ScheduleStore } from "../src/nudges/scheduleStore";
import { Scheduler, SCHEDULER_SETTINGS } from "../src/nudges/scheduler";

const LEADERS = benchSize("BENCH_LEADERS", 2000, 150);
const VIEWS = benchSize("BENCH_VIEWS", 400, 60);
const CHANGES = benchSize("BENCH_CHANGES", 300, 40);
const LATENCY_MS = 5;
const TENANT = "11111111-1111-4111-8111-111111111111";
const NOW = new Date("2026-12-06T10:00:00.000Z");
const LEVELS: ReadonlyArray<readonly [string, number]> = [["leder-af-medarbejder", 0.6], ["leder-af-leder", 0.25], ["chef", 0.12], ["direktoer", 0.03]];

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;
/** Azure's published point-read rate: 1 RU for 1 KB, 10 RU for 100 KB (linear between). */
const readRu = (bytes: number) => Math.max(1, 1 + (9 * (bytes / 1024 - 1)) / 99);

async function main(): Promise<void> {
  const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));
  const embedded = await startEmbeddedCosmos();
  const strict = new StrictCosmos(embedded, { seed: 1 });
  strict.latencyMs = () => LATENCY_MS;
  await strict.start();
  const config = parseConfig({ COSMOS_ENDPOINT: strict.endpoint, COSMOS_KEY: embedded.key, COSMOS_DATABASE: "bench-insight", COSMOS_CREATE_MISSING: "true" });
  const store = await openCosmosStore(config.cosmos, silentLogger);
  const buckets = new BucketStore(store.containers.insight, 5);

  // Two years of leaders, summed per quarter: the buckets as months of changes would leave them.
  const started = Date.now();
  const next = random(2026);
  const leaders: SeededLeader[] = [];
  let reflections = 0;
  for (let i = 0; i < LEADERS; i += 1) {
    const draw = next();
    let level = LEVELS[0]![0];
    for (let acc = 0, j = 0; j < LEVELS.length; j += 1) if (draw < (acc += LEVELS[j]![1])) { level = LEVELS[j]![0]; break; }
    const leader = simulateLeader(framework, level, new Date("2025-01-01T08:00:00Z"), NOW, 10 + next() * 10, next);
    reflections += leader.changes.length / 2;
    leaders.push(leader);
  }
  const sums = new Map<string, Counts>();
  for (const leader of leaders) for (const [quarter, part] of Object.entries(leader.insight.quarters)) sums.set(quarter, added(sums.get(quarter) ?? {}, shareOf(part)));
  const seeded: Bucket[] = [...sums].map(([quarter, counts]) => ({
    id: bucketId(quarter), pk: bucketPk(TENANT), type: "insight-bucket", tenantId: TENANT, quarter, counts, shown: counts, waiting: {},
    applied: Array.from({ length: 500 }, () => randomUUID()), updatedAt: NOW.toISOString(),
  }));
  for (const bucket of seeded) await store.containers.insight.items.upsert(bucket);
  const sizes = seeded.map((b) => Buffer.byteLength(JSON.stringify(b)));
  console.log(`Indsigt bench (load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}): ${LEADERS} leaders, ${Math.round(reflections)} reflections over ${seeded.length} quarters, seeded in ${((Date.now() - started) / 1000).toFixed(1)} s; Cosmos ${LATENCY_MS} ms per request`);
  console.log(`  buckets: ${seeded.length}, largest ${(Math.max(...sizes) / 1024).toFixed(1)} kB (stated maximum 256 kB), keys in the largest ${Math.max(...seeded.map((b) => Object.keys(b.counts).length))}`);

  // Per reflection: a fresh reflection by a random leader, its change applied as the scheduler does.
  const quarter = quarterOf(NOW.toISOString());
  const applyTimes: number[] = [];
  const before = strict.requests;
  for (let i = 0; i < CHANGES; i += 1) {
    const leader = leaders[Math.floor(next() * leaders.length)]!;
    const after = withReflection(leader.insight, { completedAt: NOW.toISOString(), level: leader.level, themeId: framework.themes[i % framework.themes.length]!.id, short: false, ratings: {} });
    const t0 = performance.now();
    await buckets.apply(TENANT, randomUUID(), changeBetween(leader.insight, after), NOW);
    applyTimes.push(performance.now() - t0);
  }
  const perChange = (strict.requests - before) / CHANGES;
  applyTimes.sort((a, b) => a - b);
  const bucketBytes = Buffer.byteLength(JSON.stringify(await buckets.read(TENANT, quarter)));
  console.log(`  today's way, per reflection: ${perChange.toFixed(2)} Cosmos requests to apply its change (a point read and a replace of the ${(bucketBytes / 1024).toFixed(1)} kB bucket), p50 ${ms(percentile(applyTimes, 50))}, p95 ${ms(percentile(applyTimes, 95))};`);
  console.log(`    plus, in the turn, one more operation in the session's batch (no extra request), and the scheduler's claim and retire of the change (2 writes; the due query is shared by up to 500)`);
  console.log(`    RU: the read ≈ ${readRu(bucketBytes).toFixed(1)} RU; the replace of an unindexed item of this size is not published as a rate: measure it on the account (x-ms-request-charge)`);
  if (perChange > 2.5) failBench(`a change cost ${perChange} requests`);

  // Today's way (before the tally), for comparison: a reminder slot's changes each applied to the
  // tenant's bucket at once, through two instances' stores, 16 at a time each.
  const slot = benchSize("BENCH_SLOT", 1000, 100);
  const instances = [new BucketStore(store.containers.insight, 5), new BucketStore(store.containers.insight, 5)];
  const remindersBefore = (await buckets.read(TENANT, quarter))!.counts["M|leder-af-medarbejder"] ?? 0;
  const slotStart = strict.requests;
  const t0 = performance.now();
  let failures = 0;
  const queue = Array.from({ length: slot }, (_, i) => i);
  await Promise.all(
    instances.flatMap((instance, n) =>
      Array.from({ length: 16 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          const mark = `slot-mark-${i}-of-${n}`;
          try {
            await instance.apply(TENANT, randomUUID(), { [quarter]: { counts: { "M|leder-af-medarbejder": 1 }, mark } }, NOW);
          } catch {
            failures += 1; // left to its lease in the app, and tried again
          }
        }
      }),
    ),
  );
  const slotMs = performance.now() - t0;
  const remindersAfter = (await buckets.read(TENANT, quarter))!.counts["M|leder-af-medarbejder"] ?? 0;
  console.log(`  today's way, a reminder slot: ${slot} changes to one bucket from 2 instances × 16 in ${(slotMs / 1000).toFixed(1)} s, ${((strict.requests - slotStart) / slot).toFixed(2)} requests per change, ${failures} gave up after 8 lost races (retried by lease), counted ${remindersAfter - remindersBefore}`);
  if (remindersAfter - remindersBefore !== slot - failures) failBench(`the slot counted ${remindersAfter - remindersBefore} of ${slot - failures}`);

  await tallySection(framework, store, strict, slot);

  // Page views and CSVs through the real server, over the eight quarters.
  const pages = new InsightPages({ framework, buckets, k: 5, access: { kind: "local", tenantId: TENANT }, clock: () => NOW, log: silentLogger });
  const http = createHttpServer({ messages: async () => ({ status: 200 }), readiness: {}, log: silentLogger, insight: pages });
  const port = await http.listen(0, "127.0.0.1");
  for (const [label, route] of [["page view", "/indsigt/tal"], ["CSV", "/indsigt/tal.csv"]] as const) {
    const times: number[] = [];
    let bytesRead = 0;
    const start = strict.requests;
    for (let i = 0; i < VIEWS + 20; i += 1) {
      const q = quarterBefore(quarter, i % 8);
      const t0 = performance.now();
      const response = await fetch(`http://127.0.0.1:${port}${route}?kvartal=${q}`);
      const body = await response.text();
      if (response.status !== 200 || body.length < 100) failBench(`${route} answered ${response.status}`);
      if (i >= 20) {
        times.push(performance.now() - t0);
        bytesRead += sizes[seeded.findIndex((b) => b.quarter === q)] ?? 0;
        bytesRead += sizes[seeded.findIndex((b) => b.quarter === quarterBefore(q))] ?? 0;
      }
    }
    times.sort((a, b) => a - b);
    const requests = (strict.requests - start) / (VIEWS + 20);
    const perView = bytesRead / VIEWS;
    console.log(`  per ${label}: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, max ${ms(times.at(-1)!)}; ${requests.toFixed(2)} Cosmos requests (point reads of the quarter and the one before), ${(perView / 1024).toFixed(1)} kB read ≈ ${(readRu(perView / 2) * 2).toFixed(1)} RU`);
    if (requests > 2) failBench(`a ${label} cost ${requests} requests`);
  }
  await http.close();
  await store.close();
  await strict.stop();
  await embedded.stop();
}


/**
 * The tally: a reminder slot through the app's own scheduler and composer writes each leader's
 * count into their session and a waiting change beside it, nothing into the tenant's buckets;
 * the tally then applies the slot's changes, a few hundred in one write of the bucket.
 */
async function tallySection(framework: Framework, store: CosmosStore, strict: StrictCosmos, size: number): Promise<void> {
  const tenantId = randomUUID();
  const now = new Date();
  const seeds: Array<{ document: { id: string }; partitionKey: string }> = Array.from({ length: size }, (_, u) => {
    const pk = `${tenantId}|leader-${u}`;
    const conversation: StoredConversation = { channelId: "msteams", serviceUrl: "https://smba.trafficmanager.net/emea/", conversationId: `a:1slot-${u}`, conversationType: "personal", tenantId, botId: "28:bench", userId: `29:leader-${u}`, active: true, updatedAt: now.toISOString() };
    const session: UserSession = { profile: { lastReflectedAt: {}, roleId: asRoleId(LEVELS[u % LEVELS.length]![0]), timezone: "Europe/Copenhagen" }, conversation };
    return [
      { document: { id: "session", pk, type: "session", session, updatedAt: now.toISOString() } as { id: string }, partitionKey: pk },
      { document: { id: "nudge", pk, type: "schedule", kind: "personal-nudge", tenantId, active: true, nextRunAt: now.toISOString(), recurrence: { frequency: "weekly", weekday: 2, time: "09:00", timezone: "Europe/Copenhagen" }, payload: { anyHour: true } } as { id: string }, partitionKey: pk },
    ];
  }).flat();
  for (let i = 0; i < seeds.length; i += 100) await createAllIfAbsent(store.containers.userData, seeds.slice(i, i + 100));

  const buckets = new BucketStore(store.containers.insight, 5);
  const schedules = new ScheduleStore([store.containers.userData, store.containers.channels]);
  const sessions = new UserSessionStore(store.containers.userData);
  const nudges = new PersonalNudges({ framework, schedules, sessions, reflections: new ReflectionRepository(store.containers.userData), clock: () => new Date(), daysOff: DaysOff.none(), log: silentLogger });
  const outbox = new Outbox(store.containers.outbox);
  const scheduler = new Scheduler(schedules, outbox, (s, r, pre) => nudges.compose(s, r, pre), { holder: "bench", leaseMs: 30_000, graceMs: 3_600_000, ...SCHEDULER_SETTINGS, clock: () => new Date(), daysOff: DaysOff.none() }, silentLogger, (due) => nudges.sessionsOf(due));
  const pending = new PendingChanges([store.containers.userData, store.containers.channels]);
  const tally = new InsightChanges(buckets, pending, schedules, () => new Date(), silentLogger, "bench");

  let bucketWrites = 0;
  let bucketBatches = 0;
  let bucketRequests = 0;
  strict.faultWhen = (r) => {
    if (r.path.includes("/colls/insight/")) {
      bucketRequests += 1;
      // Bulk requests there are reads; a transactional batch (the buckets), a create or a replace (the lease) writes.
      if (r.method !== "GET" && !(r.batch && !r.atomic)) bucketWrites += 1;
      if (r.batch && r.atomic) bucketBatches += 1;
    }
    return undefined;
  };
  try {
    const slotStart = strict.requests;
    const t0 = performance.now();
    let enqueued = 0;
    for (let n = await scheduler.tick(); n > 0; n = await scheduler.tick()) enqueued += n;
    const slotMs = performance.now() - t0;
    const slotRequests = strict.requests - slotStart;
    console.log(`  the tally, a reminder slot: ${enqueued} reminders through the scheduler and the app's composer in ${(slotMs / 1000).toFixed(1)} s, ${(slotRequests / enqueued).toFixed(2)} Cosmos requests per reminder (counted in the session and a waiting change in the same batch); writes to the tenant's buckets: ${bucketWrites} (must be 0), requests to them: ${bucketRequests}`);
    if (bucketWrites > 0) failBench(`a reminder slot wrote ${bucketWrites} times to the tenant's buckets`);

    const waiting = await pending.read(await pending.oldest(10_000));
    const tallyStart = strict.requests;
    const t1 = performance.now();
    const applied = await tally.tally();
    const tallyMs = performance.now() - t1;
    const counted = (await buckets.read(tenantId, quarterOf(now.toISOString())))?.counts ?? {};
    const reminders = Object.entries(counted).filter(([k]) => k.startsWith("M|")).reduce((sum, [, n]) => sum + n, 0);
    console.log(`  the tally of the slot: ${applied} changes in ${(tallyMs / 1000).toFixed(1)} s, ${strict.requests - tallyStart} Cosmos requests (${(((strict.requests - tallyStart) / applied) * 1000).toFixed(1)} per 1,000 changes), ${bucketBatches} writes of the bucket (a transactional batch per 250 changes) and ${bucketWrites - bucketBatches} of the tally's lease; reminders counted ${reminders}`);
    if (reminders !== enqueued) failBench(`the tally counted ${reminders} of ${enqueued} reminders`);

    // Both ways for the same changes: applied one by one as they happened (today's), and as the tally left them.
    const today = new Map<string, Bucket>();
    for (const { changeId, change } of waiting) {
      for (const [quarter, part] of Object.entries(change)) {
        const decision = applyToBucket(today.get(quarter), { tenantId, quarter, changeId, change: part, k: 5, now: new Date() });
        if (decision.write) today.set(quarter, decision.write);
      }
    }
    for (const [quarter, expected] of today) {
      const stored = await buckets.read(tenantId, quarter);
      const same = JSON.stringify([stored?.counts, stored?.shown, stored?.waiting]) === JSON.stringify([expected.counts, expected.shown, expected.waiting]);
      console.log(`  the counts and what shows for ${quarter}, today's way and the tally's: ${same ? "equal" : "DIFFERENT"}`);
      if (!same) failBench(`the tally's bucket for ${quarter} differs from today's`);
    }
  } finally {
    strict.faultWhen = () => undefined;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});