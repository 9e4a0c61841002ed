import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { CosmosClient, type Container } from "@azure/cosmos";
import { startEmbeddedCosmos, type EmbeddedCosmos } from "../../src/storage/embeddedCosmos";

// The compiler as patched at install (patches/@zeit+cosmosdb-query+*.patch, applied by patch-package).
const query = createRequire(require.resolve("@vercel/cosmosdb-server"))("@zeit/cosmosdb-query").default as (sql: string) => { code: string };

describe("the embedded Cosmos server's queries", () => {
  let embedded: EmbeddedCosmos;
  let client: CosmosClient;
  let container: Container;

  before(async () => {
    embedded = await startEmbeddedCosmos();
    client = new CosmosClient({ endpoint: embedded.endpoint, key: embedded.key, connectionPolicy: { enableEndpointDiscovery: false } });
    const { database } = await client.databases.createIfNotExists({ id: "queries" });
    ({ container } = await database.containers.createIfNotExists({ id: "families", partitionKey: { paths: ["/pk"] } }));
    const families = [
      { id: "a", pk: "a", at: "2026-11-23T09:00:00Z", children: [{ name: "Mette", pets: [{ name: "Fido" }] }, { name: "Jonas", pets: [] }] },
      { id: "b", pk: "b", at: "2026-11-23T08:00:00Z", children: [{ name: "Sara", pets: [{ name: "Mis" }, { name: "Bob" }] }] },
      { id: "c", pk: "c", at: "2026-11-23T10:00:00Z" },
    ];
    for (const family of families) await container.items.create(family);
  });
  after(async () => {
    client.dispose();
    await embedded.stop();
  });

  const run = async (sql: string) => (await container.items.query(sql).fetchAll()).resources;

  it("build their rows in place rather than copying every row before each one", () => {
    for (const sql of ["SELECT * FROM c", "SELECT c.id, ch.name FROM c JOIN ch IN c.children", "SELECT VALUE f FROM Families f JOIN f.children"]) {
      assert.doesNotMatch(query(sql).code, /\[\s*\.\.\.\$\s*,/, sql);
    }
  });

  it("answer as the unchanged compiler does: filters, order, TOP, joins and aggregates", async () => {
    assert.deepEqual((await run("SELECT TOP 2 c.id FROM c WHERE c.at >= '2026-11-23T08:30:00Z' OR NOT IS_DEFINED(c.children) ORDER BY c.at")).map((r) => r.id), ["a", "c"]);
    assert.deepEqual(await run("SELECT c.id, ch.name, p.name AS pet FROM c JOIN ch IN c.children JOIN p IN ch.pets ORDER BY c.id"), [
      { id: "a", name: "Mette", pet: "Fido" },
      { id: "b", name: "Sara", pet: "Mis" },
      { id: "b", name: "Sara", pet: "Bob" },
    ]);
    assert.deepEqual(await run("SELECT VALUE ch.name FROM c JOIN ch IN c.children"), ["Mette", "Jonas", "Sara"]);
    assert.deepEqual(await run("SELECT VALUE COUNT(1) FROM c"), [3]);
  });
});
