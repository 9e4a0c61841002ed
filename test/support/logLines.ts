import { createLogger, type Logger } from "../../src/kernel/log";

/** The real logger (redaction, serializers and all), writing its JSON lines into an array a test reads. */
export function capturingLogger(level: "info" | "warn" = "info"): { readonly log: Logger; readonly lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger(level, { write: (line: string) => void lines.push(line) }), lines };
}
