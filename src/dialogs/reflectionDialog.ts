import type { Activity, TurnContext } from "botbuilder";
import { WaterfallDialog, type WaterfallStepContext, type DialogTurnResult } from "./sdk";
import { receiptCard } from "../cards/views";
import type { CardSubmit } from "../domain/cardSubmit";
import { asReflectionId, asRoleId, asThemeId } from "../domain/ids";
import { createDraft, teamPulseBeside } from "../domain/reflection";
import { texts } from "../kernel/texts";
import { turnSession } from "./turnSession";
import { CancelAndHelpDialog } from "./cancelAndHelpDialog";
import { replaceSubmittedCard } from "./cardDialog";
import { DialogIds } from "./dialogIds";
import { createPrompts } from "./prompts";
import { ReflectionStepsDialog } from "./reflectionStepsDialog";
import type { ReflectionServices } from "./services";
import { escapeMarkdown } from "../domain/cleanText";
import { withAfterSent } from "./afterSent";

/**
 * The guided reflection: role (first time only) → resume or new theme → the steps. The first
 * contact with a user runs this same dialog with the welcome text on the role card.
 */
export class ReflectionDialog extends CancelAndHelpDialog {
  protected readonly insightConsent;

  constructor(private readonly services: ReflectionServices) {
    super(DialogIds.reflection);
    this.insightConsent = services.insightConsent;
    for (const prompt of createPrompts(services)) this.addDialog(prompt);
    this.addDialog(new ReflectionStepsDialog(services));
    this.addDialog(
      new WaterfallDialog(DialogIds.reflectionWaterfall, [
        this.askRoleStep.bind(this),
        this.offerResumeStep.bind(this),
        this.chooseThemeStep.bind(this),
        this.runStepsStep.bind(this),
      ]),
    );
    this.initialDialogId = DialogIds.reflectionWaterfall;
  }

  /** Asks for the role when the user has none (or one the framework no longer has). */
  private async askRoleStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { profile } = turnSession(step.context).session;
    if (profile.roleId && this.services.framework.role(profile.roleId)) return step.next();
    const welcome = profile.welcomedAt === undefined;
    profile.welcomedAt ??= this.services.clock().toISOString();
    return step.beginDialog(DialogIds.rolePrompt, { welcome });
  }

  /** Keeps a newly chosen role; offers an unfinished draft before anything new. */
  private async offerResumeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const chosen = step.result as CardSubmit | undefined;
    if (chosen?.verb === "chooseRole") await applyRole(step.context, this.services, chosen);
    if (turnSession(step.context).session.draft) return step.beginDialog(DialogIds.resumePrompt);
    return step.next();
  }

  private async chooseThemeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choice = step.result as CardSubmit | undefined;
    const { session } = turnSession(step.context);
    if (choice?.verb === "resume" && session.draft) {
      await replaceSubmittedCard(step.context, receiptCard({ title: texts.resumed(session.draft.themeTitle) }));
      return step.next({ resumed: true });
    }
    if (choice?.verb === "restart") {
      delete session.draft;
      await replaceSubmittedCard(step.context, receiptCard({ title: texts.restartedDraftDiscarded }));
    }
    const preselected = this.services.framework.theme((step.options as { themeId?: string } | undefined)?.themeId ?? "");
    if (preselected) return step.next({ preselected: preselected.id });
    return step.beginDialog(DialogIds.themePrompt);
  }

  private async runStepsStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choice = step.result as CardSubmit | { resumed: true } | { preselected: string } | undefined;
    const { session } = turnSession(step.context);
    const chosenTheme = choice && "verb" in choice && choice.verb === "chooseTheme" ? choice.themeId : choice && "preselected" in choice ? choice.preselected : undefined;
    if (chosenTheme !== undefined) {
      const { framework, clock, newId } = this.services;
      const roleId = asRoleId(session.profile.roleId ?? "");
      const themeId = asThemeId(chosenTheme);
      const teamPulse = teamPulseBeside(session.teamPulses, themeId);
      // Never reflected on the theme (the profile says when each one last was): nothing to read.
      const knownId = session.profile.lastReflectionIds?.[themeId];
      const last = session.profile.lastReflectedAt[themeId] === undefined ? undefined : await this.services.reflections.lastOnTheme?.(turnSession(step.context).user, themeId, knownId ? asReflectionId(knownId) : undefined);
      // Only the same role's statements compare: a leader who changed role starts afresh.
      const previous =
        last && last.roleId === roleId
          ? {
              reflectionId: last.id,
              completedAt: last.completedAt,
              ratings: Object.fromEntries(last.statements.map((s) => [s.id, s.rating])),
              // The plan is asked about once: here, or on its follow-up card, whichever comes first.
              ...(last.commitment && (last.followUps ?? []).length === 0 ? { openPlan: last.commitment } : {}),
            }
          : undefined;
      const short = (choice && "verb" in choice && choice.inputs.short === "true") || (step.options as { short?: boolean } | undefined)?.short === true;
      session.draft = { ...createDraft(framework, roleId, themeId, newId(), clock()), ...(teamPulse ? { teamPulse } : {}), ...(previous ? { previous } : {}), ...(short ? { short: true as const } : {}) };
      await replaceSubmittedCard(step.context, receiptCard({ title: texts.themeChosen(session.draft.themeTitle), subtitle: texts.asRole(this.services.framework.role(session.draft.roleId)?.inSentence ?? escapeMarkdown(session.draft.roleName.toLocaleLowerCase("da-DK"))) }));
      // Questions back from Til min leder that the leader took along: above the new reflection's first card.
      for (const part of (await this.services.takenQuestions?.(turnSession(step.context))) ?? []) {
        // The reader's words in this chat: kept by the id Teams gives it, so the reader's erasure takes them out again.
        await step.context.sendActivity(withAfterSent<Partial<Activity>>({ type: "message", text: part.text }, part.keep));
      }
    }
    return step.beginDialog(DialogIds.reflectionSteps);
  }
}

/** Stores the chosen role on the profile and turns the role card into a receipt. */
export async function applyRole(context: TurnContext, services: ReflectionServices, submit: CardSubmit): Promise<void> {
  const role = services.framework.role(submit.roleId ?? "");
  if (!role) return;
  turnSession(context).session.profile.roleId = role.id;
  await replaceSubmittedCard(context, receiptCard({ title: texts.roleChosen(role.inSentence) }));
}
