import type { TurnContext } from "botbuilder";
import {
  Dialog,
  DialogReason,
  type DialogContext,
  type DialogInstance,
  type DialogTurnResult,
} from "./sdk";
import type { CardAttachment } from "../cards/renderCard";
import { receiptCard } from "../cards/views";
import type { CardSubmit, CardVerb } from "../domain/cardSubmit";
import { texts } from "../kernel/texts";
import { turnSession } from "./turnSession";

export interface CardDialogState {
  token: string;
  options: Record<string, unknown>;
}

/**
 * A dialog that shows one card at a time and waits for that card's submit. Each card carries
 * a one-time token kept in the dialog's state: a second click, or a click on an older card,
 * does not match and is answered with "Dette kort er allerede besvaret" and changes nothing.
 */
export abstract class CardDialog<O extends object = Record<string, unknown>> extends Dialog<O> {
  constructor(
    dialogId: string,
    private readonly newToken: () => string,
  ) {
    super(dialogId);
  }

  protected abstract card(context: TurnContext, state: CardDialogState): CardAttachment | Promise<CardAttachment>;

  /** Called only for a well-formed submit of the current card. */
  protected abstract onSubmit(dc: DialogContext, submit: CardSubmit, state: CardDialogState): Promise<DialogTurnResult>;

  override async beginDialog(dc: DialogContext, options?: O): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as CardDialogState;
    state.options = { ...(options ?? {}) } as Record<string, unknown>;
    await this.present(dc.context, state);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as CardDialogState;
    const { intent } = turnSession(dc.context);
    if (intent.kind !== "card") {
      await dc.context.sendActivity(texts.useTheCard);
      return Dialog.EndOfTurn;
    }
    if (intent.submit.token !== state.token) {
      await dc.context.sendActivity(texts.alreadyAnswered);
      return Dialog.EndOfTurn;
    }
    return this.onSubmit(dc, intent.submit, state);
  }

  /** After a dialog on top of this one ends: the cancel confirmation ("Ja, stop" or "Nej, fortsæt"). */
  override async resumeDialog(dc: DialogContext, _reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    const verb = (result as CardSubmit | undefined)?.verb;
    if (verb === "confirmCancel") {
      await replaceSubmittedCard(dc.context, receiptCard({ title: texts.cancelled }));
      await dc.context.sendActivity(texts.cancelledDraftKept);
      return dc.cancelAllDialogs();
    }
    if (verb === "keepGoing") await replaceSubmittedCard(dc.context, receiptCard({ title: texts.keepGoing }));
    await this.present(dc.context, dc.activeDialog!.state as CardDialogState);
    return Dialog.EndOfTurn;
  }

  /** Shows the card again with a fresh token; the earlier copy becomes stale. */
  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.present(context, instance.state as CardDialogState);
  }

  protected async present(context: TurnContext, state: CardDialogState): Promise<void> {
    state.token = this.newToken();
    await context.sendActivity({ attachments: [await this.card(context, state)] });
  }
}

/**
 * A CardDialog that ends with the submit once it is one of the accepted verbs and passes the
 * validator; otherwise it says why, in Danish, and keeps waiting on the same card.
 */
export class CardPrompt extends CardDialog {
  constructor(
    dialogId: string,
    newToken: () => string,
    private readonly accepts: readonly CardVerb[],
    private readonly render: (context: TurnContext, token: string, options: Record<string, unknown>) => CardAttachment,
    private readonly validate: (context: TurnContext, submit: CardSubmit) => string | undefined = () => undefined,
  ) {
    super(dialogId, newToken);
  }

  protected card(context: TurnContext, state: CardDialogState): CardAttachment {
    return this.render(context, state.token, state.options);
  }

  protected async onSubmit(dc: DialogContext, submit: CardSubmit): Promise<DialogTurnResult> {
    if (!this.accepts.includes(submit.verb)) {
      await dc.context.sendActivity(texts.tamperedCard);
      return Dialog.EndOfTurn;
    }
    const problem = this.validate(dc.context, submit);
    if (problem) {
      await dc.context.sendActivity(problem);
      return Dialog.EndOfTurn;
    }
    return dc.endDialog(submit);
  }
}

/**
 * Replaces the card that was just submitted with a read-only copy showing the answer. Teams
 * sets the submit's replyToId to the id of the message holding the card, which is what
 * updateActivity needs; without it (other channels) the old card simply stays.
 */
export async function replaceSubmittedCard(context: TurnContext, card: CardAttachment): Promise<void> {
  const id = context.activity.replyToId;
  if (!id) return;
  await context.updateActivity({ id, type: "message", attachments: [card] });
}
