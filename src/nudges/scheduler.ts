import type { StoredConversation } from "../domain/conversation";
import type { Logger } from "../log";
import type { OutgoingMessage } from "./messenger";
import type { DaysOff } from "../domain/daysOff";
import { Outbox } from "./outbox";
import { adjustRun, followingRun } from "./plannedRuns";
import { planOf, type Schedule } from "./schedule";
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
  /** Holidays and closed days: nothing is sent on them; runs move (see plannedRuns). */
  readonly daysOff: DaysOff;
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
      // One schedule that fails (a composer error, a storage hiccup) is logged and left to its
      // lease; the others in the batch still run.
      try {
        const claimed = await this.schedules.claim(due, {
          holder: this.options.holder,
          until: new Date(now.getTime() + this.options.leaseMs).toISOString(),
        });
        if (!claimed) continue; // another instance got there first
        enqueued += await this.run(claimed, now);
      } catch (err) {
        this.log.error({ err, scheduleId: due.id, kind: due.kind }, "A schedule failed; the others go on, and it is tried again when its lease runs out");
      }
    }
    return enqueued;
  }

  private async run(schedule: Schedule & { _etag?: string }, now: Date): Promise<number> {
    const { occurrence, skipped } = latestOccurrence(schedule, now);
    const context = { scheduleId: schedule.id, kind: schedule.kind };
    if (skipped > 0) this.log.info({ ...context, skipped }, "Skipped runs missed during downtime");

    // A run that falls on a closed day (stored before the day was known to be closed, or a
    // one-off) is moved, not sent; "påmind mig nu" is the local exception that ignores the hour.
    const plan = planOf(schedule);
    const closure = schedule.payload.anyHour === true ? undefined : this.options.daysOff.closure(occurrence, plan.timezone);
    const moved = closure ? adjustRun(plan, occurrence, this.options.daysOff) : occurrence;
    if (closure && moved > occurrence) {
      if (!(await this.schedules.advance(schedule, moved, `moved: ${closure.name}`, now))) {
        this.log.warn(context, "Schedule changed while it was moved; the next tick will look again");
      }
      return 0;
    }

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
    const next = schedule.recurrence ? nextRunAfter(schedule, occurrence, now, this.options.daysOff) : undefined;
    if (!(await this.schedules.advance(schedule, next, outcome, now))) {
      this.log.warn(context, "Schedule changed while it ran; the next tick will look again");
    }
    return enqueued;
  }
}

/** The newest run at or before `now` (an occurrence less its lead), and how many older ones were passed over. */
export function latestOccurrence(schedule: Pick<Schedule, "nextRunAt" | "recurrence" | "leadMs" | "timezone">, now: Date): { occurrence: Date; skipped: number } {
  const plan = planOf(schedule);
  let occurrence = new Date(schedule.nextRunAt);
  let skipped = 0;
  if (!schedule.recurrence) return { occurrence, skipped };
  for (let i = 0; i < 1000; i += 1) {
    const next = followingRun(plan, occurrence);
    if (next > now) break;
    occurrence = next;
    skipped += 1;
  }
  return { occurrence, skipped };
}

/** The run after this one that is still ahead, moved off closed days. */
function nextRunAfter(schedule: Schedule, occurrence: Date, now: Date, daysOff: DaysOff): Date {
  const plan = planOf(schedule);
  let next = followingRun(plan, occurrence);
  for (let i = 0; i < 1000 && next <= now; i += 1) next = followingRun(plan, next);
  return adjustRun(plan, next, daysOff);
}
