import type { Logger } from "../kernel/log";
import type { ReflectionRepository } from "../storage/reflections";

const DAY_MS = 86_400_000;

/**
 * RETENTION_DAYS: once at start and then daily, deletes reflections older than that. The
 * embedded server ignores Cosmos TTL, so this job is the rule; TTL in Azure may back it up.
 * Safe on several instances: a reflection deleted twice is just not found the second time.
 */
export function startRetentionJob(args: {
  readonly retentionDays: number;
  readonly reflections: Pick<ReflectionRepository, "deleteCompletedBefore">;
  readonly log: Logger;
  readonly clock?: () => Date;
}): { readonly runOnce: () => Promise<number>; readonly stop: () => void } {
  const clock = args.clock ?? (() => new Date());
  const runOnce = async (): Promise<number> => {
    const cutoff = new Date(clock().getTime() - args.retentionDays * DAY_MS);
    const deleted = await args.reflections.deleteCompletedBefore(cutoff);
    // Counts only: never which user or what they wrote.
    args.log.info({ retentionDays: args.retentionDays, cutoff: cutoff.toISOString(), deleted }, "Retention job ran");
    return deleted;
  };
  const run = () => void runOnce().catch((err: unknown) => args.log.error({ err }, "Retention job failed"));
  const first = setTimeout(run, 5_000);
  const daily = setInterval(run, DAY_MS);
  first.unref();
  daily.unref();
  return {
    runOnce,
    stop: () => {
      clearTimeout(first);
      clearInterval(daily);
    },
  };
}
