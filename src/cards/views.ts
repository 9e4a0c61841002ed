import type { Role } from "../domain/framework";
import type { InsightConsent } from "../domain/insight/aggregate";
import type { FocusSuggestion, ThemeProgress } from "../domain/progress";
import type { ThemeChoice } from "../domain/themeSuggestion";
import { averageRating, LIMITS, PLAN_OUTCOMES, roleInSentenceOf, teamPulseBeside, type Reflection, type ReflectionDraft } from "../domain/reflection";
import type { TeamPulseRecord } from "../domain/teamPulse";
import { MAX_PAUSE_DAYS, type GentlerFrequency } from "../domain/pause";
import { texts } from "../kernel/texts";
import type { CardVerb } from "../domain/cardSubmit";
import { GUESS_COMMAND_TEXT, type GuessedCommand } from "../domain/commandGuess";
import { helpCommands, typedCommand } from "../domain/commands";
import { cleanText, escapeMarkdown } from "../domain/cleanText";
import { DEFAULT_TIMEZONE, REMINDER_TIMES } from "../domain/time";
import { danishDate, shortDanishDate } from "./format";
import { renderCard, type CardAttachment } from "./renderCard";
import { AppError, ErrorCodes } from "../kernel/errors";

/**
 * One function per card: domain values in, attachment out. The view-models are plain strings
 * and booleans, so templates stay free of logic and a missing value is an empty string, not
 * "${undefined}".
 */

/** The three steps a leader sees: statements, questions, summary. */
const TOTAL_STEPS = 3;

export function roleChoiceCard(args: { token: string; roles: readonly Role[]; currentRole: Role | undefined; welcome: boolean; insightConsent?: InsightConsent | undefined }): CardAttachment {
  return renderCard("role-choice", {
    token: args.token,
    welcome: args.welcome,
    introText: texts.welcomeIntro,
    privacyText: args.insightConsent ? `${texts.privacy} ${texts.insightNotice[args.insightConsent]}` : texts.privacy,
    roles: args.roles.map((r) => ({ id: r.id, name: r.name })),
    currentRoleId: args.currentRole?.id ?? "",
    currentRoleText: args.currentRole ? `Lige nu: ${args.currentRole.name}` : "",
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

/** How many steps a reflection has: a short one two (the ratings with their focus, and the plan). */
function stepsOf(draft: Pick<ReflectionDraft, "short">): number {
  return draft.short ? 2 : TOTAL_STEPS;
}

/** What every step card of a reflection shows and carries back: where it is, and which draft it belongs to. */
function stepCardHeader(draft: ReflectionDraft, token: string, step: number, stepName: string) {
  return {
    token,
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
    scaleQuestion: `${draft.ratingQuestion} (${scaleEnds(draft)})`,
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
    lastPlanText: draft.previous?.openPlan ? texts.card.lastPlanHeading(draft.previous.openPlan) : "",
    lastPlanLabel: texts.card.lastPlanLabel,
    lastPlanValue: draft.lastPlan?.outcome ?? "",
    planChoices: PLAN_OUTCOMES.map((value) => ({ title: texts.card.planOutcomes[value], value })),
    lastPlanNoteLabel: texts.card.lastPlanNoteLabel,
    lastPlanNoteMax: LIMITS.followUp,
    lastPlanNote: draft.lastPlan?.note ?? "",
    teamPulseText: draft.teamPulse ? (draft.teamPulse.shown ? texts.pulse.reflectionOpening(danishDate(draft.teamPulse.closedAt, DEFAULT_TIMEZONE)) : texts.pulse.reflectionHidden) : "",
    shared: draft.sharedStatements.map((s) => {
      const beside = draft.teamPulse?.statements[s.id];
      return { text: s.text, beside: beside ? texts.pulse.beside(beside.team !== undefined ? beside.team.toFixed(1).replace(".", ",") : undefined, beside.self) : "" };
    }),
    statements: draft.statements.map((s) => ({
      id: s.id,
      text: s.text,
      last: draft.previous?.ratings[s.id] !== undefined ? texts.card.lastRating(draft.previous.ratings[s.id]!, danishDate(draft.previous.completedAt)) : "",
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
    strengthPrompt: focus.strength?.prompt ?? "",
    answerLabel: texts.card.focusAnswerLabel,
    placeholder: texts.card.focusPlaceholder,
    answerMax: LIMITS.focusAnswer,
    deeperAnswer: draft.focusAnswers?.deeper ?? "",
    strengthAnswer: draft.focusAnswers?.strength ?? "",
  });
}

function changeText(before: number | undefined, now: number | undefined): string {
  if (before === undefined || now === undefined) return "";
  return ` – ${texts.card.change(before, now)}`;
}

/** A saved reflection's focus prompts and answers, in order (none for reflections from before the focus existed). */
export function reflectionFocus(reflection: Pick<Reflection, "focus">): ReadonlyArray<{ prompt: string; answer: string | null }> {
  const focus = reflection.focus;
  return focus ? [focus.deeper, ...(focus.strength ? [focus.strength] : [])] : [];
}

/** The focus prompts as asked, with what the leader wrote (null when they left it). */
function focusAnswers(draft: ReflectionDraft): Array<{ prompt: string; answer: string | null }> {
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
        { label: focus.deeper.prompt, value: draft.focusAnswers?.deeper ?? texts.card.skipped },
        ...(focus.strength ? [{ label: focus.strength.prompt, value: draft.focusAnswers?.strength ?? texts.card.skipped }] : []),
      ]
    : [];
  return receiptCard({ title: draft.focusPrompts?.heading ?? texts.card.focusStep, items });
}

export function summaryCard(args: {
  token: string;
  draft: ReflectionDraft;
  today: string;
  /** The framework's wording for the next step (an if-then plan). */
  nextStep: { readonly heading: string; readonly label: string; readonly placeholder: string };
}): CardAttachment {
  const { draft } = args;
  return renderCard("summary", {
    ...stepCardHeader(draft, args.token, 3, draft.short ? `${texts.card.shortTitle} · ${texts.card.summaryTitle}` : texts.card.summaryTitle),
    ratings: draft.statements.map((s) => ({
      text: s.text,
      // The change since the last reflection on the theme, in words and numbers (never by colour alone).
      ratingText: ratingText(draft, draft.ratings[s.id]) + changeText(draft.previous?.ratings[s.id], draft.ratings[s.id]),
      note: draft.notes[s.id] ?? "",
    })),
    // The focus first (what the leader said about their own ratings), then the framework's questions.
    answers: [
      ...focusAnswers(draft).map(({ prompt, answer }) => ({ question: prompt, answer: answer ?? texts.card.skipped, skipped: !answer })),
      // A short reflection never asked the framework's questions: they are not "skipped", they were not there.
      ...(draft.short ? [] : draft.questions).map((q) => {
        const answer = draft.answers[q.id];
        return { question: q.text, answer: answer ?? texts.card.skipped, skipped: !answer };
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

export interface ReceiptItem {
  readonly label: string;
  readonly value: string;
}

/** The read-only card that replaces a submitted one, showing what was answered. */
export function receiptCard(args: {
  title: string;
  subtitle?: string;
  items?: readonly ReceiptItem[];
  large?: boolean;
  startButton?: boolean;
}): CardAttachment {
  return renderCard("receipt", {
    title: args.title,
    titleSize: args.large ? "Large" : "Default",
    subtitle: args.subtitle ?? "",
    items: args.items ?? [],
    actions: args.startButton ? [{ title: texts.card.startNew, verb: "startReflection" }] : [],
  });
}

export function ratingsReceipt(draft: ReflectionDraft): CardAttachment {
  const plan = draft.previous?.openPlan && draft.lastPlan ? [{ label: texts.card.lastPlanHeading(draft.previous.openPlan), value: texts.planOutcome(draft.lastPlan.outcome, draft.lastPlan.note) }] : [];
  return receiptCard({
    title: texts.card.yourRatings(draft.themeTitle),
    subtitle: texts.card.stepAnswered(1, stepsOf(draft)),
    items: [...plan, ...draft.statements.map((s) => ({
      label: s.text,
      value: ratingText(draft, draft.ratings[s.id]) + (draft.notes[s.id] ? `\n\n${texts.card.note}: ${draft.notes[s.id]}` : ""),
    }))],
  });
}

export function answerReceipt(draft: ReflectionDraft, index: number, movedBack: boolean): CardAttachment {
  const question = draft.questions[index];
  const answer = question ? draft.answers[question.id] : undefined;
  return receiptCard({
    title: texts.card.questionOf(index + 1, draft.questions.length),
    subtitle: movedBack ? texts.card.movedBack : "",
    items: question ? [{ label: question.text, value: movedBack ? "–" : (answer ?? texts.card.skipped) }] : [],
  });
}

export function savedCard(reflection: Reflection): CardAttachment {
  const items: ReceiptItem[] = [{ label: texts.card.theme, value: reflection.themeTitle }];
  if (reflection.commitment) items.push({ label: texts.card.yourNextStep, value: reflection.commitment });
  if (reflection.followUpDate) items.push({ label: texts.card.followUp, value: danishDate(reflection.followUpDate) });
  return receiptCard({
    title: texts.card.saved,
    subtitle: texts.savedSubtitle,
    items,
    large: true,
    startButton: true,
  });
}

export function helpCard(args: { inPersonalChat: boolean; inMeeting?: boolean; insightConsent?: InsightConsent | undefined }): CardAttachment {
  return renderCard("help", {
    intro: args.inPersonalChat ? texts.helpIntroPersonal : args.inMeeting ? texts.helpIntroMeeting : texts.helpIntroChannel,
    commands: helpCommands(args.inPersonalChat ? "personal" : "group").map((entry) => ({ command: typedCommand(entry, true), meaning: texts.commandHelp[entry.kind] ?? "" })),
    privacyText: args.inPersonalChat ? (args.insightConsent ? `${texts.privacy} ${texts.insightNotice[args.insightConsent]}` : texts.privacy) : `${texts.privacy} ${texts.pulseHelp}`,
    showStart: args.inPersonalChat,
    buttons: args.inPersonalChat ? (["history", "progress", "reminders"] as const).map((c) => ({ title: texts.guessLabels[c], command: GUESS_COMMAND_TEXT[c] })) : [],
  });
}

/** Text that is not a command, with the command it probably meant as a button: nothing runs until it is clicked. */
export function guessCard(args: { text: string; command: GuessedCommand }): CardAttachment {
  const label = texts.guessLabels[args.command];
  return renderCard("guess", {
    notUnderstood: texts.notUnderstood(escapeMarkdown(cleanText(args.text))),
    question: texts.didYouMean(label),
    label,
    command: GUESS_COMMAND_TEXT[args.command],
    helpTitle: texts.guessLabels.help,
  });
}

/** Buttons that submit a verb (with its inputs), under a sentence: the first button is the one the sentence recommends. */
export function offerCard(args: { text: string; buttons: ReadonlyArray<{ title: string; verb: CardVerb; inputs?: Readonly<Record<string, string>> }> }): CardAttachment {
  return renderCard("offer", {
    text: args.text,
    actions: args.buttons.map((b, i) => ({ title: b.title, style: i === 0 ? ("positive" as const) : ("default" as const), data: { ...b.inputs, verb: b.verb } })),
  });
}

export function privateOnlyCard(args: { chatUrl: string }): CardAttachment {
  return renderCard("private-only", { text: texts.privateOnly, chatUrl: args.chatUrl });
}

export function ratingText(draft: Pick<ReflectionDraft, "ratingScale">, value: number | undefined): string {
  if (value === undefined) return texts.card.notRated;
  const level = draft.ratingScale.find((l) => l.value === value);
  return level ? `${value} – ${level.label}` : String(value);
}

function stepName(draft: ReflectionDraft): string {
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

function scaleEnds(draft: ReflectionDraft): string {
  const low = draft.ratingScale[0];
  const high = draft.ratingScale[draft.ratingScale.length - 1];
  return low && high ? `${low.value} = ${low.label.toLowerCase()}, ${high.value} = ${high.label.toLowerCase()}` : "";
}

const decimal = (n: number) => n.toFixed(1).replace(".", ",");

export function historyCard(args: { reflections: readonly Reflection[]; more: string | undefined; continued: boolean }): CardAttachment {
  return renderCard("history", {
    title: texts.card.history(args.continued),
    more: args.more ?? "",
    items: args.reflections.map((r) => {
      const average = averageRating(r);
      return {
        id: r.id,
        themeTitle: r.themeTitle,
        meta: `${danishDate(r.completedAt)}${r.short ? ` · ${texts.card.shortTitle.toLowerCase()}` : ""} · ${texts.card.average(average === null ? undefined : decimal(average))}`,
        spread: spreadText(r),
        commitment: r.commitment ?? "",
      };
    }),
  });
}

/** "Lavest: »…« (2) · Højest: »…« (5)": the statements at both ends, when they differ. */
function spreadText(reflection: Pick<Reflection, "statements">): string {
  const rated = reflection.statements.filter((s) => s.rating > 0);
  if (rated.length < 2) return "";
  const lowest = rated.reduce((a, b) => (b.rating < a.rating ? b : a));
  const highest = rated.reduce((a, b) => (b.rating > a.rating ? b : a));
  return lowest.rating === highest.rating ? "" : texts.card.spread(truncateWords(lowest.text, 60), lowest.rating, truncateWords(highest.text, 60), highest.rating);
}

function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), 20))}…`;
}

export function reflectionDetailCard(reflection: Reflection): CardAttachment {
  const average = averageRating(reflection);
  return renderCard("reflection-detail", {
    id: reflection.id,
    themeTitle: reflection.themeTitle,
    meta: `${danishDate(reflection.completedAt)}${reflection.short ? ` · ${texts.card.shortTitle.toLowerCase()}` : ""} · ${texts.asRole(roleInSentenceOf(reflection))}${average === null ? "" : ` · ${texts.card.average(decimal(average))}`}`,
    statements: reflection.statements.map((s) => ({ text: s.text, ratingText: `${s.rating} – ${s.ratingLabel}`, note: s.note ?? "" })),
    // The focus the reflection went deeper on comes first, as it was asked.
    questions: [
      ...reflectionFocus(reflection).map((f) => ({ question: f.prompt, answer: f.answer ?? texts.card.skipped })),
      ...reflection.questions.map((q) => ({ question: q.text, answer: q.answer ?? texts.card.skipped })),
    ],
    commitment: reflection.commitment ?? "",
    followUpDate: reflection.followUpDate ? danishDate(reflection.followUpDate) : "",
    followUps: (reflection.followUps ?? []).map((f) => ({ date: danishDate(f.at), text: f.text })),
    followUpMax: LIMITS.followUp,
  });
}

export function progressCard(args: {
  progress: readonly ThemeProgress[];
  focus: FocusSuggestion | undefined;
  scaleMax: number;
  /** The leader's team pulses, oldest first. */
  teamPulses?: readonly TeamPulseRecord[];
  /** The newest reflection per theme: its lowest and highest statements show under the bars. */
  latest?: readonly Reflection[];
}): CardAttachment {
  // Bars are two weighted columns (filled and empty) so they render everywhere Teams renders
  // ColumnSets; weights are tenths of a point so 3,8 and 3,9 look different.
  return renderCard("progress", {
    scaleText: `1–${args.scaleMax}`,
    hasData: args.progress.some((t) => t.points.length > 0),
    themes: args.progress.map((t) => ({
      title: t.theme.title,
      bars: t.points.map((p) => ({
        date: shortDanishDate(p.completedAt),
        filled: Math.max(1, Math.round(p.average * 10)),
        empty: Math.max(0, Math.round((args.scaleMax - p.average) * 10)),
        valueText: texts.card.barValue(decimal(p.average), args.scaleMax),
      })),
      spread: (() => {
        const last = (args.latest ?? []).find((r) => r.themeId === t.theme.id);
        return last ? spreadText(last) : "";
      })(),
      pulses: (args.teamPulses ?? [])
        .filter((r) => r.themeId === t.theme.id && r.result)
        .map((r) => {
          const beside = teamPulseBeside([r], r.themeId);
          const means = (pick: "team" | "self") => Object.values(beside?.statements ?? {}).map((v) => v[pick]).filter((v): v is number => v !== undefined && v > 0);
          const average = (values: number[]) => (values.length > 0 ? decimal(values.reduce((a, b) => a + b, 0) / values.length) : undefined);
          return { text: texts.pulse.progressLine(shortDanishDate(r.result!.closedAt), r.result!.shown ? average(means("team")) : undefined, r.result!.answered, average(means("self"))) };
        }),
    })),
    focusTitle: args.focus ? texts.card.focus(args.focus.reflection.themeTitle, danishDate(args.focus.reflection.completedAt)) : "",
    focus: (args.focus?.statements ?? []).map((s) => ({ text: s.text, rating: `${s.rating} – ${s.ratingLabel.toLowerCase()}` })),
  });
}

export function exportCard(args: { summary: string; markdownUrl: string; jsonUrl: string }): CardAttachment {
  return renderCard("export", args);
}

export function confirmDeleteCard(args: { token: string; facts: ReadonlyArray<{ title: string; value: string }> }): CardAttachment {
  return renderCard("confirm-delete", args);
}

/** Reminder times offered: on the half hour, within working hours. */

export function remindersCard(args: { frequency: string; weekday: number; time: string; nextText: string }): CardAttachment {
  return renderCard("reminders", { ...args, weekday: String(args.weekday), times: REMINDER_TIMES });
}

export function nudgeCard(args: {
  themeTitle: string;
  lastReflectedAt: string | undefined;
  /** The one reminder after a pause. */
  catchUp?: boolean;
  gentler?: readonly GentlerFrequency[];
}): CardAttachment {
  return renderCard("nudge", {
    title: args.catchUp ? texts.card.welcomeBack : texts.card.nudgeTitle,
    themeTitle: args.themeTitle,
    gentler: (args.gentler ?? []).map((value) => ({ value, title: texts.card.gentler[value] })),
    lead: args.lastReflectedAt ? texts.card.nudgeLead(danishDate(args.lastReflectedAt)) : texts.card.nudgeFirst,
  });
}

/** "pause påmindelser": pick the first day back (tomorrow at the earliest, a year at the most). */
export function pauseCard(args: { today: string; pausedUntil: string | undefined; timezone: string }): CardAttachment {
  const day = (offset: number) => new Date(Date.parse(`${args.today}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  return renderCard("pause", {
    intro: texts.card.pauseIntro,
    pausedText: args.pausedUntil ? texts.paused(danishDate(args.pausedUntil)) : "",
    min: day(1),
    max: day(MAX_PAUSE_DAYS),
    value: args.pausedUntil ?? day(14),
  });
}

export function followUpCard(reflection: Reflection): CardAttachment {
  return renderCard("follow-up", {
    reflectionId: reflection.id,
    intro: texts.card.followUpIntro(reflection.themeTitle, danishDate(reflection.completedAt)),
    commitment: reflection.commitment ?? texts.card.noNextStep,
    followUpMax: LIMITS.followUp,
  });
}
