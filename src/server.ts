import restify, { type Request, type Response } from "restify";
import type { MessageEndpoint } from "./bot/messageEndpoint";
import { AppError, ErrorCodes } from "./kernel/errors";
import type { Logger } from "./kernel/log";
import type { ErrorDefinition } from "./kernel/errors";
import type { Download } from "./domain/download";
import { texts } from "./kernel/texts";
import type { InsightPages, PageAnswer } from "./insight/insightPages";
import { insightMessage } from "./cards/insightPage";
import { TAB_ASSETS } from "./tabs/assets";
import type { MeetingPanelPages } from "./meetings/meetingPanelPages";
import { meetingPanelMessage } from "./cards/meetingPanelPage";
import type { SharePages } from "./sharing/sharePages";
import { shareMessage } from "./cards/sharePage";
import { SHARE_TAB_PATH } from "./sharing/shareTab";

/** Teams activities are a few kB; a card submit with long answers stays well below this. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Resolves (optionally with details to show) when ready; rejects with the reason when not. */
export type ReadinessCheck = () => Promise<Record<string, unknown> | void>;

export interface ExportLinks {
  /** Whether the link would work, without using it up. */
  isUsable(token: string): Promise<boolean>;
  /** The file (using up a single-use link); undefined means 404. */
  download(token: string): Promise<Download | undefined>;
}

export interface ServerDependencies {
  /** /api/messages: authentication, validation and the turn, in the bot edge. */
  readonly messages: MessageEndpoint;
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  readonly log: Logger;
  /** /export/…: a person's own data ("eksport"). */
  readonly exports?: ExportLinks;
  /** /minutes/…: a leader group's whole record ("referat alle"). */
  readonly minutes?: ExportLinks;
  /** /indsigt: the Indsigt tab (its shell, its numbers, the CSV and the page's own files). */
  readonly insight?: InsightPages;
  /** /til-min-leder: the reader's tab of Til min leder (its shell, the list, one share, questions back). */
  readonly shares?: SharePages;
  /** /moede: the leader group's meeting side panel. */
  readonly meetingPanel?: MeetingPanelPages;
}

/**
 * Where Teams and Microsoft 365 frame a tab from (Microsoft's tab requirements); nothing else
 * may frame Indsigt.
 */
export const TEAMS_FRAME_ANCESTORS = [
  "https://teams.microsoft.com", "https://*.teams.microsoft.com", "https://*.cloud.microsoft", "https://*.microsoft365.com",
  "https://*.office.com", "https://outlook.office.com", "https://outlook.office365.com",
];

/**
 * Indsigt's headers: its own scripts and styles only (none inline), framed by Teams only, never
 * sniffed or cached. TeamsJS (served from here, loaded only inside Teams) fetches Microsoft's
 * list of valid Teams domains from res.cdn.office.net: JSON, not script.
 */
export const INSIGHT_HEADERS = {
  "content-security-policy": `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' https://res.cdn.office.net; form-action 'self'; base-uri 'none'; frame-ancestors 'self' ${TEAMS_FRAME_ANCESTORS.join(" ")}`,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
} as const;

export interface HttpServer {
  readonly server: restify.Server;
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, waits for turns in flight (up to the timeout), then closes connections. */
  close(timeoutMs?: number): Promise<void>;
}

export function createHttpServer(deps: ServerDependencies): HttpServer {
  const { messages, readiness, log } = deps;
  // Export tokens are ~200 characters; the router's default cap on a path parameter is 100.
  const server = restify.createServer({ name: "lederrefleksion", handleUncaughtExceptions: false, maxParamLength: 1024 });
  let inFlight = 0;
  let draining: (() => void) | undefined;

  // Before any body is read: restify's body reader would inflate gzip and deflate with no limit
  // on the inflated size and no error handler (a 5-byte request crashed the process, a 64 kB
  // one cost a gigabyte). No client of ours compresses requests, so none is accepted.
  server.pre((req: Request, res: Response, next: (e?: unknown) => void) => {
    const encoding = String(req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
    if (encoding !== "identity" && encoding !== "") return refuseEarly(res, next, 415, "unsupported_encoding", "Content-Encoding is not supported; send the body uncompressed.");
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) return refuseEarly(res, next, 413, "payload_too_large", `The body may be at most ${MAX_BODY_BYTES} bytes.`);
    return next();
  });

  // restify hands these options on to its bodyReader, which enforces maxBodySize (413) also for
  // chunked bodies; the typings just do not list it.
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
    inFlight += 1;
    try {
      const answer = await messages({ body: req.body, authorization: req.headers.authorization, requestId: req.id() });
      if (answer.body === undefined) {
        res.status(answer.status);
        res.end();
      } else res.send(answer.status, answer.body);
    } catch (err) {
      log.error({ reqId: req.id(), code: ErrorCodes.activityFailed.code, err }, ErrorCodes.activityFailed.description);
      if (!res.headersSent) res.send(500, { error: "internal_error", code: ErrorCodes.activityFailed.code });
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

  // A GET only shows a page with a button: mail and chat link scanners (Safe Links) fetch every
  // link, and a GET that used up the link would leave the person with a dead one. The button
  // POSTs back to the same address, and only that downloads.
  const downloadRoute = (path: string, links: ExportLinks | undefined, pages: DownloadPages, failure: ErrorDefinition) => {
    if (!links) return;
    /** Runs a step; a failure is logged with its code and answered with a calm page. */
    const step = async <T>(req: Request, res: Response, run: (token: string) => Promise<T>): Promise<T | "failed"> => {
      try {
        return await run(String(req.params.token ?? ""));
      } catch (err) {
        log.error({ reqId: req.id(), code: failure.code, err }, failure.description);
        sendPage(res, 500, pages.failed);
        return "failed";
      }
    };
    server.get(`${path}/:token`, async (req: Request, res: Response) => {
      const usable = await step(req, res, (token) => links.isUsable(token));
      if (usable === "failed") return;
      sendPage(res, usable ? 200 : 404, usable ? pages.ready : pages.gone, usable);
    });
    server.post(`${path}/:token`, async (req: Request, res: Response) => {
      const download = await step(req, res, (token) => links.download(token));
      if (download === "failed") return;
      // Forged, expired and used links look the same from outside: 404, nothing else.
      if (!download) {
        sendPage(res, 404, pages.gone);
        return;
      }
      log.info({ reqId: req.id(), path, bytes: Buffer.byteLength(download.body) }, "Download sent");
      res.writeHead(200, {
        "content-type": download.contentType,
        "content-disposition": `attachment; filename="${download.filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      });
      res.end(download.body);
    });
  };
  downloadRoute("/export", deps.exports, texts.exportPage, ErrorCodes.exportFailed);
  downloadRoute("/minutes", deps.minutes, texts.minutesPage, ErrorCodes.minutesFailed);
  if (deps.insight) insightRoutes(server, deps.insight, log);
  if (deps.shares) shareRoutes(server, deps.shares, log);
  if (deps.meetingPanel) meetingPanelRoutes(server, deps.meetingPanel, log);

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        // restify re-emits the Node server's errors on itself, and an emitter with no "error"
        // listener throws: without this, a taken port became an uncaught exception (LR-1101) and
        // a process that served nothing stayed up. index.ts exits on this rejection.
        const refuse = (err: NodeJS.ErrnoException) =>
          reject(new AppError(ErrorCodes.listenFailed, { cause: err, detail: `${host}:${port}: ${err.code ?? err.message}` }));
        server.once("error", refuse);
        server.listen(port, host, () => {
          server.off("error", refuse);
          resolve((server.address() as { port: number }).port);
        });
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

/** The query's one value of `name` (a repeated one is refused as absent: nobody sends two). */
function queryValue(req: Request, name: string): string | undefined {
  const values = new URL(req.url ?? "/", "http://localhost").searchParams.getAll(name);
  return values.length === 1 ? values[0] : undefined;
}

/**
 * What every tab's routes share: its headers on every answer, loopback only without an app id
 * (no sign-in then, like the bot), a calm page when building one fails, and the tab's own files.
 */
function tabRoutes(server: restify.Server, tab: { readonly base: string; readonly localMode: boolean; readonly denied: string; readonly failed: string; readonly failure: ErrorDefinition }, log: Logger) {
  const send = (res: Response, answer: PageAnswer & { readonly etag?: string }) => {
    res.writeHead(answer.status, {
      ...INSIGHT_HEADERS,
      "content-type": answer.contentType,
      ...(answer.etag ? { etag: answer.etag } : {}),
      ...(answer.filename ? { "content-disposition": `attachment; filename="${answer.filename}"` } : {}),
    });
    res.end(answer.body);
  };
  const refusedRemote = (req: Request, res: Response) => {
    if (!tab.localMode || isLoopback(req.socket.remoteAddress)) return false;
    send(res, { status: 403, contentType: "text/html; charset=utf-8", body: tab.denied });
    return true;
  };
  const answer = (run: (req: Request) => Promise<PageAnswer> | PageAnswer) => async (req: Request, res: Response) => {
    if (refusedRemote(req, res)) return;
    try {
      send(res, await run(req));
    } catch (err) {
      log.error({ reqId: req.id(), code: tab.failure.code, err }, tab.failure.description);
      send(res, { status: 500, contentType: "text/html; charset=utf-8", body: tab.failed });
    }
  };
  for (const [file, asset] of Object.entries(TAB_ASSETS)) {
    server.get(`${tab.base}/${file}`, async (req: Request, res: Response) => {
      if (refusedRemote(req, res)) return;
      res.writeHead(200, { ...INSIGHT_HEADERS, "content-type": asset.contentType, "cache-control": "no-cache" });
      res.end(asset.body());
    });
  }
  return answer;
}

function insightRoutes(server: restify.Server, insight: InsightPages, log: Logger): void {
  const answer = tabRoutes(
    server,
    { base: "/indsigt", localMode: insight.localMode, denied: insightMessage(texts.insightPage.denied), failed: insightMessage(texts.insightPage.failed), failure: ErrorCodes.insightPageFailed },
    log,
  );
  server.get("/indsigt", answer((req) => insight.shell(queryValue(req, "kvartal"))));
  server.get("/indsigt/tal", answer((req) => insight.numbers(req.headers.authorization, queryValue(req, "kvartal") ?? "", req.id())));
  server.get("/indsigt/tal.csv", answer((req) => insight.csv(req.headers.authorization, queryValue(req, "kvartal") ?? "", req.id())));
}

/** Til min leder's reader tab; `som` names the local reader in a run without an app id (ignored otherwise). */
function shareRoutes(server: restify.Server, pages: SharePages, log: Logger): void {
  const base = SHARE_TAB_PATH;
  const answer = tabRoutes(
    server,
    { base, localMode: pages.localMode, denied: shareMessage(texts.shareReaderPage.notFound), failed: shareMessage(texts.shareReaderPage.failed), failure: ErrorCodes.sharePageFailed },
    log,
  );
  server.get(base, answer((req) => pages.shell(queryValue(req, "share"), queryValue(req, "som"))));
  server.get(`${base}/delt`, answer((req) => pages.list(req.headers.authorization, queryValue(req, "som"), req.id())));
  server.get(`${base}/delt/:id`, answer((req) => pages.one(req.headers.authorization, queryValue(req, "som"), String(req.params.id ?? ""), req.id())));
  server.post(`${base}/delt/:id/spoergsmaal`, answer((req) => pages.ask(req.headers.authorization, queryValue(req, "som"), String(req.params.id ?? ""), req.body, req.id())));
}

/**
 * The leader group's meeting side panel (/moede): its shell and configuration page, today's
 * meeting as a fragment (with an ETag: a member's browser asks every few seconds with
 * If-None-Match and mostly gets 304), the two writes, and the tab's files.
 */
function meetingPanelRoutes(server: restify.Server, panel: MeetingPanelPages, log: Logger): void {
  const answer = tabRoutes(
    server,
    { base: "/moede", localMode: panel.localMode, denied: meetingPanelMessage(texts.meetingPanel.nothing), failed: meetingPanelMessage(texts.meetingPanel.failed), failure: ErrorCodes.meetingPanelFailed },
    log,
  );
  const query = (req: Request) => ({ chat: queryValue(req, "chat"), user: queryValue(req, "bruger") });
  server.get("/moede", answer(() => panel.shell()));
  server.get("/moede/opsaet", answer(() => panel.config()));
  server.get("/moede/panel", answer((req) => panel.panel(req.headers.authorization, query(req), req.headers["if-none-match"], req.id())));
  server.post("/moede/status", answer((req) => panel.write("status", req.headers.authorization, req.body, query(req), req.id())));
  server.post("/moede/aftaler", answer((req) => panel.write("agreements", req.headers.authorization, req.body, query(req), req.id())));
}

const isLoopback = (address: string | undefined) => address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";

function refuseEarly(res: Response, next: (e?: unknown) => void, status: number, error: string, message: string): void {
  // The body is not read; closing the connection stops the client from sending the rest.
  res.setHeader("connection", "close");
  res.send(status, { error, message });
  next(false);
}

interface DownloadPage {
  readonly title: string;
  readonly text: string;
  readonly button?: string;
}

interface DownloadPages {
  readonly ready: DownloadPage;
  readonly gone: DownloadPage;
  readonly failed: DownloadPage;
}

/** The small download page: no scripts, no outside resources, and a form that posts to itself. */
function sendPage(res: Response, status: number, page: DownloadPage, withButton = false): void {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const form = withButton && page.button ? `<form method="post"><button type="submit">${escape(page.button)}</button></form>` : "";
  const html =
    `<!doctype html><html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escape(page.title)}</title>` +
    `<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.6rem 1.2rem}</style>` +
    `</head><body><main><h1>${escape(page.title)}</h1><p>${escape(page.text)}</p>${form}</main></body></html>`;
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  });
  res.end(html);
}
