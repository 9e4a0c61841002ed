import type { Framework } from "../content/framework";
import type { UserKey } from "../domain/identity";
import type { Reflection } from "../domain/reflection";

/** What the dialogs need from outside, passed in so tests can swap the clock and ids. */
export interface ReflectionServices {
  readonly framework: Framework;
  readonly reflections: { saveCompleted(reflection: Reflection): Promise<"created" | "already-saved"> };
  readonly clock: () => Date;
  /** Ids for drafts (and so for reflections). */
  readonly newId: () => string;
  /** One-time tokens for cards. */
  readonly newToken: () => string;
  /** Called once a reflection is stored (the nudges schedule its follow-up). */
  readonly onReflectionSaved?: (user: UserKey, reflection: Reflection, timezone: string | undefined) => Promise<void>;
}
