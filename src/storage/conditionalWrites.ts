import type { Container } from "@azure/cosmos";
import { isNotFound, isPreconditionFailed } from "./cosmosErrors";

/**
 * Replaces a document only if nobody changed it since it was read (If-Match on its eTag).
 * Returns the stored document with its new eTag, or undefined if it changed or is gone: the
 * caller lost a race and should look again, not overwrite.
 */
export async function replaceIfUnchanged<T extends object>(
  container: Container,
  current: { readonly id: string; readonly _etag?: string },
  partitionKey: string,
  next: T,
): Promise<(T & { _etag?: string }) | undefined> {
  try {
    const { resource } = await container
      .item(current.id, partitionKey)
      .replace<T & { _etag?: string }>(next, { accessCondition: { type: "IfMatch", condition: current._etag ?? "" } });
    return resource;
  } catch (error) {
    if (isPreconditionFailed(error) || isNotFound(error)) return undefined;
    throw error;
  }
}
