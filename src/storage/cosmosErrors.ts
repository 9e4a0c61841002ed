/** Cosmos reports failures as errors with an HTTP status in `code`. */
export function cosmosStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

export const isNotFound = (error: unknown): boolean => cosmosStatus(error) === 404;
export const isConflict = (error: unknown): boolean => cosmosStatus(error) === 409;
export const isPreconditionFailed = (error: unknown): boolean => cosmosStatus(error) === 412;

/** Raised when a write's eTag no longer matches: another writer saved first. */
export class ETagConflictError extends Error {
  readonly code = "STATE_ETAG_CONFLICT";
  constructor(readonly key: string) {
    super(`"${key}" was changed by another writer (eTag mismatch)`);
    this.name = "ETagConflictError";
  }
}
