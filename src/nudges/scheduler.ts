import type { StoredConversation } from "../domain/conversation";
import type { Logger } from "../kernel/log";
import type { OutgoingMessage } from "./messenger";
import type { DaysOff } from "../domain/daysOff";
import type { LoadedSession } from "../storage/userSessions";
import { Outbox, type OutboxRecord } from "./outbox";
import { adjustRun, followingRun } from "./plannedRuns";
import { planOf, type Schedule } from "./schedule";
import type { RunWrite, ScheduleStore, StoredSchedule } from "./scheduleStore";

/** What a due schedule turns into, or why nothing is sent this time. */
export type Composition =
  | {
      readonly kind: "send";
      readonly conversation: StoredConversation;
      readonly message: OutgoingMessage;
      /** A group meeting's card: kept on the record, so the post can be found and updated later. */
      readonly meetingId?: string;
      /** Writes in the schedule's own partition that belong to this run, made with moving it on (see RunWrite). */
      readonly run?: RunWrite;
    }
  /**
   * One message to each of several people (a group's invitations). Each has a key of its own
   * within the occurrence (its record id) and an owner, whose erasure takes the record with it.
   */
  | { readonly kind: "sendEach"; readonly sends: ReadonlyArray<{ readonly key: string; readonly ownerPk: string; readonly conversation: StoredConversation; readonly message: OutgoingMessage }> }
  | { readonly kind: "skip"; readonly reason: string };

/**
 * Turns a due schedule into what to send. `sessions` holds the sessions of the owners of the
 * schedules claimed with this one, read in one query for them all (see Prefetch), by partition key.
 */
export type Composer = (schedule: Schedule, runAt: Date, sessions?: ReadonlyMap<string, LoadedSession>) => Promise<Composition>;

/** Reads, for a chunk of claimed schedules at once, the sessions their composers need (a leader's reminder reads theirs). */
export type Prefetch = (schedules: readonly Schedule[]) => Promise<ReadonlyMap<string, LoadedSession>>;

export interface SchedulerOptions {
  /** Identifies this instance in leases. */
  readonly holder: string;
  readonly leaseMs: number;
  /** A run missed by at most this much (downtime) is still sent, once; older ones are skipped. */
  readonly graceMs: number;
  readonly batchSize: number;
  /** Schedules composed and moved on at once. */
  readonly concurrency: number;
  /** Schedules claimed in one bulk request, then composed and enqueued together (default: 4 × concurrency). */
  readonly chunkSize?: number;
  /** A tick that keeps finding full batches stops after this long, so the next one looks afresh. */
  readonly tickBudgetMs: number;
  readonly clock: () => Date;
  readonly random?: () => number;
  /** Holidays and closed days: nothing is sent on them; runs move (see plannedRuns). */
  readonly daysOff: DaysOff;
}

/** What the app runs with (bench/fanout measures these). */
export const SCHEDULER_SETTINGS = { batchSize: 500, concurrency: 64, chunkSize: 64, tickBudgetMs: 30_000 } as const;

/** What one claimed schedule's run comes to before anything is written. */
interface Plan {
  readonly schedule: StoredSchedule;
  readonly records: readonly OutboxRecord[];
  readonly next: Date | undefined;
  readonly outcome: string;
  readonly run?: RunWrite;
}

/** How often a run's own writes are made again when the document they change changed meanwhile. */
const RUN_WRITE_ATTEMPTS = 3;

/**
 * Turns due schedules into outbox records. Safe with any number of instances: a schedule is
 * claimed with an eTag lease, and an occurrence's outbox record has a deterministic id.
 *
 * What a slot costs in Cosmos requests, per schedule: the due query serves up to `batchSize`;
 * claims go in bulk, `chunkSize` to a request; the chunk's owners' sessions come in one query
 * (Prefetch); its records are created in one bulk request; and each schedule moves on in one
 * request, a transactional batch with its run's writes (a reminder counted in the session).
 */
export class Scheduler {
  constructor(
    private readonly schedules: ScheduleStore,
    private readonly outbox: Outbox,
    private readonly compose: Composer,
    private readonly options: SchedulerOptions,
    private readonly log: Logger,
    private readonly prefetch?: Prefetch,
  ) {}

  /**
   * Runs what is due now, batch after batch while full batches come back, a chunk of schedules
   * at a time; returns how many records it enqueued.
   */
  async tick(): Promise<number> {
    const started = this.options.clock().getTime();
    const withinBudget = () => this.options.clock().getTime() - started < this.options.tickBudgetMs;
    const chunkSize = this.options.chunkSize ?? 4 * this.options.concurrency;
    let enqueued = 0;
    for (let full = true; full && withinBudget(); ) {
      const now = this.options.clock();
      // Shuffled, so instances that fetched the same batch mostly claim different schedules.
      const batch = shuffle(await this.schedules.due(now, this.options.batchSize), this.options.random ?? Math.random);
      full = batch.length >= this.options.batchSize;
      let claimedAny = false;
      for (let at = 0; at < batch.length && withinBudget(); at += chunkSize) {
        const chunk = batch.slice(at, at + chunkSize);
        const claimed = await this.schedules.claimAll(chunk, { holder: this.options.holder, until: new Date(now.getTime() + this.options.leaseMs).toISOString() }, now);
        if (claimed.length > 0) claimedAny = true;
        enqueued += await this.runChunk(claimed, now);
        // Instances that fetched the same batch lose more races the further they get into it;
        // a chunk mostly taken by others says the rest likely is too, and a fresh due query leaves it out.
        if (claimed.length < chunk.length / 2) break;
      }
      if (!claimedAny) break;
    }
    return enqueued;
  }

  /** A chunk of claimed schedules: composed, their records enqueued together, each moved on. Returns how many records were new. */
  private async runChunk(claimed: readonly StoredSchedule[], now: Date): Promise<number> {
    if (claimed.length === 0) return 0;
    let sessions: ReadonlyMap<string, LoadedSession> | undefined;
    try {
      sessions = await this.prefetch?.(claimed);
    } catch (err) {
      // Each composer reads what it needs itself, then.
      this.log.warn({ err, schedules: claimed.length }, "Could not read the sessions of a chunk of schedules at once; each is read on its own");
    }
    const plans = (await inParallel(claimed, this.options.concurrency, async (schedule) => {
      // One schedule that fails (a composer error, a storage hiccup) is logged and left to its
      // lease; the others in the chunk still run.
      try {
        return await this.plan(schedule, now, sessions);
      } catch (err) {
        this.log.error({ err, scheduleId: schedule.id, kind: schedule.kind }, "A schedule failed; the others go on, and it is tried again when its lease runs out");
        return undefined;
      }
    })).filter((p): p is Plan => p !== undefined);

    // Every record of the chunk in one bulk request; a schedule moves on only once all of its are in.
    const records = plans.flatMap((p) => p.records);
    const stored = new Map<string, boolean>();
    let enqueued = 0;
    try {
      const results = records.length > 0 ? await this.outbox.enqueueAll(records) : [];
      results.forEach((result, i) => {
        if (result instanceof Error) this.log.error({ err: result, outboxId: records[i]!.id }, "Could not enqueue a record; its schedule is tried again when its lease runs out");
        else stored.set(records[i]!.id, true);
        if (result === "enqueued") enqueued += 1;
      });
    } catch (err) {
      this.log.error({ err, records: records.length }, "Could not enqueue a chunk's records; their schedules are tried again when their leases run out");
      return 0;
    }
    const ready = plans.filter((p) => p.records.every((r) => stored.has(r.id)));

    // Without writes of their own, schedules move on together; with them, each in its own transaction.
    const plain = ready.filter((p) => !p.run);
    try {
      const advanced = plain.length > 0 ? await this.schedules.advanceAll(plain.map((p) => ({ claimed: p.schedule, nextRunAt: p.next, outcome: p.outcome, ranAt: now }))) : new Map();
      for (const p of plain) if (advanced.get(p.schedule) === false) this.log.warn({ scheduleId: p.schedule.id, kind: p.schedule.kind }, "Schedule changed while it ran; the next tick will look again");
    } catch (err) {
      this.log.error({ err, schedules: plain.length }, "Could not move schedules on; they are tried again when their leases run out");
    }
    await inParallel(ready.filter((p) => p.run), this.options.concurrency, async (p) => {
      try {
        await this.advanceWithRun(p, now);
      } catch (err) {
        this.log.error({ err, scheduleId: p.schedule.id, kind: p.schedule.kind }, "Could not move a schedule on with its run's writes; it is tried again when its lease runs out");
      }
    });
    return enqueued;
  }

  /** Moves a schedule on with its run's writes; when a document of those changed meanwhile, they are made again from it. */
  private async advanceWithRun(plan: Plan, now: Date): Promise<void> {
    const context = { scheduleId: plan.schedule.id, kind: plan.schedule.kind };
    let run = plan.run;
    for (let attempt = 1; attempt <= RUN_WRITE_ATTEMPTS; attempt += 1) {
      const outcome = await this.schedules.advance(plan.schedule, plan.next, plan.outcome, now, run);
      if (outcome === "advanced") return;
      if (outcome === "schedule-changed") {
        this.log.warn(context, "Schedule changed while it ran; the next tick will look again");
        return;
      }
      run = await run?.redo();
    }
    // The owner's document kept changing (a leader busy in the chat): the message is already in
    // the outbox; the schedule moves on without its writes rather than send it again.
    this.log.info(context, "The run's writes kept meeting newer documents; the schedule moves on without them");
    await this.schedules.advance(plan.schedule, plan.next, plan.outcome, now);
  }

  /** What one claimed schedule's run comes to: the records to enqueue, and where it moves on to. */
  private async plan(schedule: StoredSchedule, now: Date, sessions: ReadonlyMap<string, LoadedSession> | undefined): Promise<Plan> {
    const { occurrence, skipped } = latestOccurrence(schedule, now);
    const context = { scheduleId: schedule.id, kind: schedule.kind };
    if (skipped > 0) this.log.info({ ...context, skipped }, "Skipped runs missed during downtime");

    // A run that falls on a closed day (stored before the day was known to be closed, or a
    // one-off) is moved, not sent; "påmind mig nu" is the local exception that ignores the hour.
    const plan = planOf(schedule);
    const closure = schedule.payload.anyHour === true ? undefined : this.options.daysOff.closure(occurrence, plan.timezone);
    const moved = closure ? adjustRun(plan, occurrence, this.options.daysOff) : occurrence;
    if (closure && moved > occurrence) return { schedule, records: [], next: moved, outcome: `moved: ${closure.name}` };

    const next = schedule.recurrence ? nextRunAfter(schedule, occurrence, now, this.options.daysOff) : undefined;
    // Housekeeping that must happen however late (a pulse's closing deletes answers) is never
    // skipped as missed; messages to people are, so nobody gets last week's reminder.
    if (schedule.payload.always !== true && now.getTime() - occurrence.getTime() > this.options.graceMs) {
      this.log.info({ ...context, runAt: occurrence.toISOString() }, "Skipped a run older than the grace window");
      return { schedule, records: [], next, outcome: "skipped: missed by more than the grace window" };
    }
    const composition = await this.compose(schedule, occurrence, sessions);
    const record = (id: string, ownerPk: string, conversation: StoredConversation, message: OutgoingMessage) =>
      Outbox.pending({ id, tenantId: schedule.tenantId, ownerPk, scheduleId: schedule.id, kind: schedule.kind, conversation, message }, now);
    if (composition.kind === "skip") return { schedule, records: [], next, outcome: `skipped: ${composition.reason}` };
    if (composition.kind === "send") {
      const one = record(Outbox.recordId(schedule.pk, schedule.id, occurrence), schedule.pk, composition.conversation, composition.message);
      return { schedule, records: [composition.meetingId ? { ...one, meetingId: composition.meetingId } : one], next, outcome: "enqueued", ...(composition.run ? { run: composition.run } : {}) };
    }
    const records = composition.sends.map((send) => record(Outbox.recordId(schedule.pk, `${schedule.id}.${send.key}`, occurrence), send.ownerPk, send.conversation, send.message));
    return { schedule, records, next, outcome: composition.sends.length > 0 ? `enqueued ${composition.sends.length}` : "skipped: nobody to send to" };
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

/** `work` over `items`, at most `limit` at a time; the results in order. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
