import assert from "node:assert/strict";
import fc from "fast-check";
import {
  added, cellOf, changeBetween, emptyInsight, isValidChange, key, publish, quarterBefore, quarterOf, withdrawalOf, withReflection, withReminder,
  type BucketChange, type Counts, type LeaderInsight, type Published, type ReflectionFacts,
} from "../../src/domain/insight/aggregate";
import { applyToBucket, BUCKET_MAX_BYTES, type Bucket, type BucketStore } from "../../src/storage/insightBuckets";
import { changeDocument, INSIGHT_CHANGE_KIND, InsightChanges } from "../../src/insight/contributions";
import type { PendingChanges } from "../../src/storage/insightChanges";
import type { Schedule } from "../../src/nudges/schedule";
import { capturingLogger } from "../support/logLines";
import { AppError, ErrorCodes } from "../../src/kernel/errors";
import path from "node:path";
import { loadFramework } from "../../src/content/loadContent";
import { projectRoot } from "../../src/kernel/paths";
import { MAX_CONTRIBUTION_BYTES } from "../../src/domain/insight/aggregate";

const facts = (at: string, ratings: Record<string, number>, overrides: Partial<ReflectionFacts> = {}): ReflectionFacts => ({
  completedAt: at, level: "leder-af-leder", themeId: "drift", short: false, ratings, ...overrides,
});

/** The buckets as the scheduler leaves them: every change applied once, per quarter. */
function applyAll(changes: readonly BucketChange[]): Record<string, Counts> {
  const out: Record<string, Counts> = {};
  for (const change of changes) for (const [quarter, part] of Object.entries(change)) out[quarter] = added(out[quarter] ?? {}, part.counts);
  for (const [quarter, counts] of Object.entries(out)) if (Object.keys(counts).length === 0) delete out[quarter];
  return out;
}

describe("Indsigt's counts (pure)", () => {
  it("puts a time in its quarter, and steps back across a year", () => {
    assert.deepEqual(["2026-01-01T00:00:00Z", "2026-03-31T23:59:59Z", "2026-04-01T00:00:00Z", "2026-12-31T12:00:00Z"].map(quarterOf), ["2026-Q1", "2026-Q1", "2026-Q2", "2026-Q4"]);
    assert.equal(quarterBefore("2026-Q1"), "2025-Q4");
    assert.equal(quarterBefore("2026-Q3", 7), "2024-Q4");
  });

  it("counts a leader once per cell however often they reflect, with their latest rating of each statement", () => {
    let insight = emptyInsight();
    const changes: BucketChange[] = [];
    for (const step of [facts("2026-10-02T09:00:00Z", { s1: 2, s2: 4 }), facts("2026-11-02T09:00:00Z", { s1: 3, s2: 4 }, { short: true })]) {
      const next = withReflection(insight, step);
      changes.push(changeBetween(insight, next));
      insight = next;
    }
    const bucket = applyAll(changes)["2026-Q4"]!;
    assert.equal(bucket[key.active("leder-af-leder")], 1);
    assert.equal(bucket[key.themeLeaders("leder-af-leder", "drift")], 1);
    assert.equal(bucket[key.reflections("leder-af-leder")], 2);
    assert.equal(bucket[key.short("leder-af-leder")], 1);
    assert.equal(bucket[key.rating("leder-af-leder", "drift", "s1", 3)], 1, "the latest rating counts");
    assert.equal(bucket[key.rating("leder-af-leder", "drift", "s1", 2)], undefined, "the earlier one no longer does");
  });

  it("counts a leader at one level all quarter (their first), so levels add up to the whole", () => {
    const first = withReflection(emptyInsight(), facts("2026-10-02T09:00:00Z", { s1: 2 }));
    const second = withReflection(first, facts("2026-11-02T09:00:00Z", { s1: 2 }, { level: "chef" }));
    assert.equal(second.quarters["2026-Q4"]?.level, "leder-af-leder");
  });

  it("counts a reflection within two days of a reminder as one that followed it, once", () => {
    let insight = withReminder(emptyInsight(), "chef", "2026-10-05T08:00:00Z");
    insight = withReflection(insight, facts("2026-10-06T09:00:00Z", { s1: 3 }, { level: "chef" }));
    insight = withReflection(insight, facts("2026-10-06T10:00:00Z", { s1: 3 }, { level: "chef" }));
    assert.deepEqual([insight.quarters["2026-Q4"]?.reminders, insight.quarters["2026-Q4"]?.followed], [1, 1]);
    const late = withReflection(withReminder(emptyInsight(), "chef", "2026-10-05T08:00:00Z"), facts("2026-10-09T09:00:00Z", { s1: 3 }, { level: "chef" }));
    assert.equal(late.quarters["2026-Q4"]?.followed, 0);
  });

  it("keeps two years of quarters in a leader's contribution", () => {
    let insight = emptyInsight();
    for (let year = 2023; year <= 2026; year += 1) for (const month of ["02", "05", "08", "11"]) insight = withReflection(insight, facts(`${year}-${month}-10T09:00:00Z`, { s1: 3 }));
    assert.deepEqual(Object.keys(insight.quarters).sort(), ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
  });

  it("keeps a leader's contribution under its stated maximum (16 kB) at its largest: two years of every theme and statement", () => {
    const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));
    let insight = emptyInsight();
    for (let month = 0; month < 24; month += 1) {
      const at = new Date(Date.UTC(2025, month, 10)).toISOString();
      for (const theme of framework.themes) {
        const ratings = Object.fromEntries(framework.statements(theme.id, "leder-af-leder" as never).map((s) => [s.id, 3]));
        for (let i = 0; i < 30; i += 1) insight = withReminder(withReflection(insight, facts(at, ratings, { themeId: theme.id })), "leder-af-leder", at);
      }
    }
    const bytes = Buffer.byteLength(JSON.stringify(insight));
    assert.ok(bytes < MAX_CONTRIBUTION_BYTES, `${bytes} bytes`);
    assert.equal(Object.keys(insight.quarters).length, 8);
  });

  it("ignores ratings outside 1–5 and ids that are not content ids (nothing else can become a bucket key)", () => {
    const insight = withReflection(emptyInsight(), facts("2026-10-02T09:00:00Z", { s1: 0, s2: 7, "Mette <script>": 3, s3: 2.5, s4: 4 }));
    assert.deepEqual(insight.quarters["2026-Q4"]?.themes.drift?.ratings, { s4: 4 });
    assert.deepEqual(withReflection(emptyInsight(), facts("2026-10-02T09:00:00Z", {}, { themeId: "Drift og ansatte" })).quarters, {});
  });

  it("accepts only changes the app writes: known key shapes, whole numbers", () => {
    const part = (counts: Record<string, number>, mark = "a1b2c3d4e5f6g7h8") => ({ counts, mark });
    assert.equal(isValidChange({ "2026-Q4": part({ [key.active("chef")]: 1, [key.rating("chef", "drift", "drift.chef.1", 4)]: -1 }) }), true);
    assert.equal(isValidChange({ "2026-Q4": part({ "P|chef|Mette": 1 }) }), false);
    assert.equal(isValidChange({ "2026-Q4": part({ note: 1 }) }), false);
    assert.equal(isValidChange({ "2026-Q4": part({ [key.active("chef")]: 0.5 }) }), false);
    assert.equal(isValidChange({ "2026-Q5": part({ [key.active("chef")]: 1 }) }), false);
    assert.equal(isValidChange({ "2026-Q4": part({ [key.active("chef")]: 1 }, "Mette Leder") }), false);
    assert.equal(isValidChange([]), false);
  });

  it("shows a theme's Vi-pulse only once two different groups' results are in, never one group's alone", () => {
    const result = (mark: string) => ({ counts: { [key.pulses("drift")]: 1, [key.pulseAnswers("drift")]: 6 }, mark });
    let state: Published = { counts: {}, shown: {}, waiting: {} };
    state = publish(state, result("group-a-q4-mark"), 5);
    state = publish(state, result("group-a-q4-mark"), 5);
    assert.deepEqual(state.shown, {}, "two results of the same group: still one group");
    state = publish(state, result("group-b-q4-mark"), 5);
    assert.deepEqual(state.shown, { [key.pulses("drift")]: 3, [key.pulseAnswers("drift")]: 18 });
  });

  it("refuses to take a bucket past its stated maximum (256 kB), so a forged change cannot grow it", async () => {
    const now = new Date("2026-11-01T00:00:00Z");
    // Each change as large as a stored change may be (2,000 keys of content-id shape), none a real statement.
    const forged = (batch: number) => Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [key.rating("chef", "drift", `forged.${batch}.${"x".repeat(50)}.${i}`, 3), 1]));
    let bucket: Bucket | undefined;
    assert.throws(() => {
      for (let i = 0; i < 10; i += 1) bucket = applyToBucket(bucket, { tenantId: "t", quarter: "2026-Q4", changeId: `c${i}`, change: { counts: forged(i), mark: "m" }, k: 5, now }).write!;
    }, (err: unknown) => err instanceof AppError && err.code === ErrorCodes.documentTooLarge.code);
    assert.ok(Buffer.byteLength(JSON.stringify(bucket)) <= BUCKET_MAX_BYTES, "the last bucket written is within the maximum");

    // A change staged before the tally (a one-off schedule) is dropped by the scheduler with its
    // code (LR-1701) instead of retried for ever; the tally does the same (test/insight/tally.test.ts).
    const captured = capturingLogger("info");
    const full = { apply: async () => { throw new AppError(ErrorCodes.documentTooLarge, { detail: "test" }); } } as unknown as BucketStore;
    const changes = new InsightChanges(full, {} as PendingChanges, { forOwner: async () => [], delete: async () => undefined }, () => now, captured.log);
    const pending = changeDocument({ pk: "t|u", tenantId: "t" }, { "2026-Q4": { counts: { [key.active("chef")]: 1 }, mark: "mark-of-someone" } }, now);
    const legacy: Schedule = {
      id: pending.id, pk: pending.pk, type: "schedule", kind: INSIGHT_CHANGE_KIND, tenantId: "t", active: true, nextRunAt: now.toISOString(),
      payload: { changeId: pending.changeId, change: pending.change, anyHour: true, always: true },
    };
    assert.deepEqual(await changes.compose(legacy), { kind: "skip", reason: "the bucket would pass its maximum" });
    assert.match(captured.lines.join("\n"), /LR-1701/);
  });

  it("applies a change once per id, however often it is retried", () => {
    const now = new Date("2026-11-01T00:00:00Z");
    const change = { counts: { [key.active("chef")]: 1 }, mark: "m1" };
    const first = applyToBucket(undefined, { tenantId: "t", quarter: "2026-Q4", changeId: "c1", change, k: 5, now }).write as Bucket;
    assert.equal(applyToBucket(first, { tenantId: "t", quarter: "2026-Q4", changeId: "c1", change, k: 5, now }).outcome, "already-applied");
    const second = applyToBucket(first, { tenantId: "t", quarter: "2026-Q4", changeId: "c2", change, k: 5, now }).write as Bucket;
    assert.equal(second.counts[key.active("chef")], 2);
  });

  // The acceptance line "erasure and opt-out leave the aggregates as if the person had never been
  // there", for any leaders, reflections, reminders and order: the buckets built from everyone's
  // changes and then the withdrawals of some equal the buckets built from the others alone.
  it("leaves the buckets as if a withdrawn leader had never been there (property)", () => {
    const level = fc.constantFrom("leder-af-medarbejder", "leder-af-leder", "chef");
    const event = fc.oneof(
      fc.record({ kind: fc.constant("reflection" as const), day: fc.integer({ min: 0, max: 729 }), level, themeId: fc.constantFrom("drift", "resultater"), short: fc.boolean(), ratings: fc.dictionary(fc.constantFrom("s1", "s2", "s3"), fc.integer({ min: 1, max: 5 })) }),
      fc.record({ kind: fc.constant("reminder" as const), day: fc.integer({ min: 0, max: 729 }), level }),
    );
    const leader = fc.record({ events: fc.array(event, { maxLength: 8 }), withdrawn: fc.boolean() });
    fc.assert(
      fc.property(fc.array(leader, { minLength: 1, maxLength: 8 }), (leaders) => {
        const at = (day: number) => new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString();
        const everyone: BucketChange[] = [];
        const stayed: BucketChange[] = [];
        for (const { events, withdrawn } of leaders) {
          let insight: LeaderInsight = emptyInsight();
          const own: BucketChange[] = [];
          for (const e of [...events].sort((a, b) => a.day - b.day)) {
            const next = e.kind === "reflection" ? withReflection(insight, { completedAt: at(e.day), level: e.level, themeId: e.themeId, short: e.short, ratings: e.ratings }) : withReminder(insight, e.level, at(e.day));
            own.push(changeBetween(insight, next));
            insight = next;
          }
          everyone.push(...own);
          if (withdrawn) everyone.push(withdrawalOf(insight));
          else stayed.push(...own);
        }
        // (Two years: a quarter older than that leaves the contribution when its bucket expires.)
        assert.deepEqual(applyAll(everyone), applyAll(stayed));
      }),
      { numRuns: 300 },
    );
  });

  it("shows a cell's new counts only after 5 different leaders changed it, so no two views differ by fewer (property)", () => {
    const K = 5;
    const cells = ["C|chef|drift", "C|chef|resultater", "U|chef"];
    const keyIn = (cell: string) => (cell === "U|chef" ? key.reflections("chef") : key.themeReflections("chef", cell.split("|")[2]!));
    const step = fc.record({ leader: fc.integer({ min: 0, max: 9 }), cells: fc.subarray(cells, { minLength: 1 }), n: fc.integer({ min: -2, max: 3 }).filter((n) => n !== 0) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let state: Published = { counts: {}, shown: {}, waiting: {} };
        // Per cell: the leaders whose changes the page has not shown yet.
        const unseen = new Map<string, Set<number>>(cells.map((c) => [c, new Set<number>()]));
        for (const s of steps) {
          const before = state.shown;
          state = publish(state, { counts: Object.fromEntries(s.cells.map((c) => [keyIn(c), s.n])), mark: `mark-of-${s.leader}` }, K);
          for (const c of s.cells) unseen.get(c)!.add(s.leader);
          for (const c of cells) {
            const moved = Object.entries(state.shown).some(([k2, v]) => cellOf(k2) === c && before[k2] !== v) || Object.keys(before).some((k2) => cellOf(k2) === c && state.shown[k2] === undefined);
            if (!moved) continue;
            assert.ok(unseen.get(c)!.size >= K, `cell ${c} showed a change by ${unseen.get(c)!.size} leaders`);
            unseen.get(c)!.clear();
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
