import type { Container } from "@azure/cosmos";
import { createIfAbsent, decideWithRetry, replaceIfUnchanged } from "./conditionalWrites";
import { isNotFound } from "./cosmosErrors";
import type { Decision } from "../domain/result";
import { AppError, ErrorCodes } from "../kernel/errors";
import { publish, quarterBefore, QUARTERS_KEPT, type BucketChange, type Counts, type QuarterChange } from "../domain/insight/aggregate";

/**
 * One tenant's counts for one quarter: what Indsigt reads (two point reads a page view) and
 * what every contribution changes by its difference. No user data: content ids and numbers;
 * the ids of the last changes applied (random, so a change applied twice counts once); and per
 * cell, the random marks of the few contributors who changed it since it last showed (fewer
 * than k; they link to nobody once a session is gone, and leave at the next showing).
 */
export interface Bucket {
  readonly id: string;
  readonly pk: string;
  readonly type: "insight-bucket";
  readonly tenantId: string;
  readonly quarter: string;
  /** The counts as they are now. */
  readonly counts: Counts;
  /** The counts the page shows: each cell as it was when it last changed by k contributors. */
  readonly shown: Counts;
  readonly waiting: Readonly<Record<string, readonly string[]>>;
  /** The newest change ids applied, so a retried change (a lease that ran out mid-way) is not counted twice. */
  readonly applied: readonly string[];
  readonly updatedAt: string;
  readonly ttl?: number;
  readonly _etag?: string;
}

/** Change ids a bucket remembers: far more than land in the half minute a lease takes to run out. */
export const APPLIED_KEPT = 500;
/**
 * A bucket's stated maximum. Its keys are content ids (5 levels × 4 themes × ~4 statements × 5
 * values, plus groups and pulses: about 900 keys, ~40 kB) and 500 change ids (~20 kB).
 */
export const BUCKET_MAX_BYTES = 256 * 1024;

export const bucketPk = (tenantId: string) => `insight.${tenantId}`;
export const bucketId = (quarter: string) => `quarter.${quarter}`;

/** Seconds until a quarter's bucket is older than Indsigt shows (its contributions go then too). */
export function bucketTtl(quarter: string, now: Date): number {
  const [year, q] = quarter.split("-Q").map(Number) as [number, number];
  const ends = Date.UTC(year, q * 3, 1);
  const goneAfter = ends + QUARTERS_KEPT * 92 * 24 * 3600 * 1000;
  return Math.max(3600, Math.ceil((goneAfter - now.getTime()) / 1000));
}

/** The pure decision: the bucket with the change, or nothing when it was applied before. */
export function applyToBucket(current: Bucket | undefined, at: { tenantId: string; quarter: string; changeId: string; change: QuarterChange; k: number; now: Date }): Decision<Bucket, "applied" | "already-applied"> {
  if (current?.applied.includes(at.changeId)) return { outcome: "already-applied" };
  const published = publish({ counts: current?.counts ?? {}, shown: current?.shown ?? {}, waiting: current?.waiting ?? {} }, at.change, at.k);
  const next: Bucket = {
    id: bucketId(at.quarter),
    pk: bucketPk(at.tenantId),
    type: "insight-bucket",
    tenantId: at.tenantId,
    quarter: at.quarter,
    ...published,
    applied: [...(current?.applied ?? []), at.changeId].slice(-APPLIED_KEPT),
    updatedAt: at.now.toISOString(),
    ttl: bucketTtl(at.quarter, at.now),
  };
  const bytes = Buffer.byteLength(JSON.stringify(next));
  if (bytes > BUCKET_MAX_BYTES) throw new AppError(ErrorCodes.documentTooLarge, { detail: `Indsigt's bucket for ${at.quarter} would be ${bytes} bytes (max ${BUCKET_MAX_BYTES})` });
  return { write: next, outcome: "applied" };
}

export class BucketStore {
  constructor(
    private readonly container: Container,
    /** INSIGHT_MIN_LEADERS: how many different contributors a cell waits for before it shows again. */
    private readonly k: number,
  ) {}

  async read(tenantId: string, quarter: string): Promise<Bucket | undefined> {
    try {
      const { resource } = await this.container.item(bucketId(quarter), bucketPk(tenantId)).read<Bucket>();
      return resource?.type === "insight-bucket" ? resource : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** The buckets of `quarter` and the `count − 1` before it, newest first (absent ones left out). */
  async recent(tenantId: string, quarter: string, count: number): Promise<Bucket[]> {
    const quarters = Array.from({ length: count }, (_, i) => quarterBefore(quarter, i));
    return (await Promise.all(quarters.map((q) => this.read(tenantId, q)))).filter((b): b is Bucket => b !== undefined);
  }

  /** Writes queued per bucket in this process (see apply). */
  private readonly queues = new Map<string, Promise<unknown>>();

  /**
   * Applies a change to each quarter it touches, once per change id, retrying lost races. A
   * reminder slot sends hundreds of changes to the same bucket at once; within this process they
   * take turns per bucket, so the scheduler's parallel runs do not all lose the same race (other
   * instances still can, and then read again).
   */
  async apply(tenantId: string, changeId: string, change: BucketChange, now: Date): Promise<number> {
    let applied = 0;
    for (const [quarter, part] of Object.entries(change)) {
      if ((await this.inTurn(`${tenantId}|${quarter}`, () => this.applyOne(tenantId, quarter, changeId, part, now))) === "applied") applied += 1;
    }
    return applied;
  }

  private async inTurn<T>(bucket: string, run: () => Promise<T>): Promise<T> {
    const before = this.queues.get(bucket) ?? Promise.resolve();
    const mine = before.then(run, run);
    const settled = mine.then(() => undefined, () => undefined);
    this.queues.set(bucket, settled);
    try {
      return await mine;
    } finally {
      if (this.queues.get(bucket) === settled) this.queues.delete(bucket);
    }
  }

  private async applyOne(tenantId: string, quarter: string, changeId: string, part: QuarterChange, now: Date): Promise<"applied" | "already-applied"> {
    const { outcome } = await decideWithRetry(
      `Indsigt's bucket ${quarter}`,
      () => this.read(tenantId, quarter),
      (current) => applyToBucket(current, { tenantId, quarter, changeId, change: part, k: this.k, now }),
      (current, next) => (current ? replaceIfUnchanged(this.container, current, next.pk, next) : createIfAbsent(this.container, next)),
    );
    return outcome;
  }
}
