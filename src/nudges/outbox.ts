import type { Container } from "@azure/cosmos";
import type { StoredConversation } from "../domain/conversation";
import { withoutSystemFields } from "../storage/systemFields";
import { settledRecordTtl } from "../domain/expiry";
import { createAllIfAbsent, createIfAbsent, deleteIfPresent, dueWithoutLease, leaseAll, leaseIfUnchanged, readIfPresent, replaceIfUnchanged, writeAllIfUnchanged, unlessKeptChanging, updateWithRetry } from "../storage/conditionalWrites";
import type { OutgoingMessage } from "./messenger";
import { AppError } from "../kernel/errors";
import type { Lease } from "./schedule";

export type OutboxStatus = "pending" | "sent" | "failed";

/** One message to send, moving from pending to sent, or to failed with a reason. */
export interface OutboxRecord {
  readonly id: string;
  readonly status: OutboxStatus;
  readonly tenantId: string;
  /** Owner and schedule, for status views and deletion; no message text is logged from here. */
  readonly ownerPk: string;
  readonly scheduleId: string;
  readonly kind: string;
  readonly conversation: StoredConversation;
  readonly message: OutgoingMessage;
  readonly createdAt: string;
  /** Tries so far, throttled ones included. */
  readonly attempts: number;
  /** Of those, the tries Teams throttled (429): they have a budget of their own (retryPolicy). */
  readonly throttles?: number;
  readonly nextAttemptAt: string;
  readonly lease?: Lease;
  readonly sentAt?: string;
  readonly failedAt?: string;
  readonly reason?: string;
  /** Seconds after the last write when Cosmos deletes the record (set once it is settled). */
  readonly ttl?: number;
  /** The id Teams gave the post, kept while the record is: a meeting's card is updated through it after an erasure. */
  readonly activityId?: string;
  /** The group meeting a meeting-start or meeting-end post is about. */
  readonly meetingId?: string;
  /** A message kept from a turn (keepSent): what it was drawn from, to draw it again (its meeting, its part, its pulse). */
  readonly drawnFrom?: Readonly<Record<string, string | number>>;
  /** An update, not a post: the Teams id of the post whose content `message` replaces. */
  readonly replaces?: string;
}

/** The schedule id of messages sent in a turn and kept for an erasure (Outbox.keepSent). */
export const KEPT_SCHEDULE_ID = "kept";

/** An id Cosmos accepts (no slash, backslash, "?" or "#"), the same for the same parts. */
const recordIdOf = (...parts: string[]) => parts.join("~").replace(/[/\\?#]/g, "_");

export type StoredRecord = OutboxRecord & { _etag?: string };

/** A due record as the due query returns it: enough to claim it (a claim reads the rest). */
export interface DueRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly nextAttemptAt: string;
  readonly _etag?: string;
}

/**
 * The outbox in Cosmos. An occurrence's record has a deterministic id, so enqueueing it twice
 * (two schedulers, a retried tick) stores it once; sending is claimed by lease, like schedules.
 */
export class Outbox {
  constructor(
    private readonly container: Container,
    /** Sent and failed records carry this ttl (seconds): they leave by themselves (OUTBOX_KEEP_DAYS). */
    private readonly settledTtlSeconds: number = settledRecordTtl(30),
  ) {}

  /** The id of a schedule's occurrence: the same run always maps to the same record. */
  static recordId(ownerPk: string, scheduleId: string, runAt: Date): string {
    return recordIdOf(ownerPk, scheduleId, runAt.toISOString());
  }

  /** A message as it enters the outbox: pending, not tried yet, due at once. The one way to make a record to enqueue. */
  static pending(
    message: Pick<OutboxRecord, "id" | "tenantId" | "ownerPk" | "scheduleId" | "kind" | "conversation" | "message"> & Pick<Partial<OutboxRecord>, "meetingId">,
    at: Date,
  ): OutboxRecord {
    return { ...message, status: "pending", createdAt: at.toISOString(), attempts: 0, nextAttemptAt: at.toISOString() };
  }

  async enqueue(record: OutboxRecord): Promise<"enqueued" | "already-there"> {
    return (await createIfAbsent(this.container, record)) ? "enqueued" : "already-there";
  }

  /** Several records in one bulk request; per record, in order, as enqueue answers, or the error that kept it out. */
  async enqueueAll(records: readonly OutboxRecord[]): Promise<Array<"enqueued" | "already-there" | AppError>> {
    const results = await createAllIfAbsent(this.container, records.map((record) => ({ document: record, partitionKey: record.id })));
    return results.map((result) => (result instanceof AppError ? result : result ? "enqueued" : "already-there"));
  }

  /**
   * Enqueues a record already claimed by `lease`, for a sender that sends it at once: no delivery
   * loop takes it meanwhile, and if the sender dies first, the lease runs out and the loop sends
   * it. Undefined when a record with its id is already there.
   */
  async enqueueClaimed(record: OutboxRecord, lease: Lease): Promise<StoredRecord | undefined> {
    return createIfAbsent(this.container, { ...record, lease });
  }

  /**
   * Pending records due by `now`, oldest first: of the tenants named in `only` when it is given,
   * else of any tenant but those in `except` (another instance sends for them, or this one has
   * all it can take of theirs). Only what it takes to claim them: a claim reads the whole record,
   * so a due query's cost does not grow with the size of the messages waiting (it looks again
   * every second or so).
   */
  async due(now: Date, max: number, tenants: { readonly except?: readonly string[]; readonly only?: readonly string[] } = {}): Promise<DueRecord[]> {
    const [condition, list] = tenants.only ? [" AND ARRAY_CONTAINS(@tenants, c.tenantId)", tenants.only] : tenants.except?.length ? [" AND NOT ARRAY_CONTAINS(@tenants, c.tenantId)", tenants.except] : ["", undefined];
    return dueWithoutLease<DueRecord>(
      this.container,
      `c.status = 'pending' AND c.nextAttemptAt <= @now${condition}`,
      "c.nextAttemptAt",
      now,
      max,
      list ? [{ name: "@tenants", value: [...list] }] : [],
      "c.id, c.tenantId, c.nextAttemptAt, c._etag",
    );
  }

  /**
   * Takes the lease if nobody changed the record since `seen` was read (a patch with If-Match,
   * so a due record need not carry its message); returns the whole record, or undefined if
   * someone did.
   */
  async claim(seen: DueRecord, lease: Lease): Promise<StoredRecord | undefined> {
    return leaseIfUnchanged<OutboxRecord>(this.container, seen, seen.id, { ...lease });
  }

  /**
   * Takes the lease on each record that is still pending, due and free at `now`: two bulk
   * requests for them all (read them, lease them). Returns those this instance now holds, with
   * their new eTags; the others went to another instance, or wait for a later tick.
   */
  async claimAll(seen: readonly DueRecord[], lease: Lease, now: Date): Promise<StoredRecord[]> {
    const at = now.toISOString();
    const free = (r: OutboxRecord) => r.status === "pending" && r.nextAttemptAt <= at && (!r.lease || r.lease.until <= at);
    return leaseAll<OutboxRecord>(this.container, seen.map((r) => ({ id: r.id, partitionKey: r.id })), { ...lease }, free);
  }

  /**
   * Marks sent records in one bulk request, releasing their leases. Per record, in order: true,
   * false when the record changed meanwhile (its lease ran out and another instance took it),
   * or the error that kept it from being written.
   */
  async markAllSent(sent: ReadonlyArray<{ readonly record: StoredRecord; readonly at: Date; readonly activityId?: string }>): Promise<Array<boolean | AppError>> {
    return writeAllIfUnchanged(
      this.container,
      sent.map(({ record, at, activityId }) => ({ current: record, partitionKey: record.id, next: this.settled(record, this.sentChanges(record, at, activityId)) })),
    );
  }

  /** Gives a claimed record back unsent (its tenant went to another instance): it is due again at once. */
  async release(record: StoredRecord): Promise<boolean> {
    return this.settle(record, {});
  }

  /** Gives claimed records back unsent, in one bulk request; a record that changed meanwhile is left as it is. */
  async releaseAll(records: readonly StoredRecord[]): Promise<void> {
    const results = await writeAllIfUnchanged(this.container, records.map((record) => ({ current: record, partitionKey: record.id, next: this.settled(record, {}) })));
    const failed = results.find((r): r is AppError => r instanceof AppError);
    if (failed) throw failed;
  }

  async markSent(record: StoredRecord, at: Date, activityId?: string): Promise<boolean> {
    return this.settle(record, this.sentChanges(record, at, activityId));
  }

  private sentChanges(record: StoredRecord, at: Date, activityId: string | undefined): Partial<OutboxRecord> {
    return { status: "sent", sentAt: at.toISOString(), attempts: record.attempts + 1, ttl: this.settledTtlSeconds, ...(activityId ? { activityId } : {}) };
  }

  /** An owner's sent posts of these kinds that Teams gave an id, newest first: the cards the bot can still update. */
  async posted(ownerPk: string, ...kinds: string[]): Promise<OutboxRecord[]> {
    const { resources } = await this.container.items
      .query<OutboxRecord>({
        query: "SELECT * FROM c WHERE c.ownerPk = @pk AND ARRAY_CONTAINS(@kinds, c.kind) AND c.status = 'sent' AND IS_DEFINED(c.activityId) ORDER BY c.createdAt DESC",
        parameters: [
          { name: "@pk", value: ownerPk },
          { name: "@kinds", value: kinds },
        ],
      })
      .fetchAll();
    return resources;
  }

  /**
   * A message sent in a turn (not through the outbox) that names people, kept as a sent record
   * with the id Teams gave it, so an erasure finds and re-draws it as it does the posts, and it
   * leaves with the other settled records. Its text is not kept: the record says what it was
   * drawn from, and a re-draw reads that afresh. One record per message: a card replaced in
   * place, or kept again, is one record.
   */
  async keepSent(kept: { readonly ownerPk: string; readonly conversation: StoredConversation; readonly activityId: string; readonly kind: string; readonly drawnFrom: Readonly<Record<string, string | number>>; readonly at: Date }): Promise<void> {
    const at = kept.at.toISOString();
    const { ownerPk, conversation, activityId, kind, drawnFrom } = kept;
    const record: OutboxRecord = {
      id: recordIdOf(ownerPk, KEPT_SCHEDULE_ID, activityId),
      status: "sent", tenantId: conversation.tenantId, ownerPk, scheduleId: KEPT_SCHEDULE_ID, kind, conversation, message: {},
      createdAt: at, sentAt: at, attempts: 1, nextAttemptAt: at, ttl: this.settledTtlSeconds, activityId, drawnFrom,
    };
    await this.container.items.upsert(record);
  }

  /** The owners of kept messages that name someone by this keyed mark (drawnFrom.names): where their erasure must look too. */
  async keptNaming(mark: string): Promise<string[]> {
    const { resources } = await this.container.items
      .query<{ ownerPk: string }>({
        query: "SELECT c.ownerPk FROM c WHERE c.scheduleId = @kept AND c.drawnFrom.names = @mark",
        parameters: [
          { name: "@kept", value: KEPT_SCHEDULE_ID },
          { name: "@mark", value: mark },
        ],
      })
      .fetchAll();
    return [...new Set(resources.map((r) => r.ownerPk))];
  }

  /** The message a sent record holds, replaced by what the post now says (its copy must not keep an erased name). */
  async replaceMessage(id: string, message: OutgoingMessage): Promise<boolean> {
    const replaced = updateWithRetry<StoredRecord>(
      `the copy of post ${id}`,
      () => this.get(id),
      (current) => (current ? { ...withoutSystemFields<OutboxRecord>(current), message } : undefined),
      (current, next) => this.replaceIfUnchanged(current!, next),
    );
    // A copy that keeps changing is given up on (false), not the erasure's update of the post in Teams that follows.
    return (await unlessKeptChanging(replaced, { stored: undefined, changed: false })).changed;
  }

  /**
   * Queues an update of a post the bot made (by its Teams id) for delivery to send, when Teams
   * did not take it at once: it is then retried and paced as every proactive message is. One
   * record per post: a later update replaces a queued one, so the post ends up showing the
   * newest content however retries fall, and a claim on the record stays with it, so two
   * versions of one post are never in flight together.
   */
  async queueUpdate(post: OutboxRecord, activityId: string, message: OutgoingMessage, at: Date): Promise<void> {
    const id = `${post.id}~update`;
    await updateWithRetry<StoredRecord>(
      `the queued update of ${post.id}`,
      () => this.get(id),
      (current) => ({
        id, status: "pending", tenantId: post.tenantId, ownerPk: post.ownerPk, scheduleId: post.scheduleId, kind: "post-update", conversation: post.conversation,
        message, replaces: activityId, createdAt: at.toISOString(), attempts: 0, nextAttemptAt: at.toISOString(), ...(current?.lease ? { lease: current.lease } : {}),
      }),
      (current, next) => (current ? this.replaceIfUnchanged(current, next) : createIfAbsent(this.container, next)),
    );
  }

  async markRetry(record: StoredRecord, nextAttemptAt: Date, reason: string, throttled = false): Promise<boolean> {
    return this.settle(record, {
      status: "pending",
      nextAttemptAt: nextAttemptAt.toISOString(),
      attempts: record.attempts + 1,
      ...(throttled ? { throttles: (record.throttles ?? 0) + 1 } : {}),
      reason,
    });
  }

  async markFailed(record: StoredRecord, at: Date, reason: string): Promise<boolean> {
    return this.settle(record, { status: "failed", failedAt: at.toISOString(), attempts: record.attempts + 1, reason, ttl: this.settledTtlSeconds });
  }

  /** The newest records for some owners (a channel's status view): what was delivered: not the answers kept from turns, nor updates of posts. */
  async recentFor(ownerPk: string, max: number): Promise<OutboxRecord[]> {
    const { resources } = await this.container.items
      .query<OutboxRecord>({
        query: "SELECT TOP @max * FROM c WHERE c.ownerPk = @pk AND c.scheduleId != @kept AND NOT IS_DEFINED(c.replaces) ORDER BY c.createdAt DESC",
        parameters: [
          { name: "@max", value: max },
          { name: "@pk", value: ownerPk },
          { name: "@kept", value: KEPT_SCHEDULE_ID },
        ],
      })
      .fetchAll();
    return resources;
  }

  /**
   * Deletes an owner's records (pending ones too): a follow-up record holds the user's own
   * commitment text, so "slet mine data" must reach here. Returns how many.
   */
  async deleteForOwner(ownerPk: string): Promise<number> {
    return this.deleteWhere("c.ownerPk = @value", ownerPk);
  }

  /**
   * Deletes the records of one schedule still waiting to be sent, of these kinds, whoever owns
   * them: what was about to be said no longer holds (a share ended, or a person erased). A record
   * leased at this moment may still go out once. Returns how many.
   */
  async deletePendingOf(scheduleId: string, ...kinds: string[]): Promise<number> {
    return this.deleteWhere("c.scheduleId = @value AND c.status = 'pending' AND ARRAY_CONTAINS(@kinds, c.kind)", scheduleId, [{ name: "@kinds", value: kinds }]);
  }

  /** Retention: sent and failed records older than `cutoff`. Returns how many. */
  async pruneSettledBefore(cutoff: Date): Promise<number> {
    return this.deleteWhere("c.status != 'pending' AND c.createdAt < @value", cutoff.toISOString());
  }

  private async deleteWhere(condition: string, value: string, more: ReadonlyArray<{ readonly name: string; readonly value: string[] }> = []): Promise<number> {
    const { resources } = await this.container.items
      .query<{ id: string }>({ query: `SELECT c.id FROM c WHERE ${condition}`, parameters: [{ name: "@value", value }, ...more] })
      .fetchAll();
    let deleted = 0;
    for (const { id } of resources) if (await deleteIfPresent(this.container, id, id)) deleted += 1;
    return deleted;
  }

  async get(id: string): Promise<OutboxRecord | undefined> {
    return readIfPresent<StoredRecord>(this.container, id, id);
  }

  private async settle(record: StoredRecord, changes: Partial<OutboxRecord>): Promise<boolean> {
    return (await this.replaceIfUnchanged(record, this.settled(record, changes))) !== undefined;
  }

  /** The record with `changes` and without its lease. */
  private settled(record: StoredRecord, changes: Partial<OutboxRecord>): OutboxRecord {
    const { lease: _released, ...rest } = withoutSystemFields<OutboxRecord>(record);
    return { ...rest, ...changes } as OutboxRecord;
  }

  private replaceIfUnchanged(current: StoredRecord, next: OutboxRecord): Promise<StoredRecord | undefined> {
    return replaceIfUnchanged(this.container, current, current.id, next);
  }
}

