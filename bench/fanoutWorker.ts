/**
 * The processes of `npm run bench:fanout` other than the Connector simulator:
 * - `cosmos <latency ms>`: the embedded Cosmos server behind the strict double, with a latency per request;
 * - `instance <cosmos endpoint> <holder>`: one app instance's scheduler and delivery loops, with
 *   the app's own settings (leases, batch sizes, concurrency, limits with headroom, tick).
 * Each tells the parent over IPC when it is ready.
 */
import path from "node:path";
import { createAdapter, installTurnErrorHandler } from "../src/bot/adapter";
import { ConnectorMessenger } from "../src/bot/connectorMessenger";
import { parseConfig } from "../src/kernel/config";
import { loadFramework } from "../src/content/loadContent";
import { DaysOff } from "../src/domain/daysOff";
import { silentLogger } from "../src/kernel/log";
import { Delivery, DELIVERY_SETTINGS } from "../src/nudges/delivery";
import { SCHEDULE_LEASE_MS } from "../src/nudges/leases";
import { Outbox } from "../src/nudges/outbox";
import { SlidingWindowLimiter, TEAMS_CONVERSATION_LIMITS, withHeadroom } from "../src/nudges/rateLimiter";
import { startNudgeLoops } from "../src/nudges/runner";
import { ScheduleStore } from "../src/nudges/scheduleStore";
import { Scheduler, SCHEDULER_SETTINGS } from "../src/nudges/scheduler";
import { TENANT_LEASE_MS, TENANT_SEND_MARGIN_MS, TenantLeases } from "../src/nudges/tenantLeases";
import { projectRoot } from "../src/kernel/paths";
import { openCosmosStore } from "../src/storage/cosmosDatabase";
import { startEmbeddedCosmos } from "../src/storage/embeddedCosmos";
import { PersonalNudges } from "../src/reminders/personalReminders";
import { ReflectionRepository } from "../src/storage/reflections";
import { UserSessionStore } from "../src/storage/userSessions";
import { StrictCosmos } from "../test/support/strictCosmos";

async function cosmos(latencyMs: number): Promise<void> {
  const embedded = await startEmbeddedCosmos();
  const strict = new StrictCosmos(embedded, { seed: 1 });
  strict.latencyMs = () => latencyMs;
  await strict.start();
  process.send!({ ready: true, endpoint: strict.endpoint, key: embedded.key });
  process.on("message", (message: { work?: boolean }) => {
    if (message.work) process.send!({ work: { requests: strict.requests, cpuMs: cpuMs(), peakRssMb: peakRssMb(), byKind: Object.fromEntries(strict.requestsByKind) } });
  });
  // An orderly exit, so that a --cpu-prof profile (BENCH_PROF) gets written.
  process.on("SIGTERM", () => process.exit(0));
}

async function instance(endpoint: string, key: string, database: string, holder: string): Promise<void> {
  const config = parseConfig({ COSMOS_ENDPOINT: endpoint, COSMOS_KEY: key, COSMOS_DATABASE: database, COSMOS_CREATE_MISSING: "true", ...(process.env.INSIGHT_CONSENT ? { INSIGHT_CONSENT: process.env.INSIGHT_CONSENT } : {}) });
  const store = await openCosmosStore(config.cosmos, silentLogger);
  const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));
  const clock = () => new Date();
  const schedules = new ScheduleStore([store.containers.userData]);
  const outbox = new Outbox(store.containers.outbox);
  // The app's own composer for a leader's reminders, as src/composition.ts wires it.
  const personalNudges = new PersonalNudges({
    framework, schedules, sessions: new UserSessionStore(store.containers.userData), reflections: new ReflectionRepository(store.containers.userData),
    clock, daysOff: DaysOff.none(), insightConsent: config.nudges.insightConsent, log: silentLogger,
  });
  // The same limits and headroom as src/composition.ts.
  const tenantLimits = withHeadroom([{ max: config.nudges.tenantRps, perMs: 1_000 }]);
  const conversationLimits = withHeadroom(TEAMS_CONVERSATION_LIMITS);
  const scheduler = new Scheduler(
    schedules,
    outbox,
    (schedule, runAt, sessions) => personalNudges.compose(schedule, runAt, sessions),
    // Whatever day the benchmark runs, it measures delivery, not the calendar.
    { holder, leaseMs: SCHEDULE_LEASE_MS, graceMs: config.nudges.graceMs, ...SCHEDULER_SETTINGS, clock, daysOff: DaysOff.none() },
    silentLogger,
    (due) => personalNudges.sessionsOf(due),
  );
  // The adapter as the app has it, with its turn error handler: a proactive failure must reach
  // the delivery whatever the handler does (there are no users' dialogs here to reset).
  const adapter = createAdapter(config.bot);
  installTurnErrorHandler(adapter, async () => undefined, silentLogger);
  const delivery = new Delivery(
    outbox,
    new ConnectorMessenger(adapter, ""),
    new SlidingWindowLimiter((k) => (k.startsWith("tenant:") ? tenantLimits : conversationLimits)),
    new TenantLeases(store.containers.outbox, { holder, leaseMs: TENANT_LEASE_MS, sendMarginMs: TENANT_SEND_MARGIN_MS, clock }),
    async () => undefined,
    { holder, ...DELIVERY_SETTINGS, clock, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    silentLogger,
  );
  // Each tick's count goes to the parent, which adds them up: how long enqueueing took, without
  // a COUNT query scanning the outbox every 250 ms in the Cosmos process it measures.
  const tick = scheduler.tick.bind(scheduler);
  scheduler.tick = async () => {
    const enqueued = await tick();
    if (enqueued > 0) process.send!({ enqueued });
    return enqueued;
  };
  // And each delivery tick's counts, which the parent holds against what the Connector saw.
  const deliver = delivery.tick.bind(delivery);
  delivery.tick = async () => {
    const report = await deliver();
    process.send!({ delivered: report });
    return report;
  };
  let loops: { stop(): Promise<void> } | undefined;
  let cpuAtGo = 0;
  process.send!({ ready: true });
  process.on("message", (message: { go?: boolean; stop?: boolean; work?: boolean }) => {
    // "go" is the moment the slot is due for this instance: its loops start as after a deploy.
    if (message.go) cpuAtGo = cpuMs();
    if (message.go) loops = startNudgeLoops({ scheduler, delivery, tickMs: config.nudges.tickMs, log: silentLogger });
    if (message.work) process.send!({ work: { cpuMs: cpuMs() - cpuAtGo, peakRssMb: peakRssMb() } });
    if (message.stop) void (loops?.stop() ?? Promise.resolve()).then(() => store.close()).then(() => process.exit(0));
  });
}

/** CPU time this process has used, user and system, in ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The most memory this process has held (resident set size), in MB. */
function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

const [role, ...args] = process.argv.slice(2);
const started = role === "cosmos" ? cosmos(Number(args[0])) : instance(args[0]!, args[1]!, args[2]!, args[3]!);
started.catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
