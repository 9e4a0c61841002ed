import { BulkOperationType, type Container, type JSONObject, type OperationInput } from "@azure/cosmos";
import { RETIRED_SCHEDULE_TTL_SECONDS } from "../domain/expiry";
import { withoutSystemFields } from "../storage/systemFields";
import { deleteIfPresent, dueWithoutLease, leaseAll, leaseIfUnchanged, replaceAllIfUnchanged, replaceIfUnchanged } from "../storage/conditionalWrites";
import { AppError, ErrorCodes } from "../kernel/errors";
import { isNotFound } from "../storage/cosmosErrors";
import type { Lease, Schedule } from "./schedule";
import { isGroupPartition } from "../domain/group/partition";

export type StoredSchedule = Schedule & { _etag?: string };

/** A due schedule as the due query returns it: enough to claim it (the claim reads the rest). */
export interface DueSchedule {
  readonly id: string;
  readonly pk: string;
  readonly kind: string;
  readonly nextRunAt: string;
  readonly _etag?: string;
}

/**
 * A run's writes in the schedule's own partition (a leader's reminder counted in their session),
 * made in one transactional batch with moving the schedule on. `redo` makes them again from the
 * documents as they are now, when one changed since it was read (the leader was in the chat).
 */
export interface RunWrite {
  readonly operations: readonly OperationInput[];
  readonly redo: () => Promise<RunWrite | undefined>;
}

/** How moving a schedule on went: done, the schedule was changed by someone else (its lease ran out), or a document of the run's writes was. */
export type Advanced = "advanced" | "schedule-changed" | "run-changed";

/**
 * Schedules in the containers that hold them (users' and channels'). Claiming is a conditional
 * write of a lease: of several instances seeing the same due schedule, one wins.
 */
export class ScheduleStore {
  constructor(private readonly containers: readonly Container[]) {}

  async upsert(schedule: Schedule): Promise<void> {
    await this.containerFor(schedule).items.upsert(withoutSystemFields<Schedule>(schedule));
  }

  async get(pk: string, id: string): Promise<Schedule | undefined> {
    for (const container of this.containers) {
      try {
        const { resource } = await container.item(id, pk).read<StoredSchedule>();
        if (resource?.type === "schedule") return resource;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return undefined;
  }

  async forOwner(pk: string): Promise<Schedule[]> {
    const found: Schedule[] = [];
    for (const container of this.containers) {
      const { resources } = await container.items
        .query<StoredSchedule>({ query: "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'schedule'", parameters: [{ name: "@pk", value: pk }] }, { partitionKey: pk })
        .fetchAll();
      found.push(...resources);
    }
    return found;
  }

  /**
   * Active schedules due by `now` whose lease (if any) has run out; oldest first. Only what it
   * takes to claim them, so a due query and a lost race cost little whatever the payloads hold.
   */
  async due(now: Date, max: number): Promise<DueSchedule[]> {
    const found: DueSchedule[] = [];
    for (const container of this.containers) {
      found.push(...(await dueWithoutLease<DueSchedule>(container, "c.type = 'schedule' AND c.active = true AND c.nextRunAt <= @now", "c.nextRunAt", now, max, [], "c.id, c.pk, c.kind, c.nextRunAt, c._etag")));
    }
    return found.sort((a, b) => a.nextRunAt.localeCompare(b.nextRunAt)).slice(0, max);
  }

  /**
   * Takes the lease on each schedule that is still due and free at `now`: two bulk requests per
   * container for the lot (read them, lease them). Returns those this instance now holds, with
   * their new eTags; the others went to another instance, or wait for the next tick.
   */
  async claimAll(seen: readonly DueSchedule[], lease: Lease, now: Date): Promise<StoredSchedule[]> {
    const claimed: StoredSchedule[] = [];
    const at = now.toISOString();
    for (const [container, schedules] of this.byContainer(seen)) {
      const free = (s: Schedule) => s.type === "schedule" && s.active && s.nextRunAt <= at && (!s.lease || s.lease.until <= at);
      claimed.push(...(await leaseAll<Schedule>(container, schedules.map((s) => ({ id: s.id, partitionKey: s.pk })), { ...lease }, free)));
    }
    return claimed;
  }

  /** Takes the lease on one schedule if nobody changed it since it was read; undefined if someone did. */
  async claim(seen: DueSchedule, lease: Lease): Promise<StoredSchedule | undefined> {
    return leaseIfUnchanged<Schedule>(this.containerFor(seen), seen, seen.pk, { ...lease });
  }

  /**
   * Records the run and moves on to the next occurrence (or retires a one-off), releasing the
   * lease. With `run`, the run's own writes go in the same transactional batch: both or neither.
   */
  async advance(claimed: StoredSchedule, nextRunAt: Date | undefined, outcome: string, ranAt: Date, run?: RunWrite): Promise<Advanced> {
    const next = advanced(claimed, nextRunAt, outcome, ranAt);
    if (!run || run.operations.length === 0) return (await this.replaceIfUnchanged(claimed, next)) !== undefined ? "advanced" : "schedule-changed";
    if (!claimed._etag) throw new AppError(ErrorCodes.invariantBroken, { detail: `moving schedule "${claimed.id}" on needs the eTag it was claimed with` });
    // The run's writes first: the one likely to have changed (a leader's session) fails the batch
    // before anything is written, on Azure and on the embedded server alike.
    const operations: OperationInput[] = [
      ...run.operations,
      { operationType: BulkOperationType.Replace, id: claimed.id, partitionKey: claimed.pk, resourceBody: next as unknown as JSONObject, ifMatch: claimed._etag },
    ];
    const { result } = await this.containerFor(claimed).items.batch(operations, claimed.pk);
    const answers = result ?? [];
    const changed = (status: number | undefined) => status === 412 || status === 404 || status === 409;
    if (answers.length === operations.length && answers.every((a) => a.statusCode < 300)) return "advanced";
    if (changed(answers.at(-1)?.statusCode)) return "schedule-changed";
    if (answers.slice(0, -1).some((a) => changed(a.statusCode))) return "run-changed";
    const failed = answers.find((a) => a.statusCode >= 400 && a.statusCode !== 424);
    throw new AppError(ErrorCodes.storageInconsistent, { detail: `moving schedule "${claimed.id}" on with its run's writes failed with ${failed?.statusCode ?? "no answer"}`, cause: { code: failed?.statusCode } });
  }

  /** Moves several schedules on (no writes of their own), one bulk request per container; per schedule, whether it was still this instance's. */
  async advanceAll(items: ReadonlyArray<{ readonly claimed: StoredSchedule; readonly nextRunAt: Date | undefined; readonly outcome: string; readonly ranAt: Date }>): Promise<Map<StoredSchedule, boolean>> {
    const outcome = new Map<StoredSchedule, boolean>();
    for (const [container, group] of this.byContainer(items.map((i) => i.claimed))) {
      const of = group.map((claimed) => items.find((i) => i.claimed === claimed)!);
      const results = await replaceAllIfUnchanged(container, of.map((i) => ({ current: i.claimed, partitionKey: i.claimed.pk, next: advanced(i.claimed, i.nextRunAt, i.outcome, i.ranAt) })));
      results.forEach((result, k) => {
        if (result instanceof AppError) throw result;
        outcome.set(of[k]!.claimed, result !== undefined);
      });
    }
    return outcome;
  }

  async delete(schedule: Pick<Schedule, "pk" | "id">): Promise<void> {
    await deleteIfPresent(this.containerFor(schedule), schedule.id, schedule.pk);
  }

  private byContainer<S extends Pick<Schedule, "pk">>(schedules: readonly S[]): Map<Container, S[]> {
    const groups = new Map<Container, S[]>();
    for (const schedule of schedules) {
      const container = this.containerFor(schedule);
      groups.set(container, [...(groups.get(container) ?? []), schedule]);
    }
    return groups;
  }

  private replaceIfUnchanged(current: StoredSchedule, next: Schedule): Promise<StoredSchedule | undefined> {
    return replaceIfUnchanged(this.containerFor(current), current, current.pk, next);
  }

  private containerFor(schedule: Pick<Schedule, "pk">): Container {
    // A group's schedules live in the groups' container; everything else belongs to a user.
    const index = isGroupPartition(schedule.pk) && this.containers.length > 1 ? 1 : 0;
    return this.containers[index]!;
  }
}

/** The schedule after a run: its outcome, the next occurrence (or retired), no lease. */
function advanced(claimed: StoredSchedule, nextRunAt: Date | undefined, outcome: string, ranAt: Date): Schedule {
  const { lease: _released, ...rest } = withoutSystemFields<Schedule>(claimed);
  const retired = nextRunAt === undefined || !claimed.active;
  return {
    ...rest,
    active: !retired,
    nextRunAt: (nextRunAt ?? new Date(claimed.nextRunAt)).toISOString(),
    lastRunAt: ranAt.toISOString(),
    lastOutcome: outcome,
    // A retired one-off leaves by itself, so due queries never walk a growing history.
    ...(retired ? { ttl: RETIRED_SCHEDULE_TTL_SECONDS } : {}),
  };
}
