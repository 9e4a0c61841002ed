import { AppError, ErrorCodes } from "../kernel/errors";
/** Cosmos reports failures as errors with an HTTP status in `code`. */
export function cosmosStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

export const isNotFound = (error: unknown): boolean => cosmosStatus(error) === 404;
export const isConflict = (error: unknown): boolean => cosmosStatus(error) === 409;
export const isPreconditionFailed = (error: unknown): boolean => cosmosStatus(error) === 412;

/** The catalogue's storage entries: an AppError with another code names another source. */
const STORAGE_CODES: ReadonlySet<string> = new Set([ErrorCodes.storageUnavailable, ErrorCodes.storageConflict, ErrorCodes.storageKeptChanging, ErrorCodes.storageInconsistent].map((d) => d.code));

/**
 * Cosmos is slow, throttling or briefly away (timeout, 408, 429 after the SDK's bounded retries,
 * 503, or no connection): worth "try again in a moment", not an apology for a bug.
 * A connection refused by Teams or Graph looks the same from here; the code that called them
 * names it as theirs (an AppError with its own code), and that name wins.
 */
export function isTransientStorageFailure(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  if (e instanceof AppError && !STORAGE_CODES.has(e.code)) return false;
  const status = cosmosStatus(error);
  if (status === 408 || status === 429 || status === 503 || status === 449) return true;
  if (e.code === "TimeoutError" || e.name === "TimeoutError" || e.name === "AbortError") return true;
  if (typeof e.code === "string" && ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"].includes(e.code)) return true;
  return e.cause !== undefined && e.cause !== error && isTransientStorageFailure(e.cause);
}

/** Raised when a write's eTag no longer matches: another writer saved first. */
export class ETagConflictError extends AppError {
  constructor(readonly key: string) {
    super(ErrorCodes.storageConflict, { detail: `"${key}"` });
    this.name = "ETagConflictError";
  }
}
