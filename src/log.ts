import pino from "pino";
import type { LogLevel } from "./config";

export type Logger = pino.Logger;

/**
 * Structured JSON logs. The redaction list is a second line of defence: code must not pass
 * secrets or reflection text to the logger in the first place.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "lederrefleksion" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ["*.authorization", "*.headers.authorization", "*.appPassword", "*.key", "*.text", "*.value"],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

/** A logger that drops everything; for tests that do not assert on logs. */
export const silentLogger: Logger = pino({ level: "silent" });
