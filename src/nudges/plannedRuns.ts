import type { DaysOff } from "../domain/daysOff";
import { nextOccurrence, type Recurrence } from "../domain/recurrence";

/**
 * When a schedule runs. A run is an occurrence of its recurrence, less a lead time for posts
 * that come before an event (a meeting); a run on a closed day (a holiday, the organisation's
 * own closed days) is moved. Shared by the scheduler and by the cards that show the next dates,
 * so what a leader is shown is what happens.
 */
export interface RunPlan {
  readonly recurrence?: Recurrence;
  /** Posts this long before each occurrence; the occurrences are the events. */
  readonly leadMs?: number;
  readonly timezone: string;
  /** Runs on closed days are skipped rather than moved (a meeting's own posts: it is not held). */
  readonly skipClosedDays?: boolean;
}

/** How far ahead to look past closed meetings before giving up (a year of weekly meetings). */
const MAX_SKIPPED_EVENTS = 53;

/** The first run after `after`. */
export function firstRun(plan: RunPlan & { recurrence: Recurrence }, after: Date, daysOff: DaysOff): Date {
  const lead = plan.leadMs ?? 0;
  const event = nextOccurrence(plan.recurrence, new Date(after.getTime() + lead));
  return adjustRun(plan, new Date(event.getTime() - lead), daysOff);
}

/** A planned run, and when it was moved off a closed day, where from and why. */
export interface PlannedRun {
  readonly at: Date;
  readonly movedFrom?: { readonly at: Date; readonly reason: string };
}

/** The next `count` runs after `after`, each where it will really happen. */
export function plannedRuns(plan: RunPlan & { recurrence: Recurrence }, after: Date, count: number, daysOff: DaysOff): Date[] {
  return explainedRuns(plan, after, count, daysOff).map((run) => run.at);
}

/** The next `count` runs, saying which were moved off a closed day and why, for the cards. */
export function explainedRuns(plan: RunPlan & { recurrence: Recurrence }, after: Date, count: number, daysOff: DaysOff): PlannedRun[] {
  const lead = plan.leadMs ?? 0;
  const runs: PlannedRun[] = [];
  let regular = new Date(nextOccurrence(plan.recurrence, new Date(after.getTime() + lead)).getTime() - lead);
  for (let i = 0; runs.length < count && i < count * 10; i += 1) {
    const at = adjustRun(plan, regular, daysOff);
    const reason = at.getTime() === regular.getTime() ? undefined : daysOff.closure(lead > 0 ? nextOccurrence(plan.recurrence, regular) : regular, plan.timezone)?.name;
    // A moved run that lands on (or after) a later regular one is that one: list it once.
    if (runs.every((r) => r.at.getTime() !== at.getTime())) runs.push(reason ? { at, movedFrom: { at: regular, reason } } : { at });
    regular = followingRun(plan, regular);
  }
  return runs;
}

/**
 * The regular run after `run` (unadjusted). A post before an event belongs to the next event
 * after it, even when it was moved earlier, so the following run is the next event's post.
 */
export function followingRun(plan: RunPlan, run: Date): Date {
  if (!plan.recurrence) return run;
  const lead = plan.leadMs ?? 0;
  const event = lead > 0 ? nextOccurrence(plan.recurrence, run) : run;
  return new Date(nextOccurrence(plan.recurrence, event).getTime() - lead);
}

/**
 * A run moved off closed days. A post before a meeting moves earlier (it must come before the
 * meeting), and a meeting on a closed day is skipped with its post. Anything else moves to the
 * same time on the next open working day, unless the next regular run comes first.
 */
export function adjustRun(plan: RunPlan, run: Date, daysOff: DaysOff): Date {
  const lead = plan.leadMs ?? 0;
  if (plan.skipClosedDays && plan.recurrence) {
    let next = run;
    for (let i = 0; i < MAX_SKIPPED_EVENTS && daysOff.closure(next, plan.timezone); i += 1) next = followingRun(plan, next);
    return next;
  }
  if (lead > 0 && plan.recurrence) {
    let post = run;
    for (let i = 0; i < MAX_SKIPPED_EVENTS && daysOff.closure(nextOccurrence(plan.recurrence, post), plan.timezone); i += 1) {
      post = followingRun(plan, post);
    }
    return daysOff.previousOpen(post, plan.timezone);
  }
  const moved = daysOff.nextOpen(run, plan.timezone);
  if (!plan.recurrence || moved.getTime() === run.getTime()) return moved;
  const regular = followingRun(plan, run);
  return moved < regular ? moved : adjustRun(plan, regular, daysOff);
}
