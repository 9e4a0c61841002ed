import type { StoredConversation } from "../domain/conversation";
import type { Logger } from "../kernel/log";
import { DeliveryError, type Messenger } from "./messenger";
import type { DueRecord, Outbox, OutboxRecord } from "./outbox";
import type { SlidingWindowLimiter, Turn } from "./rateLimiter";
import { isTransientStorageFailure } from "../storage/cosmosErrors";
import { attemptOfKind, decideRetry, isRefusal } from "./retryPolicy";
import { ErrorCodes } from "../kernel/errors";
import type { TenantLeases } from "./tenantLeases";
import { DELIVERY_LEASE_MS } from "./leases";

export interface DeliveryOptions {
  readonly holder: string;
  readonly leaseMs: number;
  readonly batchSize: number;
  /** Sends in flight at once per tenant; the limiter, not this, keeps to Teams' rates. */
  readonly concurrency: number;
  /** Tenants one instance sends for at once; the rest are left to other instances. */
  readonly maxTenants: number;
  /** A tick that still has work hands back after this long, so leases and busy tenants are looked at again. */
  readonly tickBudgetMs: number;
  readonly clock: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface DeliveryReport {
  readonly sent: number;
  readonly retried: number;
  readonly failed: number;
  /** Claimed but given back unsent: the tenant went to another instance meanwhile. */
  readonly handedOver: number;
}

/** What the app runs with (bench/fanout measures these). */
export const DELIVERY_SETTINGS = {
  leaseMs: DELIVERY_LEASE_MS,
  batchSize: 200,
  // A send waits for its turn under the limits and for the Connector; at 50 per second, and with
  // the Connector slow at times, a tenant needs a dozen or so in flight.
  concurrency: 16,
  maxTenants: 24,
  tickBudgetMs: 30_000,
} as const;

/** The limiter's key for a tenant's window (and its slowdown when Teams throttles it). */
const tenantKey = (tenantId: string) => `tenant:${tenantId}`;

/** The least time between two due queries of one tick while it still has records queued. */
const MIN_REFILL_INTERVAL_MS = 1_000;
/**
 * Records of one tenant claimed at one refill, at most: what its lane sends in a second or two at
 * Teams' full pace, fewer in proportion while Teams has the tenant slowed down (claims must not
 * outwait their leases).
 */
const CLAIM_PER_TENANT = 64;
/** Sent records are marked in one bulk request once this many wait, or this long after the first. */
const MARK_BATCH = 50;
const MARK_DELAY_MS = 250;

type Outcome = "sent" | "retried" | "failed" | "handedOver" | "skipped";
type Claimed = OutboxRecord & { _etag?: string };

/** A tenant's records in this tick: claimed, waiting for their turn to be sent. */
interface Lane {
  readonly claimed: Claimed[];
  workers: number;
}

/**
 * Sends what the outbox holds, within Teams' rate limits, retrying what may be retried and
 * telling `onGone` about conversations that are gone for good.
 *
 * One instance at a time sends for a tenant (a tenant lease), so Teams' per-tenant limit holds
 * across instances with each instance's own limiter; per-conversation limits hold with it, as a
 * conversation belongs to one tenant. Each tenant has a lane of its own, so a tenant waiting for
 * its window never holds up another's sends.
 *
 * A record is marked sent only once the Connector took it. When Teams throttles below the limits
 * we keep (a 429), the whole tenant waits out the Retry-After and slows down, and the tenant's
 * lease carries that pace to whichever instance sends for it next.
 *
 * What it costs in Cosmos requests: the due query serves up to `batchSize` records; those of the
 * tenants this instance sends for are claimed together (a bulk read and a bulk write, whatever
 * the tenants); sent records are marked in bulk, within
 * `MARK_DELAY_MS` of their send. A record waits for its mark at most that long longer under its
 * lease, so an instance that dies then leaves a few more sent records to be sent again.
 */
export class Delivery {
  constructor(
    private readonly outbox: Outbox,
    private readonly messenger: Messenger,
    private readonly limiter: SlidingWindowLimiter,
    private readonly tenants: TenantLeases,
    private readonly onGone: (conversation: StoredConversation, reason: string) => Promise<void>,
    private readonly options: DeliveryOptions,
    private readonly log: Logger,
  ) {}

  async tick(): Promise<DeliveryReport> {
    const started = this.options.clock().getTime();
    const report = { sent: 0, retried: 0, failed: 0, handedOver: 0 };
    const lanes = new Map<string, Lane>();
    const seen = new Set<string>();
    const marks = new SentMarks(this.outbox, this.log, this.options);
    let more = true;
    let fetching: Promise<void> | undefined;
    const running = new Set<Promise<void>>();
    const track = (work: Promise<void>) => {
      const tracked = work.finally(() => running.delete(tracked));
      running.add(tracked);
    };
    const queued = () => [...lanes.values()].reduce((n, lane) => n + lane.claimed.length, 0);
    const withinBudget = () => this.options.clock().getTime() - started < this.options.tickBudgetMs;

    const refill = async () => {
      try {
        await fetchMore();
      } catch (err) {
        more = false;
        this.log.error({ err }, "Could not fetch due outbox records; the next tick tries again");
      }
    };
    const fetchMore = async () => {
      // Tenants whose lane here has all it can take are left out of the due query too, as are
      // those another instance sends for: the oldest due records of a slot are mostly a few
      // tenants', and a query that kept answering with them left this instance's other lanes idle
      // (a slot went out at about 250 messages a second, far below Teams' limits).
      // With every lane taken, only the lanes with room are asked for: records of other tenants
      // could not be sent here this tick.
      const full = [...lanes].filter(([tenantId, lane]) => roomIn(tenantId, lane) === 0).map(([tenantId]) => tenantId);
      // A lane whose tenant went to another instance keeps its place until the tick ends, but is not asked for.
      const others = await this.tenants.heldByOthers();
      const open = [...lanes.keys()].filter((tenantId) => !full.includes(tenantId) && !others.includes(tenantId));
      const tenants = lanes.size >= this.options.maxTenants ? { only: open } : { except: [...others, ...full] };
      const batch = tenants.only?.length === 0 ? [] : await this.outbox.due(this.options.clock(), this.options.batchSize, tenants);
      const fresh = batch.filter((record) => !seen.has(record.id));
      // Keep going while fetches find something new (a slot is often still being enqueued), or
      // while a full lane here may have more waiting.
      // (A lane Teams paused gave its records back: it has nothing waiting here.)
      more = fresh.length > 0 || full.some((tenantId) => lanes.get(tenantId)!.claimed.length > 0);
      const ours: DueRecord[] = [];
      for (const tenantId of new Set(fresh.map((r) => r.tenantId))) {
        if (!lanes.has(tenantId)) {
          if (lanes.size >= this.options.maxTenants || !(await this.tenants.acquire(tenantId))) continue;
          // The pace Teams last allowed the tenant, as whichever instance sent for it last was told.
          const slowdown = this.tenants.slowdownOf(tenantId);
          if (slowdown) this.limiter.adopt(tenantKey(tenantId), slowdown, this.options.clock().getTime());
          lanes.set(tenantId, { claimed: [], workers: 0 });
        }
        ours.push(...fresh.filter((r) => r.tenantId === tenantId).slice(0, roomIn(tenantId, lanes.get(tenantId)!)));
      }
      for (const record of ours) seen.add(record.id);
      // Every tenant's records at once: one bulk read and one bulk write for the lot.
      const now = this.options.clock();
      const claimed = ours.length === 0 ? [] : await this.outbox.claimAll(ours, { holder: this.options.holder, until: new Date(now.getTime() + this.options.leaseMs).toISOString() }, now);
      for (const record of claimed) lanes.get(record.tenantId)!.claimed.push(record);
      for (const [tenantId, lane] of lanes) {
        while (lane.workers < Math.min(this.options.concurrency, lane.claimed.length)) {
          lane.workers += 1;
          track(worker(tenantId, lane));
        }
      }
    };
    /** A lane takes what it sends in a second or two; the rest waits, unclaimed, for a later refill. */
    const roomIn = (tenantId: string, lane: Lane) => {
      const at = this.options.clock().getTime();
      const pace = this.limiter.pausedFor(tenantKey(tenantId), at) > this.options.leaseMs / 2 ? 0 : this.limiter.shareOf(tenantKey(tenantId), at);
      return Math.max(0, Math.ceil(CLAIM_PER_TENANT * pace) - lane.claimed.length);
    };
    let lastFetch = 0;
    const maybeRefill = () => {
      // Enough queued and no lane free for another tenant: no query (each one costs RUs).
      if (fetching || !more || !withinBudget() || (queued() >= this.options.batchSize / 2 && lanes.size >= this.options.maxTenants)) return;
      // Not more than one due query a second while records are queued: each one costs RUs.
      if (this.options.clock().getTime() - lastFetch < MIN_REFILL_INTERVAL_MS && queued() > 0) return;
      lastFetch = this.options.clock().getTime();
      fetching = refill().finally(() => (fetching = undefined));
      track(fetching);
    };
    /** Stops sending for a lane this tick: what it claimed goes back, due at once for whoever sends next. */
    const giveBack = async (lane: Lane) => {
      const claimed = lane.claimed.splice(0);
      if (claimed.length > 0) await this.outbox.releaseAll(claimed);
    };
    const worker = async (tenantId: string, lane: Lane) => {
      try {
        for (let mine = lane.claimed.shift(); mine; mine = lane.claimed.shift()) {
          try {
            if (this.limiter.pausedFor(tenantKey(tenantId), this.options.clock().getTime()) > this.options.leaseMs / 2) {
              // Teams asked the tenant to wait longer than a claim lasts: its records go back
              // for a later tick rather than wait out their claims.
              lane.claimed.unshift(mine);
              await giveBack(lane);
              break;
            }
            const outcome = await this.deliverClaimed(mine, marks);
            if (outcome === "handedOver") await giveBack(lane);
            if (outcome !== "skipped") report[outcome] += 1;
          } catch (err) {
            // One record's storage trouble is left to its lease; the others go on.
            this.log.error({ err, outboxId: mine.id }, "Delivery of a record failed; it is tried again when its lease runs out");
          }
          maybeRefill();
        }
      } finally {
        lane.workers -= 1;
      }
    };

    track(refill());
    while (running.size > 0) await Promise.race(running);
    await marks.flush();
    // Tenants are not given back here: a slot is still being enqueued, and handing a tenant to
    // another instance costs a pause (TENANT_SEND_MARGIN_MS). A lease this instance stops
    // renewing runs out by itself.
    return report;
  }

  /**
   * Sends at once a message a person's turn asked for (the questions as a new thread, the first
   * message of a 1:1 chat), recorded in the outbox like every proactive message. It is tried
   * once: when Teams does not take it, the record is marked failed, not retried, and the caller
   * answers in the turn instead; the conversation is left as it is (a refused new thread or 1:1
   * chat does not mean the group is gone). Like a turn's reply, it does not wait for the tenant's
   * lease or window: a person is waiting for it. False when Teams did not take it.
   */
  async sendNow(record: OutboxRecord): Promise<boolean> {
    const now = this.options.clock();
    const mine = await this.outbox.enqueueClaimed(record, { holder: this.options.holder, until: new Date(now.getTime() + this.options.leaseMs).toISOString() });
    // Enqueued before under this id: this turn's message is on its way already.
    if (!mine) return true;
    const context = { outboxId: mine.id, kind: mine.kind, attempt: 1 };
    let activityId: string | undefined;
    try {
      activityId = await this.messenger.send(mine.conversation, mine.message);
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(0, undefined, undefined, String(error));
      const code = isRefusal(failure) ? ErrorCodes.sendRefused.code : ErrorCodes.sendFailed.code;
      this.log.info({ ...context, code, status: failure.status, connectorCode: failure.connectorCode }, "Teams did not take a message sent in a turn; the turn answers instead");
      await this.outbox.markFailed(mine, this.options.clock(), `${failure.status} ${failure.connectorCode ?? ""}`.trim());
      return false;
    }
    const marks = new SentMarks(this.outbox, this.log, this.options);
    marks.add(mine, this.options.clock(), activityId, context);
    await marks.flush();
    return true;
  }

  /** One claimed record: wait for its turn under every limit, and send it if its tenant is still ours. */
  private async deliverClaimed(claimed: Claimed, marks: SentMarks): Promise<Outcome> {
    const until = () => new Date(this.options.clock().getTime() + this.options.leaseMs).toISOString();
    let mine: Claimed | undefined = claimed;
    if (!mine.conversation.active) return this.deliver(mine, marks);
    if (!(await this.tenants.mayStillSend(mine.tenantId))) return this.handOver(mine);
    const keys = [`conversation:${mine.conversation.conversationId}`, tenantKey(mine.tenantId)];
    let turn = await this.takeTurn(keys);
    // Record leases are short, so a crashed instance's claims come free within a minute. A claim
    // with less than half its lease left (a long wait for a turn, or a slow Cosmos answering the
    // claim itself) is renewed, or found taken by another, before anything is sent; then a new
    // turn, so that nothing but the send comes between the turn and the send.
    for (let renewals = 0; this.leaseLeft(mine) < this.options.leaseMs / 2; renewals += 1) {
      turn.done(this.options.clock().getTime());
      // Cosmos slower than half a lease, again and again: sending could overlap another
      // instance's claim, so the record waits for its lease to run out and is tried afresh.
      if (renewals >= 2) return "retried";
      mine = await this.outbox.claim(mine, { holder: this.options.holder, until: until() });
      if (!mine) return "retried";
      if (!(await this.tenants.mayStillSend(mine.tenantId))) return this.handOver(mine);
      turn = await this.takeTurn(keys);
    }
    // No I/O from here to the send: the turn was booked for this moment.
    if (!this.tenants.holds(mine.tenantId)) {
      turn.done(this.options.clock().getTime());
      return this.handOver(mine);
    }
    return this.deliver(mine, marks, turn);
  }

  private leaseLeft(record: Claimed): number {
    return record.lease ? new Date(record.lease.until).getTime() - this.options.clock().getTime() : 0;
  }

  /** Waits until every window of `keys` has room, and books the send for that moment. */
  private async takeTurn(keys: readonly string[]): Promise<Turn> {
    for (;;) {
      const answer = this.limiter.tryTake(keys, this.options.clock().getTime());
      if ("turn" in answer) return answer.turn;
      await this.options.sleep(answer.wait);
    }
  }

  private async handOver(record: Claimed): Promise<Outcome> {
    await this.outbox.release(record);
    return "handedOver";
  }

  private async deliver(record: Claimed, marks: SentMarks, turn?: Turn): Promise<"sent" | "retried" | "failed"> {
    const context = { outboxId: record.id, kind: record.kind, attempt: record.attempts + 1 };
    if (!record.conversation.active) {
      await this.outbox.markFailed(record, this.options.clock(), `conversation inactive: ${record.conversation.inactiveReason ?? "unknown"}`);
      return "failed";
    }
    let activityId: string | undefined;
    try {
      if (record.replaces) await this.messenger.update(record.conversation, record.replaces, record.message);
      else activityId = await this.messenger.send(record.conversation, record.message);
    } catch (error) {
      // Not sent: the record says so, and nothing else (no user's conversation) is touched.
      turn?.done(this.options.clock().getTime());
      const failure = error instanceof DeliveryError ? error : new DeliveryError(0, undefined, undefined, String(error));
      const throttled = failure.status === 429;
      const decision = decideRetry(failure, attemptOfKind(failure, record), this.options.random);
      const now = this.options.clock();
      const answer = { ...context, status: failure.status, connectorCode: failure.connectorCode };
      if (throttled && turn) {
        // Teams is slower than the limits we keep: the whole tenant waits and slows down, here and
        // (through its lease) on whichever instance sends for it next.
        const retryAfterMs = decision.kind === "retry" ? decision.delayMs : 0;
        const slowdown = this.limiter.slowDown(tenantKey(record.tenantId), { bookedAt: turn.at, retryAfterMs }, now.getTime());
        await this.tenants.noteSlowdown(record.tenantId, slowdown);
      }
      if (decision.kind === "retry") {
        if (throttled) this.log.info({ ...answer, code: ErrorCodes.sendThrottled.code, delayMs: decision.delayMs }, ErrorCodes.sendThrottled.description);
        else this.log.info({ ...answer, code: ErrorCodes.sendFailed.code, delayMs: decision.delayMs }, "Teams failed the message or could not be reached; it will be retried");
        await this.outbox.markRetry(record, new Date(now.getTime() + decision.delayMs), `${failure.status} ${failure.connectorCode ?? ""}`.trim(), throttled);
        return "retried";
      }
      if (decision.kind === "gone") {
        this.log.warn({ ...answer, code: ErrorCodes.sendRefused.code, reason: decision.reason }, "Conversation is gone; deactivating it");
        await this.onGone(record.conversation, decision.reason);
      } else if (isRefusal(failure)) {
        this.log.warn({ ...answer, code: ErrorCodes.sendRefused.code, reason: decision.reason }, ErrorCodes.sendRefused.description);
      } else {
        this.log.warn({ ...answer, code: ErrorCodes.sendFailed.code, reason: decision.reason }, "Delivery failed permanently");
      }
      await this.outbox.markFailed(record, now, decision.reason);
      return "failed";
    }
    turn?.done(this.options.clock().getTime());
    marks.add(record, this.options.clock(), activityId, context);
    return "sent";
  }
}

/**
 * Sent records waiting for their mark, written in one bulk request once MARK_BATCH wait or
 * MARK_DELAY_MS after the first. A message that went out must not go out again because its
 * record could not be marked: a request that fails for a moment is tried again a few times (the
 * lease still holds the records meanwhile).
 */
class SentMarks {
  private waiting: Array<{ record: Claimed; at: Date; activityId?: string; context: Record<string, unknown> }> = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly outbox: Outbox,
    private readonly log: Logger,
    private readonly options: Pick<DeliveryOptions, "sleep">,
  ) {}

  add(record: Claimed, at: Date, activityId: string | undefined, context: Record<string, unknown>): void {
    this.waiting.push({ record, at, ...(activityId ? { activityId } : {}), context });
    if (this.waiting.length >= MARK_BATCH) this.write();
    else this.timer ??= setTimeout(() => this.write(), MARK_DELAY_MS);
  }

  /** Writes what waits, and waits for every write in flight. */
  async flush(): Promise<void> {
    this.write();
    while (this.writing.size > 0) await Promise.all([...this.writing]);
  }

  private write(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0);
    if (batch.length === 0) return;
    const writing = this.markAll(batch).finally(() => this.writing.delete(writing));
    this.writing.add(writing);
  }

  private async markAll(batch: SentMarks["waiting"]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const results = await this.outbox.markAllSent(batch);
        results.forEach((result, i) => {
          if (result === false) this.log.warn(batch[i]!.context, "Sent, but the outbox record changed meanwhile (lease ran out?)");
          else if (result instanceof Error) this.log.error({ ...batch[i]!.context, err: result }, "Sent, but the outbox record could not be marked; it is sent again when its lease runs out");
        });
        return;
      } catch (error) {
        if (attempt >= 4 || !isTransientStorageFailure(error)) {
          this.log.error({ err: error, records: batch.length }, "Sent, but the outbox records could not be marked; they are sent again when their leases run out");
          return;
        }
        this.log.info({ attempt, records: batch.length }, "Could not mark sent messages yet; trying again");
        await this.options.sleep(250 * attempt);
      }
    }
  }
}
