const SYSTEM_FIELDS = ["_rid", "_self", "_etag", "_ts", "_attachments"] as const;

/** A document as we wrote it, without the fields Cosmos adds on every read. */
export function withoutSystemFields<T>(document: T): T {
  const copy = { ...(document as Record<string, unknown>) };
  for (const field of SYSTEM_FIELDS) delete copy[field];
  return copy as T;
}
