import { WaterfallDialog, type WaterfallStepContext, type DialogTurnResult } from "./sdk";
import type { CardSubmit } from "../domain/cardSubmit";
import { CancelAndHelpDialog } from "./cancelAndHelpDialog";
import { DialogIds } from "./dialogIds";
import { createPrompts } from "./prompts";
import { applyRole } from "./reflectionDialog";
import type { ReflectionServices } from "./services";
import { receiptCard } from "../cards/views";
import { texts } from "../kernel/texts";

/** "skift rolle": the role card on its own; a draft in progress keeps the role it began with. */
export class ChangeRoleDialog extends CancelAndHelpDialog {
  protected readonly insightConsent;

  constructor(private readonly services: ReflectionServices) {
    super(DialogIds.changeRole);
    this.insightConsent = services.insightConsent;
    const rolePrompt = createPrompts(services).find((p) => p.id === DialogIds.rolePrompt)!;
    this.addDialog(rolePrompt);
    this.addDialog(
      new WaterfallDialog(DialogIds.changeRoleWaterfall, [
        (step: WaterfallStepContext) => step.beginDialog(DialogIds.rolePrompt, { welcome: false }),
        this.applyStep.bind(this),
      ]),
    );
    this.initialDialogId = DialogIds.changeRoleWaterfall;
  }

  private async applyStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await applyRole(step.context, this.services, step.result as CardSubmit);
    await step.context.sendActivity({ attachments: [receiptCard({ title: texts.readyToReflect, startButton: true })] });
    return step.endDialog();
  }
}
