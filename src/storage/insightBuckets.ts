import { BulkOperationType, type Container, type JSONObject, type OperationInput } from "@azure/cosmos";
import { bulk, createIfAbsent, decideWithRetry, readIfPresent, replaceIfUnchanged } from "./conditionalWrites";
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

/**
 * One instance at a time tallies a tenant's waiting changes into its buckets: a lease in the
 * tenant's own partition, renewed in the same transactional batch as the buckets it guards, so
 * a tally whose lease was taken over cannot write.
 */
export interface TallyLease {
  readonly id: "tally-lease";
  readonly pk: string;
  readonly type: "insight-tally-lease";
  readonly tenantId: string;
  readonly holder: string;
  readonly until: string;
  /** Left alone for a day, it goes by itself (seconds). */
  readonly ttl: number;
  readonly _etag?: string;
}

/** What one tally write did: changes applied (to at least one quarter), and those refused (never written by the app, or past a bucket's maximum). */
export interface Tallied {
  readonly applied: number;
  readonly refused: readonly string[];
  readonly lease: TallyLease;
}

const TALLY_ATTEMPTS = 8;

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

/**
 * A tenant's changes applied in order to its buckets as they are (by quarter; absent ones are
 * made): what applying each as it came would leave, since each goes through applyToBucket in
 * turn. A change that would take a bucket past its maximum is refused whole. Pure: the tally
 * writes what it returns.
 */
export function applyChanges(
  stored: ReadonlyMap<string, Bucket>,
  changes: ReadonlyArray<{ readonly changeId: string; readonly change: BucketChange }>,
  at: { readonly tenantId: string; readonly k: number; readonly now: Date },
): { working: Map<string, Bucket>; applied: number; refused: string[] } {
  const working = new Map(stored);
  const refused: string[] = [];
  let applied = 0;
  for (const { changeId, change } of changes) {
    try {
      // All of a change's quarters, or none of them: a refusal leaves the others as they were.
      const next = new Map<string, Bucket>();
      for (const [quarter, part] of Object.entries(change)) {
        const decision = applyToBucket(working.get(quarter), { tenantId: at.tenantId, quarter, changeId, change: part, k: at.k, now: at.now });
        if (decision.write) next.set(quarter, decision.write);
      }
      for (const [quarter, bucket] of next) working.set(quarter, bucket);
      if (next.size > 0) applied += 1;
    } catch (err) {
      if (!(err instanceof AppError && err.code === ErrorCodes.documentTooLarge.code)) throw err;
      refused.push(changeId);
    }
  }
  return { working, applied, refused };
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

  /** Takes the tenant's tally lease until `until`, if nobody else holds it now; undefined if someone does. */
  async takeTally(tenantId: string, holder: string, until: Date, now: Date): Promise<TallyLease | undefined> {
    const next: TallyLease = { id: "tally-lease", pk: bucketPk(tenantId), type: "insight-tally-lease", tenantId, holder, until: until.toISOString(), ttl: 86_400 };
    const current = await readIfPresent<TallyLease>(this.container, next.id, next.pk);
    if (!current) return createIfAbsent(this.container, next);
    if (current.holder !== holder && new Date(current.until) > now) return undefined;
    return replaceIfUnchanged(this.container, current, next.pk, next);
  }

  /**
   * Applies a tenant's waiting changes, in the order given, to the buckets of the quarters they
   * touch: each change once per id (applyToBucket), so a change applied before (by an erasure, or
   * a tally that stopped before deleting it) counts once. The buckets and the lease (renewed to
   * `until`) are written in one transactional batch: reads of the buckets, one write, whatever the
   * number of changes. A bucket changed meanwhile (an erasure applied a change) means reading
   * and applying again; a lease taken over means writing nothing ("lease-lost").
   */
  async applyMany(tenantId: string, lease: TallyLease, changes: ReadonlyArray<{ readonly changeId: string; readonly change: BucketChange }>, until: Date, now: Date): Promise<Tallied | "lease-lost"> {
    const pk = bucketPk(tenantId);
    const quarters = [...new Set(changes.flatMap((c) => Object.keys(c.change)))];
    for (let attempt = 1; attempt <= TALLY_ATTEMPTS; attempt += 1) {
      const read = await bulk(this.container, quarters.map((q): OperationInput => ({ operationType: BulkOperationType.Read, id: bucketId(q), partitionKey: pk })));
      const stored = new Map<string, Bucket>();
      read.forEach((answer, i) => {
        if (answer.statusCode === 404) return;
        if (answer.statusCode >= 300 || !answer.resourceBody) throw new AppError(ErrorCodes.storageUnavailable, { detail: `reading Indsigt's bucket answered ${answer.statusCode}`, cause: { code: answer.statusCode } });
        stored.set(quarters[i]!, answer.resourceBody as unknown as Bucket);
      });
      const { working, applied, refused } = applyChanges(stored, changes, { tenantId, k: this.k, now });
      const renewed: TallyLease = { ...lease, until: until.toISOString() };
      delete (renewed as { _etag?: string })._etag;
      const operations: OperationInput[] = [
        { operationType: BulkOperationType.Replace, id: lease.id, partitionKey: pk, resourceBody: renewed as unknown as JSONObject, ifMatch: lease._etag! },
        ...[...working]
          .filter(([quarter, bucket]) => bucket !== stored.get(quarter))
          .map(([quarter, bucket]): OperationInput => {
            const current = stored.get(quarter);
            const { _etag: _none, ...body } = bucket;
            return current
              ? { operationType: BulkOperationType.Replace, id: bucket.id, partitionKey: pk, resourceBody: body as unknown as JSONObject, ifMatch: current._etag! }
              : { operationType: BulkOperationType.Create, partitionKey: pk, resourceBody: body as unknown as JSONObject };
          }),
      ];
      const { result } = await this.container.items.batch(operations, pk, { contentResponseOnWriteEnabled: false });
      const answers = result ?? [];
      if (answers.length === operations.length && answers.every((a) => a.statusCode < 300)) {
        return { applied, refused, lease: { ...renewed, _etag: answers[0]!.eTag } as TallyLease };
      }
      const lost = (status: number | undefined) => status === 412 || status === 404 || status === 409;
      if (lost(answers[0]?.statusCode)) return "lease-lost";
      if (!answers.some((a) => lost(a.statusCode))) {
        const failed = answers.find((a) => a.statusCode >= 400 && a.statusCode !== 424);
        throw new AppError(ErrorCodes.storageInconsistent, { detail: `Indsigt's tally for a tenant failed with ${failed?.statusCode ?? "no answer"}`, cause: { code: failed?.statusCode } });
      }
      // A bucket changed since it was read (an erasure): read and apply again.
    }
    throw new AppError(ErrorCodes.storageKeptChanging, { detail: `Indsigt's buckets of a tenant, under ${TALLY_ATTEMPTS} attempts` });
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
