import type { Framework, Role } from "../domain/framework";
import type { InsightConsent } from "../domain/insight/aggregate";
import type { ThemeChoice } from "../domain/themeSuggestion";
import { LIMITS, PLAN_OUTCOMES, roleInSentenceOf, type Reflection, type ReflectionDraft } from "../domain/reflection";
import { texts } from "../kernel/texts";
import { DEFAULT_TIMEZONE } from "../domain/time";
import { danishDate, danishDecimal } from "./format";
import { renderCard, type CardAttachment } from "./renderCard";
import { AppError, ErrorCodes } from "../kernel/errors";
import { receiptCard, type ReceiptItem } from "./views";
import { shownAsTyped as md } from "../domain/cleanText";
import { EMPTY, lowerCased as lowerCase, shown, trusted, type Shown } from "../kernel/shown";
import { answered, privacyLine } from "./views";

/**
 * The reflection's cards, step by step: choosing a role and a theme, the statements, the
 * questions, the focus, the summary, and the receipts that replace each one once answered.
 * One function per card: domain values in, attachment out. The view-models are plain strings
 * and booleans, so templates stay free of logic and a missing value is an empty string, not
 * "${undefined}".
 */
/** The three steps a leader sees: statements, questions, summary. */
const TOTAL_STEPS = 3;

/** How many steps a reflection has: a short one two (the ratings with their focus, and the plan). */
function stepsOf(draft: Pick<ReflectionDraft, "short">): number {
  return draft.short ? 2 : TOTAL_STEPS;
}

export function roleChoiceCard(args: { token: string; roles: readonly Role[]; currentRole: Role | undefined; welcome: boolean; insightConsent?: InsightConsent | undefined }): CardAttachment {
  return renderCard("role-choice", {
    token: args.token,
    welcome: args.welcome,
    introText: texts.welcomeIntro,
    privacyText: privacyLine(args.insightConsent),
    roles: args.roles.map((r) => ({ id: r.id, name: r.name })),
    currentRoleId: args.currentRole?.id ?? "",
    currentRoleText: args.currentRole ? shown`Lige nu: ${args.currentRole.name}` : EMPTY,
  });
}

export function themeChoiceCard(args: { token: string; role: Role; choices: readonly ThemeChoice[] }): CardAttachment {
  return renderCard("theme-choice", {
    token: args.token,
    roleText: texts.card.reflectingAs(args.role.inSentence),
    shortText: texts.card.shortExplained,
    shortTitle: texts.card.shortButton,
    suggestionText: args.choices.some((c) => c.lastReflectedAt) ? texts.card.suggestLongestWaiting : texts.card.suggestFirst,
    themes: args.choices.map((c) => ({
      id: c.theme.id,
      title: c.theme.title,
      lastText: c.lastReflectedAt ? texts.card.lastReflected(danishDate(c.lastReflectedAt)) : texts.card.notReflectedYet,
      suggested: c.suggested,
      style: c.suggested ? "emphasis" : "default",
      buttonStyle: c.suggested ? "positive" : "default",
    })),
  });
}

export function resumeCard(args: { token: string; draft: ReflectionDraft }): CardAttachment {
  return renderCard("resume", {
    token: args.token,
    themeTitle: args.draft.themeTitle,
    detailText: texts.card.draftStarted(danishDate(args.draft.startedAt), stepName(args.draft)),
  });
}

/** What every step card of a reflection shows and carries back: where it is, and which draft it belongs to. */
function stepCardHeader(draft: ReflectionDraft, token: string, step: number, stepName: Shown) {
  return {
    token,
    // A short reflection has two steps: the ratings with their focus, and the plan.
    progressText: texts.card.progress(Math.min(step, stepsOf(draft)), stepsOf(draft), stepName),
    themeTitle: draft.themeTitle,
    themeId: draft.themeId,
    roleId: draft.roleId,
  };
}

export function statementsCard(args: { token: string; draft: ReflectionDraft }): CardAttachment {
  const { draft } = args;
  return renderCard("statements", {
    ...stepCardHeader(draft, args.token, 1, texts.card.statementsStep),
    roleHeading: texts.card.yourStatements(roleInSentenceOf(draft)),
    scaleQuestion: shown`${draft.ratingQuestion} (${scaleEnds(draft)})`,
    scale: draft.ratingScale.map((l) => ({ title: `${l.value} – ${l.label}`, value: String(l.value) })),
    scaleMax: String(Math.max(...draft.ratingScale.map((l) => l.value))),
    noteMax: LIMITS.note,
    noteIntro: texts.card.noteIntro,
    noteForLabel: texts.card.noteForLabel,
    noteForPlaceholder: texts.card.noteForPlaceholder,
    // A note written earlier shows again (the first, if an older card left several).
    noteFor: draft.statements.find((s) => draft.notes[s.id])?.id ?? "",
    noteTextLabel: texts.card.noteTextLabel,
    noteText: draft.statements.map((s) => draft.notes[s.id]).find(Boolean) ?? "",
    lastPlanText: draft.previous?.openPlan ? texts.card.lastPlanHeading(md(draft.previous.openPlan)) : EMPTY,
    lastPlanLabel: texts.card.lastPlanLabel,
    lastPlanValue: draft.lastPlan?.outcome ?? "",
    planChoices: PLAN_OUTCOMES.map((value) => ({ title: texts.card.planOutcomes[value], value })),
    lastPlanNoteLabel: texts.card.lastPlanNoteLabel,
    lastPlanNoteMax: LIMITS.followUp,
    lastPlanNote: draft.lastPlan?.note ?? "",
    teamPulseText: draft.teamPulse ? (draft.teamPulse.shown ? texts.pulse.reflectionOpening(danishDate(draft.teamPulse.closedAt, DEFAULT_TIMEZONE)) : texts.pulse.reflectionHidden) : EMPTY,
    shared: draft.sharedStatements.map((s) => {
      const beside = draft.teamPulse?.statements[s.id];
      return { text: s.text, beside: beside ? texts.pulse.beside(beside.team !== undefined ? danishDecimal(beside.team) : undefined, beside.self) : EMPTY };
    }),
    statements: draft.statements.map((s) => ({
      id: s.id,
      text: s.text,
      last: draft.previous?.ratings[s.id] !== undefined ? texts.card.lastRating(draft.previous.ratings[s.id]!, danishDate(draft.previous.completedAt)) : EMPTY,
      rating: draft.ratings[s.id] !== undefined ? String(draft.ratings[s.id]) : "",
      note: draft.notes[s.id] ?? "",
    })),
  });
}

export function questionCard(args: { token: string; draft: ReflectionDraft; index: number }): CardAttachment {
  const { draft, index } = args;
  const question = draft.questions[index];
  if (!question) throw new AppError(ErrorCodes.invariantBroken, { detail: `questionCard: no question ${index}` });
  return renderCard("question", {
    ...stepCardHeader(draft, args.token, 2, texts.card.questionOf(index + 1, draft.questions.length)),
    step: `question-${index}`,
    questionIndex: String(index),
    questionText: question.text,
    answer: draft.answers[question.id] ?? "",
    answerMax: LIMITS.answer,
  });
}

/** After the ratings: one or two questions about what the leader just rated, in the framework's words. */
export function focusCard(args: { token: string; draft: ReflectionDraft }): CardAttachment {
  const { draft } = args;
  const focus = draft.focus;
  if (!focus) throw new AppError(ErrorCodes.invariantBroken, { detail: "focusCard: the draft has no focus" });
  return renderCard("focus", {
    ...stepCardHeader(draft, args.token, 1, draft.focusPrompts?.heading ?? texts.card.focusStep),
    heading: draft.focusPrompts?.heading ?? texts.card.focusStep,
    deeperPrompt: focus.deeper.prompt,
    strengthPrompt: focus.strength?.prompt ?? EMPTY,
    answerLabel: texts.card.focusAnswerLabel,
    placeholder: texts.card.focusPlaceholder,
    answerMax: LIMITS.focusAnswer,
    deeperAnswer: draft.focusAnswers?.deeper ?? "",
    strengthAnswer: draft.focusAnswers?.strength ?? "",
  });
}

function changeText(before: number | undefined, now: number | undefined): Shown {
  if (before === undefined || now === undefined) return EMPTY;
  return shown` – ${texts.card.change(before, now)}`;
}

/** A saved reflection's focus prompts and answers, in order (none for reflections from before the focus existed). */
export function reflectionFocus(reflection: Pick<Reflection, "focus">): ReadonlyArray<{ prompt: Shown; answer: string | null }> {
  const focus = reflection.focus;
  return focus ? [focus.deeper, ...(focus.strength ? [focus.strength] : [])] : [];
}

/** The focus prompts as asked, with what the leader wrote (null when they left it). */
function focusAnswers(draft: ReflectionDraft): Array<{ prompt: Shown; answer: string | null }> {
  if (!draft.focus) return [];
  return [
    { prompt: draft.focus.deeper.prompt, answer: draft.focusAnswers?.deeper ?? null },
    ...(draft.focus.strength ? [{ prompt: draft.focus.strength.prompt, answer: draft.focusAnswers?.strength ?? null }] : []),
  ];
}

/** What the focus card turns into once answered. */
export function focusReceipt(draft: ReflectionDraft): CardAttachment {
  const focus = draft.focus;
  const items = focus
    ? [
        { label: focus.deeper.prompt, value: answered(draft.focusAnswers?.deeper) },
        ...(focus.strength ? [{ label: focus.strength.prompt, value: answered(draft.focusAnswers?.strength) }] : []),
      ]
    : [];
  return receiptCard({ title: draft.focusPrompts?.heading ?? texts.card.focusStep, items });
}

export function summaryCard(args: {
  token: string;
  draft: ReflectionDraft;
  today: string;
  /** The framework's wording for the next step (an if-then plan). */
  nextStep: Framework["nextStep"];
}): CardAttachment {
  const { draft } = args;
  return renderCard("summary", {
    ...stepCardHeader(draft, args.token, 3, draft.short ? shown`${texts.card.shortTitle} · ${texts.card.summaryTitle}` : texts.card.summaryTitle),
    ratings: draft.statements.map((s) => ({
      text: s.text,
      // The change since the last reflection on the theme, in words and numbers (never by colour alone).
      ratingText: shown`${ratingText(draft, draft.ratings[s.id])}${changeText(draft.previous?.ratings[s.id], draft.ratings[s.id])}`,
      note: md(draft.notes[s.id] ?? ""),
    })),
    // The focus first (what the leader said about their own ratings), then the framework's questions.
    answers: [
      ...focusAnswers(draft).map(({ prompt, answer }) => ({ question: prompt, answer: answer ? md(answer) : texts.card.skipped, skipped: !answer })),
      // A short reflection never asked the framework's questions: they are not "skipped", they were not there.
      ...(draft.short ? [] : draft.questions).map((q) => {
        const answer = draft.answers[q.id];
        return { question: q.text, answer: answer ? md(answer) : texts.card.skipped, skipped: !answer };
      }),
    ],
    nextStepHeading: args.nextStep.heading,
    // The plan can start from the statement the reflection went deeper on; the leader writes it.
    nextStepLabel: draft.focus ? `${args.nextStep.label} ${texts.card.nextStepFrom(draft.focus.deeper.statement, draft.focus.deeper.rating)}` : args.nextStep.label,
    nextStepPlaceholder: args.nextStep.placeholder,
    commitment: "",
    commitmentMax: LIMITS.commitment,
    followUpDate: "",
    today: args.today,
  });
}

export function confirmCancelCard(args: { token: string; draft: ReflectionDraft }): CardAttachment {
  return renderCard("confirm-cancel", { token: args.token, themeTitle: args.draft.themeTitle });
}

export function ratingsReceipt(draft: ReflectionDraft): CardAttachment {
  const plan = draft.previous?.openPlan && draft.lastPlan ? [{ label: texts.card.lastPlanHeading(md(draft.previous.openPlan)), value: texts.planOutcome(draft.lastPlan.outcome, draft.lastPlan.note === null ? null : md(draft.lastPlan.note)) }] : [];
  return receiptCard({
    title: texts.card.yourRatings(draft.themeTitle),
    subtitle: texts.card.stepAnswered(1, stepsOf(draft)),
    items: [...plan, ...draft.statements.map((s) => ({
      label: s.text,
      value: shown`${ratingText(draft, draft.ratings[s.id])}${draft.notes[s.id] ? shown`\n\n${texts.card.note}: ${md(draft.notes[s.id]!)}` : EMPTY}`,
    }))],
  });
}

export function answerReceipt(draft: ReflectionDraft, index: number, movedBack: boolean): CardAttachment {
  const question = draft.questions[index];
  const answer = question ? draft.answers[question.id] : undefined;
  return receiptCard({
    title: texts.card.questionOf(index + 1, draft.questions.length),
    subtitle: movedBack ? texts.card.movedBack : EMPTY,
    items: question ? [{ label: question.text, value: movedBack ? trusted("–") : answered(answer) }] : [],
  });
}

export function savedCard(reflection: Reflection): CardAttachment {
  const items: ReceiptItem[] = [{ label: texts.card.theme, value: reflection.themeTitle }];
  if (reflection.commitment) items.push({ label: texts.card.yourNextStep, value: md(reflection.commitment) });
  if (reflection.followUpDate) items.push({ label: texts.card.followUp, value: danishDate(reflection.followUpDate) });
  return receiptCard({
    title: texts.card.saved,
    subtitle: texts.savedSubtitle,
    items,
    large: true,
    startButton: true,
    shareButton: true,
  });
}

export function ratingText(draft: Pick<ReflectionDraft, "ratingScale">, value: number | undefined): Shown {
  if (value === undefined) return texts.card.notRated;
  const level = draft.ratingScale.find((l) => l.value === value);
  return level ? shown`${value} – ${level.label}` : shown`${value}`;
}

function stepName(draft: ReflectionDraft): Shown {
  switch (draft.step.kind) {
    case "statements":
      return texts.card.atStatements;
    case "focus":
      return texts.card.atFocus;
    case "question":
      return texts.card.atQuestion(draft.step.index + 1, draft.questions.length);
    case "summary":
      return texts.card.atSummary;
  }
}

function scaleEnds(draft: ReflectionDraft): Shown {
  const low = draft.ratingScale[0];
  const high = draft.ratingScale[draft.ratingScale.length - 1];
  return low && high ? shown`${low.value} = ${lowerCase(low.label)}, ${high.value} = ${lowerCase(high.label)}` : EMPTY;
}

