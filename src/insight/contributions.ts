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

/**
 * How a leader's numbers reach Indsigt. The leader's contribution lives in their session; what
 * it changes in the organisation's buckets is written in the same transaction as the session,
 * as a one-off schedule ("insight-change") in their own partition. The scheduler, which several
 * instances already share through leases, applies it to the tenant's bucket within a tick.
 *
 * Why not the change feed: erasure is a delete, and the change feed (latest-version mode) does
 * not carry deletes; the embedded server has no change feed at all. A change written beside the
 * session is transactional with it, works the same on every server, and retries by lease.
 */

export const INSIGHT_CHANGE_KIND = "insight-change";

/** Whose partition a change waits in, and whose tenant's bucket it changes. */
type Owner = { readonly pk: string; readonly tenantId: string };
type Recorded = { readonly insight: LeaderInsight | undefined; readonly staged?: Schedule };

/** A change waiting to be applied: in the owner's partition, run at once, however late. */
export function changeDocument(owner: Owner, change: BucketChange, now: Date, changeId: string = randomUUID()): Schedule {
  return {
    id: `insight-change.${changeId}`,
    pk: owner.pk,
    type: "schedule",
    kind: INSIGHT_CHANGE_KIND,
    tenantId: owner.tenantId,
    active: true,
    nextRunAt: now.toISOString(),
    payload: { changeId, change, anyHour: true, always: true },
  };
}

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
export function countReflection(session: UserSession, user: UserKey, reflection: Reflection, consent: InsightConsent, now: Date): Schedule | undefined {
  const facts = { completedAt: reflection.completedAt, level: reflection.roleId, themeId: reflection.themeId, short: reflection.short === true, ratings: Object.fromEntries(reflection.statements.map((s) => [s.id, s.rating])) };
  const recorded = recordReflection(session.insight, facts, { pk: partitionKeyOf(user), tenantId: user.tenantId }, counts(session.profile.insightChoice, consent), now);
  if (recorded.insight) session.insight = recorded.insight;
  return recorded.staged;
}

/** A reminder sent (a leader without a role yet has no level to count at). */
export const recordReminder = (insight: LeaderInsight | undefined, level: string | undefined, owner: Owner, counting: boolean, now: Date): Recorded =>
  record(insight, (before) => (level ? withReminder(before, level, now.toISOString()) : before), owner, counting && level !== undefined, now);

/** Opt-out: the contribution goes, and its withdrawal is staged with the session (counts are additive, so the order of changes does not matter). */
export function optOut(insight: LeaderInsight | undefined, owner: Owner, now: Date): Schedule | undefined {
  const change = withdrawalOf(insight ?? emptyInsight());
  return Object.keys(change).length === 0 ? undefined : changeDocument(owner, change, now);
}

export class InsightChanges {
  constructor(
    private readonly buckets: BucketStore,
    private readonly schedules: Pick<ScheduleStore, "forOwner" | "delete">,
    private readonly clock: () => Date,
    private readonly log: Logger,
  ) {}

  /** The composer of "insight-change": applies it (once per change id); nothing is sent. */
  async compose(schedule: Schedule): Promise<Composition> {
    const { changeId, change } = schedule.payload;
    if (typeof changeId !== "string" || !/^[0-9a-f-]{36}$/.test(changeId) || !isValidChange(change)) {
      this.log.error({ code: ErrorCodes.insightChangeInvalid.code, scheduleId: schedule.id }, ErrorCodes.insightChangeInvalid.description);
      return { kind: "skip", reason: "not a change the app writes" };
    }
    try {
      const applied = await this.buckets.apply(schedule.tenantId, changeId, change, this.clock());
      return { kind: "skip", reason: `applied to ${applied} of ${Object.keys(change).length} quarters` };
    } catch (err) {
      // A change that would take a bucket past its maximum is dropped, not retried for ever.
      if (!(err instanceof AppError && err.code === ErrorCodes.documentTooLarge.code)) throw err;
      this.log.error({ code: err.code, scheduleId: schedule.id, err }, ErrorCodes.documentTooLarge.description);
      return { kind: "skip", reason: "the bucket would pass its maximum" };
    }
  }

  /**
   * Erasure: the changes still waiting in the person's partition are applied first (once per id,
   * so a scheduler applying the same one meanwhile does not count it twice), then everything the
   * contribution added is taken out under `withdrawalId`, which the erasure keeps until it is
   * done, so a retried erasure does not take it out twice. Afterwards the buckets are as if the
   * person had never been there.
   */
  async withdraw(owner: Owner, insight: LeaderInsight | undefined, withdrawalId: string): Promise<void> {
    for (const pending of await this.schedules.forOwner(owner.pk)) {
      if (pending.kind !== INSIGHT_CHANGE_KIND) continue;
      if (pending.active) await this.compose(pending);
      // Applied: it goes now rather than with the partition, so the receipt counts only reminders.
      await this.schedules.delete(pending);
    }
    const change = withdrawalOf(insight ?? emptyInsight());
    if (Object.keys(change).length > 0) await this.buckets.apply(owner.tenantId, withdrawalId, change, this.clock());
  }
}

/**
 * A change that is not a person's: a leader group's meeting or a Vi-pulse result. Its id comes
 * from what it is about (a meeting, a pulse), so writing it twice counts once; its mark is the
 * group's for the quarter, so the groups' numbers show only once k different groups changed them.
 */
export function groupChangeDocument(owner: Owner, about: string, quarter: string, counts: Readonly<Record<string, number>>, now: Date): Schedule {
  const digest = createHash("sha256").update(`${owner.tenantId}|${about}`).digest("hex");
  const changeId = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-5${digest.slice(13, 16)}-8${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
  const mark = createHash("sha256").update(`${owner.pk}|${quarter}`).digest("base64url").slice(0, 22);
  return changeDocument(owner, { [quarter]: { counts, mark } }, now, changeId);
}
