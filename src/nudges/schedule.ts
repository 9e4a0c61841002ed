import { DEFAULT_TIMEZONE } from "../domain/time";
import type { RunPlan } from "./plannedRuns";
import type { Recurrence } from "../domain/recurrence";

export type ScheduleKind = "personal-nudge" | "follow-up" | "channel-theme" | "channel-meeting" | "meeting-invitations" | "meeting-start" | "meeting-end" | "agreement-reminder" | "pulse-close" | "insight-change";

export interface Lease {
  readonly holder: string;
  readonly until: string;
}

/**
 * Something that should happen at `nextRunAt`, and again per `recurrence` (none: once). Lives
 * in its owner's partition (a user's or a channel's), so deleting the owner deletes it.
 */
export interface Schedule {
  readonly id: string;
  readonly pk: string;
  readonly type: "schedule";
  readonly kind: ScheduleKind;
  readonly tenantId: string;
  readonly active: boolean;
  readonly nextRunAt: string;
  readonly recurrence?: Recurrence;
  /** The owner's zone, for a one-off without a recurrence (a recurrence carries its own). */
  readonly timezone?: string;
  /** Run this long before each occurrence (a meeting's lead time); occurrences are the events. */
  readonly leadMs?: number;
  /** A run on a closed day is skipped, not moved: a meeting's own posts (the meeting is not held). */
  readonly skipClosedDays?: boolean;
  /**
   * What the composer needs: a reflection id for a follow-up, a theme rotation for a channel, …
   * Two flags the scheduler reads: `anyHour` (a closed day does not move it) and `always` (run
   * however late, never skipped as missed: housekeeping such as closing a pulse).
   */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly lease?: Lease;
  readonly lastRunAt?: string;
  readonly lastOutcome?: string;
  /** Seconds after the last write when Cosmos deletes it: set when a one-off retires. */
  readonly ttl?: number;
}

/** When a schedule runs, for the run planner: its recurrence, lead and zone. */
export function planOf(schedule: Pick<Schedule, "recurrence" | "leadMs" | "timezone" | "skipClosedDays">): RunPlan {
  return {
    ...(schedule.recurrence ? { recurrence: schedule.recurrence } : {}),
    ...(schedule.leadMs ? { leadMs: schedule.leadMs } : {}),
    ...(schedule.skipClosedDays ? { skipClosedDays: true } : {}),
    timezone: schedule.recurrence?.timezone ?? schedule.timezone ?? DEFAULT_TIMEZONE,
  };
}
