import type { Framework } from "../content/framework";
import type { UserKey } from "../domain/identity";
import type { Reflection } from "../domain/reflection";
import type { StagedDocument } from "../domain/turnSession";

/** What the dialogs need from outside, passed in so tests can swap the clock and ids. */
export interface ReflectionServices {
  readonly framework: Framework;
  /** The stored form of a completed reflection, written with the session in one transaction. */
  readonly reflections: { documentOf(reflection: Reflection): StagedDocument };
  readonly clock: () => Date;
  /** Ids for drafts (and so for reflections). */
  readonly newId: () => string;
  /** One-time tokens for cards. */
  readonly newToken: () => string;
  /** The follow-up schedule for a reflection's next step, if it has a date; written with it. */
  readonly followUpFor?: (user: UserKey, reflection: Reflection, timezone: string | undefined) => StagedDocument | undefined;
}
