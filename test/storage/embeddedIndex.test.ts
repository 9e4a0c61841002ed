import assert from "node:assert/strict";
import Account from "@vercel/cosmosdb-server/lib/account";
import Items from "@vercel/cosmosdb-server/lib/account/items";
import fc from "fast-check";
import { installDocumentIndexes } from "../../src/storage/embeddedIndex";

type Documents = ReturnType<ReturnType<Account["database"]>["collection"]>["documents"];
type QueryParams = { query: string; parameters?: Array<{ name: string; value: unknown }> };

let compiled: Documents["_queryCache"] | undefined;

/**
 * A container of the embedded server's, as the server makes it, held directly (no HTTP: thousands
 * of queries a run). All share the compiled queries, as one server's container would: compiling
 * is most of a query's cost here, and no part of what is compared.
 */
function container(): Documents {
  const account = new Account("localhost", 1);
  account.databases.create({ id: "db" });
  account.database("db").collections.create({ id: "docs", partitionKey: { paths: ["/pk"] }, indexingPolicy: { compositeIndexes: [[{ path: "/at", order: "ascending" }, { path: "/id", order: "descending" }]] } });
  const documents = account.database("db").collection("docs").documents;
  compiled ??= documents._queryCache;
  documents._queryCache = compiled;
  return documents;
}

/** The server's own query without the index: the scan every answer must equal. */
const scan = (documents: Documents, params: QueryParams, options: { maxItemCount?: number | null; continuation?: { token: string } | null }) => Items.prototype.query.call(documents, params, options) as { result: unknown[]; continuation: { token: string } | null };
const indexed = (documents: Documents, params: QueryParams, options: { maxItemCount?: number | null; continuation?: { token: string } | null }) => documents.query(params, options) as { result: unknown[]; continuation: { token: string } | null };

// Values of every JSON type at the paths queries name, some equal as text but not as values ("1" and 1, "true" and true);
// mostly a few, so that queries find several documents with the value they name, in an order that matters.
const scalar = fc.oneof({ weight: 8, arbitrary: fc.constantFrom<unknown>("pending", "sent") }, { weight: 2, arbitrary: fc.constantFrom<unknown>("1", 1, 0, true, false, "true", null) });
const fieldValue = fc.oneof({ weight: 6, arbitrary: scalar }, { weight: 1, arbitrary: fc.constantFrom<unknown>(["pending"], { kind: "pending" }, [1, 2]) });
const IDS = ["a", "b", "c", "d", "e", "f"];
/** More ids for the ordered queries: buckets longer than a `TOP n` query's first look into them. */
const MANY_IDS = [...IDS, ..."ghijklmnopqrstuvwxyz"];
const documentWith = (ids: readonly string[]) => fc.record(
  {
    id: fc.constantFrom(...ids),
    pk: fc.constantFrom("p1", "p2"),
    type: fieldValue,
    status: fieldValue,
    at: fc.oneof(fc.constantFrom("2026-12-01", "2026-12-02", "2026-12-03"), fc.integer({ min: 0, max: 3 })),
    lease: fc.oneof(fc.constant(undefined), fc.record({ until: fc.constantFrom("2026-12-01", "2026-12-04") })),
    nested: fc.oneof(fc.constant(undefined), fc.constant("a"), fc.record({ kind: fieldValue })),
  },
  { requiredKeys: ["id", "pk", "type", "status", "at"] },
);
const writeWith = (ids: readonly string[]) => fc.oneof(
  fc.record({ op: fc.constant("upsert" as const), document: documentWith(ids) }),
  fc.record({ op: fc.constant("create" as const), document: documentWith(ids) }),
  fc.record({ op: fc.constant("delete" as const), id: fc.constantFrom(...ids), pk: fc.constantFrom("p1", "p2") }),
);
const write = writeWith(IDS);

/** A path a query names, with the values documents have there mostly, at times one of another type. */
const pathAndValue = fc.oneof(
  fc.tuple(fc.constant("c.pk"), fc.constantFrom<unknown>("p1", "p2")),
  fc.tuple(fc.constantFrom("c.type", "c.status", 'c["status"]', "c.nested.kind"), fc.constantFrom<unknown>("pending", "sent")),
  fc.tuple(fc.constant("c.id"), fc.constantFrom<unknown>("a", "b", "c")),
  fc.tuple(fc.constant("c.lease.until"), fc.constantFrom<unknown>("2026-12-01", "2026-12-04")),
  fc.tuple(fc.constantFrom("c.pk", "c.type", "c.status", "c.nested.kind", "c.id"), scalar),
);
const literal = (value: unknown) => (typeof value === "string" ? `'${value}'` : JSON.stringify(value));
type Condition = { text: string; parameters: Array<{ name: string; value: unknown }> };
/** path = value, with a literal or a parameter, either way round: what an index may serve. */
const equality: fc.Arbitrary<Condition> = fc.oneof(
  fc.tuple(pathAndValue, fc.boolean()).map(([[p, v], flip]) => ({ text: flip ? `${literal(v)} = ${p}` : `${p} = ${literal(v)}`, parameters: [] })),
  fc.tuple(pathAndValue, fc.nat(1000), fc.boolean()).map(([[p, v], n, array]) => ({ text: `${p} = @v${n}`, parameters: [{ name: `@v${n}`, value: array ? [v] : v }] })),
);
/** Any condition: equalities, other comparisons, OR, AND and NOT of conditions. */
const condition: fc.Arbitrary<Condition> = fc.letrec<{ term: Condition }>((tie) => ({
  term: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    equality,
    pathAndValue.map(([p, v]) => ({ text: `${p} != ${literal(v)}`, parameters: [] })),
    fc.constant<Condition>({ text: "c.at <= @now", parameters: [{ name: "@now", value: "2026-12-02" }] }),
    fc.constant<Condition>({ text: "(NOT IS_DEFINED(c.lease) OR c.lease.until <= '2026-12-02')", parameters: [] }),
    fc.tuple(tie("term"), tie("term")).map(([a, b]) => ({ text: `(${a.text} OR ${b.text})`, parameters: [...a.parameters, ...b.parameters] })),
    fc.tuple(tie("term"), tie("term")).map(([a, b]) => ({ text: `(${a.text} AND ${b.text})`, parameters: [...a.parameters, ...b.parameters] })),
    tie("term").map((a) => ({ text: `NOT (${a.text})`, parameters: a.parameters })),
  ),
})).term;
const query = fc
  .record({
    top: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    select: fc.constantFrom("*", "c.id, c.pk, c.status", "VALUE c.id"),
    from: fc.constantFrom("c", "root c"),
    where: fc.array(fc.oneof({ weight: 3, arbitrary: equality }, { weight: 2, arbitrary: condition }), { minLength: 0, maxLength: 3 }),
    orderBy: fc.constantFrom("", " ORDER BY c.at", " ORDER BY c.id DESC", " ORDER BY c.at, c.id DESC"),
  })
  .map(({ top, select, from, where, orderBy }): QueryParams => {
    // "FROM root c" names the container root and the alias c, as Cosmos allows.
    const clause = where.length ? ` WHERE ${where.map((w) => w.text).join(" AND ")}` : "";
    return { query: `SELECT ${top ? `TOP ${top} ` : ""}${select} FROM ${from}${clause}${orderBy}`, parameters: where.flatMap((w) => w.parameters).filter((p, i, all) => all.findIndex((q) => q.name === p.name) === i) };
  });
/** A query an ordered view serves: an equality at the top of its WHERE and ORDER BY one path, either way. */
const orderedQuery = fc
  .record({
    top: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    equality,
    more: fc.option(condition, { nil: undefined }),
    orderBy: fc.constantFrom("c.at", "c.at DESC", "c.id DESC", "c.lease.until", "c.nested.kind DESC", "c.status"),
  })
  .map(({ top, equality: first, more, orderBy }): QueryParams => ({
    query: `SELECT ${top ? `TOP ${top} ` : ""}* FROM c WHERE ${first.text}${more ? ` AND ${more.text}` : ""} ORDER BY ${orderBy}`,
    parameters: [...first.parameters, ...(more?.parameters ?? [])].filter((p, i, all) => all.findIndex((q) => q.name === p.name) === i),
  }));
const aggregate = fc.record({ where: condition }).map(({ where }): QueryParams => ({ query: `SELECT VALUE COUNT(1) FROM c WHERE ${where.text}`, parameters: where.parameters }));

/** Every page of a query, each as the server answers it, following the continuations to the end. */
function pages(run: typeof scan, documents: Documents, params: QueryParams, maxItemCount: number | undefined): unknown[] {
  const all: unknown[] = [];
  let continuation: { token: string } | null = null;
  for (let page = 0; page < 50; page += 1) {
    let answer: { result: unknown[]; continuation: { token: string } | null } | string;
    try {
      answer = run(documents, params, { maxItemCount: maxItemCount ?? null, continuation });
    } catch (error) {
      // A query the server refuses is refused with or without the index.
      answer = `refused: ${(error as Error).message}`;
    }
    all.push(answer);
    if (typeof answer === "string" || !answer.continuation) break;
    continuation = answer.continuation;
  }
  return all;
}

function apply(documents: Documents, step: { op: "upsert" | "create"; document: Record<string, unknown> } | { op: "delete"; id: string; pk: string }): void {
  try {
    if (step.op === "delete") documents.delete(step.id, step.pk);
    else if (step.op === "create") documents.create(step.document);
    else documents.upsert(step.document);
  } catch {
    // Not there, or already there: the same for both, the store is unchanged.
  }
}

type Step = { write: unknown } | { query: QueryParams; maxItemCount: number | undefined };

/** Makes the writes, then each step: a write, or a query whose every page must be the scan's. */
function replayAgainstScan(first: readonly unknown[], steps: readonly Step[]): void {
  const documents = container();
  for (const w of first) apply(documents, w as Parameters<typeof apply>[1]);
  for (const step of steps) {
    if ("write" in step) apply(documents, step.write as Parameters<typeof apply>[1]);
    else assert.deepEqual(pages(indexed, documents, step.query, step.maxItemCount), pages(scan, documents, step.query, step.maxItemCount), step.query.query);
  }
}

describe("the embedded Cosmos server's equality indexes", function () {
  // Thousands of queries a property, in a few seconds when the machine is idle; a busy machine
  // (the suite's other worker, another npm test) can stretch that several times over.
  this.timeout(300_000);
  before(() => installDocumentIndexes());

  it("answer every query as the scan does, page by page, for any documents, writes and queries, the indexes built early or late (property)", () => {
    fc.assert(
      fc.property(
        fc.array(write, { minLength: 3, maxLength: 12 }),
        fc.array(fc.oneof({ weight: 3, arbitrary: write.map((w) => ({ write: w })) }, { weight: 2, arbitrary: fc.record({ query: fc.oneof({ weight: 4, arbitrary: query }, { weight: 1, arbitrary: aggregate }), maxItemCount: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }) }) }), { minLength: 5, maxLength: 40 }),
        replayAgainstScan,
      ),
      { numRuns: 40 },
    );
  });

  it("answer queries ordered by one path as the scan does, TOP n from the first rows of the order, while the ordered buckets are written between them (property)", () => {
    fc.assert(
      fc.property(
        fc.array(writeWith(MANY_IDS), { minLength: 10, maxLength: 40 }),
        fc.array(fc.oneof({ weight: 3, arbitrary: writeWith(MANY_IDS).map((w) => ({ write: w })) }, { weight: 2, arbitrary: fc.record({ query: orderedQuery, maxItemCount: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }) }) }), { minLength: 5, maxLength: 30 }),
        replayAgainstScan,
      ),
      { numRuns: 40 },
    );
  });

  it("answer an ordered query with a replaced document in its new place and a deleted one gone", () => {
    const documents = container();
    for (const [id, at] of [["a", 1], ["b", 2], ["c", 3]] as const) documents.create({ id, pk: "p1", status: "pending", at });
    const due = (): unknown[] => (indexed(documents, { query: "SELECT VALUE c.id FROM c WHERE c.status = 'pending' ORDER BY c.at DESC" }, {}).result);
    assert.deepEqual(due(), ["c", "b", "a"]);
    documents.upsert({ id: "a", pk: "p1", status: "pending", at: 4 });
    documents.delete("b", "p1");
    documents.upsert({ id: "c", pk: "p1", status: "sent", at: 5 });
    assert.deepEqual(due(), ["a"]);
    documents.create({ id: "d", pk: "p1", status: "pending", at: 0 });
    assert.deepEqual(due(), ["a", "d"]);
  });

  it("answer a query that names its partition without reading any other partition's documents", () => {
    const documents = container();
    for (let i = 0; i < 50; i += 1) documents.create({ id: `d${i}`, pk: `p${i % 5}`, type: i % 2 ? "schedule" : "session" });
    const read = new Set<string>();
    for (const [, item] of documents._data) {
      const original = item.read.bind(item);
      item.read = () => {
        const document = original();
        read.add(document.id);
        return document;
      };
    }
    // The indexes are built on the first query that names pk and type (reading every document once); the next reads only its partition's.
    const shape = (pk: string): QueryParams => ({ query: "SELECT c.id FROM c WHERE c.pk = @pk AND c.type = 'schedule'", parameters: [{ name: "@pk", value: pk }] });
    indexed(documents, shape("p1"), {});
    read.clear();
    const { result } = indexed(documents, shape("p3"), {});
    assert.deepEqual(result, ["d3", "d13", "d23", "d33", "d43"].map((id) => ({ id })));
    assert.deepEqual([...read].sort(), ["d13", "d18", "d23", "d28", "d3", "d33", "d38", "d43", "d48", "d8"]);
  });
});
