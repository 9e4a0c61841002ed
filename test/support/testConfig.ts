import { randomUUID } from "node:crypto";
import { CosmosClient } from "@azure/cosmos";
import { parseConfig, type AppConfig } from "../../src/kernel/config";
import { createMissingContainers } from "../../src/storage/containerDefinitions";
import path from "node:path";
import { sharedCosmos, testLocalDataDir } from "./rootHooks";

/** A valid config on an ephemeral port, with a fresh database on the shared Cosmos server. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  const cosmos = sharedCosmos();
  return parseConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    COSMOS_ENDPOINT: cosmos.endpoint,
    COSMOS_KEY: cosmos.key,
    COSMOS_DATABASE: `test-${randomUUID()}`,
    // The shared test server stands in for a deployed account; the tests create what the Bicep would.
    COSMOS_CREATE_MISSING: overrides.MicrosoftAppId ? "false" : "true",
    // A deployment sets its key (the Bicep does); a local run keeps a generated one beside its data.
    ...(overrides.MicrosoftAppId ? { EXPORT_SIGNING_KEY: "a-deployment's-signing-key-for-tests-0123456789" } : {}),
    LOCAL_DATA_FILE: path.join(testLocalDataDir(), "cosmos.json"),
    ...overrides,
  });
}

/**
 * Creates the database and containers a config names, from infra/containers.json, as the Bicep
 * does for a real account: for tests that run the app as in production (it then only checks).
 */
export async function provisionCosmos(config: AppConfig): Promise<void> {
  if (config.cosmos.connection.kind !== "remote") return;
  const client = new CosmosClient({ endpoint: config.cosmos.connection.endpoint, key: config.cosmos.connection.key, connectionPolicy: { enableEndpointDiscovery: false } });
  try {
    const { database } = await client.databases.createIfNotExists({ id: config.cosmos.database });
    await createMissingContainers(database, config.cosmos.containers);
  } finally {
    client.dispose();
  }
}
