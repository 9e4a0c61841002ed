import type { Shown } from "../kernel/shown";
import type { Framework } from "../domain/framework";
import type { UserKey } from "../domain/identity";
import type { Reflection } from "../domain/reflection";
import type { ReflectionId } from "../domain/ids";
import type { StagedDocument, TurnSession } from "../domain/turnSession";
import type { CardAttachment } from "../cards/renderCard";
import type { InsightConsent } from "../domain/insight/aggregate";
import type { UserSession } from "../domain/session";

/** What the dialogs need from outside, passed in so tests can swap the clock and ids. */
export interface ReflectionServices {
  readonly framework: Framework;
  /** The stored form of a completed reflection, written with the session in one transaction. */
  readonly reflections: {
    documentOf(reflection: Reflection): StagedDocument;
    /** The last reflection on a theme, which the next one opens with (its ratings); its id when the session knows it. */
    lastOnTheme?(user: UserKey, themeId: string, knownId?: ReflectionId): Promise<Reflection | undefined>;
    /** One reflection: the earlier one a new reflection records "how the plan went" on. */
    get?(user: UserKey, id: ReflectionId): Promise<Reflection | undefined>;
  };
  readonly clock: () => Date;
  /** INSIGHT_CONSENT: what the welcome and help cards say about Indsigt (absent: nothing, as in tests of other things). */
  readonly insightConsent?: InsightConsent;
  /**
   * A completed reflection's numbers into the leader's Indsigt contribution (in the session), and
   * the change to the organisation's counts, to write with it; undefined when they don't count.
   */
  readonly insightChangeFor?: (user: UserKey, session: UserSession, reflection: Reflection) => StagedDocument | undefined;
  /** Ids for drafts (and so for reflections). */
  readonly newId: () => string;
  /** One-time tokens for cards. */
  readonly newToken: () => string;
  /** The follow-up schedule for a reflection's next step, if it has a date; written with it. */
  readonly followUpFor?: (user: UserKey, reflection: Reflection, timezone: string | undefined) => StagedDocument | undefined;
  /** After a reflection started from a group's invitation: the card to share a point with the group, if it still may be. */
  readonly offerShare?: (turn: TurnSession, reflection: Reflection) => Promise<CardAttachment | undefined>;
  /** Til min leder: the questions back the leader took along, shown once when a new reflection starts. */
  readonly takenQuestions?: (turn: TurnSession) => Promise<ReadonlyArray<{ readonly text: Shown; readonly keep: (activityId: string) => Promise<void> }>>;
}
