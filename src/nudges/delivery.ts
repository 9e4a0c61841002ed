import type { StoredConversation } from "../domain/conversation";
import type { Logger } from "../log";
import { DeliveryError, type Messenger } from "./messenger";
import type { Outbox, OutboxRecord } from "./outbox";
import type { SlidingWindowLimiter } from "./rateLimiter";
import { isTransientStorageFailure } from "../storage/cosmosErrors";
import { decideRetry } from "./retryPolicy";

export interface DeliveryOptions {
  readonly holder: string;
  readonly leaseMs: number;
  readonly batchSize: number;
  /** Sends in flight at once; the limiter, not this, keeps to Teams' rates. */
  readonly concurrency: number;
  readonly clock: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface DeliveryReport {
  readonly sent: number;
  readonly retried: number;
  readonly failed: number;
}

/**
 * Sends what the outbox holds, within Teams' rate limits, retrying what may be retried and
 * telling `onGone` about conversations that are gone for good.
 */
export class Delivery {
  constructor(
    private readonly outbox: Outbox,
    private readonly messenger: Messenger,
    private readonly limiter: SlidingWindowLimiter,
    private readonly onGone: (conversation: StoredConversation, reason: string) => Promise<void>,
    private readonly options: DeliveryOptions,
    private readonly log: Logger,
  ) {}

  async tick(): Promise<DeliveryReport> {
    const queue = await this.outbox.due(this.options.clock(), this.options.batchSize);
    const report = { sent: 0, retried: 0, failed: 0 };
    // Each worker claims and sends one record at a time, so sending starts with the first claim.
    const worker = async () => {
      for (let record = queue.shift(); record; record = queue.shift()) {
        const until = new Date(this.options.clock().getTime() + this.options.leaseMs).toISOString();
        const mine = await this.outbox.claim(record, { holder: this.options.holder, until });
        if (mine) report[await this.deliver(mine)] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, queue.length) }, worker));
    return report;
  }

  private async deliver(claimed: OutboxRecord & { _etag?: string }): Promise<"sent" | "retried" | "failed"> {
    let record = claimed;
    const context = { outboxId: record.id, kind: record.kind, attempt: record.attempts + 1 };
    if (!record.conversation.active) {
      await this.outbox.markFailed(record, this.options.clock(), `conversation inactive: ${record.conversation.inactiveReason ?? "unknown"}`);
      return "failed";
    }
    const at = this.limiter.reserve([`conversation:${record.conversation.conversationId}`, `tenant:${record.tenantId}`], this.options.clock().getTime());
    const wait = at - this.options.clock().getTime();
    if (wait > 0) await this.options.sleep(wait);
    // Leases are short, so a crashed instance's claims come free within a minute; one that
    // waited long for its turn renews its claim before sending (or finds another instance has it).
    if (wait > this.options.leaseMs / 2) {
      const renewed = await this.outbox.claim(record, { holder: this.options.holder, until: new Date(this.options.clock().getTime() + this.options.leaseMs).toISOString() });
      if (!renewed) return "retried";
      record = renewed;
    }
    try {
      await this.messenger.send(record.conversation, record.message);
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError(0, undefined, undefined, String(error));
      const decision = decideRetry(failure, record.attempts + 1, this.options.random);
      const now = this.options.clock();
      if (decision.kind === "retry") {
        this.log.info({ ...context, status: failure.status, delayMs: decision.delayMs }, "Delivery will be retried");
        await this.outbox.markRetry(record, new Date(now.getTime() + decision.delayMs), `${failure.status} ${failure.code ?? ""}`.trim());
        return "retried";
      }
      if (decision.kind === "gone") {
        this.log.warn({ ...context, reason: decision.reason }, "Conversation is gone; deactivating it");
        await this.onGone(record.conversation, decision.reason);
      } else {
        this.log.warn({ ...context, reason: decision.reason }, "Delivery failed permanently");
      }
      await this.outbox.markFailed(record, now, decision.reason);
      return "failed";
    }
    await this.markSent(record, context);
    return "sent";
  }

  /**
   * A message that went out must not go out again because its record could not be marked: a
   * transient storage failure is retried a few times (the lease still holds it meanwhile).
   */
  private async markSent(record: OutboxRecord & { _etag?: string }, context: Record<string, unknown>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        if (!(await this.outbox.markSent(record, this.options.clock()))) {
          this.log.warn(context, "Sent, but the outbox record changed meanwhile (lease ran out?)");
        }
        return;
      } catch (error) {
        if (attempt >= 4 || !isTransientStorageFailure(error)) throw error;
        this.log.info({ ...context, attempt }, "Could not mark a sent message yet; trying again");
        await this.options.sleep(250 * attempt);
      }
    }
  }
}
