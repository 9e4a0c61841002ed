import http from "node:http";
import type { AddressInfo } from "node:net";
import type { EmbeddedCosmos, ServedRequest } from "../../src/storage/embeddedCosmos";

export type Fault = { readonly kind: "none" } | { readonly kind: "hang" } | { readonly kind: "status"; readonly status: 429 | 408 | 503; readonly retryAfterMs?: number };

export interface StrictCosmosOptions {
  /** Seed of the proxy's choices (short pages, random throttling), printed so a failure can be replayed. */
  readonly seed?: number;
  /** Share of queries whose first page comes back empty, with a continuation (as real Cosmos may). */
  readonly emptyPageRate?: number;
  /** Most items a query page carries, whatever the client asked for: real pages end early. */
  readonly maxPageItems?: number;
  /** The time items expire by (ms since epoch); follows a faked Date with sinon. */
  readonly now?: () => number;
}

/** Azure Cosmos DB's limit on an item, and on a request (a transactional batch too). */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

interface CollectionFacts {
  readonly partitionKeyPaths: readonly string[];
  /** undefined: TTL is off for the container; -1: on, items expire only with their own ttl. */
  readonly defaultTtl: number | undefined;
}

interface Expiring {
  readonly docPath: string;
  readonly partitionKeyHeader: string;
  readonly expiresAt: number;
}

/**
 * A Cosmos-protocol proxy on loopback in front of the embedded server (which it calls in this
 * process, not over a second socket) that behaves the way
 * real Azure Cosmos DB does where the embedded server doesn't, and fails the way it does at
 * its worst:
 * - a query with a partition key header sees only that partition;
 * - items and requests over 2 MB are refused (413), and so is an empty If-Match (400);
 * - ETags are quoted, and an If-Match must carry one exactly as it was given;
 * - a batch or bulk request with Prefer: return=minimal gets its writes' answers without documents;
 * - items expire by their ttl (and the container's defaultTtl) and are gone from reads and queries;
 * - query pages come back short, and sometimes empty with a continuation;
 * - it hangs, throttles (429 with x-ms-retry-after-ms), times out (408) or is unavailable (503)
 *   when told to, or throttles a share of requests (evenly spread); and it adds latency per request.
 */
export class StrictCosmos {
  fault: Fault = { kind: "none" };
  /** A fault for some requests only (a method and path), checked when `fault` is none: one document that cannot be written. */
  faultWhen: (request: { readonly method: string; readonly path: string; readonly partitionKey: string; readonly batch: boolean; readonly atomic: boolean }) => Fault | undefined = () => undefined;
  /**
   * Share of requests answered 429 (after the fault above): spread evenly from a seeded phase,
   * so "15%" is 15% of any run's requests, never by chance none (a random draw per request gave
   * 0 of 27 about once in a hundred runs).
   */
  throttleRate = 0;
  private throttleDebt: number | undefined;
  requests = 0;
  /** Requests by what they were: a read, a write, a batch or bulk request, a query (by its first words), a query plan. */
  readonly requestsByKind = new Map<string, number>();
  throttled = 0;
  /** Requests held by a hang (each one a request timeout the caller had to wait out). */
  hung = 0;
  /**
   * A read-only store: while on, every write (create, upsert, replace, patch, delete, a
   * transactional batch) is refused with 403 and noted in `refusedWrites`, so code that should
   * only read fails loudly, and a test can say which write it tried.
   */
  refuseWrites = false;
  readonly refusedWrites: string[] = [];
  /** Delay before each request is passed on, in ms: a network's jitter, so races interleave. */
  latencyMs: () => number = () => 0;
  readonly seed: number;
  private readonly random: () => number;
  private server: http.Server | undefined;
  private readonly hanging = new Set<http.ServerResponse>();
  private readonly collections = new Map<string, Promise<CollectionFacts | undefined>>();
  private readonly expiring = new Map<string, Expiring>();
  /** The soonest expiry in `expiring`: requests look through it only once that has passed. */
  private nextExpiry = Infinity;
  private readonly now: () => number;

  constructor(
    private readonly upstream: Pick<EmbeddedCosmos, "serve">,
    private readonly options: StrictCosmosOptions = {},
  ) {
    this.seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.random = mulberry32(this.seed);
    this.now = options.now ?? (() => Date.now());
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    // Idle connections are kept for minutes: a client whose event loop is busy longer than the
    // server's keep-alive (a bench seeding a municipality between two requests) writes its next
    // request on a socket the server has closed, and the SDK does not retry a write's ECONNRESET.
    this.server = http.createServer({ keepAliveTimeout: 300_000 }, (req, res) => {
      this.requests += 1;
      if (this.refuseWrites && isWrite(req)) {
        this.refusedWrites.push(`${req.method} ${decodeURIComponent(req.url ?? "")}${String(req.headers["x-ms-cosmos-is-batch-request"]).toLowerCase() === "true" ? " (batch)" : ""}`);
        req.resume();
        return void reply(res, 403, "Forbidden", "This test's store refuses writes: the code under test must only read");
      }
      const fault = this.fault.kind !== "none" ? this.fault : (this.faultWhen({ method: req.method ?? "", path: decodeURIComponent(req.url ?? ""), partitionKey: String(req.headers["x-ms-documentdb-partitionkey"] ?? ""), batch: String(req.headers["x-ms-cosmos-is-batch-request"] ?? "").toLowerCase() === "true", atomic: String(req.headers["x-ms-cosmos-batch-atomic"] ?? "").toLowerCase() === "true" }) ?? this.fault);
      if (fault.kind === "hang") {
        this.hung += 1;
        this.hanging.add(res);
        res.on("close", () => this.hanging.delete(res));
        req.resume();
        return;
      }
      if (fault.kind === "status") return void reply(res, fault.status, fault.status === 429 ? "TooManyRequests" : fault.status === 408 ? "RequestTimeout" : "ServiceUnavailable", "injected", fault.retryAfterMs);
      this.throttleDebt = this.throttleRate > 0 ? (this.throttleDebt ?? this.random()) + this.throttleRate : undefined;
      if (this.throttleDebt !== undefined && this.throttleDebt >= 1) {
        this.throttleDebt -= 1;
        this.throttled += 1;
        return void reply(res, 429, "TooManyRequests", "Request rate is large (injected)", 20);
      }
      const delay = this.latencyMs();
      req.pause();
      const go = () =>
        void this.handle(req, res).catch((error: unknown) => {
          if (!res.headersSent) reply(res, 500, "ProxyError", String(error));
          else res.destroy();
        });
      if (delay > 0) setTimeout(go, delay);
      else go();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req, MAX_REQUEST_BYTES);
    if (body === "too-large") return reply(res, 413, "RequestEntityTooLarge", "Request size is too large");
    const kind = kindOf(req, body);
    this.requestsByKind.set(kind, (this.requestsByKind.get(kind) ?? 0) + 1);
    await this.expireDue();

    const url = new URL(req.url ?? "/", "http://proxy");
    const docs = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/docs(?:\/([^/]+))?$/.exec(url.pathname);
    const headers = { ...req.headers };
    delete headers["content-length"];
    let outgoing = body;

    for (const name of ["if-match", "if-none-match"] as const) {
      const value = headers[name];
      if (value === undefined) continue;
      if (value === "") return reply(res, 400, "BadRequest", `An empty ${name} header is not a valid precondition`);
      if (name === "if-match" || value !== "*") headers[name] = unquoteEtag(String(value));
    }

    if (docs) {
      const collectionPath = `/dbs/${docs[1]}/colls/${docs[2]}`;
      const isQuery = req.method === "POST" && String(headers["x-ms-documentdb-isquery"]).toLowerCase() === "true";
      const isPlan = String(headers["x-ms-cosmos-is-query-plan-request"]).toLowerCase() === "true";
      const isBatch = String(headers["x-ms-cosmos-is-batch-request"]).toLowerCase() === "true";
      if (isQuery && !isPlan) return this.query(req, res, collectionPath, headers, body);
      let operations: Array<Record<string, unknown>> = [];
      if (isBatch) {
        operations = JSON.parse(body.toString("utf8")) as Array<Record<string, unknown>>;
        for (const operation of operations) {
          if (operation.ifMatch === "") return reply(res, 400, "BadRequest", "An empty ifMatch is not a valid precondition");
          if (typeof operation.ifMatch === "string") operation.ifMatch = unquoteEtag(operation.ifMatch);
        }
        outgoing = Buffer.from(JSON.stringify(operations));
      }
      const answer = await this.forward(req.method ?? "GET", req.url ?? "/", headers, outgoing);
      const facts = await this.collection(collectionPath);
      let json = parseJson(answer.body);
      const pkHeader = String(req.headers["x-ms-documentdb-partitionkey"] ?? "");
      if (req.method === "GET" && docs[3] && answer.status === 200 && json && this.isExpired(json as Record<string, unknown>, facts)) {
        await this.forward("DELETE", req.url ?? "/", headers, Buffer.alloc(0));
        return reply(res, 404, "NotFound", "Entity with the specified id does not exist in the system.");
      }
      if (answer.status < 300 && json) {
        if (isBatch && Array.isArray(json)) {
          // Prefer: return=minimal (contentResponseOnWriteEnabled: false): as Cosmos does, writes answer without their documents.
          const minimal = String(req.headers.prefer ?? "").toLowerCase() === "return=minimal";
          (json as Array<{ resourceBody?: Record<string, unknown> }>).forEach((result, i) => {
            // A bulk request's operations name their partitions themselves (a batch's is the header's).
            const partitionKey = operations[i]?.partitionKey;
            if (result.resourceBody) this.remember(collectionPath, result.resourceBody, typeof partitionKey === "string" ? partitionKey : pkHeader, facts);
            if (minimal && operations[i]?.operationType !== "Read") delete result.resourceBody;
          });
        } else if (req.method === "DELETE" && docs[3]) {
          this.expiring.delete(`${collectionPath}/docs/${docs[3]}|${pkHeader}`);
        } else if (req.method !== "GET" && typeof json === "object" && !Array.isArray(json) && "id" in json) {
          this.remember(collectionPath, json as Record<string, unknown>, pkHeader, facts);
        }
        json = quoteEtags(json);
      }
      return send(res, answer, json);
    }
    const answer = await this.forward(req.method ?? "GET", req.url ?? "/", headers, outgoing);
    send(res, answer, answer.status < 300 ? quoteEtags(parseJson(answer.body)) : parseJson(answer.body));
  }

  /** A query page: scoped to the partition the header names, expired items gone, short or empty. */
  private async query(req: http.IncomingMessage, res: http.ServerResponse, collectionPath: string, headers: http.IncomingHttpHeaders, body: Buffer): Promise<void> {
    const spec = JSON.parse(body.toString("utf8")) as { query: string; parameters?: Array<{ name: string; value: unknown }> };
    const facts = await this.collection(collectionPath);
    const pkHeader = req.headers["x-ms-documentdb-partitionkey"];
    if (pkHeader !== undefined && facts?.partitionKeyPaths.length) {
      const value = (JSON.parse(String(pkHeader)) as unknown[])[0];
      Object.assign(spec, scopeToPartition(spec, facts.partitionKeyPaths[0]!, value));
    }
    const continuation = headers["x-ms-continuation"] ? (JSON.parse(String(headers["x-ms-continuation"])) as unknown) : undefined;
    if (isResume(continuation)) {
      if (continuation.inner === null) delete headers["x-ms-continuation"];
      else headers["x-ms-continuation"] = JSON.stringify(continuation.inner);
    } else if (this.random() < (this.options.emptyPageRate ?? 0)) {
      // An empty page that says "there is more": a client must follow continuations to the end.
      const token = JSON.stringify({ strictResume: true, inner: continuation ?? null });
      res.writeHead(200, { "content-type": "application/json", "x-ms-continuation": token, "x-ms-item-count": "0", "x-ms-request-charge": "1" });
      return void res.end(JSON.stringify({ _rid: "", Documents: [], _count: 0 }));
    }
    const requested = Number(headers["x-ms-max-item-count"] ?? -1);
    const cap = this.options.maxPageItems;
    if (cap !== undefined && (requested <= 0 || requested > cap)) headers["x-ms-max-item-count"] = String(1 + Math.floor(this.random() * cap));
    const answer = await this.forward("POST", req.url ?? "/", headers, Buffer.from(JSON.stringify(spec)));
    const json = parseJson(answer.body) as { Documents?: unknown[]; _count?: number } | undefined;
    if (answer.status === 200 && json?.Documents) {
      const kept: unknown[] = [];
      for (const item of json.Documents) {
        if (item && typeof item === "object" && this.isExpired(item as Record<string, unknown>, facts)) continue;
        kept.push(item);
      }
      json.Documents = kept;
      json._count = kept.length;
      answer.headers["x-ms-item-count"] = String(kept.length);
    }
    send(res, answer, answer.status < 300 ? quoteEtags(json) : json);
  }

  private isExpired(item: Record<string, unknown>, facts: CollectionFacts | undefined): boolean {
    const expiresAt = expiryOf(item, facts);
    return expiresAt !== undefined && expiresAt <= this.now();
  }

  private remember(collectionPath: string, item: Record<string, unknown>, pkHeader: string, facts: CollectionFacts | undefined): void {
    const key = `${collectionPath}/docs/${encodeURIComponent(String(item.id))}|${pkHeader}`;
    const expiresAt = expiryOf(item, facts);
    if (expiresAt === undefined) this.expiring.delete(key);
    else {
      this.expiring.set(key, { docPath: `${collectionPath}/docs/${encodeURIComponent(String(item.id))}`, partitionKeyHeader: pkHeader, expiresAt });
      this.nextExpiry = Math.min(this.nextExpiry, expiresAt);
    }
  }

  /** Deletes what has expired, as Cosmos's background TTL does, before the next request sees it. */
  private async expireDue(): Promise<void> {
    const now = this.now();
    if (now < this.nextExpiry) return;
    this.nextExpiry = Infinity;
    for (const [key, item] of this.expiring) {
      if (item.expiresAt > now) {
        this.nextExpiry = Math.min(this.nextExpiry, item.expiresAt);
        continue;
      }
      this.expiring.delete(key);
      await this.forward("DELETE", item.docPath, { "x-ms-documentdb-partitionkey": item.partitionKeyHeader, "x-ms-version": "2020-07-15" }, Buffer.alloc(0));
    }
  }

  private collection(path: string): Promise<CollectionFacts | undefined> {
    let facts = this.collections.get(path);
    if (!facts) {
      facts = this.forward("GET", path, { "x-ms-version": "2020-07-15" }, Buffer.alloc(0)).then((answer) => {
        const json = parseJson(answer.body) as { partitionKey?: { paths?: string[] }; defaultTtl?: number } | undefined;
        if (answer.status !== 200 || !json) {
          this.collections.delete(path);
          return undefined;
        }
        return { partitionKeyPaths: json.partitionKey?.paths ?? [], defaultTtl: typeof json.defaultTtl === "number" ? json.defaultTtl : undefined };
      });
      this.collections.set(path, facts);
    }
    return facts;
  }

  private forward(method: string, path: string, headers: http.OutgoingHttpHeaders, body: Buffer): Promise<ServedRequest> {
    return this.upstream.serve(method, path, headers, body);
  }
}

/** What a request is, for counting: a batch or bulk request, a query plan, a query by its first words, or the method on a document. */
function kindOf(req: http.IncomingMessage, body: Buffer): string {
  const header = (name: string) => String(req.headers[name] ?? "").toLowerCase() === "true";
  if (header("x-ms-cosmos-is-batch-request")) return header("x-ms-cosmos-batch-atomic") ? "transactional batch" : "bulk";
  if (header("x-ms-cosmos-is-query-plan-request")) return "query plan";
  if (header("x-ms-documentdb-isquery")) {
    const query = (parseJson(body) as { query?: string } | undefined)?.query ?? "";
    return `query: ${query.replace(/\s+/g, " ").slice(0, 70)}`;
  }
  const isDoc = /\/docs\/[^/]+$/.test(req.url ?? "");
  const method = req.method ?? "";
  if (method === "GET") return isDoc ? "point read" : "read (metadata)";
  if (method === "POST") return header("x-ms-documentdb-is-upsert") ? "upsert" : "create";
  return { PUT: "replace", PATCH: "patch", DELETE: "delete" }[method] ?? method;
}

/** When an item expires (ms), as Cosmos decides it: only with TTL on for its container. */
function expiryOf(item: Record<string, unknown>, facts: CollectionFacts | undefined): number | undefined {
  if (facts?.defaultTtl === undefined || typeof item._ts !== "number") return undefined;
  const ttl = typeof item.ttl === "number" ? item.ttl : facts.defaultTtl;
  if (ttl === -1 || ttl <= 0) return undefined;
  return (item._ts + ttl) * 1000;
}

/** Adds "partition key = value" to a query's WHERE, as a partition-scoped query is run by Cosmos. */
export function scopeToPartition(spec: { query: string; parameters?: Array<{ name: string; value: unknown }> }, path: string, value: unknown): { query: string; parameters: Array<{ name: string; value: unknown }> } {
  const match = /\bFROM\s+(\w+)/i.exec(spec.query);
  if (!match) throw new Error(`The strict Cosmos double cannot scope this query: ${spec.query}`);
  const alias = match[1]!;
  const field = `${alias}${path.split("/").filter(Boolean).map((p) => `["${p}"]`).join("")}`;
  const head = spec.query.slice(0, match.index + match[0].length);
  let rest = spec.query.slice(match.index + match[0].length);
  const orderBy = /\sORDER\s+BY\s/i.exec(rest);
  const tail = orderBy ? rest.slice(orderBy.index) : "";
  rest = orderBy ? rest.slice(0, orderBy.index) : rest;
  const where = /^\s*WHERE\s+/i.exec(rest);
  const condition = where ? ` WHERE (${field} = @strictPartitionKey) AND (${rest.slice(where[0].length)})` : ` WHERE ${field} = @strictPartitionKey${rest}`;
  return { query: `${head}${condition}${tail}`, parameters: [...(spec.parameters ?? []), { name: "@strictPartitionKey", value }] };
}

function isResume(value: unknown): value is { strictResume: true; inner: unknown } {
  return typeof value === "object" && value !== null && (value as { strictResume?: unknown }).strictResume === true;
}

/** Real ETags are quoted strings; an If-Match must be given back exactly so. */
function quoteEtag(etag: string): string {
  return etag.startsWith('"') ? etag : `"${etag}"`;
}

function unquoteEtag(etag: string): string {
  // An unquoted tag was not given out by Cosmos: pass on something that matches nothing (412).
  return etag.length >= 2 && etag.startsWith('"') && etag.endsWith('"') ? etag.slice(1, -1) : `unquoted:${etag}`;
}

function quoteEtags(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(quoteEtags);
  if (!json || typeof json !== "object") return json;
  const object = json as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if ((key === "_etag" || key === "eTag") && typeof value === "string") out[key] = quoteEtag(value);
    else if (key === "Documents" || key === "resourceBody" || key === "DocumentCollections" || key === "Databases") out[key] = quoteEtags(value);
    else out[key] = value;
  }
  return out;
}

function send(res: http.ServerResponse, answer: { readonly status: number; readonly headers: Readonly<Record<string, string>> }, json: unknown): void {
  const headers = { ...answer.headers };
  delete headers["content-length"];
  delete headers["transfer-encoding"];
  if (typeof headers.etag === "string") headers.etag = quoteEtag(headers.etag);
  if (json && typeof json === "object" && !Array.isArray(json) && typeof (json as { _etag?: unknown })._etag === "string") headers.etag = (json as { _etag: string })._etag;
  const text = json === undefined ? "" : JSON.stringify(json);
  res.writeHead(answer.status, { ...headers, "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

function reply(res: http.ServerResponse, status: number, code: string, message: string, retryAfterMs?: number): void {
  const headers: Record<string, string> = { "content-type": "application/json", "x-ms-request-charge": "0" };
  if (retryAfterMs !== undefined || status === 429) headers["x-ms-retry-after-ms"] = String(retryAfterMs ?? 100);
  res.writeHead(status, headers);
  res.end(JSON.stringify({ code, message }));
}

function parseJson(body: Buffer | string): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(typeof body === "string" ? body : body.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(over ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
    req.resume();
  });
}

/** A small seeded PRNG, so a run's short pages and throttling can be replayed from its seed (Indsigt's seeding uses it too). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A request that would change data: anything but a read (GET, HEAD) or a query (a POST that says it is one, or asks for its plan). */
function isWrite(req: http.IncomingMessage): boolean {
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") return false;
  if (method !== "POST") return true;
  const flag = (name: string) => String(req.headers[name]).toLowerCase() === "true";
  return !flag("x-ms-documentdb-isquery") && !flag("x-ms-cosmos-is-query-plan-request");
}
