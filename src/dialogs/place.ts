import type { DialogContext } from "./sdk";
import type { UserSession } from "../domain/session";
import type { CardDialogState } from "./cardDialog";
import { DialogIds } from "./dialogIds";

/**
 * Where a leader is in the personal chat, for answers that name the one next step ("Vælg et
 * tema på kortet ovenfor") and for `hjælp`, which each place answers for itself.
 */
export type Place =
  /** The first role card, before anything else: not yet a reflection. */
  | "welcome"
  /** The role card of "skift rolle" (or of a reflection whose role is gone). */
  | "role"
  | "theme"
  | "resume"
  | "reflecting"
  | "confirmCancel"
  /** No card waits, and a reminder went out since the last reflection. */
  | "reminder"
  /** No card waits, and an unfinished reflection is kept. */
  | "draft"
  | "idle";

/** The card that waits is the innermost dialog's; with none, the session says what is due. */
export function placeOf(dc: DialogContext, session: UserSession): Place {
  let inner = dc;
  while (inner.child) inner = inner.child;
  const active = inner.activeDialog;
  switch (active?.id) {
    case DialogIds.rolePrompt:
      return (active.state as CardDialogState).options?.welcome === true ? "welcome" : "role";
    case DialogIds.themePrompt:
      return "theme";
    case DialogIds.resumePrompt:
      return "resume";
    case DialogIds.confirmCancelPrompt:
      return "confirmCancel";
    case DialogIds.reflectionSteps:
      return "reflecting";
    case undefined:
      if (session.draft) return "draft";
      return (session.profile.remindersSinceReflection ?? 0) > 0 ? "reminder" : "idle";
    default:
      // A waterfall between its cards does not wait on the leader; the reflection is what is open.
      return "reflecting";
  }
}

/** Whether a card waits for the leader's answer at this place. */
export function cardWaits(place: Place): boolean {
  return place !== "reminder" && place !== "draft" && place !== "idle";
}
