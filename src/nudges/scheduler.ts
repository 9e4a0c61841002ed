import type { StoredConversation } from "../domain/conversation";
import type { Logger } from "../kernel/log";
import type { OutgoingMessage } from "./messenger";
import type { DaysOff } from "../domain/daysOff";
import { Outbox } from "./outbox";
import { adjustRun, followingRun } from "./plannedRuns";
import { planOf, type Schedule } from "./schedule";
import type { ScheduleStore } from "./scheduleStore";

/** What a due schedule turns into, or why nothing is sent this time. */
export type Composition =
  | {
      readonly kind: "send";
      readonly conversation: StoredConversation;
      readonly message: OutgoingMessage;
      /** A group meeting's card: kept on the record, so the post can be found and updated later. */
      readonly meetingId?: string;
    }
  /**
   * One message to each of several people (a group's invitations). Each has a key of its own
   * within the occurrence (its record id) and an owner, whose erasure takes the record with it.
   */
  | { readonly kind: "sendEach"; readonly sends: ReadonlyArray<{ readonly key: string; readonly ownerPk: string; readonly conversation: StoredConversation; readonly message: OutgoingMessage }> }
  | { readonly kind: "skip"; readonly reason: string };

export type Composer = (schedule: Schedule, runAt: Date) => Promise<Composition>;

export interface SchedulerOptions {
  /** Identifies this instance in leases. */
  readonly holder: string;
  readonly leaseMs: number;
  /** A run missed by at most this much (downtime) is still sent, once; older ones are skipped. */
  readonly graceMs: number;
  readonly batchSize: number;
  /** Schedules composed and enqueued at once. */
  readonly concurrency: number;
  /** A tick that keeps finding full batches stops after this long, so the next one looks afresh. */
  readonly tickBudgetMs: number;
  readonly clock: () => Date;
  readonly random?: () => number;
  /** Holidays and closed days: nothing is sent on them; runs move (see plannedRuns). */
  readonly daysOff: DaysOff;
}

/** What the app runs with (bench/fanout measures these). */
export const SCHEDULER_SETTINGS = { batchSize: 500, concurrency: 16, tickBudgetMs: 30_000 } as const;

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

  /**
   * Runs what is due now, batch after batch while full batches come back, a few schedules at a
   * time; returns how many records it enqueued.
   */
  async tick(): Promise<number> {
    const started = this.options.clock().getTime();
    let enqueued = 0;
    for (let full = true; full && this.options.clock().getTime() - started < this.options.tickBudgetMs; ) {
      const now = this.options.clock();
      // Shuffled, so instances that fetched the same batch mostly claim different schedules.
      const batch = shuffle(await this.schedules.due(now, this.options.batchSize), this.options.random ?? Math.random);
      full = batch.length >= this.options.batchSize;
      let claimedAny = false;
      const races = new RecentRaces(2 * this.options.concurrency);
      // Instances that fetched the same batch lose more races the further they get into it; once
      // most are lost, the rest is likely taken too, and a fresh due query leaves out what is.
      await inParallel(batch, this.options.concurrency, () => races.mostlyLost(), async (due) => {
        // One schedule that fails (a composer error, a storage hiccup) is logged and left to its
        // lease; the others in the batch still run.
        try {
          const claimed = await this.schedules.claim(due, { holder: this.options.holder, until: new Date(now.getTime() + this.options.leaseMs).toISOString() });
          races.record(claimed !== undefined);
          if (!claimed) return; // another instance got there first
          claimedAny = true;
          const added = await this.run(claimed, now); // not `enqueued += await …`: that reads enqueued before the wait
          enqueued += added;
        } catch (err) {
          this.log.error({ err, scheduleId: due.id, kind: due.kind }, "A schedule failed; the others go on, and it is tried again when its lease runs out");
        }
      });
      if (!claimedAny) break;
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
    // Housekeeping that must happen however late (a pulse's closing deletes answers) is never
    // skipped as missed; messages to people are, so nobody gets last week's reminder.
    if (schedule.payload.always !== true && now.getTime() - occurrence.getTime() > this.options.graceMs) {
      outcome = "skipped: missed by more than the grace window";
      this.log.info({ ...context, runAt: occurrence.toISOString() }, "Skipped a run older than the grace window");
    } else {
      const composition = await this.compose(schedule, occurrence);
      const record = (id: string, ownerPk: string, conversation: StoredConversation, message: OutgoingMessage) =>
        Outbox.pending({ id, tenantId: schedule.tenantId, ownerPk, scheduleId: schedule.id, kind: schedule.kind, conversation, message }, now);
      if (composition.kind === "skip") {
        outcome = `skipped: ${composition.reason}`;
      } else if (composition.kind === "send") {
        const one = record(Outbox.recordId(schedule.pk, schedule.id, occurrence), schedule.pk, composition.conversation, composition.message);
        const result = await this.outbox.enqueue(composition.meetingId ? { ...one, meetingId: composition.meetingId } : one);
        enqueued = result === "enqueued" ? 1 : 0;
        outcome = "enqueued";
      } else {
        for (const send of composition.sends) {
          const result = await this.outbox.enqueue(record(Outbox.recordId(schedule.pk, `${schedule.id}.${send.key}`, occurrence), send.ownerPk, send.conversation, send.message));
          if (result === "enqueued") enqueued += 1;
        }
        outcome = composition.sends.length > 0 ? `enqueued ${composition.sends.length}` : "skipped: nobody to send to";
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

/** Whether most of the last few claims were lost to other instances. */
class RecentRaces {
  private readonly outcomes: boolean[] = [];
  constructor(private readonly window: number) {}

  record(won: boolean): void {
    this.outcomes.push(won);
    if (this.outcomes.length > this.window) this.outcomes.shift();
  }

  mostlyLost(): boolean {
    return this.outcomes.length >= this.window && this.outcomes.filter((won) => !won).length > this.window / 2;
  }
}

/** Runs `work` over `items` with at most `limit` at a time, taking no more once `stop()` says so. */
async function inParallel<T>(items: readonly T[], limit: number, stop: () => boolean, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
