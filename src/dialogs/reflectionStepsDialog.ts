import type { TurnContext } from "botbuilder";
import { Dialog, type DialogContext, type DialogTurnResult } from "./sdk";
import { answerReceipt, focusCard, focusReceipt, questionCard, ratingsReceipt, savedCard, statementsCard, summaryCard } from "../cards/reflectionCards";
import { receiptCard } from "../cards/views";
import type { CardAttachment } from "../cards/renderCard";
import type { Framework } from "../domain/framework";
import type { CardSubmit } from "../domain/cardSubmit";
import type { UserKey } from "../domain/identity";
import { asReflectionId } from "../domain/ids";
import {
  completeDraft,
  followUpNote,
  type Reflection,
  recordAnswer,
  recordFocus,
  recordRatings,
  skipQuestion,
  stepBack,
  type DraftStep,
  type ReflectionDraft,
} from "../domain/reflection";
import type { Result } from "../domain/result";
import type { InputProblem } from "../kernel/inputProblem";
import { texts } from "../kernel/texts";
import { turnSession } from "./turnSession";
import { CardDialog, replaceSubmittedCard, type CardDialogState } from "./cardDialog";
import { DialogIds } from "./dialogIds";
import type { ReflectionServices } from "./services";

/** The step name a card carries, so a card from another step is recognised as such. */
export function stepKey(step: DraftStep): string {
  return step.kind === "question" ? `question-${step.index}` : step.kind;
}

/**
 * Walks the draft in the user's session through statements → questions → summary, one card per
 * step. The draft is the state; this dialog only keeps the current card's token.
 */
export class ReflectionStepsDialog extends CardDialog {
  constructor(private readonly services: ReflectionServices) {
    super(DialogIds.reflectionSteps, services.newToken);
  }

  protected card(context: TurnContext, state: CardDialogState): CardAttachment {
    const draft = turnSession(context).session.draft;
    if (!draft) return receiptCard({ title: texts.cancelled });
    return cardFor(draft, state.token, this.services.clock(), this.services.framework.nextStep);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (!turnSession(dc.context).session.draft) return dc.endDialog();
    return super.beginDialog(dc);
  }

  protected async onSubmit(dc: DialogContext, submit: CardSubmit): Promise<DialogTurnResult> {
    const { session, user } = turnSession(dc.context);
    const draft = session.draft;
    if (!draft) {
      await dc.context.sendActivity(texts.alreadyAnswered);
      return dc.endDialog();
    }
    // The card must belong to this step of this draft; anything else was not sent by us as is.
    const expectedIndex = draft.step.kind === "question" ? draft.step.index : undefined;
    if (
      submit.step !== stepKey(draft.step) ||
      submit.themeId !== draft.themeId ||
      submit.roleId !== draft.roleId ||
      (expectedIndex !== undefined && submit.questionIndex !== expectedIndex)
    ) {
      await dc.context.sendActivity(texts.tamperedCard);
      return Dialog.EndOfTurn;
    }

    const now = this.services.clock();
    if (submit.verb === "save") {
      const completed = completeDraft(draft, user, submit.inputs as { commitment: unknown; followUpDate: unknown }, now);
      if (!completed.ok) return this.refuse(dc, completed.error);
      // Written with the session, all or nothing, when the turn ends (see TurnSession.stage).
      const turn = turnSession(dc.context);
      turn.stage(this.services.reflections.documentOf(completed.value));
      const followUp = this.services.followUpFor?.(user, completed.value, session.profile.timezone);
      if (followUp) turn.stage(followUp);
      // "Hvordan gik det?" about the last plan is that reflection's follow-up: written in the same transaction.
      const planFollowUp = await this.lastPlanFollowUp(user, draft, now);
      if (planFollowUp) turn.stage(this.services.reflections.documentOf(planFollowUp));
      // Its numbers (never its text) into Indsigt, in the same transaction.
      const insightChange = this.services.insightChangeFor?.(user, session, completed.value);
      if (insightChange) turn.stage(insightChange);
      session.profile.lastReflectedAt = { ...session.profile.lastReflectedAt, [draft.themeId]: completed.value.completedAt };
      session.profile.lastReflectionIds = { ...session.profile.lastReflectionIds, [draft.themeId]: completed.value.id };
      // A reflection ends a lapse: the reminders count from zero, and may ask again after the next one.
      session.profile.remindersSinceReflection = 0;
      session.profile.frequencyQuestionAsked = false;
      delete session.draft;
      await replaceSubmittedCard(dc.context, savedCard(completed.value));
      if (!dc.context.activity.replyToId) await dc.context.sendActivity({ attachments: [savedCard(completed.value)] });
      const share = await this.services.offerShare?.(turn, completed.value);
      if (share) await dc.context.sendActivity({ attachments: [share] });
      return dc.endDialog(completed.value);
    }

    const next = this.transition(draft, submit, now);
    if (!next.ok) return this.refuse(dc, next.error);
    const movedBack = submit.verb === "back";
    await replaceSubmittedCard(dc.context, receiptFor(draft, next.value, movedBack));
    session.draft = next.value;
    await this.present(dc.context, dc.activeDialog!.state as CardDialogState);
    return Dialog.EndOfTurn;
  }

  /** The earlier reflection with how its plan went added, when this reflection asked and the leader answered. */
  private async lastPlanFollowUp(user: UserKey, draft: ReflectionDraft, now: Date): Promise<Reflection | undefined> {
    if (!draft.lastPlan || !draft.previous || !this.services.reflections.get) return undefined;
    const earlier = await this.services.reflections.get(user, asReflectionId(draft.previous.reflectionId));
    // Answered on its follow-up card meanwhile: that answer stands, and is not asked twice.
    if (!earlier || (earlier.followUps ?? []).length > 0) return undefined;
    // Stored as the leader typed it ("Gjort: …"): it is data, escaped where a card shows it, not here.
    const outcome = texts.planOutcome(draft.lastPlan.outcome, null);
    const note = followUpNote(earlier, draft.lastPlan.note ? `${outcome}: ${draft.lastPlan.note}` : outcome, now);
    return note.ok ? { ...earlier, followUps: [{ ...note.value, outcome: draft.lastPlan.outcome }] } : undefined;
  }

  private transition(draft: ReflectionDraft, submit: CardSubmit, now: Date): Result<ReflectionDraft, InputProblem> {
    const step = draft.step;
    switch (submit.verb) {
      case "next":
        if (step.kind === "statements") return recordRatings(draft, submit.inputs, now);
        if (step.kind === "focus") return recordFocus(draft, submit.inputs, now);
        if (step.kind === "question") return recordAnswer(draft, step.index, submit.inputs.answer, now);
        return { ok: false, error: { code: "wrong-step" } };
      case "skip":
        return step.kind === "question" ? skipQuestion(draft, step.index, now) : { ok: false, error: { code: "wrong-step" } };
      case "back":
        return step.kind === "statements" ? { ok: false, error: { code: "wrong-step" } } : { ok: true, value: stepBack(draft, now) };
      default:
        return { ok: false, error: { code: "wrong-step" } };
    }
  }

  private async refuse(dc: DialogContext, problem: InputProblem): Promise<DialogTurnResult> {
    // The card stays current (same token), so the leader can correct it and submit again.
    await dc.context.sendActivity(texts.invalidInput(problem));
    return Dialog.EndOfTurn;
  }
}

function cardFor(draft: ReflectionDraft, token: string, now: Date, nextStep: Framework["nextStep"]): CardAttachment {
  switch (draft.step.kind) {
    case "statements":
      return statementsCard({ token, draft });
    case "focus":
      return focusCard({ token, draft });
    case "question":
      return questionCard({ token, draft, index: draft.step.index });
    case "summary":
      return summaryCard({ token, draft, today: now.toISOString().slice(0, 10), nextStep });
  }
}

/** What the submitted card turns into: what was answered on it. */
function receiptFor(before: ReflectionDraft, after: ReflectionDraft, movedBack: boolean): CardAttachment {
  if (before.step.kind === "statements") return ratingsReceipt(after);
  if (before.step.kind === "focus") return movedBack ? receiptCard({ title: texts.card.focusStep, subtitle: texts.card.movedBack }) : focusReceipt(after);
  if (before.step.kind === "question") return answerReceipt(after, before.step.index, movedBack);
  return receiptCard({ title: texts.card.summaryTitle, subtitle: texts.card.movedBack });
}
