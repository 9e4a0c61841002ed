import type { Container } from "@azure/cosmos";
import { isNotFound, isPreconditionFailed } from "./cosmosErrors";

/**
 * Deletes a document; one that is already gone (another instance's job, the user, a retry) is
 * not an error. True if this call deleted it.
 */
export async function deleteIfPresent(container: Container, id: string, partitionKey: string): Promise<boolean> {
  try {
    await container.item(id, partitionKey).delete();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

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
