import pino from "pino";
import type { LogLevel } from "./config";

export type Logger = pino.Logger;

/**
 * Where reflection text or secrets could sit in what we log, at any depth we pass in: activity
 * fields, card values, and the bodies of HTTP errors (the Bot Connector echoes the message it
 * refused). A second line of defence: code must not log these in the first place.
 */
const REDACTED_PATHS = [
  ...["text", "value", "body", "attachments", "authorization", "appPassword", "key", "token", "draft", "answers", "commitment", "answer", "note", "notes"].flatMap(
    (field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`, `*.*.*.*.${field}`],
  ),
  "*.headers.authorization",
  "*.*.headers.authorization",
  "err.response.bodyAsText",
  "err.request.body",
];

/**
 * Errors from HTTP clients (the Connector, Graph, Cosmos) carry the request and response, and
 * their message may quote the body. For those, the log keeps what an operator acts on (status,
 * code, where) and drops the rest; our own errors keep their message and stack.
 */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const e = error as Error & { code?: unknown; statusCode?: number; response?: { status?: number }; request?: { url?: string; method?: string }; cause?: unknown };
  const fromHttp = e.response !== undefined || e.request !== undefined;
  if (!fromHttp) return { ...pino.stdSerializers.err(error), ...(e.cause ? { cause: serializeError(e.cause) } : {}) };
  const status = e.statusCode ?? e.response?.status;
  return {
    type: e.name,
    message: `HTTP ${status ?? "error"}${typeof e.code === "string" ? ` ${e.code}` : ""}`,
    status,
    code: e.code,
    request: e.request ? { method: e.request.method, url: e.request.url?.split("?")[0] } : undefined,
  };
}

/** Structured JSON logs with redaction; `destination` lets tests read the lines. */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "lederrefleksion" },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}

/** A logger that drops everything; for tests that do not assert on logs. */
export const silentLogger: Logger = pino({ level: "silent" });
