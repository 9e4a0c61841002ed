import assert from "node:assert/strict";
import { silentLogger } from "../../src/kernel/log";
import { openCosmosStore, type CosmosStore } from "../../src/storage/cosmosDatabase";
import { GroupDocuments } from "../../src/storage/groupDocuments";
import type { GroupDocument } from "../../src/domain/group/model";
import { embeddedCosmos, STRICT_PAGES } from "../support/rootHooks";
import { StrictCosmos } from "../support/strictCosmos";
import { testConfig } from "../support/testConfig";

const PK = "channel|19:leaders@thread.tacv2";
const UPDATES = 25;

describe("channel documents written by two instances at once (strict double with latency)", function () {
  this.timeout(60_000);
  let cosmos: StrictCosmos;
  let stores: CosmosStore[];
  beforeEach(async () => {
    cosmos = new StrictCosmos(embeddedCosmos(), STRICT_PAGES);
    // Jitter per request, so the two instances' reads and writes interleave.
    cosmos.latencyMs = () => Math.floor(Math.random() * 6);
    await cosmos.start();
    const config = testConfig({ COSMOS_ENDPOINT: cosmos.endpoint });
    stores = [await openCosmosStore(config.cosmos, silentLogger), await openCosmosStore(config.cosmos, silentLogger)];
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    await cosmos.stop();
  });

  it("loses no field when two instances update the same channel document concurrently", async () => {
    const [a, b] = stores.map((s) => new GroupDocuments(s.containers.channels)) as [GroupDocuments, GroupDocuments];
    const base = { id: "channel", pk: PK, type: "channel", conversation: { conversationId: "19:leaders@thread.tacv2" } } as unknown as GroupDocument;
    await a.update(PK, () => base);
    // One instance posts questions on demand (a field per theme), the other records settings
    // cards being shown (a list), as a scheduler and a person in the channel would.
    const posting = async () => {
      for (let i = 0; i < UPDATES; i += 1) await a.update(PK, (current) => ({ ...current!, questionsPostedAt: { ...current!.questionsPostedAt, [`theme-${i}`]: `2026-11-23T10:${String(i).padStart(2, "0")}:00Z` } }));
    };
    const showing = async () => {
      for (let i = 0; i < UPDATES; i += 1) await b.update(PK, (current) => ({ ...current!, settingsCardTokens: [...(current!.settingsCardTokens ?? []), `token-${i}`] }));
    };
    await Promise.all([posting(), showing()]);

    const stored = await a.read(PK);
    assert.equal(Object.keys(stored?.questionsPostedAt ?? {}).length, UPDATES);
    assert.deepEqual(stored?.settingsCardTokens, Array.from({ length: UPDATES }, (_, i) => `token-${i}`));
  });
});
