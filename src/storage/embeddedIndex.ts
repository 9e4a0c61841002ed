import Documents from "@vercel/cosmosdb-server/lib/account/documents";
import Items from "@vercel/cosmosdb-server/lib/account/items";
import { SortedRows } from "./sortedRows";

/**
 * Equality indexes for the embedded Cosmos server's documents, so that a query that names what
 * it wants (`c.pk = @pk`, `c.type = 'schedule'`, `c.status = 'pending'`) reads those documents
 * rather than every document in the container, as Azure Cosmos DB's index serves it. Without
 * them each query copied and scanned the whole container: in a reminder slot of 20,000 leaders
 * that was a third of the embedded server's CPU, and the server bounded the slot.
 *
 * The answers are the scan's, exactly: an index only leaves out documents the query's own
 * WHERE would reject (a conjunct `path = scalar` is true only for a document whose value at
 * path is that scalar, of that type), and the query then runs as before over what is left.
 * Each index keeps its documents in the container's order (a write moves a document to the
 * end of both), so order, TOP, paging and continuations are the scan's too. Queries an index
 * cannot serve (no such conjunct, a JOIN, a value that is not a string, number or boolean)
 * scan as before. `test/storage/embeddedIndex.test.ts` holds the two against each other over
 * random documents, writes and queries.
 *
 * A query that orders by one path gets its bucket in that order (then by `_rid`, as the server
 * breaks ties), kept sorted as documents come and go. The server still sorts what it is given,
 * so the answer does not depend on that order; but its sort runs through a sorted array in one
 * pass instead of sorting thousands of due documents afresh on every look (the schedules' and
 * the outbox's `ORDER BY` were half of the double's query time in a reminder slot).
 *
 * The server keeps its documents in a class of @vercel/cosmosdb-server that has no hook for
 * this, so the index wraps three of its methods (on the document collections only; the base
 * class keeps the plain scan, which the test compares with).
 */

type Item = { read(): Record<string, unknown> | undefined };
type QueryAst = { body?: { type?: string; top?: { value?: ExpressionAst } | null; from?: FromAst; where?: { condition?: ExpressionAst } | null; orderBy?: { expressions?: Array<{ expression: ExpressionAst; order?: string | null }> } | null } };
type FromAst = { source?: { expression?: ExpressionAst; alias?: ExpressionAst | null }; joins?: unknown[] };
type ExpressionAst = { type: string; name?: string; value?: unknown; operator?: string; left?: ExpressionAst; right?: ExpressionAst; object?: ExpressionAst; property?: ExpressionAst; computed?: boolean; expression?: ExpressionAst };
type Parameters = ReadonlyArray<{ readonly name: string; readonly value: unknown }> | undefined;

/** Paths indexed per container at most: each costs every write a lookup. */
const MAX_INDEXED_PATHS = 24;

/** A scalar's key → the documents with that value at one path, in container order. */
type Buckets = Map<string, Map<string, Item>>;

/** Views of one bucket a query has ordered by, at most: each costs every write to the bucket an insertion. */
const MAX_VIEWS_PER_BUCKET = 4;

/** One bucket's documents sorted by the value at a path (descending if so), then by `_rid` ascending. */
type Row = { readonly rid: string; readonly item: Item; readonly value: unknown };

interface OrderedView {
  readonly keys: readonly string[];
  readonly descending: boolean;
  readonly rows: SortedRows<Row>;
  /** Each document's value as it was sorted in, to find its row again when it goes. */
  readonly values: Map<string, unknown>;
  /**
   * Rows whose value is an array or an object. The query compiler orders those in a way of its
   * own (arrays by their text, objects all equal), so while there are any, this view's order is
   * only close to the server's and a query reads all of it.
   */
  composite: number;
}

/** The documents a query runs over: the server's query reads only their values. */
type Candidates = Pick<Map<string, Item>, "values">;

/** How far into an ordered view a `TOP n` query first reads, then next, in multiples of n, before it reads it all. */
const PREFIX_FACTORS = [4, 32] as const;

const ordered = new WeakMap<Map<string, Item>, OrderedView[]>();

interface DocumentIndex {
  /** Path (joined by "/") → its keys and buckets. */
  readonly byPath: Map<string, { readonly keys: readonly string[]; readonly buckets: Buckets }>;
  /** Each document's entries, to take it out again when it is written or deleted. */
  readonly entries: Map<string, Array<{ readonly buckets: Buckets; readonly key: string }>>;
  /** False once something broke the order the index relies on: every query scans from then on. */
  usable: boolean;
}

interface IndexedDocuments {
  _data: Map<string, Item>;
  _index: Map<string, string>;
  _getQuery(sql: string): { ast: QueryAst };
  _toRid(keyPath: string, idOrRid: string, partition: unknown): string;
}

const indexes = new WeakMap<object, DocumentIndex>();
let installed = false;

/** Installs the indexes for every embedded server in this process (once; later calls do nothing). */
export function installDocumentIndexes(): void {
  if (installed) return;
  installed = true;
  const proto = Documents.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const base = Items.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const set = base._set!;
  const remove = base.delete!;
  const query = base.query!;

  proto._set = function (this: IndexedDocuments, data: unknown) {
    const rid = (data as { _rid: string })._rid;
    const index = indexes.get(this);
    // A document set again without being deleted first keeps its place in the container: the
    // server never does that (a replace deletes first), and the index could not follow it.
    if (index && this._data.has(rid)) index.usable = false;
    const written = set.call(this, data);
    if (index?.usable) add(index, rid, this._data.get(rid)!);
    return written;
  };
  proto.delete = function (this: IndexedDocuments, idOrRid: unknown, partition: unknown) {
    const rid = this._toRid("/id", String(idOrRid), partition);
    const result = remove.call(this, idOrRid, partition);
    const index = indexes.get(this);
    if (index && !this._data.has(rid)) drop(index, rid);
    return result;
  };
  proto.query = function (this: IndexedDocuments, params: unknown, options: unknown) {
    const plan = candidatesFor(this, params as { query: string; parameters?: Parameters });
    // The server's own query over only the candidates: a view of this collection whose documents are those.
    const over = (candidates: Candidates) => query.call(Object.create(this, { _data: { value: candidates } }), params, options) as QueryAnswer;
    if (!plan) return query.call(this, params, options);
    const top = plan.ordered && topOf(plan.ast, (params as { parameters?: Parameters }).parameters, options as QueryOptions);
    if (plan.ordered && top !== undefined) {
      // The first n of a query ordered as the view is are among the view's first rows: if a
      // prefix of it already gives n answers, no row after it can come before them.
      for (const factor of PREFIX_FACTORS) {
        const prefix = plan.ordered(top * factor);
        if (prefix.length < top * factor) break;
        const answer = over({ values: () => prefix.map((row) => row.item).values() });
        if (answer && answer.result.length === top && answer.continuation === null) return answer;
      }
    }
    return over(plan.candidates);
  };
}

type QueryOptions = { readonly maxItemCount?: number | null; readonly continuation?: unknown };
type QueryAnswer = { readonly result: unknown[]; readonly continuation: unknown } | null;

/**
 * A query's `TOP n`, when its answer can be read from a prefix of its ordered view: a first page
 * (no continuation) that holds all n (no page size below n), and a plain projection (an aggregate
 * or DISTINCT would count rows the prefix leaves out).
 */
function topOf(ast: QueryAst, parameters: Parameters, options: QueryOptions | undefined): number | undefined {
  const value = ast.body?.top?.value;
  const top = value && valueOf(value, parameters);
  if (typeof top !== "number" || !Number.isInteger(top) || top <= 0) return undefined;
  if (options?.continuation) return undefined;
  const pageSize = options?.maxItemCount;
  if (typeof pageSize === "number" && pageSize > 0 && pageSize < top) return undefined;
  return top;
}

/**
 * The documents a query can match at most (the smallest index bucket one of its conjuncts
 * names), in the order it sorts by when it orders by one path; or undefined to scan all.
 */
function candidatesFor(documents: IndexedDocuments, params: { query: string; parameters?: Parameters }): { ast: QueryAst; candidates: Candidates; ordered?: (limit: number) => Row[] } | undefined {
  let ast: QueryAst;
  try {
    ast = documents._getQuery(params.query).ast;
  } catch {
    // A query that does not parse: the server's own query answers it (400).
    return undefined;
  }
  const conjuncts = equalities(ast, params.parameters);
  if (conjuncts.length === 0) return undefined;
  let index = indexes.get(documents);
  if (!index) {
    index = { byPath: new Map(), entries: new Map(), usable: true };
    indexes.set(documents, index);
  }
  if (!index.usable) return undefined;
  let best: Map<string, Item> | undefined;
  for (const { path, key } of conjuncts) {
    const buckets = bucketsOf(documents, index, path);
    if (!buckets) continue;
    const bucket = buckets.get(key) ?? new Map<string, Item>();
    if (!best || bucket.size < best.size) best = bucket;
  }
  if (!best) return undefined;
  const order = orderOf(ast);
  const view = order && viewOf(best, order.keys, order.descending);
  if (!view) return { ast, candidates: best };
  // Names of parameters (@max) and strings are not keywords.
  const words = params.query.replace(/@\w+|'[^']*'|"[^"]*"/g, " ");
  const exact = view.composite === 0 && !/\b(DISTINCT|COUNT|SUM|AVG|MIN|MAX|GROUP\s+BY)\b/i.test(words);
  // ORDER BY c.at with c.at <= x (or <) in the WHERE: every row the query can match is before
  // the first row after x in the view's order (a value of another type fails the comparison).
  const bound = view.descending ? undefined : upperBound(ast, params.parameters, order.keys.join("/"));
  const rows = (limit: number) => view.rows.first(limit, bound && ((row) => isPast(row.value, bound)));
  return { ast, candidates: { values: () => rows(Infinity).map((row) => row.item).values() }, ...(exact ? { ordered: rows } : {}) };
}

/** A conjunct `alias.path <= value` or `< value` (or the same the other way round) at the top of a query's WHERE, for one path. */
function upperBound(ast: QueryAst, parameters: Parameters, path: string): { value: string | number; inclusive: boolean } | undefined {
  const body = ast.body;
  const alias = body?.from?.source?.alias?.name ?? body?.from?.source?.expression?.expression?.name;
  if (!body?.where?.condition || alias === undefined) return undefined;
  let found: { value: string | number; inclusive: boolean } | undefined;
  const visit = (node: ExpressionAst): void => {
    if (found || node.type !== "scalar_binary_expression") return;
    if (node.operator === "AND") {
      visit(node.left!);
      visit(node.right!);
      return;
    }
    const flipped = { ">=": "<=", ">": "<" }[node.operator ?? ""];
    const [side, other, operator] = flipped ? [node.right!, node.left!, flipped] : [node.left!, node.right!, node.operator];
    if (operator !== "<=" && operator !== "<") return;
    if (memberPath(side, alias)?.join("/") !== path) return;
    const value = valueOf(other, parameters);
    if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) found = { value, inclusive: operator === "<=" };
  };
  visit(body.where.condition);
  return found;
}

/** Whether a value comes after a bound in an ascending view's order. */
function isPast(value: unknown, bound: { value: string | number; inclusive: boolean }): boolean {
  const order = compareValues(value, bound.value);
  return order > 0 || (order === 0 && !bound.inclusive);
}

/** The one path a query orders by, and which way; undefined for no ORDER BY or more than one path. */
function orderOf(ast: QueryAst): { keys: string[]; descending: boolean } | undefined {
  const expressions = ast.body?.orderBy?.expressions ?? [];
  const source = ast.body?.from?.source;
  const alias = source?.alias?.name ?? source?.expression?.expression?.name;
  if (expressions.length !== 1 || alias === undefined) return undefined;
  const keys = memberPath(expressions[0]!.expression, alias);
  return keys && { keys, descending: String(expressions[0]!.order ?? "").toUpperCase() === "DESC" };
}

/** A bucket's view in an order, sorted the first time a query asks for it; undefined past the limit. */
function viewOf(bucket: Map<string, Item>, keys: readonly string[], descending: boolean): OrderedView | undefined {
  const path = keys.join("/");
  const views = ordered.get(bucket) ?? [];
  const known = views.find((v) => v.descending === descending && v.keys.join("/") === path);
  if (known) return known;
  if (views.length >= MAX_VIEWS_PER_BUCKET) return undefined;
  const rows: Row[] = [];
  const values = new Map<string, unknown>();
  let composite = 0;
  for (const [rid, item] of bucket) {
    const value = valueAt(item.read(), keys);
    rows.push({ rid, item, value });
    values.set(rid, value);
    composite += isComposite(value) ? 1 : 0;
  }
  const view: OrderedView = { keys, descending, rows: SortedRows.from(rows, rowOrder(descending)), values, composite };
  views.push(view);
  ordered.set(bucket, views);
  return view;
}

/** A view's order: by value (descending if so), then by `_rid`, as the server breaks ties. */
function rowOrder(descending: boolean): (a: Row, b: Row) => number {
  return (a, b) => {
    const byValue = compareValues(a.value, b.value);
    if (byValue !== 0) return descending ? -byValue : byValue;
    return a.rid < b.rid ? -1 : a.rid > b.rid ? 1 : 0;
  };
}

const isComposite = (value: unknown) => typeof value === "object" && value !== null;

/** The query compiler's order of values: by type (undefined, null, boolean, number, string, array, object), then by value; arrays and objects tie. */
const TYPE_RANK: Readonly<Record<string, number>> = { undefined: 0, null: 1, boolean: 2, number: 3, string: 4, array: 5, object: 6 };
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const aType = a === null ? "null" : Array.isArray(a) ? "array" : typeof a;
  const bType = b === null ? "null" : Array.isArray(b) ? "array" : typeof b;
  if (aType !== bType) return (TYPE_RANK[aType] ?? 7) - (TYPE_RANK[bType] ?? 7);
  if (aType === "object" || aType === "array") return 0;
  return (a as string | number | boolean) < (b as string | number | boolean) ? -1 : 1;
}

/** The `alias.path = scalar` conjuncts at the top of a query's WHERE (joined by AND only), over a plain `FROM alias`. */
function equalities(ast: QueryAst, parameters: Parameters): Array<{ path: string; key: string }> {
  const body = ast.body;
  if (body?.type !== "select_query" || !body.where?.condition || !body.from?.source) return [];
  if ((body.from.joins ?? []).length > 0) return [];
  const source = body.from.source;
  if (source.expression?.type !== "collection_expression" || source.expression.expression?.type !== "identifier") return [];
  const alias = source.alias?.name ?? source.expression.expression.name;
  const found: Array<{ path: string; key: string }> = [];
  const visit = (node: ExpressionAst): void => {
    if (node.type !== "scalar_binary_expression") return;
    if (node.operator === "AND") {
      visit(node.left!);
      visit(node.right!);
      return;
    }
    if (node.operator !== "=") return;
    for (const [side, other] of [
      [node.left!, node.right!],
      [node.right!, node.left!],
    ] as const) {
      const path = memberPath(side, alias!);
      const key = path === undefined ? undefined : scalarKey(valueOf(other, parameters));
      if (path !== undefined && key !== undefined) {
        found.push({ path: path.join("/"), key });
        return;
      }
    }
  };
  visit(body.where.condition);
  return found;
}

/** `c.a.b` or `c["a"]["b"]` as ["a", "b"]; anything else undefined. */
function memberPath(node: ExpressionAst, alias: string): string[] | undefined {
  if (node.type !== "scalar_member_expression") return undefined;
  const property = node.property!;
  const name = !node.computed && property.type === "identifier" ? property.name : node.computed && property.type === "string_constant" ? (property.value as string) : undefined;
  if (name === undefined) return undefined;
  const object = node.object!;
  if (object.type === "identifier") return object.name === alias ? [name] : undefined;
  const head = memberPath(object, alias);
  return head && [...head, name];
}

/** A constant's or a parameter's value; undefined for anything else (or an unknown parameter). */
function valueOf(node: ExpressionAst, parameters: Parameters): unknown {
  if (node.type === "string_constant" || node.type === "number_constant" || node.type === "boolean_constant") return node.value;
  if (node.type === "parameter_name") return parameters?.find((p) => p.name === node.name)?.value;
  return undefined;
}

/** A value's key in an index: only strings, numbers and booleans, typed (the string "1" and the number 1 are not equal). */
function scalarKey(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return `s:${value}`;
    case "number":
      return Number.isFinite(value) ? `n:${value}` : undefined;
    case "boolean":
      return `b:${value}`;
    default:
      return undefined;
  }
}

/** The value at a path, as the query compiler reads it (a property of any object, arrays included). */
function valueAt(document: unknown, path: readonly string[]): unknown {
  let value = document;
  for (const key of path) value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** A path's buckets, built from the container in its order the first time a query names it; undefined past the limit. */
function bucketsOf(documents: IndexedDocuments, index: DocumentIndex, path: string): Buckets | undefined {
  const known = index.byPath.get(path);
  if (known) return known.buckets;
  if (index.byPath.size >= MAX_INDEXED_PATHS) return undefined;
  const entry = { keys: path.split("/"), buckets: new Map() as Buckets };
  index.byPath.set(path, entry);
  for (const [rid, item] of documents._data) enter(index, entry, rid, item);
  return entry.buckets;
}

function add(index: DocumentIndex, rid: string, item: Item): void {
  for (const entry of index.byPath.values()) enter(index, entry, rid, item);
}

function enter(index: DocumentIndex, { keys, buckets }: { readonly keys: readonly string[]; readonly buckets: Buckets }, rid: string, item: Item): void {
  const key = scalarKey(valueAt(item.read(), keys));
  if (key === undefined) return;
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = new Map();
    buckets.set(key, bucket);
  }
  bucket.set(rid, item);
  for (const view of ordered.get(bucket) ?? []) {
    const value = valueAt(item.read(), view.keys);
    view.rows.insert({ rid, item, value });
    view.values.set(rid, value);
    view.composite += isComposite(value) ? 1 : 0;
  }
  const entries = index.entries.get(rid);
  if (entries) entries.push({ buckets, key });
  else index.entries.set(rid, [{ buckets, key }]);
}

/** Takes a document out of its buckets, and an emptied bucket out of its path (values come and go: ids, leases). */
function drop(index: DocumentIndex, rid: string): void {
  for (const { buckets, key } of index.entries.get(rid) ?? []) {
    const bucket = buckets.get(key)!;
    bucket.delete(rid);
    for (const view of ordered.get(bucket) ?? []) {
      const value = view.values.get(rid);
      view.values.delete(rid);
      view.composite -= isComposite(value) ? 1 : 0;
      // A row that is not where its value says has lost its order: the bucket goes back to unordered.
      if (!view.rows.remove({ rid, item: undefined as unknown as Item, value })) ordered.delete(bucket);
    }
    if (bucket.size === 0) buckets.delete(key);
  }
  index.entries.delete(rid);
}
