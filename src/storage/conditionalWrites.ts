import type { Decision } from "../domain/result";
import { BulkOperationType, type Container, type JSONObject, type JSONValue, type OperationInput, type RequestOptions } from "@azure/cosmos";
import { isConflict, isNotFound, isPreconditionFailed } from "./cosmosErrors";
import { withoutSystemFields } from "./systemFields";
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

/** One operation's answer in a bulk request. */
interface BulkAnswer {
  readonly statusCode: number;
  readonly resourceBody?: JSONObject;
}

/** Answers Cosmos gives an operation that may be sent again: throttled, timed out, busy, or a write conflict in flight. */
const RETRYABLE = new Set([408, 429, 449, 503]);
/** Cosmos' limit on the operations of one bulk request per partition-key range. */
const BULK_LIMIT = 100;
const BULK_ATTEMPTS = 5;

/**
 * Many operations in as few requests as Cosmos allows: its bulk API sends one request per
 * partition-key range for up to 100 operations. That is one request at this app's sizes (a
 * serverless container under 50 GB has one range; a large provisioned one has several). It is
 * not a transaction: each operation stands alone, with its own precondition. Operations Cosmos
 * throttled or timed out are sent again (a few times, with a pause); the answers come back in
 * the order of the operations.
 *
 * It uses `items.bulk`, which the SDK marks deprecated: its successor, executeBulkOperations,
 * holds a batch that is not full for up to a second (intervalForPartialBatchInMs) before sending
 * it, which would add a second to every claim and mark of the scheduler and the delivery.
 */
export async function bulk(container: Container, operations: readonly OperationInput[]): Promise<BulkAnswer[]> {
  const answers: BulkAnswer[] = new Array<BulkAnswer>(operations.length);
  let pending = operations.map((_, i) => i);
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const retry: number[] = [];
    for (let at = 0; at < pending.length; at += BULK_LIMIT) {
      const part = pending.slice(at, at + BULK_LIMIT);
      const response = await container.items.bulk(part.map((i) => operations[i]!));
      response.forEach((answer, k) => {
        const i = part[k]!;
        if (RETRYABLE.has(answer.statusCode) && attempt < BULK_ATTEMPTS) retry.push(i);
        else answers[i] = { statusCode: answer.statusCode, ...(answer.resourceBody ? { resourceBody: answer.resourceBody } : {}) };
      });
    }
    pending = retry;
    if (pending.length > 0) await backoff(attempt);
  }
  return answers;
}

/** An answer no precondition explains (a throttle that outlasted the retries, a document too large): the caller leaves the work to its lease. */
function unexpected(what: string, answer: BulkAnswer): AppError {
  const transient = RETRYABLE.has(answer.statusCode);
  return new AppError(transient ? ErrorCodes.storageUnavailable : ErrorCodes.storageInconsistent, { detail: `${what} answered ${answer.statusCode}`, cause: { code: answer.statusCode } });
}

/**
 * Replaces documents nobody changed since they were read (each with If-Match on its eTag), in
 * bulk. Per item, in order: the stored document with its new eTag, or undefined when it changed
 * or is gone (a race lost), or the error its answer means.
 */
export async function replaceAllIfUnchanged<T extends object>(
  container: Container,
  items: ReadonlyArray<{ readonly current: { readonly id: string; readonly _etag?: string }; readonly partitionKey: string; readonly next: T }>,
): Promise<Array<(T & { _etag?: string }) | undefined | AppError>> {
  const answers = await bulk(
    container,
    items.map(({ current, partitionKey, next }): OperationInput => {
      if (!current._etag) throw new AppError(ErrorCodes.invariantBroken, { detail: `a conditional write of "${current.id}" needs the eTag it was read with` });
      return { operationType: BulkOperationType.Replace, id: current.id, partitionKey, resourceBody: next as unknown as JSONObject, ifMatch: current._etag };
    }),
  );
  return answers.map((answer, i) => {
    if (answer.statusCode < 300) return answer.resourceBody as unknown as T & { _etag?: string };
    if (answer.statusCode === 412 || answer.statusCode === 404) return undefined;
    return unexpected(`replacing "${items[i]!.current.id}"`, answer);
  });
}

/**
 * Leases documents a due query found (a few fields each), two bulk requests for them all: reads
 * the whole documents, then writes each back with `lease` if it is still free and nobody changed
 * it since that read. A due query that returned whole documents would carry every message and
 * schedule through the query again at every look; this reads only what is about to be claimed.
 * Returns the documents this caller now holds, with their new eTags.
 */
export async function leaseAll<T extends object>(
  container: Container,
  seen: ReadonlyArray<{ readonly id: string; readonly partitionKey: string }>,
  lease: JSONObject,
  free: (document: T) => boolean,
): Promise<Array<T & { _etag?: string }>> {
  if (seen.length === 0) return [];
  const read = await bulk(container, seen.map(({ id, partitionKey }): OperationInput => ({ operationType: BulkOperationType.Read, id, partitionKey })));
  const candidates = read.flatMap((answer, i) => {
    // Gone meanwhile (sent and expired, erased): nothing to claim.
    if (answer.statusCode === 404) return [];
    if (answer.statusCode >= 300 || !answer.resourceBody) throw unexpected(`reading "${seen[i]!.id}"`, answer);
    const current = answer.resourceBody as unknown as T & { readonly id: string; readonly _etag?: string };
    return free(current) ? [{ current, partitionKey: seen[i]!.partitionKey, next: { ...withoutSystemFields(current), lease } as T }] : [];
  });
  const written = await replaceAllIfUnchanged(container, candidates);
  return written.filter((w): w is T & { _etag?: string } => w !== undefined && !(w instanceof AppError));
}

/** Creates documents unless one with the id is there, in bulk. Per item, in order: true (created), false (already there), or the error its answer means. */
export async function createAllIfAbsent<T extends { readonly id: string }>(container: Container, documents: ReadonlyArray<{ readonly document: T; readonly partitionKey: string }>): Promise<Array<boolean | AppError>> {
  const answers = await bulk(
    container,
    documents.map(({ document, partitionKey }): OperationInput => ({ operationType: BulkOperationType.Create, partitionKey, resourceBody: document as unknown as JSONObject })),
  );
  return answers.map((answer, i) => (answer.statusCode < 300 ? true : answer.statusCode === 409 ? false : unexpected(`creating "${documents[i]!.document.id}"`, answer)));
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
