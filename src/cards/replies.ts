import type { CardAttachment } from "./renderCard";
import type { TurnSession } from "../domain/turnSession";

/**
 * What a handler answers, as data: the bot edge sends it. Handlers that are not multi-step
 * dialogs return these instead of talking to botbuilder, so they run (and are tested) without it.
 */
export type Reply =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "card"; readonly card: CardAttachment }
  /** Replace the card that was clicked with this one (Teams' replyToId); sent as new when there is none. */
  | { readonly kind: "replaceClicked"; readonly card: CardAttachment }
  /** The answer to an Action.Execute: a card shown to the one who clicked in place of theirs, or a message. */
  | { readonly kind: "execute"; readonly card?: CardAttachment; readonly text?: string };

export const say = (text: string): Reply => ({ kind: "text", text });
export const show = (card: CardAttachment): Reply => ({ kind: "card", card });
export const replaceClicked = (card: CardAttachment): Reply => ({ kind: "replaceClicked", card });
export const executed = (answer: { readonly card: CardAttachment } | { readonly text: string }): Reply => ({ kind: "execute", ...answer });

/** The turn as a personal-chat handler sees it: who is speaking, and their session. */
export interface PersonalTurn {
  readonly session: TurnSession;
}
