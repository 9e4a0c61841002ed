import { startEmbeddedCosmos, type EmbeddedCosmos } from "../../src/storage/embeddedCosmos";

/**
 * One Cosmos-protocol server for the whole run, on loopback. Tests isolate themselves by using
 * a database of their own (see testConfig), not by mocking storage.
 */
let shared: EmbeddedCosmos | undefined;

export function sharedCosmos(): EmbeddedCosmos {
  if (!shared) throw new Error("The shared Cosmos server starts in the root hook; import tests through mocha");
  return shared;
}

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    shared = await startEmbeddedCosmos();
  },
  async afterAll(): Promise<void> {
    await shared?.stop();
  },
};
