import type { EventEmitter } from "node:events";
import { ErrorCodes } from "./kernel/errors";
import type { Logger } from "./kernel/log";

/**
 * The process-level net under every handler. Nothing a client sends should get here (the HTTP
 * edge and the turn handler answer it first), but if something does, one request must not
 * take every leader's conversation down with it: the error is logged, loudly, with its code,
 * and the process keeps serving. It never swallows silently.
 */
export function installProcessGuard(log: Logger, target: EventEmitter = process): () => void {
  const onException = (err: unknown) => log.fatal({ code: ErrorCodes.uncaughtException.code, err }, ErrorCodes.uncaughtException.description);
  const onRejection = (err: unknown) => log.error({ code: ErrorCodes.unhandledRejection.code, err }, ErrorCodes.unhandledRejection.description);
  target.on("uncaughtException", onException);
  target.on("unhandledRejection", onRejection);
  return () => {
    target.off("uncaughtException", onException);
    target.off("unhandledRejection", onRejection);
  };
}
