import type { Logger } from "../kernel/log";
import type { Delivery } from "./delivery";
import type { Scheduler } from "./scheduler";

/** How far a tick may land from its interval, either way: instances drift apart instead of fetching the same batch together. */
export const TICK_JITTER = 0.2;
/** After a tick that did something, the next one comes this soon: more is likely waiting (a slot being enqueued, retries). */
export const BUSY_TICK_MS = 250;
/**
 * How often Indsigt's tally runs (each instance; one at a time per tenant). A page moves in steps
 * of k leaders anyway; an opt-out or a reflection shows within this, or the next step after it.
 */
export const TALLY_TICK_MS = 10 * 60_000;
/**
 * How often Til min leder's expiry runs (each instance; one at a time by its lease). A share
 * cannot be read after its expiry whatever the job does (the time decides at every request):
 * the job only ends it in storage and re-draws the reader's notice, within this.
 */
export const SHARE_EXPIRY_TICK_MS = 5 * 60_000;

/**
 * The scheduler and delivery loops in this process, each on its own: a scheduler that cannot
 * reach its schedules must not stop the delivery of what is already queued, and a long delivery
 * (a tenant's slot at 50 per second) must not hold up scheduling. A tick never overlaps the
 * previous one of its loop; a failing tick is logged and the next one tries again.
 */
export function startNudgeLoops(args: {
  scheduler: Scheduler;
  delivery: Delivery;
  tickMs: number;
  log: Logger;
  /** Once a day: prune what is no longer needed (settled outbox records). */
  daily?: () => Promise<number>;
  /** Every TALLY_TICK_MS: apply Indsigt's waiting changes to the tenants' buckets; returns how many. */
  tally?: () => Promise<number>;
  /** Every SHARE_EXPIRY_TICK_MS: end the shares past their expiry; returns how many. */
  expireShares?: () => Promise<number>;
  random?: () => number;
}): { stop: () => Promise<void> } {
  const random = args.random ?? Math.random;
  const loops = [
    ...(args.tally
      ? [
          loop(
            "Indsigt tally",
            async () => {
              const applied = await args.tally!();
              if (applied) args.log.info({ applied }, "Indsigt tally");
              return false;
            },
            TALLY_TICK_MS,
          ),
        ]
      : []),
    ...(args.expireShares
      ? [
          loop(
            "Share expiry",
            async () => {
              await args.expireShares!();
              return false;
            },
            SHARE_EXPIRY_TICK_MS,
          ),
        ]
      : []),
    loop("Scheduler", async () => {
      const enqueued = await args.scheduler.tick();
      if (enqueued) args.log.info({ enqueued }, "Scheduler tick");
      return enqueued > 0;
    }),
    loop("Delivery", async () => {
      const report = await args.delivery.tick();
      const busy = report.sent + report.retried + report.failed + report.handedOver > 0;
      if (busy) args.log.info(report, "Delivery tick");
      return busy;
    }),
  ];

  function loop(name: string, tick: () => Promise<boolean>, intervalMs = args.tickMs) {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    const schedule = (busy: boolean) => {
      if (stopped) return;
      timer = setTimeout(run, (busy ? BUSY_TICK_MS : intervalMs) * (1 - TICK_JITTER + 2 * TICK_JITTER * random()));
      timer.unref();
    };
    const run = () => {
      running = tick()
        .catch((err: unknown) => {
          args.log.error({ err }, `${name} tick failed; the next one tries again`);
          return false;
        })
        .then((busy) => {
          running = undefined;
          schedule(busy);
        });
    };
    // The first tick comes at a random point of the first interval: instances started together
    // (a deploy) spread out from the start.
    timer = setTimeout(run, intervalMs * random());
    timer.unref();
    return {
      stop: async () => {
        stopped = true;
        clearTimeout(timer);
        await running;
      },
    };
  }

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
      clearInterval(daily);
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
