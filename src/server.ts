import restify, { type Request, type Response } from "restify";
import type { CloudAdapter, TurnContext } from "botbuilder";
import type { Logger } from "./log";
import type { ExportDownload } from "./privacy/exportService";

/** Teams activities are a few kB; a card submit with long answers stays well below this. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Resolves (optionally with details to show) when ready; rejects with the reason when not. */
export type ReadinessCheck = () => Promise<Record<string, unknown> | void>;

export interface ServerDependencies {
  readonly adapter: CloudAdapter;
  readonly runTurn: (context: TurnContext) => Promise<void>;
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  readonly log: Logger;
  /** Serves a signed export link; undefined means 404. */
  readonly exportDownload?: (token: string) => Promise<ExportDownload | undefined>;
}

export interface HttpServer {
  readonly server: restify.Server;
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, waits for turns in flight (up to the timeout), then closes connections. */
  close(timeoutMs?: number): Promise<void>;
}

export function createHttpServer(deps: ServerDependencies): HttpServer {
  const { adapter, runTurn, readiness, log } = deps;
  // Export tokens are ~200 characters; the router's default cap on a path parameter is 100.
  const server = restify.createServer({ name: "lederrefleksion", handleUncaughtExceptions: false, maxParamLength: 1024 });
  let inFlight = 0;
  let draining: (() => void) | undefined;

  // restify hands these options on to its bodyReader, which enforces maxBodySize (413); the
  // typings just do not list it.
  const bodyOptions = { maxBodySize: MAX_BODY_BYTES, mapParams: false } as restify.plugins.JsonBodyParserOptions;
  server.use(restify.plugins.jsonBodyParser(bodyOptions));

  server.on("restifyError", (req: Request, res: Response, err: Error & { statusCode?: number }, next: (e?: unknown) => void) => {
    const status = err.statusCode ?? 500;
    // Probes and scanners (HEAD, unknown paths) are routine; malformed bodies are worth a look.
    const level = status >= 500 ? "error" : status === 404 || status === 405 ? "debug" : "warn";
    log[level]({ reqId: req.id(), method: req.method, url: req.url, status, reason: err.message }, "Rejected request");
    next();
  });

  server.post("/api/messages", async (req: Request, res: Response) => {
    if (!isActivityShaped(req.body)) {
      // The adapter would throw on these and answer 500; a malformed request is the caller's error.
      res.send(400, { error: "invalid_activity", message: "Body must be a Bot Framework activity with a type." });
      return;
    }
    inFlight += 1;
    try {
      await adapter.process(req, res, runTurn);
    } catch (err) {
      log.error({ reqId: req.id(), err }, "Could not process activity");
      if (!res.headersSent) res.send(500, { error: "internal_error" });
    } finally {
      inFlight -= 1;
      if (inFlight === 0) draining?.();
    }
  });

  server.get("/healthz", async (_req: Request, res: Response) => {
    res.send(200, { status: "ok", uptimeSeconds: Math.round(process.uptime()) });
  });

  server.get("/readyz", async (_req: Request, res: Response) => {
    const results = await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => {
        try {
          const details = await check();
          return [name, { ok: true, ...details }] as const;
        } catch (err) {
          log.warn({ check: name, err }, "Readiness check failed");
          return [name, { ok: false, reason: err instanceof Error ? err.message : String(err) }] as const;
        }
      }),
    );
    const ready = results.every(([, r]) => r.ok);
    res.send(ready ? 200 : 503, { status: ready ? "ready" : "not_ready", checks: Object.fromEntries(results) });
  });

  server.get("/export/:token", async (req: Request, res: Response) => {
    const token = String(req.params.token ?? "");
    let download: ExportDownload | undefined;
    try {
      download = deps.exportDownload ? await deps.exportDownload(token) : undefined;
    } catch (err) {
      log.error({ reqId: req.id(), err }, "Export failed");
      res.send(500, { error: "internal_error" });
      return;
    }
    // Forged, expired and used links look the same from outside: 404, nothing else.
    if (!download) {
      res.send(404, { error: "not_found" });
      return;
    }
    log.info({ reqId: req.id(), bytes: Buffer.byteLength(download.body) }, "Export downloaded");
    res.writeHead(200, {
      "content-type": download.contentType,
      "content-disposition": `attachment; filename="${download.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    res.end(download.body);
  });

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.server.once("error", reject);
        server.listen(port, host, () => resolve((server.address() as { port: number }).port));
      }),
    close: async (timeoutMs = 10_000) => {
      const stopped = new Promise<void>((resolve) => server.server.close(() => resolve()));
      server.server.closeIdleConnections();
      if (inFlight > 0) {
        log.info({ inFlight }, "Waiting for turns in flight to finish");
        await Promise.race([
          new Promise<void>((resolve) => (draining = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
        ]);
      }
      server.server.closeAllConnections();
      await stopped;
    },
  };
}

function isActivityShaped(body: unknown): boolean {
  return (
    typeof body === "object" &&
    body !== null &&
    !Array.isArray(body) &&
    typeof (body as { type?: unknown }).type === "string" &&
    (body as { type: string }).type.length > 0
  );
}
