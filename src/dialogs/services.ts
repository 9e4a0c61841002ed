import type { Framework } from "../content/framework";
import type { UserKey } from "../domain/identity";
import type { Reflection } from "../domain/reflection";
import type { ReflectionId } from "../domain/ids";
import type { StagedDocument, TurnSession } from "../domain/turnSession";
import type { CardAttachment } from "../cards/renderCard";

/** What the dialogs need from outside, passed in so tests can swap the clock and ids. */
export interface ReflectionServices {
  readonly framework: Framework;
  /** The stored form of a completed reflection, written with the session in one transaction. */
  readonly reflections: {
    documentOf(reflection: Reflection): StagedDocument;
    /** The last reflection on a theme, which the next one opens with (its ratings). */
    lastOnTheme?(user: UserKey, themeId: string): Promise<Reflection | undefined>;
    /** One reflection: the earlier one a new reflection records "how the plan went" on. */
    get?(user: UserKey, id: ReflectionId): Promise<Reflection | undefined>;
  };
  readonly clock: () => Date;
  /** Ids for drafts (and so for reflections). */
  readonly newId: () => string;
  /** One-time tokens for cards. */
  readonly newToken: () => string;
  /** The follow-up schedule for a reflection's next step, if it has a date; written with it. */
  readonly followUpFor?: (user: UserKey, reflection: Reflection, timezone: string | undefined) => StagedDocument | undefined;
  /** After a reflection started from a group's invitation: the card to share a point with the group, if it still may be. */
  readonly offerShare?: (turn: TurnSession, reflection: Reflection) => Promise<CardAttachment | undefined>;
}
