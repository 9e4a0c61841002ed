import type { UserKey } from "./identity";
import type { Intent } from "./intent";
import type { UserSession } from "./session";

/**
 * One personal-chat turn's view of the user's session document. The document is read once at
 * the start of the turn and written once at the end, only when something in the turn said it
 * changed it: explicit, like teams.ts's TurnState, instead of diffing serialised copies.
 */
/** A document written with the session, in the user's partition, in one transaction. */
export interface StagedDocument {
  readonly id: string;
  readonly pk: string;
}

export class TurnSession {
  private changedByTurn = false;
  private discardedByTurn = false;
  private readonly stagedDocuments: StagedDocument[] = [];

  constructor(
    readonly user: UserKey,
    readonly session: UserSession,
    readonly intent: Intent,
  ) {}

  /** The turn changed the session: it must be written back (with the eTag it was read with). */
  markChanged(): void {
    this.changedByTurn = true;
  }

  /**
   * Writes a document together with the session, all or nothing (a transactional batch in the
   * user's partition, guarded by the session's eTag). A saved reflection and its follow-up thus
   * exist exactly when the session that no longer holds the draft does; a concurrent erasure
   * makes the whole write fail, so it cannot be undone.
   */
  stage(document: StagedDocument): void {
    this.stagedDocuments.push(document);
    this.markChanged();
  }

  get staged(): readonly StagedDocument[] {
    return this.stagedDocuments;
  }

  /** The turn deleted the user's data: the session must not be written back at all. */
  discard(): void {
    this.discardedByTurn = true;
  }

  get changed(): boolean {
    return this.changedByTurn;
  }

  get discarded(): boolean {
    return this.discardedByTurn;
  }
}
