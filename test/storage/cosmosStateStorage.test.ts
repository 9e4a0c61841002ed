import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { CosmosClient, type Container } from "@azure/cosmos";
import { CosmosStateStorage, ETagConflictError, stateDocumentId } from "../../src/storage/cosmosStateStorage";
import { sharedCosmos } from "../support/rootHooks";

describe("CosmosStateStorage (against the embedded Cosmos server)", () => {
  let client: CosmosClient;
  let container: Container;
  let storage: CosmosStateStorage;

  before(async () => {
    const { endpoint, key } = sharedCosmos();
    client = new CosmosClient({ endpoint, key, connectionPolicy: { enableEndpointDiscovery: false } });
    const { database } = await client.databases.createIfNotExists({ id: `state-${randomUUID()}` });
    ({ container } = await database.containers.createIfNotExists({ id: "botstate", partitionKey: { paths: ["/id"] } }));
    storage = new CosmosStateStorage(container);
  });
  after(() => client.dispose());

  it("reads back what it wrote, with an eTag", async () => {
    await storage.write({ "msteams/users/a": { step: 2, answer: "Æble – ø 😀\nny linje" } });
    const items = await storage.read(["msteams/users/a"]);
    assert.equal(items["msteams/users/a"]?.step, 2);
    assert.equal(items["msteams/users/a"]?.answer, "Æble – ø 😀\nny linje");
    assert.ok(items["msteams/users/a"]?.eTag);
  });

  it("leaves unknown keys out of a read", async () => {
    const items = await storage.read(["msteams/users/nobody"]);
    assert.deepEqual(items, {});
  });

  it("rejects a write whose eTag is stale, and keeps the other writer's value", async () => {
    await storage.write({ k1: { value: "first" } });
    const { k1: readByA } = await storage.read(["k1"]);
    const { k1: readByB } = await storage.read(["k1"]);
    await storage.write({ k1: { ...readByA, value: "A wins" } });

    await assert.rejects(storage.write({ k1: { ...readByB, value: "B loses" } }), ETagConflictError);
    assert.equal((await storage.read(["k1"])).k1?.value, "A wins");
  });

  it("overwrites regardless of concurrency when the eTag is *", async () => {
    await storage.write({ k2: { value: "old" } });
    await storage.write({ k2: { value: "new", eTag: "*" } });
    assert.equal((await storage.read(["k2"])).k2?.value, "new");
  });

  it("deletes, and deleting a missing key is harmless", async () => {
    await storage.write({ k3: { value: 1 } });
    await storage.delete(["k3", "never-written"]);
    assert.deepEqual(await storage.read(["k3"]), {});
  });

  it("stores Teams channel conversation keys with characters Cosmos forbids in ids", async () => {
    const key = "msteams/conversations/19:abc@thread.tacv2;messageid=1700000000?x#y\\z";
    await storage.write({ [key]: { value: "kanal" } });
    assert.equal((await storage.read([key]))[key]?.value, "kanal");
  });

  it("maps very long keys to distinct ids within Cosmos' 255-character limit", () => {
    const a = stateDocumentId(`msteams/conversations/${"x".repeat(400)}a`);
    const b = stateDocumentId(`msteams/conversations/${"x".repeat(400)}b`);
    assert.ok(a.length <= 255 && b.length <= 255);
    assert.notEqual(a, b);
  });
});
