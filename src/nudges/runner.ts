import type { Logger } from "../log";
import type { Delivery } from "./delivery";
import type { Scheduler } from "./scheduler";

/**
 * The scheduler and delivery loops in this process. A tick never overlaps the previous one;
 * a failing tick is logged and the next one tries again.
 */
export function startNudgeLoops(args: {
  scheduler: Scheduler;
  delivery: Delivery;
  tickMs: number;
  log: Logger;
  /** Once a day: prune what is no longer needed (settled outbox records). */
  daily?: () => Promise<number>;
}): { stop: () => Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = (async () => {
      try {
        const enqueued = await args.scheduler.tick();
        const report = await args.delivery.tick();
        if (enqueued || report.sent || report.retried || report.failed) args.log.info({ enqueued, ...report }, "Nudge tick");
      } catch (err) {
        args.log.error({ err }, "Nudge tick failed");
      } finally {
        running = undefined;
      }
    })();
  };
  const timer = setInterval(tick, args.tickMs);
  timer.unref();
  const prune = () =>
    void args.daily?.().then(
      (deleted) => args.log.info({ deleted }, "Pruned settled outbox records"),
      (err: unknown) => args.log.error({ err }, "Outbox pruning failed"),
    );
  const daily = setInterval(prune, 86_400_000);
  daily.unref();
  args.log.info({ tickMs: args.tickMs }, "Scheduler started");
  return {
    stop: async () => {
      clearInterval(timer);
      clearInterval(daily);
      await running;
    },
  };
}
