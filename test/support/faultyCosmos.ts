import { silentLogger } from "../../src/kernel/log";
import { openCosmosStore, type CosmosStore } from "../../src/storage/cosmosDatabase";
import { embeddedCosmos, STRICT_PAGES } from "./rootHooks";
import { testConfig } from "./testConfig";
import { StrictCosmos } from "./strictCosmos";
import { createHarness, type Harness } from "./teamsChat";

/** The real bot on a TestAdapter whose Cosmos requests pass through a strict double of its own, to inject faults into; close() stops both. */
export async function harnessBehindFaultyCosmos(options: { requestTimeoutMs?: number } = {}): Promise<{ h: Harness; cosmos: StrictCosmos; close(): Promise<void> }> {
  const cosmos = new StrictCosmos(embeddedCosmos(), STRICT_PAGES);
  await cosmos.start();
  const h = await createHarness({ cosmosEndpoint: cosmos.endpoint, ...(options.requestTimeoutMs ? { cosmosRequestTimeoutMs: options.requestTimeoutMs } : {}) });
  return {
    h,
    cosmos,
    close: async () => {
      await h.close();
      await cosmos.stop();
    },
  };
}

/**
 * Registers beforeEach/afterEach hooks that give each test of the calling describe a fresh
 * harness behind its own fault-injecting double; read them from the returned object in tests.
 */
export function eachBehindFaultyCosmos(options: { requestTimeoutMs?: number } = {}): { readonly h: Harness; readonly cosmos: StrictCosmos } {
  let current: Awaited<ReturnType<typeof harnessBehindFaultyCosmos>> | undefined;
  beforeEach(async () => {
    current = await harnessBehindFaultyCosmos(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const started = () => {
    if (!current) throw new Error("eachBehindFaultyCosmos: read h and cosmos inside a test");
    return current;
  };
  return {
    get h() {
      return started().h;
    },
    get cosmos() {
      return started().cosmos;
    },
  };
}

/**
 * The app's Cosmos store behind a fault-injecting double of its own, fresh for each test of the
 * calling describe (for repository tests); `seed` fills it before each test. Read `cosmos` and
 * `store` inside the tests.
 */
export function eachStoreBehindFaultyCosmos(options: { settings?: Record<string, string>; seed?: (store: CosmosStore) => Promise<void> } = {}): { readonly cosmos: StrictCosmos; readonly store: CosmosStore } {
  const running = {} as { cosmos: StrictCosmos; store: CosmosStore };
  beforeEach(async () => {
    running.cosmos = new StrictCosmos(embeddedCosmos(), STRICT_PAGES);
    await running.cosmos.start();
    running.store = await openCosmosStore(testConfig({ COSMOS_ENDPOINT: running.cosmos.endpoint, ...options.settings }).cosmos, silentLogger);
    await options.seed?.(running.store);
  });
  afterEach(async () => {
    await running.store.close();
    await running.cosmos.stop();
  });
  return running;
}
