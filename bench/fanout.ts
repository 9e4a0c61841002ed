/**
 * `npm run bench:fanout`: a nudge to N users (default 2,000) through the real scheduler, outbox,
 * delivery and Connector client, to a local Bot Connector simulator that enforces Teams' limits
 * (per conversation 7/1 s, 8/2 s, 60/30 s; per tenant 50 RPS) and answers 429 when they are
 * exceeded. Prints throughput against the ceiling, 429s, and messages lost or duplicated.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createAdapter } from "../src/bot/adapter";
import { ConnectorMessenger } from "../src/bot/connectorMessenger";
import { nudgeCard } from "../src/cards/views";
import { parseConfig } from "../src/config";
import { DaysOff } from "../src/domain/daysOff";
import { loadFramework } from "../src/content/loadContent";
import type { StoredConversation } from "../src/domain/conversation";
import { silentLogger } from "../src/log";
import { Delivery } from "../src/nudges/delivery";
import { Outbox } from "../src/nudges/outbox";
import { SlidingWindowLimiter, TEAMS_CONVERSATION_LIMITS, withHeadroom, type RateLimit } from "../src/nudges/rateLimiter";
import { ScheduleStore } from "../src/nudges/scheduleStore";
import { Scheduler } from "../src/nudges/scheduler";
import { projectRoot } from "../src/paths";
import { openCosmosStore } from "../src/storage/cosmosDatabase";
import { startEmbeddedCosmos } from "../src/storage/embeddedCosmos";

const USERS = Number(process.env.BENCH_USERS ?? 2000);
const TENANT_RPS = 50;
const TENANT = "11111111-1111-4111-8111-111111111111";

/** The Bot Connector as Teams runs it, as far as limits go: sliding windows, 429 with Retry-After. */
class ConnectorSimulator {
  readonly received = new Map<string, number>();
  throttled = 0;
  private readonly windows = new Map<string, number[]>();
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
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
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const conversation = decodeURIComponent(/\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? "")?.[1] ?? "unknown");
      const now = Date.now();
      const wait = Math.max(this.admit(`tenant`, [{ max: TENANT_RPS, perMs: 1_000 }], now), this.admit(conversation, TEAMS_CONVERSATION_LIMITS, now));
      if (wait > 0) {
        this.throttled += 1;
        res.writeHead(429, { "content-type": "application/json", "retry-after": String(Math.ceil(wait / 1000)) });
        res.end(JSON.stringify({ error: { code: "Throttled", message: "Too many requests" } }));
        return;
      }
      this.windows.get("tenant")!.push(now);
      this.windows.get(conversation)!.push(now);
      this.received.set(conversation, (this.received.get(conversation) ?? 0) + 1);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `activity-${now}` }));
      void Buffer.concat(chunks);
    });
  }
}

async function main(): Promise<void> {
  const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));
  const cosmos = await startEmbeddedCosmos();
  const config = parseConfig({ COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: cosmos.key, COSMOS_DATABASE: "fanout" });
  const store = await openCosmosStore(config.cosmos, silentLogger);
  const simulator = new ConnectorSimulator();
  const serviceUrl = await simulator.start();
  const schedules = new ScheduleStore([store.containers.userData]);
  const outbox = new Outbox(store.containers.outbox);
  const card = nudgeCard({ themeTitle: framework.themes[1]!.title, lastReflectedAt: "2026-11-01T10:00:00Z" });

  const now = new Date();
  for (let i = 0; i < USERS; i += 1) {
    const conversation: StoredConversation = {
      channelId: "msteams", serviceUrl, conversationId: `a:1bench-${i}`, conversationType: "personal",
      tenantId: TENANT, botId: "28:bench", userId: `29:user-${i}`, active: true, updatedAt: now.toISOString(),
    };
    await schedules.upsert({
      id: "nudge", pk: `${TENANT}|user-${i}`, type: "schedule", kind: "personal-nudge", tenantId: TENANT, active: true,
      nextRunAt: now.toISOString(), payload: { conversation },
    });
  }
  process.stdout.write(`bench:fanout — ${USERS} personal nudges, one tenant, Node ${process.version}\n`);

  const clock = () => new Date();
  const scheduler = new Scheduler(
    schedules,
    outbox,
    async (schedule) => ({ kind: "send", conversation: schedule.payload.conversation as StoredConversation, message: { attachments: [card] } }),
    // Whatever day the benchmark runs, it measures delivery, not the calendar.
    { holder: "bench", leaseMs: 120_000, graceMs: 3_600_000, batchSize: 200, clock, daysOff: DaysOff.none() },
    silentLogger,
  );
  const scheduleStart = Date.now();
  let enqueued = 0;
  for (let pass = 0; pass < 100 && enqueued < USERS; pass += 1) enqueued += await scheduler.tick();
  const scheduleSeconds = (Date.now() - scheduleStart) / 1000;

  const delivery = new Delivery(
    outbox,
    new ConnectorMessenger(createAdapter(config.bot), ""),
    // The same limiter and headroom the app uses (src/composition.ts).
    new SlidingWindowLimiter((key) => withHeadroom(key.startsWith("tenant:") ? [{ max: TENANT_RPS, perMs: 1_000 }] : TEAMS_CONVERSATION_LIMITS)),
    async () => undefined,
    { holder: "bench", leaseMs: 600_000, batchSize: 500, concurrency: 16, clock, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    silentLogger,
  );
  const deliveryStart = Date.now();
  let sent = 0;
  let failed = 0;
  for (let pass = 0; pass < 200 && sent + failed < USERS; pass += 1) {
    const report = await delivery.tick();
    sent += report.sent;
    failed += report.failed;
    if (report.sent + report.retried + report.failed === 0) await new Promise((r) => setTimeout(r, 200));
  }
  const deliverySeconds = (Date.now() - deliveryStart) / 1000;

  const delivered = [...simulator.received.values()].reduce((a, b) => a + b, 0);
  const unique = simulator.received.size;
  const rate = unique / deliverySeconds;
  process.stdout.write(`scheduled ${enqueued} in ${scheduleSeconds.toFixed(1)} s (outbox records)\n`);
  process.stdout.write(`delivered ${unique} in ${deliverySeconds.toFixed(1)} s: ${rate.toFixed(1)} msg/s = ${((100 * rate) / TENANT_RPS).toFixed(1)}% of the ${TENANT_RPS} RPS ceiling (target ≥ 90%)\n`);
  process.stdout.write(`429s received: ${simulator.throttled}\n`);
  process.stdout.write(`lost: ${USERS - unique} (must be 0)\n`);
  process.stdout.write(`duplicated: ${delivered - unique} (must be 0)\n`);
  process.stdout.write(`failed permanently: ${failed}\n`);

  await simulator.stop();
  await store.close();
  await cosmos.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
