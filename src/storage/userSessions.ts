import type { Container } from "@azure/cosmos";
import { partitionKeyOf, type UserKey } from "../domain/identity";
import { emptySession, type UserSession } from "../domain/session";
import { ETagConflictError, isConflict, isNotFound, isPreconditionFailed } from "./cosmosErrors";

const SESSION_ID = "session";

export interface LoadedSession {
  readonly session: UserSession;
  /** Undefined when the user has no session document yet. */
  readonly eTag: string | undefined;
}

/** Where sessions live; UserSessionStore is the Cosmos one. */
export interface SessionStore {
  load(user: UserKey): Promise<LoadedSession>;
  /** Writes if nobody else wrote since `eTag` was read, else throws ETagConflictError; returns the new eTag. */
  save(user: UserKey, session: UserSession, eTag: string | undefined): Promise<string | undefined>;
}

interface SessionDocument {
  id: typeof SESSION_ID;
  pk: string;
  type: "session";
  session: UserSession;
  updatedAt: string;
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
  async save(user: UserKey, session: UserSession, eTag: string | undefined): Promise<string | undefined> {
    const pk = partitionKeyOf(user);
    const document: SessionDocument = { id: SESSION_ID, pk, type: "session", session, updatedAt: new Date().toISOString() };
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
}
