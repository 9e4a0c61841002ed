import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { startEmbeddedCosmos, type EmbeddedCosmos } from "../../src/storage/embeddedCosmos";
import { StrictCosmos } from "./strictCosmos";
import { compareEveryRender, takeRenderDifferences } from "./referenceCards";

/**
 * One Cosmos-protocol server for the whole run, on loopback, behind the strict double that
 * behaves as Azure Cosmos DB does where the embedded server doesn't (partition-scoped queries,
 * 2 MB, quoted ETags, TTL, short and empty pages). Tests isolate themselves by using a database
 * of their own (see testConfig), not by mocking storage. STRICT_COSMOS_SEED replays a run's
 * page shapes.
 */
let embedded: EmbeddedCosmos | undefined;
let strict: StrictCosmos | undefined;
let refusing: http.Server | undefined;
let processSeed: number | undefined;

/** The page shapes every strict double in the run uses. */
export const STRICT_PAGES = { emptyPageRate: 0.2, maxPageItems: 10 } as const;

/** The strict double, as the app sees Cosmos in tests. */
export function sharedCosmos(): { readonly endpoint: string; readonly key: string } {
  if (!embedded || !strict) throw new Error("The shared Cosmos server starts in the root hook; import tests through mocha");
  return { endpoint: strict.endpoint, key: embedded.key };
}

export function sharedStrictCosmos(): StrictCosmos {
  if (!strict) throw new Error("The shared Cosmos server starts in the root hook; import tests through mocha");
  return strict;
}

/** The embedded server itself, for a test that puts a strict double of its own in front. */
export function embeddedCosmos(): EmbeddedCosmos {
  if (!embedded) throw new Error("The shared Cosmos server starts in the root hook; import tests through mocha");
  return embedded;
}

/**
 * A stand-in for Teams' public Connector (the fixtures' smba.trafficmanager.net), which tests
 * never reach: it answers every call with 403, as Teams does for a bot outside the conversation.
 * A refused connection would not do: the Connector client retries those for about 6 s.
 */
export function refusingConnectorUrl(): string {
  if (!refusing) throw new Error("The refusing Connector starts in the root hook; import tests through mocha");
  return `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/`;
}

let localData: string | undefined;

/**
 * Where this test file's local data goes (a local run's generated signing key), instead of the
 * repository's .data/: made on first use, removed after the file.
 */
export function testLocalDataDir(): string {
  return (localData ??= fs.mkdtempSync(path.join(os.tmpdir(), "lederrefleksion-test-")));
}

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    compareEveryRender();
    embedded = await startEmbeddedCosmos();
    // In parallel runs this hook runs for every file of a worker: one seed per worker process,
    // said once, so a run's page shapes can still be replayed with STRICT_COSMOS_SEED.
    const firstInThisProcess = processSeed === undefined;
    processSeed ??= process.env.STRICT_COSMOS_SEED ? Number(process.env.STRICT_COSMOS_SEED) : Math.floor(Math.random() * 2 ** 31);
    strict = new StrictCosmos(embedded, { ...STRICT_PAGES, seed: processSeed });
    await strict.start();
    refusing = http.createServer((req, res) => {
      req.resume();
      res.writeHead(403, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "BotNotInConversationRoster", message: "Test stand-in for Teams' public Connector" } }));
    });
    await new Promise<void>((resolve) => refusing!.listen(0, "127.0.0.1", resolve));
    if (firstInThisProcess) process.stdout.write(`Cosmos: the strict double (STRICT_COSMOS_SEED=${strict.seed}) in front of the embedded server\n`);
  },
  /** A card our compiled templates expanded otherwise than adaptivecards-templating fails the test that rendered it. */
  afterEach(): void {
    const differences = takeRenderDifferences();
    if (differences.length > 0) throw new Error(`Compiled card templates differ from adaptivecards-templating:\n${differences.join("\n")}`);
  },
  async afterAll(): Promise<void> {
    await new Promise((resolve) => (refusing ? refusing.close(resolve) : resolve(undefined)));
    await strict?.stop();
    await embedded?.stop();
    if (localData) fs.rmSync(localData, { recursive: true, force: true });
    localData = undefined;
  },
};
