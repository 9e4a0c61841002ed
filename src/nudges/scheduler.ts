import type { StoredConversation } from "../domain/conversation";
import type { Logger } from "../log";
import type { OutgoingMessage } from "./messenger";
import { Outbox } from "./outbox";
import { nextOccurrence } from "./recurrence";
import type { Schedule } from "./schedule";
import type { ScheduleStore } from "./scheduleStore";

/** What a due schedule turns into, or why nothing is sent this time. */
export type Composition =
  | { readonly kind: "send"; readonly conversation: StoredConversation; readonly message: OutgoingMessage }
  | { readonly kind: "skip"; readonly reason: string };

export type Composer = (schedule: Schedule, runAt: Date) => Promise<Composition>;

export interface SchedulerOptions {
  /** Identifies this instance in leases. */
  readonly holder: string;
  readonly leaseMs: number;
  /** A run missed by at most this much (downtime) is still sent, once; older ones are skipped. */
  readonly graceMs: number;
  readonly batchSize: number;
  readonly clock: () => Date;
}

/**
 * Turns due schedules into outbox records. Safe with any number of instances: a schedule is
 * claimed with an eTag lease, and an occurrence's outbox record has a deterministic id.
 */
export class Scheduler {
  constructor(
    private readonly schedules: ScheduleStore,
    private readonly outbox: Outbox,
    private readonly compose: Composer,
    private readonly options: SchedulerOptions,
    private readonly log: Logger,
  ) {}

  /** One pass over what is due now; returns how many records it enqueued. */
  async tick(): Promise<number> {
    const now = this.options.clock();
    let enqueued = 0;
    for (const due of await this.schedules.due(now, this.options.batchSize)) {
      const claimed = await this.schedules.claim(due, {
        holder: this.options.holder,
        until: new Date(now.getTime() + this.options.leaseMs).toISOString(),
      });
      if (!claimed) continue; // another instance got there first
      enqueued += await this.run(claimed, now);
    }
    return enqueued;
  }

  private async run(schedule: Schedule & { _etag?: string }, now: Date): Promise<number> {
    const { occurrence, skipped } = latestOccurrence(schedule, now);
    const context = { scheduleId: schedule.id, kind: schedule.kind };
    if (skipped > 0) this.log.info({ ...context, skipped }, "Skipped runs missed during downtime");

    let outcome: string;
    let enqueued = 0;
    if (now.getTime() - occurrence.getTime() > this.options.graceMs) {
      outcome = "skipped: missed by more than the grace window";
      this.log.info({ ...context, runAt: occurrence.toISOString() }, "Skipped a run older than the grace window");
    } else {
      const composition = await this.compose(schedule, occurrence);
      if (composition.kind === "skip") {
        outcome = `skipped: ${composition.reason}`;
      } else {
        const result = await this.outbox.enqueue({
          id: Outbox.recordId(schedule.pk, schedule.id, occurrence),
          status: "pending",
          tenantId: schedule.tenantId,
          ownerPk: schedule.pk,
          scheduleId: schedule.id,
          kind: schedule.kind,
          conversation: composition.conversation,
          message: composition.message,
          createdAt: now.toISOString(),
          attempts: 0,
          nextAttemptAt: now.toISOString(),
        });
        enqueued = result === "enqueued" ? 1 : 0;
        outcome = "enqueued";
      }
    }
    const lead = schedule.leadMs ?? 0;
    // Occurrences are events (a meeting); runs happen `lead` before them.
    const next = schedule.recurrence
      ? new Date(nextOccurrence(schedule.recurrence, new Date(Math.max(now.getTime(), occurrence.getTime()) + lead)).getTime() - lead)
      : undefined;
    if (!(await this.schedules.advance(schedule, next, outcome, now))) {
      this.log.warn(context, "Schedule changed while it ran; the next tick will look again");
    }
    return enqueued;
  }
}

/** The newest run at or before `now` (an occurrence less its lead), and how many older ones were passed over. */
export function latestOccurrence(schedule: Pick<Schedule, "nextRunAt" | "recurrence" | "leadMs">, now: Date): { occurrence: Date; skipped: number } {
  const lead = schedule.leadMs ?? 0;
  let occurrence = new Date(schedule.nextRunAt);
  let skipped = 0;
  if (!schedule.recurrence) return { occurrence, skipped };
  for (let i = 0; i < 1000; i += 1) {
    const next = new Date(nextOccurrence(schedule.recurrence, new Date(occurrence.getTime() + lead)).getTime() - lead);
    if (next > now) break;
    occurrence = next;
    skipped += 1;
  }
  return { occurrence, skipped };
}
