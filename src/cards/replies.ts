import type { CardAttachment } from "./renderCard";
import type { TurnSession } from "../domain/turnSession";

/**
 * What a handler answers, as data: the bot edge sends it. Handlers that are not multi-step
 * dialogs return these instead of talking to botbuilder, so they run (and are tested) without it.
 */
export type Reply =
  | { readonly kind: "text"; readonly text: string; readonly keep?: KeptPost }
  | { readonly kind: "card"; readonly card: CardAttachment; readonly keep?: KeptPost }
  /** Replace the card that was clicked with this one (Teams' replyToId); sent as new when there is none. */
  | { readonly kind: "replaceClicked"; readonly card: CardAttachment; readonly keep?: KeptPost }
  /** The answer to an Action.Execute: a card shown to the one who clicked in place of theirs, or a message. */
  | { readonly kind: "execute"; readonly card?: CardAttachment; readonly text?: string };

/**
 * A group message that names people (who set a status, edited, saved the agreements or changed
 * the settings; whose point it is): the bot edge keeps the id Teams gives it, so an erasure can
 * re-draw it without the person (group/postedCards). What it is drawn from, never its text.
 */
export type KeptPost =
  | { readonly kind: "agreements-list" }
  | { readonly kind: "group-status" }
  | { readonly kind: "agreements-saved-by"; readonly meetingId: string }
  | { readonly kind: "meeting-start"; readonly meetingId: string }
  | { readonly kind: "minutes"; readonly meetingId: string; readonly part: number }
  /** `names`: the keyed mark (domain/pointAuthor) of the leader who asked, whom the card names; only their erasure re-draws it. */
  | { readonly kind: "pulse-invitation"; readonly pulseId: string; readonly names?: string };

export const say = (text: string): Reply => ({ kind: "text", text });
export const show = (card: CardAttachment): Reply => ({ kind: "card", card });
export const replaceClicked = (card: CardAttachment): Reply => ({ kind: "replaceClicked", card });
export const executed = (answer: { readonly card: CardAttachment } | { readonly text: string }): Reply => ({ kind: "execute", ...answer });
/** A reply whose message is kept for an erasure (see KeptPost). */
export const kept = (reply: Reply, keep: KeptPost): Reply => (reply.kind === "execute" ? reply : { ...reply, keep });

/** The turn as a personal-chat handler sees it: who is speaking, and their session. */
export interface PersonalTurn {
  readonly session: TurnSession;
  /** The speaker's name as Teams gives it on the activity (what a share tells its reader it is from). */
  readonly name?: string;
}
