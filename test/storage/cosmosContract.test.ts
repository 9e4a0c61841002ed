import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { CosmosClient, type Container, type Database } from "@azure/cosmos";
import { embeddedCosmos } from "../support/rootHooks";
import { MAX_REQUEST_BYTES, StrictCosmos } from "../support/strictCosmos";

/**
 * What Azure Cosmos DB does that the embedded server doesn't, checked against the strict double
 * every run and against a real account when COSMOS_ENDPOINT and COSMOS_KEY are set (the suite
 * makes and drops a database of its own there). Each operation's RU charge is printed, for an
 * operator sizing an account.
 */
interface Target {
  readonly name: string;
  readonly endpoint: string;
  readonly key: string;
  /** Lets `ms` pass for TTL: the double's clock moves, a real account is waited for. */
  advance(ms: number): Promise<void>;
  /** Injects a throttle on the next requests, where the target can (only the double can). */
  throttleNext?(): void;
  close(): Promise<void>;
}

async function strictDouble(): Promise<Target> {
  let offset = 0;
  const double = new StrictCosmos(embeddedCosmos(), { emptyPageRate: 0.3, maxPageItems: 4, seed: 7, now: () => Date.now() + offset });
  await double.start();
  return {
    name: "the strict double",
    endpoint: double.endpoint,
    key: embeddedCosmos().key,
    advance: async (ms) => void (offset += ms),
    throttleNext: () => {
      double.fault = { kind: "status", status: 429, retryAfterMs: 50 };
      setTimeout(() => (double.fault = { kind: "none" }), 120);
    },
    close: () => double.stop(),
  };
}

const realAccount = process.env.COSMOS_ENDPOINT && process.env.COSMOS_KEY ? { endpoint: process.env.COSMOS_ENDPOINT, key: process.env.COSMOS_KEY } : undefined;

const targets: Array<{ name: string; make: () => Promise<Target> }> = [{ name: "the strict double", make: strictDouble }];
if (realAccount) {
  const name = `the Azure Cosmos DB account at ${new URL(realAccount.endpoint).host}`;
  targets.push({ name, make: async () => ({
    name,
    ...realAccount,
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    close: async () => undefined,
  }) });
} else {
  describe("Cosmos contract against a real Azure Cosmos DB account", () => {
    it("SKIPPED: set COSMOS_ENDPOINT and COSMOS_KEY to run the contract against a real account (it creates and drops its own database)");
  });
}

for (const { name, make: makeTarget } of targets) {
  describe(`Cosmos contract on ${name}: what real Azure Cosmos DB does, and the double must too`, function () {
    this.timeout(120_000);
    let target: Target;
    let client: CosmosClient;
    let database: Database;
    let container: Container;
    const charges: string[] = [];
    const charge = (operation: string, ru: number | undefined) => charges.push(`${operation}: ${ru ?? "?"} RU`);

    before(async () => {
      target = await makeTarget();
      client = new CosmosClient({ endpoint: target.endpoint, key: target.key, connectionPolicy: { enableEndpointDiscovery: !target.endpoint.startsWith("http://"), retryOptions: { maxRetryAttemptCount: 9, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 10 } } });
      ({ database } = await client.databases.createIfNotExists({ id: `contract-${randomUUID()}` }));
      ({ container } = await database.containers.createIfNotExists({ id: "items", partitionKey: { paths: ["/pk"], version: 2 }, defaultTtl: -1 }));
    });
    after(async () => {
      process.stdout.write(`      RU charges on ${target.name}:\n${charges.map((c) => `        ${c}`).join("\n")}\n`);
      await database?.delete().catch(() => undefined);
      client?.dispose();
      await target?.close();
    });

    it("scopes a query to the partition its partition key names, even when the text does not", async () => {
      for (const pk of ["tenant|anna", "tenant|bo"]) charge("create (small item)", (await container.items.create({ id: `note-${pk}`, pk, kind: "note" })).requestCharge);
      const response = await container.items.query({ query: "SELECT * FROM c WHERE c.kind = 'note'" }, { partitionKey: "tenant|anna" }).fetchAll();
      charge("partition-scoped query", response.requestCharge);
      assert.deepEqual(response.resources.map((r: { pk: string }) => r.pk), ["tenant|anna"]);
      const crossPartition = await container.items.query({ query: "SELECT * FROM c WHERE c.kind = 'note'" }).fetchAll();
      charge("cross-partition query", crossPartition.requestCharge);
      assert.equal(crossPartition.resources.length, 2);
    });

    it("refuses an item over 2 MB with 413", async () => {
      const big = { id: "big", pk: "tenant|anna", text: "x".repeat(MAX_REQUEST_BYTES) };
      await assert.rejects(container.items.create(big), (error: { code?: number }) => error.code === 413);
    });

    it("refuses an empty If-Match", async () => {
      const { resource } = await container.items.create({ id: "etag", pk: "tenant|anna", n: 1 });
      await assert.rejects(container.item("etag", "tenant|anna").replace({ ...resource!, n: 2 }, { accessCondition: { type: "IfMatch", condition: "" } }), (error: { code?: number }) => error.code === 400 || error.code === 412);
      const { resource: after } = await container.item("etag", "tenant|anna").read<{ n: number }>();
      assert.equal(after?.n, 1);
    });

    it("gives quoted ETags, and matches an If-Match only when given back exactly", async () => {
      const created = await container.items.create({ id: "quoted", pk: "tenant|anna", n: 1 });
      charge("create", created.requestCharge);
      const etag = created.resource!._etag;
      assert.match(etag, /^".+"$/);
      await assert.rejects(container.item("quoted", "tenant|anna").replace({ id: "quoted", pk: "tenant|anna", n: 2 }, { accessCondition: { type: "IfMatch", condition: etag.slice(1, -1) } }), (error: { code?: number }) => error.code === 412);
      const replaced = await container.item("quoted", "tenant|anna").replace({ id: "quoted", pk: "tenant|anna", n: 3 }, { accessCondition: { type: "IfMatch", condition: etag } });
      charge("conditional replace", replaced.requestCharge);
      assert.equal(replaced.resource?.n, 3);
      const read = await container.item("quoted", "tenant|anna").read();
      charge("point read", read.requestCharge);
    });

    it("expires an item by its ttl: gone from point reads and queries", async () => {
      charge("create with ttl", (await container.items.create({ id: "brief", pk: "tenant|ttl", ttl: 2 })).requestCharge);
      await container.items.create({ id: "kept", pk: "tenant|ttl" });
      await target.advance(5_000);
      const read = await container.item("brief", "tenant|ttl").read();
      assert.equal(read.statusCode, 404);
      const { resources } = await container.items.query({ query: "SELECT c.id FROM c" }, { partitionKey: "tenant|ttl" }).fetchAll();
      assert.deepEqual(resources.map((r: { id: string }) => r.id), ["kept"]);
    });

    it("expires an item written in a bulk request by its ttl, so that its id can be created again", async () => {
      const [written] = await container.items.bulk([{ operationType: "Create", partitionKey: "tenant|bulk-ttl", resourceBody: { id: "brief", pk: "tenant|bulk-ttl", ttl: 2 } }]);
      assert.equal(written!.statusCode, 201);
      await target.advance(5_000);
      // Created before anything reads it: the expired item must be gone, not only hidden from reads.
      const again = await container.items.create({ id: "brief", pk: "tenant|bulk-ttl" });
      assert.equal(again.statusCode, 201);
      assert.equal((await container.item("brief", "tenant|bulk-ttl").read<{ ttl?: number }>()).resource?.ttl, undefined);
    });

    it("may end a page early: following continuations gets every item once", async () => {
      for (let i = 0; i < 25; i += 1) await container.items.create({ id: `page-${String(i).padStart(2, "0")}`, pk: "tenant|pages", n: i });
      const seen: string[] = [];
      const iterator = container.items.query<{ id: string }>({ query: "SELECT c.id FROM c ORDER BY c.n" }, { partitionKey: "tenant|pages", maxItemCount: 10 });
      let total = 0;
      while (iterator.hasMoreResults()) {
        const page = await iterator.fetchNext();
        assert.ok(page.resources.length <= 10);
        total += page.requestCharge;
        seen.push(...page.resources.map((r) => r.id));
      }
      charge("25 items in pages of at most 10", total);
      assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `page-${String(i).padStart(2, "0")}`));
    });

    it("answers the operations of a bulk request each on its own, and a batch with return=minimal without the documents it wrote, but with their eTags", async () => {
      const { resource: first } = await container.items.create({ id: "bulk-1", pk: "tenant|bulk", n: 1 });
      const bulk = await container.items.bulk([
        { operationType: "Replace", id: "bulk-1", partitionKey: "tenant|bulk", ifMatch: first!._etag, resourceBody: { id: "bulk-1", pk: "tenant|bulk", n: 2 } },
        { operationType: "Replace", id: "bulk-1", partitionKey: "tenant|bulk", ifMatch: first!._etag, resourceBody: { id: "bulk-1", pk: "tenant|bulk", n: 3 } },
        { operationType: "Create", partitionKey: "tenant|other", resourceBody: { id: "bulk-2", pk: "tenant|other" } },
        { operationType: "Read", id: "bulk-1", partitionKey: "tenant|bulk" },
      ]);
      charge("bulk of 4 operations, 2 partitions", bulk.reduce((sum, r) => sum + (r.requestCharge ?? 0), 0));
      assert.deepEqual(bulk.map((r) => r.statusCode), [200, 412, 201, 200], "each on its own: a failed precondition stops nothing else");
      assert.equal((bulk[3]!.resourceBody as { n: number }).n, 2);

      const { result } = await container.items.batch(
        [
          { operationType: "Replace", id: "bulk-1", partitionKey: "tenant|bulk", ifMatch: bulk[0]!.eTag!, resourceBody: { id: "bulk-1", pk: "tenant|bulk", n: 4 } },
          { operationType: "Read", id: "bulk-1", partitionKey: "tenant|bulk" },
        ],
        "tenant|bulk",
        { contentResponseOnWriteEnabled: false },
      );
      assert.equal(result?.[0]?.statusCode, 200);
      assert.equal(result?.[0]?.resourceBody, undefined, "the write's document does not come back");
      assert.match(String(result?.[0]?.eTag), /^".+"$/, "its eTag does");
      assert.equal((result?.[1]?.resourceBody as { n: number } | undefined)?.n, 4, "a read in it answers with the document");
    });

    it("throttles with 429 and x-ms-retry-after-ms, which the SDK waits out", async function () {
      if (!target.throttleNext) this.skip();
      target.throttleNext!();
      const { resource } = await container.items.upsert({ id: "after-throttle", pk: "tenant|anna" });
      assert.equal(resource?.id, "after-throttle");
    });
  });
}
