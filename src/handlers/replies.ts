import type { CardAttachment } from "../cards/renderCard";

/**
 * What a handler answers, as data: the bot edge sends it. Handlers that are not multi-step
 * dialogs return these instead of talking to botbuilder, so they run (and are tested) without it.
 */
export type Reply =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "card"; readonly card: CardAttachment }
  /** Replace the card that was clicked with this one (Teams' replyToId); nothing when there is none. */
  | { readonly kind: "replaceClicked"; readonly card: CardAttachment };

export const say = (text: string): Reply => ({ kind: "text", text });
export const show = (card: CardAttachment): Reply => ({ kind: "card", card });
export const replaceClicked = (card: CardAttachment): Reply => ({ kind: "replaceClicked", card });

/** The turn as a handler sees it: who, their session, and which card (if any) was clicked. */
export interface PersonalTurn {
  readonly session: import("../domain/turnSession").TurnSession;
  /** The id of the message whose card was clicked, when the turn is a card submit. */
  readonly clickedCardId: string | undefined;
}
