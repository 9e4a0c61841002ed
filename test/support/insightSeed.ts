import { randomUUID } from "node:crypto";
import type { Container } from "@azure/cosmos";
import type { Framework } from "../../src/domain/framework";
import type { RoleId, ThemeId } from "../../src/domain/ids";
import { changeBetween, emptyInsight, withReflection, withReminder, type BucketChange, type LeaderInsight } from "../../src/domain/insight/aggregate";
import { applyToBucket, bucketId, type Bucket } from "../../src/storage/insightBuckets";

/**
 * Leaders' contributions for Indsigt's browser test and benchmark, made by the same pure
 * functions the bot uses (withReflection, changeBetween), so seeded buckets are buckets the bot
 * could have written. A small deterministic generator keeps runs comparable.
 */
export interface SeededLeader {
  readonly level: string;
  readonly insight: LeaderInsight;
  readonly changes: readonly BucketChange[];
}

export { mulberry32 as random } from "./strictCosmos";

/** One leader's reflections (and reminders) between `from` and `to`, every `everyDays` or so. */
export function simulateLeader(framework: Framework, level: string, from: Date, to: Date, everyDays: number, next: () => number, bias = 0): SeededLeader {
  let insight = emptyInsight();
  const changes: BucketChange[] = [];
  const themes = framework.themes;
  for (let at = from.getTime() + next() * everyDays * 86_400_000; at < to.getTime(); at += everyDays * 86_400_000 * (0.6 + next() * 0.8)) {
    const reminded = withReminder(insight, level, new Date(at - 86_400_000).toISOString());
    changes.push(changeBetween(insight, reminded));
    insight = reminded;
    const theme = themes[Math.floor(next() * themes.length)]!;
    const ratings = Object.fromEntries(
      framework.statements(theme.id as ThemeId, level as RoleId).map((s, i) => [s.id, Math.max(1, Math.min(5, Math.round(2.6 + bias + (i % 3) * 0.5 + (next() - 0.5) * 2.4)))]),
    );
    const after = withReflection(insight, { completedAt: new Date(at).toISOString(), level, themeId: theme.id, short: next() < 0.3, ratings });
    changes.push(changeBetween(insight, after));
    insight = after;
  }
  return { level, insight, changes };
}

/** The buckets these changes make, as the scheduler would leave them (each change applied once, in order). */
export function bucketsFrom(changes: readonly BucketChange[], tenantId: string, k: number, now: Date): Bucket[] {
  const buckets = new Map<string, Bucket>();
  for (const change of changes) {
    const changeId = randomUUID();
    for (const [quarter, part] of Object.entries(change)) {
      const decision = applyToBucket(buckets.get(quarter), { tenantId, quarter, changeId, change: part, k, now });
      if (decision.write) buckets.set(quarter, decision.write);
    }
  }
  return [...buckets.values()];
}

export async function writeBuckets(container: Container, buckets: readonly Bucket[]): Promise<void> {
  for (const bucket of buckets) await container.items.upsert({ ...bucket, id: bucketId(bucket.quarter) });
}

/** Interleaves the leaders' changes by turn, roughly as they would arrive. */
export function interleaved(leaders: readonly SeededLeader[]): BucketChange[] {
  const out: BucketChange[] = [];
  const longest = Math.max(0, ...leaders.map((l) => l.changes.length));
  for (let i = 0; i < longest; i += 1) for (const l of leaders) if (l.changes[i]) out.push(l.changes[i]!);
  return out;
}
