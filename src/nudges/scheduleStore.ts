import type { Container } from "@azure/cosmos";
import { RETIRED_SCHEDULE_TTL_SECONDS } from "../domain/expiry";
import { withoutSystemFields } from "../storage/systemFields";
import { deleteIfPresent, dueWithoutLease, leaseIfUnchanged, replaceIfUnchanged } from "../storage/conditionalWrites";
import { isNotFound } from "../storage/cosmosErrors";
import type { Lease, Schedule } from "./schedule";
import { isGroupPartition } from "../domain/group/partition";

type StoredSchedule = Schedule & { _etag?: string };

/** A due schedule as the due query returns it: enough to claim it (the claim returns the rest). */
export interface DueSchedule {
  readonly id: string;
  readonly pk: string;
  readonly kind: string;
  readonly nextRunAt: string;
  readonly _etag?: string;
}

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

  /** Takes the lease if nobody changed the schedule since it was read; undefined if someone did. */
  async claim(seen: DueSchedule, lease: Lease): Promise<StoredSchedule | undefined> {
    return leaseIfUnchanged<Schedule>(this.containerFor(seen), seen, seen.pk, { ...lease });
  }

  /** Records the run and moves on to the next occurrence (or retires a one-off), releasing the lease. */
  async advance(claimed: StoredSchedule, nextRunAt: Date | undefined, outcome: string, ranAt: Date): Promise<boolean> {
    const { lease: _released, ...rest } = withoutSystemFields<Schedule>(claimed);
    const retired = nextRunAt === undefined || !claimed.active;
    const next: Schedule = {
      ...rest,
      active: !retired,
      nextRunAt: (nextRunAt ?? new Date(claimed.nextRunAt)).toISOString(),
      lastRunAt: ranAt.toISOString(),
      lastOutcome: outcome,
      // A retired one-off leaves by itself, so due queries never walk a growing history.
      ...(retired ? { ttl: RETIRED_SCHEDULE_TTL_SECONDS } : {}),
    };
    return (await this.replaceIfUnchanged(claimed, next)) !== undefined;
  }

  async delete(schedule: Pick<Schedule, "pk" | "id">): Promise<void> {
    await deleteIfPresent(this.containerFor(schedule), schedule.id, schedule.pk);
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

