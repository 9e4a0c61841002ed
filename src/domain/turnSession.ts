import type { UserKey } from "./identity";
import type { Intent } from "./intent";
import type { UserSession } from "./session";

/**
 * One personal-chat turn's view of the user's session document. The document is read once at
 * the start of the turn and written once at the end, only when something in the turn said it
 * changed it: explicit, like teams.ts's TurnState, instead of diffing serialised copies.
 */
export class TurnSession {
  private changedByTurn = false;
  private discardedByTurn = false;

  constructor(
    readonly user: UserKey,
    readonly session: UserSession,
    readonly intent: Intent,
  ) {}

  /** The turn changed the session: it must be written back (with the eTag it was read with). */
  markChanged(): void {
    this.changedByTurn = true;
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
