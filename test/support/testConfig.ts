import { randomUUID } from "node:crypto";
import { parseConfig, type AppConfig } from "../../src/config";
import { sharedCosmos } from "./rootHooks";

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
    ...overrides,
  });
}
