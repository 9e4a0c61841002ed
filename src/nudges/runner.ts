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
      // Each half on its own: a scheduler that cannot reach its schedules must not stop the
      // delivery of what is already queued, and the other way round.
      let enqueued = 0;
      try {
        enqueued = await args.scheduler.tick();
      } catch (err) {
        args.log.error({ err }, "Scheduler tick failed; delivery goes on");
      }
      try {
        const report = await args.delivery.tick();
        if (enqueued || report.sent || report.retried || report.failed) args.log.info({ enqueued, ...report }, "Nudge tick");
      } catch (err) {
        args.log.error({ err }, "Delivery tick failed");
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
