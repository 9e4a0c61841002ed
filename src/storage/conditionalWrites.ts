import type { Decision } from "../domain/result";
import { BulkOperationType, type Container, type JSONObject, type JSONValue, type OperationInput, type RequestOptions } from "@azure/cosmos";
import { isConflict, isNotFound, isPreconditionFailed } from "./cosmosErrors";
import { AppError, ErrorCodes } from "../kernel/errors";

/**
 * Creates a document unless one with its id is already in its partition. A deterministic id
 * makes this the "exactly once" of saves and enqueues. Returns the stored document (with its
 * eTag), or undefined if someone got there first.
 */
export async function createIfAbsent<T extends { readonly id: string }>(container: Container, document: T): Promise<(T & { _etag?: string }) | undefined> {
  try {
    const { resource } = await container.items.create<T>(document);
    return resource;
  } catch (error) {
    if (isConflict(error)) return undefined;
    throw error;
  }
}

/**
 * Documents due by `now` whose lease (if any) has run out, oldest first: the scheduler's and
 * the outbox's shared query. `where` names what is due (its field compared with @now);
 * `orderBy` the time it is due at.
 */
export async function dueWithoutLease<T>(
  container: Container,
  where: string,
  orderBy: string,
  now: Date,
  max: number,
  parameters: ReadonlyArray<{ name: string; value: JSONValue }> = [],
  /** What to fetch of each: "*", or a few fields when the caller reads the rest later. */
  select = "*",
): Promise<T[]> {
  const { resources } = await container.items
    .query<T>({
      query: `SELECT TOP @max ${select} FROM c WHERE ${where} AND (NOT IS_DEFINED(c.lease) OR c.lease.until <= @now) ORDER BY ${orderBy}`,
      parameters: [
        { name: "@max", value: max },
        { name: "@now", value: now.toISOString() },
        ...parameters,
      ],
    })
    .fetchAll();
  return resources;
}

/**
 * Deletes a document; one that is already gone (another instance's job, the user, a retry) is
 * not an error. True if this call deleted it.
 */
/** A point read that answers undefined for a document that is not there (404), with its eTag when it is. */
export async function readIfPresent<T>(container: Container, id: string, partitionKey: string): Promise<(T & { _etag?: string }) | undefined> {
  try {
    return (await container.item(id, partitionKey).read<T & { _etag?: string }>()).resource;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

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
      .replace<T & { _etag?: string }>(next, ifMatch(current));
    return resource;
  } catch (error) {
    if (isPreconditionFailed(error) || isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * As replaceIfUnchanged, with documents of the same partition upserted in the same
 * transactional batch: all are written, or none (a crash or a lost race leaves no half).
 */
export async function replaceWithIfUnchanged<T extends object>(
  container: Container,
  current: { readonly id: string; readonly _etag?: string },
  partitionKey: string,
  next: T,
  alongside: readonly object[],
): Promise<(T & { _etag?: string }) | undefined> {
  if (alongside.length === 0) return replaceIfUnchanged(container, current, partitionKey, next);
  if (!current._etag) throw new AppError(ErrorCodes.invariantBroken, { detail: `a conditional write of "${current.id}" needs the eTag it was read with` });
  const operations: OperationInput[] = [
    { operationType: BulkOperationType.Replace, id: current.id, partitionKey, resourceBody: next as unknown as JSONObject, ifMatch: current._etag },
    ...alongside.map((d): OperationInput => ({ operationType: BulkOperationType.Upsert, partitionKey, resourceBody: d as unknown as JSONObject })),
  ];
  const { result } = await container.items.batch(operations, partitionKey);
  const [first] = result ?? [];
  if (!first || first.statusCode === 412 || first.statusCode === 404) return undefined;
  const failed = (result ?? []).find((r) => r.statusCode >= 400);
  if (failed) throw new AppError(ErrorCodes.storageInconsistent, { detail: `a batch with "${current.id}" failed with ${failed.statusCode}`, cause: { code: failed.statusCode } });
  return first.resourceBody as unknown as T & { _etag?: string };
}

/**
 * Sets `lease` on a document if nobody changed it since `seen` was read (a patch with If-Match,
 * so what a due query returns need not carry the whole document). Returns the whole document
 * with the lease, or undefined if someone changed or deleted it first.
 */
export async function leaseIfUnchanged<T extends object>(container: Container, seen: { readonly id: string; readonly _etag?: string }, partitionKey: string, lease: JSONValue): Promise<(T & { _etag?: string }) | undefined> {
  try {
    const { resource } = await container.item(seen.id, partitionKey).patch<T & { _etag?: string }>({ operations: [{ op: "set", path: "/lease", value: lease }] }, ifMatch(seen));
    return resource;
  } catch (error) {
    if (isPreconditionFailed(error) || isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The precondition of a conditional replace. A document without an eTag was not read from
 * Cosmos; an empty If-Match would be refused by Azure Cosmos DB (400) and accepted by the
 * embedded server, so it is a bug here, not a request.
 */
export function ifMatch(current: { readonly id: string; readonly _etag?: string }): RequestOptions {
  if (!current._etag) throw new AppError(ErrorCodes.invariantBroken, { detail: `a conditional write of "${current.id}" needs the eTag it was read with` });
  return { accessCondition: { type: "IfMatch", condition: current._etag } };
}

const UPDATE_ATTEMPTS = 8;

/** A short random pause before trying again, so two writers that collided don't collide again in step. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20 * attempt)));

/**
 * Decides about a document as stored now and writes what the decision says, conditionally
 * (`write` answers undefined when someone changed the document since it was read), reading
 * again and deciding again when another writer got there first. The outcome is the last
 * decision's: the one about the document as it was written (or left). Gives up after a few
 * lost races, naming `what`.
 */
export async function decideWithRetry<T, O>(
  what: string,
  read: () => Promise<T | undefined>,
  decide: (current: T | undefined) => Decision<T, O>,
  write: (current: T | undefined, next: T) => Promise<T | undefined>,
): Promise<{ readonly stored: T | undefined; readonly outcome: O; readonly changed: boolean }> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await read();
    const decision = decide(current);
    if (decision.write === undefined) return { stored: current, outcome: decision.outcome, changed: false };
    const written = await write(current, decision.write);
    if (written) return { stored: written, outcome: decision.outcome, changed: true };
    if (attempt >= UPDATE_ATTEMPTS) throw new AppError(ErrorCodes.storageKeptChanging, { detail: `${what}, under ${UPDATE_ATTEMPTS} attempts` });
    await backoff(attempt);
  }
}

/**
 * Applies `change` to a document as stored now and writes it conditionally (`write` answers
 * undefined when someone changed the document since it was read), reading again and re-applying
 * when another writer got there first. `change` returns undefined to leave the document as it
 * is. Gives up after a few lost races, naming `what`.
 */
export async function updateWithRetry<T>(
  what: string,
  read: () => Promise<T | undefined>,
  change: (current: T | undefined) => T | undefined,
  write: (current: T | undefined, next: T) => Promise<T | undefined>,
): Promise<{ readonly stored: T | undefined; readonly changed: boolean }> {
  const { stored, changed } = await decideWithRetry(what, read, (current) => ({ write: change(current), outcome: undefined }), write);
  return { stored, changed };
}

/**
 * The answer of a retried write, or `gaveUp` when the document kept changing under it: for
 * writes that may as well wait for a next time (a count, a copy, a reset) rather than fail
 * what they are part of.
 */
export async function unlessKeptChanging<T>(write: Promise<T>, gaveUp: T): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCodes.storageKeptChanging.code) return gaveUp;
    throw error;
  }
}
