import { createHash, randomUUID } from "node:crypto";
import type { Logger } from "../kernel/log";
import type { Composition } from "../nudges/scheduler";
import type { Schedule } from "../nudges/schedule";
import type { ScheduleStore } from "../nudges/scheduleStore";
import { AppError, ErrorCodes } from "../kernel/errors";
import { changeBetween, counts, emptyInsight, isValidChange, withdrawalOf, withReflection, withReminder, type BucketChange, type InsightConsent, type LeaderInsight, type ReflectionFacts } from "../domain/insight/aggregate";
import { partitionKeyOf, type UserKey } from "../domain/identity";
import type { Reflection } from "../domain/reflection";
import type { UserSession } from "../domain/session";
import type { BucketStore } from "../storage/insightBuckets";
import { PENDING_CHANGE_TYPE, type PendingChange, type PendingChanges, type PendingRef } from "../storage/insightChanges";

/**
 * How a leader's numbers reach Indsigt. The leader's contribution lives in their session; what
 * it changes in the organisation's buckets is written in the same transaction as the session,
 * as a waiting change (storage/insightChanges.ts) in their own partition. A reflection or a
 * reminder writes nothing to the tenant's buckets: the tally, a job every instance runs and one
 * at a time per tenant (a lease in the tenant's partition), applies the waiting changes of each
 * tenant in the order they happened, a few hundred in one write of its buckets, and deletes them.
 * The numbers are those of applying each change as it happened (the same pure publish, in the
 * same order): only when they reach the page changes, by at most one tally interval.
 *
 * Why not rebuild the buckets from the leaders' contributions: a cell shows new counts once k
 * different leaders changed it since it last showed, and only the changes say who changed which
 * cell when; a rebuild sees each contribution as it is now. Why not shard the counters: every
 * reminder would still write to a tenant's document, the page would read every shard, and the
 * step of k leaders needs all of a cell's changes in one place. Why not the change feed: erasure
 * is a delete, and the change feed (latest-version mode) does not carry deletes; the embedded
 * server has no change feed at all. A change written beside the session is transactional with
 * it, and works the same on every server.
 */

/** Changes older than this version were one-off schedules of this kind; the scheduler still applies any left. */
export const INSIGHT_CHANGE_KIND = "insight-change";

/** Whose partition a change waits in, and whose tenant's bucket it changes. */
type Owner = { readonly pk: string; readonly tenantId: string };
type Recorded = { readonly insight: LeaderInsight | undefined; readonly staged?: PendingChange };

/** A change waiting to be applied, in the owner's partition. */
export function changeDocument(owner: Owner, change: BucketChange, now: Date, changeId: string = randomUUID()): PendingChange {
  return { id: `insight-change.${changeId}`, pk: owner.pk, type: PENDING_CHANGE_TYPE, tenantId: owner.tenantId, changeId, change, createdAt: now.toISOString() };
}

/** Waiting changes read at one look; a tenant's are applied at most TALLY_CHUNK to a write (a bucket remembers the last 500 ids). */
const TALLY_BATCH = 500;
const TALLY_CHUNK = 250;
/** How long a tally lease lasts: a tenant's chunk is read, applied and written well within it. */
const TALLY_LEASE_MS = 60_000;

/** The contribution after `step`, and the change to stage with it (none when the leader does not count, or nothing changed). */
function record(insight: LeaderInsight | undefined, step: (before: LeaderInsight) => LeaderInsight, owner: Owner, counting: boolean, now: Date): Recorded {
  if (!counting) return { insight };
  const before = insight ?? emptyInsight();
  const after = step(before);
  const change = changeBetween(before, after);
  return Object.keys(change).length === 0 ? { insight: after } : { insight: after, staged: changeDocument(owner, change, now) };
}

/** A completed reflection's numbers. */
const recordReflection = (insight: LeaderInsight | undefined, facts: ReflectionFacts, owner: Owner, counting: boolean, now: Date): Recorded =>
  record(insight, (before) => withReflection(before, facts), owner, counting, now);

/**
 * A completed reflection into the leader's contribution (in their session, changed in place, as
 * the turn writes it) and the change to write with it; its numbers only, never its text.
 */
export function countReflection(session: UserSession, user: UserKey, reflection: Reflection, consent: InsightConsent, now: Date): PendingChange | undefined {
  const facts = { completedAt: reflection.completedAt, level: reflection.roleId, themeId: reflection.themeId, short: reflection.short === true, ratings: Object.fromEntries(reflection.statements.map((s) => [s.id, s.rating])) };
  const recorded = recordReflection(session.insight, facts, { pk: partitionKeyOf(user), tenantId: user.tenantId }, counts(session.profile.insightChoice, consent), now);
  if (recorded.insight) session.insight = recorded.insight;
  return recorded.staged;
}

/** A reminder sent (a leader without a role yet has no level to count at). */
export const recordReminder = (insight: LeaderInsight | undefined, level: string | undefined, owner: Owner, counting: boolean, now: Date): Recorded =>
  record(insight, (before) => (level ? withReminder(before, level, now.toISOString()) : before), owner, counting && level !== undefined, now);

/** Opt-out: the contribution goes, and its withdrawal is staged with the session (counts are additive, so the order of changes does not matter). */
export function optOut(insight: LeaderInsight | undefined, owner: Owner, now: Date): PendingChange | undefined {
  const change = withdrawalOf(insight ?? emptyInsight());
  return Object.keys(change).length === 0 ? undefined : changeDocument(owner, change, now);
}

export class InsightChanges {
  constructor(
    private readonly buckets: BucketStore,
    private readonly pending: PendingChanges,
    /** Changes staged before this version, as one-off schedules. */
    private readonly schedules: Pick<ScheduleStore, "forOwner" | "delete">,
    private readonly clock: () => Date,
    private readonly log: Logger,
    /** Identifies this instance in tally leases. */
    private readonly holder: string = `instance-${randomUUID().slice(0, 8)}`,
  ) {}

  /**
   * The tally: applies every tenant's waiting changes to its buckets, oldest first, and deletes
   * them. A tenant another instance is tallying is left to it. Returns how many changes were
   * applied. Cost: one query per container and look (up to 500 changes); per tenant and up to 250
   * of its changes, a bulk read of them, a lease write, a bulk read of its buckets, one
   * transactional batch of the buckets, and a bulk delete of the changes.
   */
  async tally(): Promise<number> {
    let applied = 0;
    for (;;) {
      const refs = await this.pending.oldest(TALLY_BATCH);
      let progressed = false;
      for (const [tenantId, theirs] of groupByTenant(refs)) {
        for (let at = 0; at < theirs.length; at += TALLY_CHUNK) {
          const done = await this.tallyTenant(tenantId, theirs.slice(at, at + TALLY_CHUNK));
          if (done === undefined) break; // another instance tallies this tenant
          applied += done;
          progressed = true;
        }
      }
      if (refs.length < TALLY_BATCH || !progressed) return applied;
    }
  }

  /** One tenant's chunk of changes; undefined when another instance holds the tenant's tally. */
  private async tallyTenant(tenantId: string, refs: readonly PendingRef[]): Promise<number | undefined> {
    const now = this.clock();
    const until = new Date(now.getTime() + TALLY_LEASE_MS);
    const lease = await this.buckets.takeTally(tenantId, this.holder, until, now);
    if (!lease) return undefined;
    const changes = await this.pending.read(refs);
    const valid = changes.filter((c) => {
      if (c.tenantId === tenantId && /^[0-9a-f-]{36}$/.test(c.changeId) && isValidChange(c.change)) return true;
      this.log.error({ code: ErrorCodes.insightChangeInvalid.code, changeId: c.id }, ErrorCodes.insightChangeInvalid.description);
      return false;
    });
    const result = await this.buckets.applyMany(tenantId, lease, valid, until, now);
    if (result === "lease-lost") return undefined;
    // A change that would take a bucket past its maximum is dropped, not tried for ever.
    for (const changeId of result.refused) this.log.error({ code: ErrorCodes.documentTooLarge.code, changeId }, ErrorCodes.documentTooLarge.description);
    // Applied (or refused): they go. A tally that stops before this finds them again, and the
    // buckets' applied ids keep them from counting twice.
    await this.pending.deleteAll(changes);
    return result.applied;
  }

  /** The composer of "insight-change" schedules staged before this version: applies one (once per change id); nothing is sent. */
  async compose(schedule: Schedule): Promise<Composition> {
    const { changeId, change } = schedule.payload;
    if (typeof changeId !== "string" || !/^[0-9a-f-]{36}$/.test(changeId) || !isValidChange(change)) {
      this.log.error({ code: ErrorCodes.insightChangeInvalid.code, scheduleId: schedule.id }, ErrorCodes.insightChangeInvalid.description);
      return { kind: "skip", reason: "not a change the app writes" };
    }
    return { kind: "skip", reason: await this.applyOne(schedule.tenantId, changeId, change, schedule.id) };
  }

  /** One change into the buckets at once (once per id), as an erasure needs it; a change past a bucket's maximum is dropped. */
  private async applyOne(tenantId: string, changeId: string, change: BucketChange, what: string): Promise<string> {
    try {
      const applied = await this.buckets.apply(tenantId, changeId, change, this.clock());
      return `applied to ${applied} of ${Object.keys(change).length} quarters`;
    } catch (err) {
      if (!(err instanceof AppError && err.code === ErrorCodes.documentTooLarge.code)) throw err;
      this.log.error({ code: err.code, changeId: what, err }, ErrorCodes.documentTooLarge.description);
      return "the bucket would pass its maximum";
    }
  }

  /**
   * Erasure: the changes still waiting in the person's partition are applied first (once per id,
   * so a tally applying the same one meanwhile does not count it twice), then everything the
   * contribution added is taken out under `withdrawalId`, which the erasure keeps until it is
   * done, so a retried erasure does not take it out twice. Afterwards the buckets are as if the
   * person had never been there.
   */
  async withdraw(owner: Owner, insight: LeaderInsight | undefined, withdrawalId: string): Promise<void> {
    const waiting = await this.pending.forOwner(owner.pk);
    for (const change of waiting) if (isValidChange(change.change)) await this.applyOne(owner.tenantId, change.changeId, change.change, change.id);
    if (waiting.length > 0) await this.pending.deleteAll(waiting);
    for (const legacy of await this.schedules.forOwner(owner.pk)) {
      if (legacy.kind !== INSIGHT_CHANGE_KIND) continue;
      if (legacy.active) await this.compose(legacy);
      // Applied: it goes now rather than with the partition, so the receipt counts only reminders.
      await this.schedules.delete(legacy);
    }
    const change = withdrawalOf(insight ?? emptyInsight());
    if (Object.keys(change).length > 0) await this.buckets.apply(owner.tenantId, withdrawalId, change, this.clock());
  }
}

/** Changes by tenant, each tenant's in the order given (oldest first). */
function groupByTenant(refs: readonly PendingRef[]): Map<string, PendingRef[]> {
  const groups = new Map<string, PendingRef[]>();
  for (const ref of refs) groups.set(ref.tenantId, [...(groups.get(ref.tenantId) ?? []), ref]);
  return groups;
}

/**
 * A change that is not a person's: a leader group's meeting or a Vi-pulse result. Its id comes
 * from what it is about (a meeting, a pulse), so writing it twice counts once; its mark is the
 * group's for the quarter, so the groups' numbers show only once k different groups changed them.
 */
export function groupChangeDocument(owner: Owner, about: string, quarter: string, counts: Readonly<Record<string, number>>, now: Date): PendingChange {
  const digest = createHash("sha256").update(`${owner.tenantId}|${about}`).digest("hex");
  const changeId = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-5${digest.slice(13, 16)}-8${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
  const mark = createHash("sha256").update(`${owner.pk}|${quarter}`).digest("base64url").slice(0, 22);
  return changeDocument(owner, { [quarter]: { counts, mark } }, now, changeId);
}
