/**
 * `npm run bench:memory`: what the production process holds. It builds nothing itself (the npm
 * script compiles first) and runs `npm run start:prod`'s command with its Node flags, as App
 * Service does, against an external
 * Cosmos (the embedded server in a process of its own, as an Azure account would be), then prints
 * - its RSS idle, once the loops have ticked;
 * - its RSS after 1,000 users' first turns through /api/messages (each gets the welcome card);
 * - what each large dependency costs at start-up, loaded alone into a bare Node process.
 * The bot runs without an app id (no tokens to forge here), which changes no code it loads.
 */
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { projectRoot } from "../src/kernel/paths";
import { benchSize, failBench } from "./smoke";

const USERS = benchSize("BENCH_MEMORY_USERS", 1000, 100);
const TARGET_IDLE_MB = 130;
const TARGET_AFTER_MB = 160;
/**
 * How long the process is left alone before a reading: long enough for start-up garbage to be
 * collected, the first scheduler tick to pass, and V8's memory reducer to give back a heap that
 * grew under load (it acts after some seconds of idleness; at 8 s one run in three still held
 * about 200 MB after the turns, at 20 s none did). The reading right after the turns is printed too.
 */
const SETTLE_MS = benchSize("BENCH_MEMORY_SETTLE_MS", 20_000, 3000);
const CONCURRENCY = 16;

/** Each large dependency as the production process loads it (a module path), or says why it does not. */
const DEPENDENCIES: ReadonlyArray<readonly [string, string]> = [
  ["botbuilder", "loaded"],
  ["botbuilder-dialogs/lib/componentDialog", "loaded (src/dialogs/sdk.ts: not the index)"],
  ["botbuilder-dialogs", "not loaded: its index adds Microsoft's text recognizers"],
  ["@azure/cosmos", "loaded"],
  ["restify", "loaded"],
  ["adaptivecards-templating", "not loaded, a devDependency with its peer adaptive-expressions: src/cards/cardTemplate.ts compiles the card templates (the tests compare every card with this)"],
  ["@sinclair/typebox", "loaded (the settings schema)"],
  ["ajv", "loaded"],
  ["pino", "loaded"],
  ["croner", "loaded"],
  ["@azure/identity", "loaded only with COSMOS_AUTH=managed-identity"],
  ["@vercel/cosmosdb-server", "loaded only without COSMOS_ENDPOINT (local)"],
  ["date-holidays", "not loaded: a table made from it (npm run holidays)"],
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => bytes / 1024 / 1024;

/** Resident set size of a process, from /proc (Linux), in bytes. */
function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb * 1024;
}

/** Teams' Connector, as far as the bot's replies need one: accepts every send. */
function startConnector(): Promise<{ url: string; received: () => number; close: () => void }> {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received += 1;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: randomUUID() }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received: () => received, close: () => (server.closeAllConnections(), server.close()) }),
    ),
  );
}

function startCosmos(): Promise<{ child: ChildProcess; endpoint: string; key: string }> {
  const child = fork(path.join(__dirname, "fanoutWorker.ts"), ["cosmos", "0"], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (m: { endpoint: string; key: string }) => resolve({ child, endpoint: m.endpoint, key: m.key }));
    child.once("exit", (code) => reject(new Error(`the Cosmos process exited with ${code}`)));
  });
}

function post(port: number, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request({ host: "127.0.0.1", port, path: "/api/messages", method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(data);
  });
}

async function waitForReady(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}`);
    const status = await new Promise<number>((resolve) => {
      http.get({ host: "127.0.0.1", port, path: "/readyz" }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on("error", () => resolve(0));
    });
    if (status === 200) return;
    await sleep(100);
  }
  throw new Error("the bot was not ready within 30 s");
}

function firstTurn(user: number, serviceUrl: string): Record<string, unknown> {
  const aad = `00000000-0000-4000-8000-${String(user).padStart(12, "0")}`;
  const tenant = "11111111-1111-4111-8111-111111111111";
  return {
    type: "message",
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: "msteams",
    serviceUrl,
    from: { id: `29:${aad}`, aadObjectId: aad, name: `Leder ${user}` },
    conversation: { id: `a:1bench-${user}`, conversationType: "personal", tenantId: tenant },
    recipient: { id: "28:bot", name: "Lederrefleksion" },
    channelData: { tenant: { id: tenant } },
    locale: "da-DK",
    text: "hej",
  };
}

/** The Node flags of `npm run start:prod` ("node <flags> dist/index.js"), which App Service runs. */
function productionNodeFlags(): string[] {
  const script = (JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["start:prod"] ?? "";
  const words = script.trim().split(/\s+/);
  if (words[0] !== "node" || words.at(-1) !== "dist/index.js") throw new Error(`start:prod is "${script}": expected "node [flags] dist/index.js"`);
  return words.slice(1, -1);
}

/** Extra RSS of a bare Node process that has loaded one package, over one that loaded nothing. */
function dependencyCosts(): Array<[string, string, number]> {
  const measure = (module: string | undefined) => {
    const script = `${module ? `require(${JSON.stringify(module)});` : ""} setTimeout(() => { globalThis.gc?.(); process.stdout.write(String(process.memoryUsage().rss)); }, 200);`;
    return Number(execFileSync(process.execPath, ["--expose-gc", "-e", script], { cwd: projectRoot, encoding: "utf8" }));
  };
  const bare = measure(undefined);
  return DEPENDENCIES.map(([module, note]) => [module, note, measure(module) - bare]);
}

async function main(): Promise<void> {
  const entry = path.join(projectRoot, "dist", "index.js");
  if (!fs.existsSync(entry)) throw new Error("dist/index.js is missing: npm run bench:memory compiles first");
  process.stdout.write(`bench:memory — Node ${process.version}, ${USERS} users, the compiled bot (dist/index.js) with an external Cosmos\n`);
  const cosmos = await startCosmos();
  const connector = await startConnector();
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  const flags = productionNodeFlags();
  process.stdout.write(`  as production runs it: node ${[...flags, "dist/index.js"].join(" ")}${process.env.BENCH_NODE_OPTIONS ? ` with NODE_OPTIONS=${process.env.BENCH_NODE_OPTIONS}` : ""}\n`);
  const bot = spawn(process.execPath, [...flags, entry], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      LOG_LEVEL: "warn",
      COSMOS_ENDPOINT: cosmos.endpoint,
      COSMOS_KEY: cosmos.key,
      COSMOS_DATABASE: `memory-${randomUUID()}`,
      // Stands in for the Bicep, which creates the containers of a real account.
      COSMOS_CREATE_MISSING: "true",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitForReady(port, bot);
    await sleep(SETTLE_MS);
    const idle = rssOf(bot.pid!);

    let next = 0;
    let refused = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < USERS) {
          const user = next++;
          if ((await post(port, firstTurn(user, connector.url))) >= 400) refused += 1;
        }
      }),
    );
    await sleep(1000);
    const justAfter = rssOf(bot.pid!);
    await sleep(SETTLE_MS);
    const after = rssOf(bot.pid!);
    if (refused > 0) failBench(`${refused} of ${USERS} turns were refused`);
    if (connector.received() < USERS) failBench(`only ${connector.received()} of ${USERS} users got an answer`);

    const verdict = (value: number, target: number) => (mb(value) < target ? `under the ${target} MB target` : `OVER the ${target} MB target`);
    process.stdout.write(`\nRSS of the production process\n`);
    process.stdout.write(`  idle, ${SETTLE_MS / 1000} s after /readyz:     ${mb(idle).toFixed(1).padStart(6)} MB (${verdict(idle, TARGET_IDLE_MB)})\n`);
    process.stdout.write(`  after ${USERS} users' first turns: ${mb(after).toFixed(1).padStart(6)} MB (${verdict(after, TARGET_AFTER_MB)}); ${connector.received()} replies sent\n`);
    process.stdout.write(`  (1 s after the last turn, before V8 gave memory back: ${mb(justAfter).toFixed(1)} MB)\n`);
  } finally {
    bot.kill("SIGTERM");
    cosmos.child.kill("SIGTERM");
    connector.close();
  }

  process.stdout.write(`\nWhat each large dependency adds to a bare Node process at start-up (RSS)\n`);
  process.stdout.write(`  (alone, so shared parts count in each: the rows do not add up to the process)\n`);
  for (const [name, note, bytes] of dependencyCosts().sort((a, b) => b[2] - a[2])) {
    process.stdout.write(`  ${name.padEnd(40)} ${mb(bytes).toFixed(1).padStart(6)} MB  ${note}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
