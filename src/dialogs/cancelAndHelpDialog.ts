import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult } from "./sdk";
import { helpCard } from "../cards/views";
import { hasAnswers } from "../domain/reflection";
import { texts } from "../kernel/texts";
import { turnSession } from "./turnSession";
import { DialogIds } from "./dialogIds";
import type { InsightConsent } from "../domain/insight/aggregate";
import { placeOf, type Place } from "./place";

/** `hjælp` answered where the leader is: the welcome card is not a reflection yet. Elsewhere, the reflection's own word. */
const HELP_AT: Partial<Record<Place, string>> = { welcome: texts.helpOnWelcome, role: texts.helpOnRoleCard, theme: texts.helpOnThemeCard };

/**
 * Handles what a leader may type at any point of a flow: "hjælp" shows help and keeps their
 * place; "annuller" stops, asking first when there are answers (which are kept as a draft);
 * "start" shows the current card again.
 */
export abstract class CancelAndHelpDialog extends ComponentDialog {
  /** INSIGHT_CONSENT, for the help card's word on Indsigt. */
  protected abstract readonly insightConsent: InsightConsent | undefined;

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const interrupted = await this.interrupt(innerDc);
    return interrupted ?? super.onContinueDialog(innerDc);
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const { intent } = turnSession(innerDc.context);
    if (intent.kind !== "command") return undefined;
    const command = intent.command;
    switch (command.kind) {
      case "help":
        await innerDc.context.sendActivity({ attachments: [helpCard({ inPersonalChat: true, insightConsent: this.insightConsent })] });
        await innerDc.context.sendActivity(HELP_AT[placeOf(innerDc, turnSession(innerDc.context).session)] ?? texts.helpDuringReflection);
        return Dialog.EndOfTurn;
      case "start":
      case "startShort":
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      case "cancel":
        return this.cancel(innerDc);
      case "changeRole":
        if (this.id === DialogIds.changeRole) await innerDc.repromptDialog();
        else await innerDc.context.sendActivity(texts.reflectionInProgress);
        return Dialog.EndOfTurn;
      default:
        return undefined;
    }
  }

  private async cancel(innerDc: DialogContext): Promise<DialogTurnResult> {
    const { session } = turnSession(innerDc.context);
    turnSession(innerDc.context).markChanged();
    if (session.draft && hasAnswers(session.draft)) {
      if (innerDc.activeDialog?.id !== DialogIds.confirmCancelPrompt) {
        return innerDc.beginDialog(DialogIds.confirmCancelPrompt);
      }
      await innerDc.context.sendActivity(texts.cancelledDraftKept);
      return innerDc.cancelAllDialogs();
    }
    // Nothing worth keeping: an untouched draft goes with the flow.
    delete session.draft;
    await innerDc.context.sendActivity(texts.cancelled);
    return innerDc.cancelAllDialogs();
  }
}
