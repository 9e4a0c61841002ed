import { BulkOperationType, type Container, type JSONObject, type OperationInput } from "@azure/cosmos";
import { partitionKeyOf, type UserKey } from "../domain/identity";
import { emptySession, type UserSession } from "../domain/session";
import type { StagedDocument } from "../domain/turnSession";
import { ETagConflictError, isConflict, isNotFound, isPreconditionFailed } from "./cosmosErrors";
import { AppError, ErrorCodes } from "../kernel/errors";
import { bulk } from "./conditionalWrites";
import { randomUUID } from "node:crypto";
import type { LeaderInsight } from "../domain/insight/aggregate";
import type { Decision } from "../domain/result";
import { createIfAbsent, decideWithRetry, replaceIfUnchanged } from "./conditionalWrites";

const SESSION_ID = "session";

export interface LoadedSession {
  readonly session: UserSession;
  /** Undefined when the user has no session document yet. */
  readonly eTag: string | undefined;
}

/** Where sessions live; UserSessionStore is the Cosmos one. */
export interface SessionStore {
  load(user: UserKey): Promise<LoadedSession>;
  /**
   * Writes if nobody else wrote since `eTag` was read, else throws ETagConflictError; returns the
   * new eTag. `alongside` documents are written in the same transaction, or not at all.
   */
  save(user: UserKey, session: UserSession, eTag: string | undefined, alongside?: readonly StagedDocument[]): Promise<string | undefined>;
  /**
   * Marks the session as being erased: any write based on an earlier read fails from now on.
   * Returns what Indsigt needs to take the person out (their contribution as it stood, and the
   * id to take it out under), kept on the tombstone so a retried erasure finds the same.
   */
  beginErasure(user: UserKey): Promise<ErasureStart>;
}

export interface ErasureStart {
  readonly insight: LeaderInsight | undefined;
  readonly withdrawalId: string;
}

/** A session to save, with the documents written in its transaction. */
export interface SessionWrite {
  readonly session: UserSession;
  readonly alongside?: readonly StagedDocument[];
}

/**
 * Decides about the user's session as stored now and saves what the decision says, deciding
 * again on fresh state when another turn saved first (decideWithRetry over the session's eTag).
 * For work outside a turn (a reminder, an error's reset, a retired conversation); a turn has
 * its own loop, which also runs its dialogs again (bot/lederrefleksionBot.ts).
 */
export async function decideSession<O>(sessions: SessionStore, user: UserKey, what: string, decide: (loaded: LoadedSession) => Decision<SessionWrite, O>): Promise<O> {
  const { outcome } = await decideWithRetry<SessionWrite & { readonly eTag?: string }, O>(
    what,
    () => sessions.load(user),
    // load answers a session always (an empty one when none is stored), so there is always one to decide about.
    (loaded) => decide(loaded as LoadedSession),
    async (current, next) => {
      try {
        return { session: next.session, eTag: await sessions.save(user, next.session, current?.eTag, next.alongside ?? []) };
      } catch (error) {
        if (error instanceof ETagConflictError) return undefined;
        throw error;
      }
    },
  );
  return outcome;
}

interface SessionDocument {
  id: typeof SESSION_ID;
  pk: string;
  type: "session";
  session: UserSession;
  updatedAt: string;
  /** On the tombstone an erasure writes first. */
  erasing?: true;
  insight?: LeaderInsight;
  withdrawalId?: string;
  _etag?: string;
}

/**
 * One document per user, in the user's own partition: a point read at the start of a turn and
 * a conditional write at the end. Two turns racing for the same user cannot both win: the loser
 * gets ETagConflictError and its turn is run again on the winner's state.
 */
export class UserSessionStore implements SessionStore {
  constructor(private readonly container: Container) {}

  async load(user: UserKey): Promise<LoadedSession> {
    try {
      const { resource } = await this.container.item(SESSION_ID, partitionKeyOf(user)).read<SessionDocument>();
      if (resource) return { session: resource.session, eTag: resource._etag };
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    return { session: emptySession(), eTag: undefined };
  }

  /** Writes if nobody else wrote since `eTag` was read; returns the new eTag. */
  async save(user: UserKey, session: UserSession, eTag: string | undefined, alongside: readonly StagedDocument[] = []): Promise<string | undefined> {
    const pk = partitionKeyOf(user);
    const document: SessionDocument = { id: SESSION_ID, pk, type: "session", session, updatedAt: new Date().toISOString() };
    if (alongside.length > 0) return this.saveWith(pk, document, eTag, alongside);
    try {
      if (eTag === undefined) {
        const { resource } = await this.container.items.create(document);
        return resource?._etag;
      }
      const { resource } = await this.container
        .item(SESSION_ID, pk)
        .replace(document, { accessCondition: { type: "IfMatch", condition: eTag } });
      return resource?._etag;
    } catch (error) {
      // 409: someone created it first; 412: someone replaced it; 404: someone deleted it.
      if (isConflict(error) || isPreconditionFailed(error) || isNotFound(error)) throw new ETagConflictError(pk);
      throw error;
    }
  }

  /**
   * The sessions of several users at once, for the scheduler's chunk of reminders: point reads
   * in one bulk request (one per partition-key range), not a query, so each costs what a read
   * costs and nothing scans. A user without a session is left out.
   */
  async loadMany(users: readonly UserKey[]): Promise<Map<string, LoadedSession>> {
    const found = new Map<string, LoadedSession>();
    const pks = [...new Set(users.map(partitionKeyOf))];
    const answers = await bulk(this.container, pks.map((pk): OperationInput => ({ operationType: BulkOperationType.Read, id: SESSION_ID, partitionKey: pk })));
    answers.forEach((answer, i) => {
      if (answer.statusCode === 404) return;
      if (answer.statusCode >= 300 || !answer.resourceBody) throw new AppError(ErrorCodes.storageUnavailable, { detail: `reading a session answered ${answer.statusCode}`, cause: { code: answer.statusCode } });
      const document = answer.resourceBody as unknown as SessionDocument;
      found.set(pks[i]!, { session: document.session, eTag: document._etag });
    });
    return found;
  }

  /**
   * The operations that save a session read with `eTag` (and the documents beside it), for a
   * transactional batch in the user's partition made elsewhere: the scheduler moves a reminder's
   * schedule on in the same batch. The session's operation comes first, so a session another
   * turn changed fails the batch before anything is written.
   */
  saveOperations(user: UserKey, session: UserSession, eTag: string | undefined, alongside: readonly StagedDocument[] = []): OperationInput[] {
    const pk = partitionKeyOf(user);
    const document: SessionDocument = { id: SESSION_ID, pk, type: "session", session, updatedAt: new Date().toISOString() };
    return this.operationsFor(pk, document, eTag, alongside);
  }

  private operationsFor(pk: string, document: SessionDocument, eTag: string | undefined, alongside: readonly StagedDocument[]): OperationInput[] {
    const sessionOperation: OperationInput =
      eTag === undefined
        ? { operationType: BulkOperationType.Create, partitionKey: pk, resourceBody: document as unknown as JSONObject }
        : { operationType: BulkOperationType.Replace, partitionKey: pk, id: SESSION_ID, resourceBody: document as unknown as JSONObject, ifMatch: eTag };
    return [sessionOperation, ...alongside.map((d): OperationInput => ({ operationType: BulkOperationType.Upsert, partitionKey: pk, resourceBody: d as unknown as JSONObject }))];
  }

  /**
   * The session and the documents beside it in one transactional batch. The session's write
   * goes first: if another turn (or an erasure) changed it, that operation fails and, the batch
   * being atomic, nothing of it is written.
   */
  private async saveWith(pk: string, document: SessionDocument, eTag: string | undefined, alongside: readonly StagedDocument[]): Promise<string | undefined> {
    const operations = this.operationsFor(pk, document, eTag, alongside);
    const { result } = await this.container.items.batch(operations, pk);
    const [first, ...rest] = result ?? [];
    if (!first || [404, 409, 412].includes(first.statusCode)) throw new ETagConflictError(pk);
    const failed = [first, ...rest].find((r) => r.statusCode >= 400);
    if (failed) throw new AppError(ErrorCodes.storageInconsistent, { detail: `the session's transaction failed with ${failed.statusCode}`, cause: { code: failed.statusCode } });
    return first.eTag;
  }

  async beginErasure(user: UserKey): Promise<ErasureStart> {
    const pk = partitionKeyOf(user);
    // A conditional write on what was read: whatever eTag a turn in flight holds no longer
    // matches, and the Indsigt contribution on the tombstone is exactly the one last committed.
    const { outcome } = await decideWithRetry<SessionDocument, ErasureStart>(
      "the session while an erasure began",
      async () => {
        try {
          return (await this.container.item(SESSION_ID, pk).read<SessionDocument>()).resource;
        } catch (error) {
          if (isNotFound(error)) return undefined;
          throw error;
        }
      },
      (current) => {
        const start: ErasureStart = current?.erasing
          ? { insight: current.insight, withdrawalId: current.withdrawalId ?? randomUUID() }
          : { insight: current?.session.insight, withdrawalId: randomUUID() };
        const tombstone: SessionDocument = {
          id: SESSION_ID, pk, type: "session", session: emptySession(), erasing: true, updatedAt: new Date().toISOString(),
          ...(start.insight ? { insight: start.insight } : {}), withdrawalId: start.withdrawalId,
        };
        return { write: tombstone, outcome: start };
      },
      (current, next) => (current ? replaceIfUnchanged(this.container, current, pk, next) : createIfAbsent(this.container, next)),
    );
    return outcome;
  }
}
