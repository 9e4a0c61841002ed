/**
 * `npm run bench:fanout`: a slot of personal nudges through the real scheduler, outbox, tenant
 * leases, delivery and Connector client, in separate app-instance processes, to a Bot Connector
 * simulator that enforces Teams' limits (per conversation 7/1 s, 8/2 s, 60/30 s; per tenant
 * 50 RPS) and answers 429 when they are exceeded. Cosmos is the embedded server behind the
 * strict double, in a process of its own, with 5 ms per request. Prints, per scenario:
 * - 1, 2 and 4 instances, one tenant, 2,000 users: delivered rate against the ceiling, 429s,
 *   lost and duplicated;
 * - 98 tenants, 20,000 users, 4 instances: time to enqueue and to deliver, and each tenant's
 *   busiest second;
 * - a crash: SIGKILL of the instance sending, at 30%: seconds until everything has arrived;
 * - Teams slower than documented: 2 instances, one tenant, and a Connector that allows 5 per
 *   second while the bot assumes 50 (Teams throttles below its limits when it is busy): lost,
 *   duplicated and failed (all must be 0), 429s, what the delivery ticks counted, and the time.
 * BENCH_USERS scales the one-tenant scenarios, BENCH_SLOT_USERS the 98-tenant one,
 * BENCH_THROTTLED_USERS the throttled one; BENCH_PROF=<dir> writes a CPU profile of the Cosmos
 * process there, BENCH_PROF_INSTANCES=<dir> one of each instance.
 */
import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { CosmosClient } from "@azure/cosmos";
import type { StoredConversation } from "../src/domain/conversation";
import { TenantLeases } from "../src/nudges/tenantLeases";
import { TEAMS_CONVERSATION_LIMITS, type RateLimit } from "../src/nudges/rateLimiter";
import { parseConfig } from "../src/kernel/config";
import { createMissingContainers } from "../src/storage/containerDefinitions";
import { createAllIfAbsent } from "../src/storage/conditionalWrites";
import { asRoleId } from "../src/domain/ids";
import type { UserSession } from "../src/domain/session";
import { SMOKE, benchSize, failBench } from "./smoke";

const TENANT_RPS = 50;
const COSMOS_LATENCY_MS = 5;
/**
 * What a reminder may cost, everything included (claiming the schedule and moving it on, the
 * leader's count in the session and in Indsigt, the outbox record, claiming and marking it).
 * The requests are a count and fail the bench (CI runs it at its smoke size); the CPU is a time,
 * printed against its goal only: CI machines are noisy.
 */
export const FANOUT_GOALS = { requestsPerMessage: 3, instanceCpuMsPerMessage: 4 } as const;
const USERS = benchSize("BENCH_USERS", 2000, 100);
const SLOT_USERS = benchSize("BENCH_SLOT_USERS", 20_000, 300);
const SLOT_TENANTS = 98;
const THROTTLED_USERS = benchSize("BENCH_THROTTLED_USERS", 300, 40);
/** What a busy Teams allowed one tenant in issue 28, a tenth of the documented 50. */
const THROTTLED_TENANT_RPS = 5;
/** A scenario that has not delivered everything by then is stopped and reported as such. */
const DEADLINE_MS = benchSize("BENCH_DEADLINE_SECONDS", 300, 60) * 1000;
const worker = path.join(__dirname, "fanoutWorker.ts");

const tenantId = (t: number) => `${String(t).padStart(8, "0")}-1111-4111-8111-111111111111`;

/** The Bot Connector as Teams runs it, as far as limits go: sliding windows, 429 with Retry-After. */
class ConnectorSimulator {
  readonly arrivals: Array<{ at: number; tenant: string; conversation: string }> = [];
  readonly received = new Map<string, number>();
  throttled = 0;
  /** Sends per second Teams allows one tenant in this scenario. */
  tenantRps = TENANT_RPS;
  private readonly windows = new Map<string, number[]>();
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  reset(tenantRps: number): void {
    this.tenantRps = tenantRps;
    this.arrivals.length = 0;
    this.received.clear();
    this.windows.clear();
    this.throttled = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private admit(key: string, limits: readonly RateLimit[], now: number): number {
    const times = (this.windows.get(key) ?? []).filter((t) => t > now - Math.max(...limits.map((l) => l.perMs)));
    this.windows.set(key, times);
    for (const { max, perMs } of limits) {
      const inWindow = times.filter((t) => t > now - perMs);
      if (inWindow.length >= max) return inWindow[inWindow.length - max]! + perMs - now;
    }
    return 0;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const now = Date.now();
    req.resume();
    req.on("end", () => {
      const conversation = decodeURIComponent(/\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? "")?.[1] ?? "unknown");
      const tenant = /^a:1bench-(\d+)-/.exec(conversation)?.[1] ?? "unknown";
      const wait = Math.max(this.admit(`tenant:${tenant}`, [{ max: this.tenantRps, perMs: 1_000 }], now), this.admit(conversation, TEAMS_CONVERSATION_LIMITS, now));
      if (wait > 0) {
        this.throttled += 1;
        if (process.env.BENCH_DEBUG) process.stdout.write(`429 at ${now} conv ${conversation} wait ${wait}\n`);
        res.writeHead(429, { "content-type": "application/json", "retry-after": String(Math.ceil(wait / 1000)) });
        res.end(JSON.stringify({ error: { code: "Throttled", message: "Too many requests" } }));
        return;
      }
      this.windows.get(`tenant:${tenant}`)!.push(now);
      this.windows.get(conversation)!.push(now);
      this.arrivals.push({ at: now, tenant, conversation });
      this.received.set(conversation, (this.received.get(conversation) ?? 0) + 1);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `activity-${now}` }));
    });
  }
}

function start(args: string[]): Promise<{ child: ChildProcess; message: Record<string, string> }> {
  const profileDir = args[0] === "cosmos" ? process.env.BENCH_PROF : process.env.BENCH_PROF_INSTANCES;
  const child = fork(worker, args, { execArgv: ["--import", "tsx", ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [])], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (message) => resolve({ child, message: message as Record<string, string> }));
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code} before it was ready`)));
  });
}

async function stopInstance(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.send({ stop: true });
  // unref: a stopped instance must not keep the bench alive for the rest of this minute.
  await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000).unref())]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The busiest second of each tenant: the most arrivals in any 1,000 ms. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j += 1) {
    while (sorted[j]! - sorted[i]! >= 1_000) i += 1;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

interface Scenario {
  readonly name: string;
  readonly tenants: number;
  readonly users: number;
  readonly instances: number;
  readonly crashAt?: number;
  /** Teams allows the tenant fewer sends per second than the bot assumes (its RATE_LIMIT_TENANT_RPS, 50). */
  readonly connectorTenantRps?: number;
}

/** What the instances' delivery ticks said they did, added up (the numbers the "Delivery tick" log lines carry). */
interface TickCounts {
  sent: number;
  retried: number;
  failed: number;
}

/** What a process has done so far: Cosmos requests served (the Cosmos process) and CPU time used. */
interface Work {
  readonly requests?: number;
  readonly cpuMs: number;
  /** The most memory the process has held so far (resident set size), in MB. */
  readonly peakRssMb?: number;
  /** The Cosmos process: its requests by kind (see StrictCosmos.requestsByKind). */
  readonly byKind?: Readonly<Record<string, number>>;
}

/** Asks a worker how much it has done (it answers over IPC). */
function workOf(child: ChildProcess): Promise<Work> {
  return new Promise((resolve) => {
    const answer = (message: { work?: Work }) => {
      if (!message.work) return;
      child.off("message", answer);
      resolve(message.work);
    };
    child.on("message", answer);
    child.send({ work: true });
  });
}

async function run(scenario: Scenario, cosmos: { endpoint: string; key: string; process: ChildProcess }, simulator: ConnectorSimulator, serviceUrl: string, index: number): Promise<void> {
  simulator.reset(scenario.connectorTenantRps ?? TENANT_RPS);
  const database = `fanout-${index}`;
  const client = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
  const { database: db } = await client.databases.createIfNotExists({ id: database });
  // As the Bicep would: the containers from infra/containers.json, named as the app names them.
  const names = parseConfig({ COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: cosmos.key, COSMOS_DATABASE: database }).cosmos.containers;
  await createMissingContainers(db, names);
  const userData = db.container(names.userData);
  const outbox = db.container(names.outbox);

  // The slot is due from the start; the instances' loops start together once all are up. Each
  // leader has a session (their conversation, role and reminder settings) and a weekly reminder,
  // composed by the app's own composer: the card, the count in the session and in Indsigt.
  const now = new Date().toISOString();
  const documents: Array<{ document: { id: string }; partitionKey: string }> = [];
  const perTenant = Math.ceil(scenario.users / scenario.tenants);
  for (let t = 0; t < scenario.tenants; t += 1) {
    for (let u = 0; u < perTenant && t * perTenant + u < scenario.users; u += 1) {
      const pk = `${tenantId(t)}|user-${u}`;
      const conversation: StoredConversation = {
        channelId: "msteams", serviceUrl, conversationId: `a:1bench-${t}-${u}`, conversationType: "personal",
        tenantId: tenantId(t), botId: "28:bench", userId: `29:user-${u}`, active: true, updatedAt: now,
      };
      const nudges = { frequency: "weekly" as const, weekday: 2, time: "09:00" };
      const session: UserSession = { profile: { lastReflectedAt: { drift: "2026-11-03T10:00:00.000Z" }, roleId: asRoleId("leder-af-leder"), timezone: "Europe/Copenhagen", nudges }, conversation };
      documents.push({ document: { id: "session", pk, type: "session", session, updatedAt: now } as { id: string }, partitionKey: pk });
      // `anyHour`: whatever the hour the bench runs, it measures the slot, not the working day.
      documents.push({
        document: { id: "nudge", pk, type: "schedule", kind: "personal-nudge", tenantId: tenantId(t), active: true, nextRunAt: now, recurrence: { ...nudges, timezone: "Europe/Copenhagen" }, payload: { anyHour: true } } as { id: string },
        partitionKey: pk,
      });
    }
  }
  for (let i = 0; i < documents.length; i += 400) await Promise.all([0, 100, 200, 300].map((k) => createAllIfAbsent(userData, documents.slice(i + k, i + k + 100))));

  const instances = await Promise.all(Array.from({ length: scenario.instances }, (_, i) => start(["instance", cosmos.endpoint, cosmos.key, database, `instance-${i}`])));
  let enqueuedAt: number | undefined;
  let enqueued = 0;
  const ticks: TickCounts = { sent: 0, retried: 0, failed: 0 };
  for (const instance of instances) {
    instance.child.on("message", (message: { enqueued?: number; delivered?: TickCounts }) => {
      if (message.delivered) for (const key of ["sent", "retried", "failed"] as const) ticks[key] += message.delivered[key];
      enqueued += message.enqueued ?? 0;
      if (enqueuedAt === undefined && enqueued >= scenario.users) enqueuedAt = Date.now();
    });
  }
  const cosmosBefore = await workOf(cosmos.process);
  const t0 = Date.now();
  const benchCpuBefore = process.cpuUsage();
  for (const instance of instances) instance.child.send({ go: true });

  let killedAt: number | undefined;
  let killed: string | undefined;
  const deadline = Date.now() + DEADLINE_MS;
  while (simulator.received.size < scenario.users && Date.now() < deadline) {
    await sleep(250);
    if (scenario.crashAt !== undefined && killedAt === undefined && simulator.received.size >= scenario.crashAt * scenario.users) {
      const leaseId = TenantLeases.idOf(tenantId(0));
      const { resource: lease } = await outbox.item(leaseId, leaseId).read<{ holder: string }>();
      const victim = instances.find((_, i) => `instance-${i}` === lease?.holder) ?? instances[0]!;
      victim.child.kill("SIGKILL");
      killedAt = Date.now();
      killed = lease?.holder;
    }
  }
  const finished = Date.now();
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const cosmosAfter = await workOf(cosmos.process);
  const instanceWork = await Promise.all(instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null).map((i) => workOf(i.child)));
  await Promise.all(instances.map((i) => stopInstance(i.child)));
  // Once the instances have stopped (their last marks written): every record settled as sent,
  // none given up after its retries, none left behind.
  const { resources: notSentRecords } = await outbox.items.query<{ status: string }>("SELECT c.status FROM c WHERE IS_DEFINED(c.status) AND c.status != 'sent'").fetchAll();
  client.dispose();

  if (process.env.BENCH_DEBUG) { const ts = simulator.arrivals.map((a) => a.at).sort((a, b) => a - b); for (let i = 1; i < ts.length; i += 1) if (ts[i]! - ts[i - 1]! > 150) process.stdout.write(`gap ${ts[i]! - ts[i - 1]!} ms at ${ts[i - 1]} (#${i})\n`); }
  if (process.env.BENCH_DEBUG) { const ts = simulator.arrivals.map((a) => a.at); const f = Math.min(...ts); const h: number[] = []; for (const t of ts) { const k = Math.floor((t - f) / 1000); h[k] = (h[k] ?? 0) + 1; } process.stdout.write(`per second: ${[...h].map((x) => x ?? 0).join(" ")}\n`); }
  const unique = simulator.received.size;
  const delivered = [...simulator.received.values()].reduce((a, b) => a + b, 0);
  const times = simulator.arrivals.map((a) => a.at);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const lines = [`\n${scenario.name}`];
  const ceiling = scenario.connectorTenantRps ?? TENANT_RPS;
  if (scenario.connectorTenantRps !== undefined) {
    // Teams is slower than the bot's limits: what counts is that nothing is lost, and how long it took.
    lines.push(`  ${unique} of ${scenario.users} delivered ${((last - t0) / 1000).toFixed(1)} s after the instances started; Teams' ${ceiling} per second allows ${(scenario.users / ceiling).toFixed(1)} s at best (${((100 * scenario.users) / ceiling / ((last - first) / 1000)).toFixed(0)}% of it from first to last arrival)`);
  } else if (scenario.tenants === 1 && scenario.crashAt === undefined) {
    // The delivered rate is messages over the time from first to last arrival. A sliding window
    // of 50 per second lets the first 50 go at once, so the best possible is a little over 50:
    // (N - 50) / 50 s from first to last. Both shares are printed; the stricter one is the second.
    const took = (last - first) / 1000;
    const rate = unique / took;
    const best = (simulator.arrivals.length - TENANT_RPS) / TENANT_RPS;
    lines.push(`  delivered rate: ${rate.toFixed(1)} msg/s over ${took.toFixed(1)} s = ${((100 * rate) / TENANT_RPS).toFixed(1)}% of the ${TENANT_RPS} RPS ceiling (target ≥ 98%); ${((100 * best) / took).toFixed(1)}% of the fastest a sliding window allows (${best.toFixed(1)} s)`);
  } else if (scenario.tenants > 1) {
    const ceilingSeconds = scenario.users / (scenario.tenants * TENANT_RPS);
    lines.push(`  enqueued all ${scenario.users} ${enqueuedAt ? ((enqueuedAt - t0) / 1000).toFixed(1) : "?"} s after the instances started; Teams' limits let them go out in ${ceilingSeconds.toFixed(1)} s at best`);
    lines.push(`  all delivered ${((last - t0) / 1000).toFixed(1)} s after the instances started (first arrival after ${((first - t0) / 1000).toFixed(1)} s, the first tick; ${((last - first) / 1000).toFixed(1)} s from first to last; goal for 20,000 on a 2-core machine: 60 s, a time: printed, not checked; load average now ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})`);
    const byTenant = new Map<string, number[]>();
    for (const a of simulator.arrivals) byTenant.set(a.tenant, [...(byTenant.get(a.tenant) ?? []), a.at]);
    const busiest = Math.max(...[...byTenant.values()].map(busiestSecond));
    lines.push(`  busiest second of any tenant: ${busiest} messages (ceiling ${TENANT_RPS}); tenants over their ceiling: ${[...byTenant.values()].filter((t) => busiestSecond(t) > TENANT_RPS).length}`);
  }
  if (killedAt !== undefined) lines.push(`  killed ${killed} (SIGKILL) at ${Math.round((100 * (simulator.arrivals.filter((a) => a.at <= killedAt!).length)) / scenario.users)}%: everything arrived ${((last - killedAt) / 1000).toFixed(1)} s later (target ≤ 60 s)`);
  if (scenario.connectorTenantRps !== undefined) {
    lines.push(`  429s: ${simulator.throttled} (${(simulator.throttled / scenario.users).toFixed(2)} per message; each is retried after its Retry-After and slows the tenant)`);
  } else {
    lines.push(`  429s: ${simulator.throttled} = ${((100 * simulator.throttled) / scenario.users).toFixed(2)}% of messages (target ≤ 1%)`);
  }
  lines.push(`  lost: ${scenario.users - unique} (must be 0)`);
  if (unique < scenario.users) failBench(`${scenario.name}: ${scenario.users - unique} lost`);
  if (killedAt === undefined && delivered > unique) failBench(`${scenario.name}: ${delivered - unique} duplicated`);
  lines.push(`  duplicated: ${delivered - unique} (${killedAt !== undefined ? "only messages in flight at the crash" : "must be 0"})`);
  const notSent = ["pending", "failed"].map((status) => [status, notSentRecords.filter((r) => r.status === status).length] as const).filter(([, n]) => n > 0).map(([status, n]) => `${n} ${status}`).join(", ");
  lines.push(`  outbox records not sent: ${notSent || "none"} (${killedAt !== undefined ? "a message sent but not marked at the crash waits for its lease" : "must be none"})`);
  if (killedAt === undefined) {
    if (notSent) failBench(`${scenario.name}: outbox records not sent: ${notSent}`);
    // The ticks' own counts must say what the Connector saw: every message sent once, every 429 retried.
    lines.push(`  delivery ticks counted: sent ${ticks.sent}, retried ${ticks.retried}, failed ${ticks.failed} (the Connector saw ${delivered} delivered, ${simulator.throttled} throttled)`);
    if (ticks.sent !== delivered || ticks.failed !== 0 || ticks.retried < simulator.throttled) failBench(`${scenario.name}: the delivery ticks counted sent ${ticks.sent}, retried ${ticks.retried}, failed ${ticks.failed} for ${delivered} delivered and ${simulator.throttled} throttled`);
  }
  // Where the time went: on a small machine the Cosmos process (one thread) is usually what bounds a big slot.
  const requests = (cosmosAfter.requests ?? 0) - (cosmosBefore.requests ?? 0);
  const instanceCpu = instanceWork.reduce((sum, w) => sum + w.cpuMs, 0);
  // What each request was for, per message: the table of a reminder's requests in docs/development.md comes from here.
  const byKind = Object.entries(cosmosAfter.byKind ?? {})
    .map(([kind, n]) => [kind, n - (cosmosBefore.byKind?.[kind] ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  lines.push(`  Cosmos requests per message, by kind:`);
  for (const [kind, n] of byKind) lines.push(`    ${(n / Math.max(1, unique)).toFixed(3).padStart(7)}  ${kind} (${n})`);
  const perMessage = requests / Math.max(1, unique);
  const cpuPerMessage = instanceCpu / Math.max(1, unique);
  // A crash's and a throttled Teams' retries are theirs to cost; every other scenario is held to the goal.
  if (killedAt === undefined && scenario.connectorTenantRps === undefined && perMessage > FANOUT_GOALS.requestsPerMessage) failBench(`${scenario.name}: ${perMessage.toFixed(2)} Cosmos requests per message (goal ≤ ${FANOUT_GOALS.requestsPerMessage})`);
  lines.push(`  goals: ≤ ${FANOUT_GOALS.requestsPerMessage} Cosmos requests per message (${perMessage.toFixed(2)}), ≤ ${FANOUT_GOALS.instanceCpuMsPerMessage} ms of instance CPU per message (${cpuPerMessage.toFixed(2)}, a time: printed, not checked)`);
  const cosmosCpu = cosmosAfter.cpuMs - cosmosBefore.cpuMs;
  lines.push(`  Cosmos: ${requests} requests (${(requests / Math.max(1, unique)).toFixed(2)} per message), its process busy ${((100 * cosmosCpu) / (finished - t0)).toFixed(0)}% of one core, ${(cosmosCpu / 1000).toFixed(1)} CPU-seconds (${(cosmosCpu / Math.max(1, requests)).toFixed(2)} ms per request); the ${instanceWork.length === scenario.instances ? "" : "surviving "}instances used ${(instanceCpu / 1000).toFixed(1)} CPU-seconds (${(instanceCpu / Math.max(1, unique)).toFixed(2)} ms per message)`);
  const rss = instanceWork.map((w) => w.peakRssMb ?? 0);
  lines.push(`  memory: peak resident set of each instance ${Math.min(...rss).toFixed(0)}–${Math.max(...rss).toFixed(0)} MB, of the Cosmos process (every document of every scenario so far) ${(cosmosAfter.peakRssMb ?? 0).toFixed(0)} MB`);
  // Every process of the bench shares this machine's cores: their CPU-seconds over the cores is
  // the least the slot can take here, however quiet the machine (the Cosmos process, one thread, also no less than its own).
  const allCpu = instanceCpu + cosmosCpu + (benchCpu.user + benchCpu.system) / 1000;
  lines.push(`  all the bench's processes: ${(allCpu / 1000).toFixed(1)} CPU-seconds (the Connector simulator ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)}); on ${os.cpus().length} cores the slot cannot take less than ${(Math.max(allCpu / os.cpus().length, cosmosCpu) / 1000).toFixed(1)} s here`);
  if (finished >= deadline) lines.push(`  STOPPED at the deadline (${DEADLINE_MS / 1000} s, BENCH_DEADLINE_SECONDS): ${unique} of ${scenario.users} delivered by then`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

async function main(): Promise<void> {
  process.stdout.write(`bench:fanout — Node ${process.version}, Cosmos latency ${COSMOS_LATENCY_MS} ms per request, app tick ${process.env.BENCH_TICK_MS ?? "as configured"}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}\n`);
  const { child: cosmosProcess, message } = await start(["cosmos", String(COSMOS_LATENCY_MS)]);
  const cosmos = { endpoint: message.endpoint!, key: message.key!, process: cosmosProcess };
  const simulator = new ConnectorSimulator();
  const serviceUrl = await simulator.start();
  // The smoke size runs one single-tenant, the many-tenant and the throttled scenario: the others add minutes, not coverage.
  const only = process.env.BENCH_ONLY ?? (SMOKE ? "1,4,6" : undefined);
  const scenarios: Scenario[] = [
    { name: `1 instance, one tenant, ${USERS} users`, tenants: 1, users: USERS, instances: 1 },
    { name: `2 instances, one tenant, ${USERS} users`, tenants: 1, users: USERS, instances: 2 },
    { name: `4 instances, one tenant, ${USERS} users`, tenants: 1, users: USERS, instances: 4 },
    { name: `4 instances, ${SLOT_TENANTS} tenants, ${SLOT_USERS} users`, tenants: SLOT_TENANTS, users: SLOT_USERS, instances: 4 },
    { name: `crash: 2 instances, one tenant, ${USERS} users, SIGKILL of the sender at 30%`, tenants: 1, users: USERS, instances: 2, crashAt: 0.3 },
    {
      name: `throttled: 2 instances, one tenant, ${THROTTLED_USERS} users; Teams allows ${THROTTLED_TENANT_RPS} per second, the bot assumes ${TENANT_RPS}`,
      tenants: 1, users: THROTTLED_USERS, instances: 2, connectorTenantRps: THROTTLED_TENANT_RPS,
    },
  ];
  try {
    for (const [i, scenario] of scenarios.entries()) if (!only || only.split(",").includes(String(i + 1))) await run(scenario, cosmos, simulator, serviceUrl, i);
  } finally {
    await simulator.stop();
    cosmosProcess.kill();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
