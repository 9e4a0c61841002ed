import type { InputProblem } from "../kernel/inputProblem";
import { lowerCased, shown, type Shown } from "../kernel/shown";
import type { TeamPulseRecord } from "./teamPulse";
import type { Audience, Framework, RatingLevel } from "./framework";
import type { QuestionId, ReflectionId, RoleId, StatementId, TenantId, ThemeId, UserId } from "./ids";
import { asReflectionId } from "./ids";
import type { UserKey } from "./identity";
import { ok, refuse, type Result } from "./result";
import { AppError, ErrorCodes } from "../kernel/errors";
import { chooseFocus, fillPrompt } from "./focus";

/** Limits that keep one reflection a few kB, and refuse a tampered 50 kB answer. */
export const LIMITS = {
  answer: 4000,
  /** The focus card's answers: a few sentences each, so the summary with everything at its longest stays one Teams message. */
  focusAnswer: 1000,
  note: 1000,
  followUp: 1000,
  followUpsPerReflection: 50,
  commitment: 1000,
  /** How far ahead a follow-up date may be set. */
  followUpDays: 2 * 366,
} as const;

/** A framework text as it was asked: the editors' words, Shown as they wrote them (domain/framework.ts). */
export interface TextSnapshot<Id> {
  readonly id: Id;
  readonly text: Shown;
}

export interface QuestionSnapshot extends TextSnapshot<QuestionId> {
  readonly isFallback: boolean;
}

/** Where the leader is: the statements card, the focus on their ratings, one of the questions, or the summary. */
export type DraftStep =
  | { readonly kind: "statements" }
  | { readonly kind: "focus" }
  | { readonly kind: "question"; readonly index: number }
  | { readonly kind: "summary" };

/** One follow-up prompt about a statement the leader rated: which, the rating, and the prompt as asked. */
export interface FocusPrompt {
  readonly statementId: StatementId;
  readonly statement: Shown;
  readonly rating: number;
  readonly prompt: Shown;
}

/** The focus the ratings chose: the statement to go deeper on, and a strength. */
export interface DraftFocus {
  readonly deeper: FocusPrompt;
  readonly strength?: FocusPrompt;
}

/** The last reflection on the same theme, as the next one opens with it. */
export interface PreviousReflection {
  readonly reflectionId: string;
  readonly completedAt: string;
  readonly ratings: Readonly<Record<string, number>>;
  /** The plan it ended with, when it had one and nobody has said yet how it went. */
  readonly openPlan?: string;
}

/** How the last plan went, as the next reflection asks it (the follow-up card asks the same). */
export type PlanOutcome = "done" | "partly" | "notYet";
export const PLAN_OUTCOMES: readonly PlanOutcome[] = ["done", "partly", "notYet"];

/**
 * A reflection in progress. It copies the texts it shows, so that a content change between two
 * turns, or between today and a read-back next year, never changes what the leader answered.
 */
export interface ReflectionDraft {
  /** Also the saved reflection's id, which makes saving idempotent. */
  readonly id: string;
  readonly contentVersion: string;
  readonly themeId: ThemeId;
  readonly themeTitle: Shown;
  readonly roleId: RoleId;
  readonly roleName: Shown;
  /** The role inside a sentence (»leder af medarbejdere«); absent on drafts from before it was kept. */
  readonly roleInSentence?: Shown;
  /**
   * The leader's team's last Vi-pulse on the theme beside their own rating of the same "Vi"
   * statements (counts only, from their own record): what the reflection opens with.
   */
  readonly teamPulse?: TeamPulseBeside;
  readonly sharedStatements: readonly TextSnapshot<StatementId>[];
  readonly statements: readonly TextSnapshot<StatementId>[];
  readonly questions: readonly QuestionSnapshot[];
  readonly ratingQuestion: Shown;
  readonly ratingScale: readonly RatingLevel[];
  readonly ratings: Readonly<Record<string, number>>;
  readonly notes: Readonly<Record<string, string>>;
  /** Question id → answer; null = skipped; absent = not reached yet. */
  readonly answers: Readonly<Record<string, string | null>>;
  /** The framework's follow-up prompts, as they were when the reflection began. */
  readonly focusPrompts?: Framework["focusPrompts"];
  /** The last reflection on the theme: its ratings show beside the statements and weigh in the focus. */
  readonly previous?: PreviousReflection;
  /** Chosen from the ratings when they are given (domain/focus). */
  readonly focus?: DraftFocus;
  readonly focusAnswers?: { readonly deeper: string | null; readonly strength: string | null };
  /** A short reflection: the ratings, the focus and the plan, without the framework's questions. */
  readonly short?: true;
  /** The answer to "Sidst skrev du …: hvordan gik det?", stored on the earlier reflection when this one is saved. */
  readonly lastPlan?: { readonly outcome: PlanOutcome; readonly note: string | null };
  readonly step: DraftStep;
  readonly startedAt: string;
  readonly updatedAt: string;
}

export interface Reflection {
  readonly id: ReflectionId;
  readonly tenantId: TenantId;
  readonly userId: UserId;
  readonly roleId: RoleId;
  readonly roleName: Shown;
  /** The role inside a sentence (»leder af medarbejdere«); absent on reflections from before it was kept. */
  readonly roleInSentence?: Shown;
  readonly themeId: ThemeId;
  readonly themeTitle: Shown;
  readonly contentVersion: string;
  readonly sharedStatements: readonly TextSnapshot<StatementId>[];
  readonly statements: ReadonlyArray<{
    readonly id: StatementId;
    readonly text: Shown;
    readonly rating: number;
    readonly ratingLabel: Shown;
    readonly note: string | null;
  }>;
  readonly questions: ReadonlyArray<QuestionSnapshot & { readonly answer: string | null }>;
  /** Saved from a short reflection (ratings, focus, plan): listed as such. */
  readonly short?: true;
  /** Where the reflection went deeper: the prompts as asked and what the leader wrote. Older reflections have none. */
  readonly focus?: {
    readonly deeper: FocusPrompt & { readonly answer: string | null };
    readonly strength?: FocusPrompt & { readonly answer: string | null };
  };
  readonly commitment: string | null;
  /** YYYY-MM-DD; picked up by the nudges for a follow-up. */
  readonly followUpDate: string | null;
  readonly startedAt: string;
  readonly completedAt: string;
  /** Notes added later from the history, or how the plan went when the next reflection asked. */
  readonly followUps?: ReadonlyArray<{ readonly text: string; readonly at: string; readonly outcome?: PlanOutcome }>;
}


const AUDIENCE: Audience = "lederen";

/** A team's Vi-pulse as the next reflection on its theme shows it: per Fælles statement, the team's average and the leader's own rating. */
export interface TeamPulseBeside {
  readonly closedAt: string;
  readonly answered: number;
  readonly shown: boolean;
  readonly statements: Readonly<Record<string, { readonly team?: number; readonly self?: number }>>;
}

/** The newest closed team pulse on the theme, beside the leader's own rating; undefined when there is none. */
export function teamPulseBeside(records: readonly TeamPulseRecord[] | undefined, themeId: string): TeamPulseBeside | undefined {
  const record = [...(records ?? [])].reverse().find((r) => r.themeId === themeId && r.result);
  if (!record?.result) return undefined;
  const ids = new Set([...Object.keys(record.self ?? {}), ...Object.keys(record.result.distributions ?? {})]);
  const statements: Record<string, { team?: number; self?: number }> = {};
  for (const id of ids) {
    const counts = record.result.distributions?.[id];
    const rated = counts?.reduce((a, b) => a + b, 0) ?? 0;
    const team = counts && rated > 0 ? Math.round((counts.reduce((sum, n, i) => sum + n * (i + 1), 0) / rated) * 10) / 10 : undefined;
    const self = record.self?.[id];
    statements[id] = { ...(team !== undefined ? { team } : {}), ...(self !== undefined ? { self } : {}) };
  }
  return { closedAt: record.result.closedAt, answered: record.result.answered, shown: record.result.shown, statements };
}

export function createDraft(
  framework: Framework,
  roleId: RoleId,
  themeId: ThemeId,
  id: string,
  now: Date,
): ReflectionDraft {
  const theme = framework.theme(themeId);
  const role = framework.role(roleId);
  if (!theme || !role || role.kind !== "individual") {
    throw new AppError(ErrorCodes.invariantBroken, { detail: `createDraft: unknown theme "${themeId}" or role "${roleId}"` });
  }
  const snapshot = <Id>(items: readonly { id: Id; text: Shown }[]) => items.map(({ id: i, text }) => ({ id: i, text }));
  const at = now.toISOString();
  return {
    id,
    contentVersion: framework.contentVersion,
    themeId,
    themeTitle: theme.title,
    roleId,
    roleName: role.name,
    roleInSentence: role.inSentence,
    sharedStatements: framework.sharedRole ? snapshot(framework.statements(themeId, framework.sharedRole.id)) : [],
    statements: snapshot(framework.statements(themeId, roleId)),
    questions: framework.questions(themeId, roleId, AUDIENCE).map((q) => ({ id: q.id, text: q.text, isFallback: q.isFallback })),
    ratingQuestion: framework.ratingScale.question,
    ratingScale: framework.ratingScale.levels.map((l) => ({ ...l })),
    ratings: {},
    notes: {},
    answers: {},
    focusPrompts: { ...framework.focusPrompts },
    step: { kind: "statements" },
    startedAt: at,
    updatedAt: at,
  };
}

/** True once the leader has given anything worth keeping. */
export function hasAnswers(draft: ReflectionDraft): boolean {
  return Object.keys(draft.ratings).length > 0 || Object.values(draft.answers).some((a) => a !== null && a !== undefined);
}

export const RATING_FIELD = "rating:";
export const NOTE_FIELD = "note:";

/**
 * Takes the statements card's inputs (`rating:<statementId>`, `note:<statementId>`). Every
 * statement needs a rating on the scale; notes are optional; any other rating or note field
 * means the card was not ours, and nothing is taken.
 */
export function recordRatings(
  draft: ReflectionDraft,
  inputs: Readonly<Record<string, unknown>>,
  now: Date,
): Result<ReflectionDraft, InputProblem> {
  if (draft.step.kind !== "statements") return refuse({ code: "wrong-step" });
  const known = new Set<string>(draft.statements.map((s) => s.id));
  for (const field of Object.keys(inputs)) {
    const statementId = field.startsWith(RATING_FIELD)
      ? field.slice(RATING_FIELD.length)
      : field.startsWith(NOTE_FIELD)
        ? field.slice(NOTE_FIELD.length)
        : undefined;
    if (statementId !== undefined && !known.has(statementId)) return refuse({ code: "unknown-statement", field });
  }
  const allowed = new Set(draft.ratingScale.map((l) => l.value));
  const ratings: Record<string, number> = {};
  const perStatementNotes = draft.statements.some((st) => inputs[NOTE_FIELD + st.id] !== undefined);
  // An older card has a note field per statement; the card now has one note and whom it is about.
  const notes: Record<string, string> = perStatementNotes ? {} : { ...draft.notes };
  for (const statement of draft.statements) {
    const raw = inputs[RATING_FIELD + statement.id];
    if (raw === undefined || raw === "") return refuse({ code: "missing-rating", statement: statement.text });
    const value = typeof raw === "number" ? raw : typeof raw === "string" && /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
    if (!allowed.has(value)) return refuse({ code: "invalid-rating", statement: statement.text });
    ratings[statement.id] = value;

    if (!perStatementNotes) continue;
    const note = optionalText(inputs[NOTE_FIELD + statement.id], "note", LIMITS.note);
    if (!note.ok) return note;
    if (note.value !== null) notes[statement.id] = note.value;
  }
  const single = optionalText(inputs.noteText, "note", LIMITS.note);
  if (!single.ok) return single;
  const noteFor = inputs.noteFor;
  if (noteFor !== undefined && noteFor !== "" && (typeof noteFor !== "string" || !known.has(noteFor))) return refuse({ code: "unknown-statement", field: "noteFor" });
  if (single.value !== null && typeof noteFor !== "string") return refuse({ code: "note-without-statement" });
  if (!perStatementNotes && (inputs.noteText !== undefined || inputs.noteFor !== undefined)) {
    // The note field showed the first note there was: what is in it now replaces that one.
    const shownId = draft.statements.find((st) => draft.notes[st.id])?.id;
    if (shownId) delete notes[shownId];
    if (single.value !== null && typeof noteFor === "string") notes[noteFor] = single.value;
  }
  const lastPlan = lastPlanOf(draft, inputs);
  if (lastPlan && !lastPlan.ok) return lastPlan;
  const focus = focusOf(draft, ratings, notes);
  const { focusAnswers: _kept, lastPlan: _old, ...rest } = draft;
  // New ratings can choose another focus: what was written to the old one is kept only when it is the same.
  const sameFocus = draft.focus?.deeper.statementId === focus?.deeper.statementId && draft.focus?.strength?.statementId === focus?.strength?.statementId;
  const next = { ...rest, ratings, notes, ...(lastPlan?.value ? { lastPlan: lastPlan.value } : {}), ...(focus ? { focus } : {}), ...(sameFocus && draft.focusAnswers ? { focusAnswers: draft.focusAnswers } : {}), updatedAt: now.toISOString() };
  return ok({ ...next, step: nextStep(next, draft.step) });
}

/** "Hvordan gik det?" on the statements card: optional; an outcome we did not offer means the card was not ours. */
function lastPlanOf(draft: ReflectionDraft, inputs: Readonly<Record<string, unknown>>): Result<{ outcome: PlanOutcome; note: string | null } | undefined, InputProblem> | undefined {
  const raw = inputs.lastPlan;
  if (!draft.previous?.openPlan) return raw === undefined ? undefined : refuse({ code: "unknown-statement", field: "lastPlan" });
  if (raw === undefined || raw === "") return ok(undefined);
  if (typeof raw !== "string" || !(PLAN_OUTCOMES as readonly string[]).includes(raw)) return refuse({ code: "unknown-statement", field: "lastPlan" });
  const note = optionalText(inputs.lastPlanNote, "followUp", LIMITS.followUp);
  if (!note.ok) return note;
  return ok({ outcome: raw as PlanOutcome, note: note.value });
}

/** The statement to go deeper on and the strength, with the framework's prompts filled in. */
function focusOf(draft: ReflectionDraft, ratings: Readonly<Record<string, number>>, notes: Readonly<Record<string, string>>): DraftFocus | undefined {
  const prompts = draft.focusPrompts;
  if (!prompts) return undefined;
  const choice = chooseFocus(draft.statements.map((s) => s.id), ratings, notes, draft.previous?.ratings);
  if (!choice) return undefined;
  const lowest = Math.min(...draft.ratingScale.map((l) => l.value));
  const prompt = (id: string, template: (rating: number) => Shown): FocusPrompt => {
    const statement = draft.statements.find((s) => s.id === id)!;
    const rating = ratings[id]!;
    return { statementId: statement.id, statement: statement.text, rating, prompt: fillPrompt(template(rating), statement.text, rating) };
  };
  return {
    deeper: prompt(choice.deeper, (rating) => (rating <= lowest ? prompts.deeperAtLowest : prompts.deeper)),
    ...(choice.strength ? { strength: prompt(choice.strength, () => prompts.strength) } : {}),
  };
}

/** The focus card's two answers (both optional), then on to the framework's questions. */
export function recordFocus(draft: ReflectionDraft, inputs: Readonly<Record<string, unknown>>, now: Date): Result<ReflectionDraft, InputProblem> {
  if (draft.step.kind !== "focus" || !draft.focus) return refuse({ code: "wrong-step" });
  const deeper = optionalText(inputs.focusDeeper, "answer", LIMITS.focusAnswer);
  if (!deeper.ok) return deeper;
  const strength = optionalText(inputs.focusStrength, "answer", LIMITS.focusAnswer);
  if (!strength.ok) return strength;
  return ok({ ...draft, focusAnswers: { deeper: deeper.value, strength: draft.focus.strength ? strength.value : null }, step: nextStep(draft, draft.step), updatedAt: now.toISOString() });
}

/** Records the current question's answer (empty counts as skipped) and moves on. */
export function recordAnswer(
  draft: ReflectionDraft,
  questionIndex: number,
  answer: unknown,
  now: Date,
): Result<ReflectionDraft, InputProblem> {
  if (draft.step.kind !== "question" || draft.step.index !== questionIndex) return refuse({ code: "wrong-step" });
  const question = draft.questions[questionIndex];
  if (!question) return refuse({ code: "wrong-step" });
  const text = optionalText(answer, "answer", LIMITS.answer);
  if (!text.ok) return text;
  return ok({
    ...draft,
    answers: { ...draft.answers, [question.id]: text.value },
    step: nextStep(draft, draft.step),
    updatedAt: now.toISOString(),
  });
}

export function skipQuestion(draft: ReflectionDraft, questionIndex: number, now: Date): Result<ReflectionDraft, InputProblem> {
  return recordAnswer(draft, questionIndex, "", now);
}

/** One step back; what was entered stays and is shown again. */
export function stepBack(draft: ReflectionDraft, now: Date): ReflectionDraft {
  const step = previousStep(draft, draft.step);
  return step === draft.step ? draft : { ...draft, step, updatedAt: now.toISOString() };
}

/**
 * Turns a finished draft into the reflection to store. The follow-up date is a calendar date
 * (YYYY-MM-DD) from today up to two years ahead.
 */
export function completeDraft(
  draft: ReflectionDraft,
  user: UserKey,
  input: { readonly commitment: unknown; readonly followUpDate: unknown },
  now: Date,
): Result<Reflection, InputProblem> {
  if (draft.step.kind !== "summary") return refuse({ code: "wrong-step" });
  const commitment = optionalText(input.commitment, "commitment", LIMITS.commitment);
  if (!commitment.ok) return commitment;
  const followUp = followUpDate(input.followUpDate, now);
  if (!followUp.ok) return followUp;

  const label = (value: number): Shown => draft.ratingScale.find((l) => l.value === value)?.label ?? shown`${value}`;
  return ok({
    id: asReflectionId(draft.id),
    tenantId: user.tenantId,
    userId: user.userId,
    roleId: draft.roleId,
    roleName: draft.roleName,
    ...(draft.roleInSentence ? { roleInSentence: draft.roleInSentence } : {}),
    themeId: draft.themeId,
    themeTitle: draft.themeTitle,
    contentVersion: draft.contentVersion,
    sharedStatements: draft.sharedStatements,
    statements: draft.statements.map((s) => {
      const rating = draft.ratings[s.id] ?? 0;
      return { id: s.id, text: s.text, rating, ratingLabel: label(rating), note: draft.notes[s.id] ?? null };
    }),
    // A short reflection asked none of the framework's questions, and says so by storing none.
    questions: draft.short ? [] : draft.questions.map((q) => ({ ...q, answer: draft.answers[q.id] ?? null })),
    ...(draft.short ? { short: true as const } : {}),
    ...(draft.focus
      ? {
          focus: {
            deeper: { ...draft.focus.deeper, answer: draft.focusAnswers?.deeper ?? null },
            ...(draft.focus.strength ? { strength: { ...draft.focus.strength, answer: draft.focusAnswers?.strength ?? null } } : {}),
          },
        }
      : {}),
    commitment: commitment.value,
    followUpDate: followUp.value,
    startedAt: draft.startedAt,
    completedAt: now.toISOString(),
  });
}

export function averageRating(reflection: Pick<Reflection, "statements">): number | null {
  const values = reflection.statements.map((s) => s.rating).filter((r) => r > 0);
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function nextStep(draft: ReflectionDraft, step: DraftStep): DraftStep {
  if (step.kind === "statements" && draft.focus) return { kind: "focus" };
  if (step.kind === "statements" || step.kind === "focus") return draft.questions.length > 0 && !draft.short ? { kind: "question", index: 0 } : { kind: "summary" };
  if (step.kind === "question" && step.index + 1 < draft.questions.length) return { kind: "question", index: step.index + 1 };
  return { kind: "summary" };
}

function previousStep(draft: ReflectionDraft, step: DraftStep): DraftStep {
  const beforeQuestions: DraftStep = draft.focus ? { kind: "focus" } : { kind: "statements" };
  if (step.kind === "summary") {
    return draft.questions.length > 0 && !draft.short ? { kind: "question", index: draft.questions.length - 1 } : beforeQuestions;
  }
  if (step.kind === "question") return step.index > 0 ? { kind: "question", index: step.index - 1 } : beforeQuestions;
  if (step.kind === "focus") return { kind: "statements" };
  return step;
}

/** A follow-up note for an old reflection: required text, within the limits. */
export function followUpNote(reflection: Pick<Reflection, "followUps">, raw: unknown, now: Date): Result<{ text: string; at: string }, InputProblem> {
  const text = optionalText(raw, "followUp", LIMITS.followUp);
  if (!text.ok) return text;
  if (text.value === null) return refuse({ code: "empty" });
  if ((reflection.followUps?.length ?? 0) >= LIMITS.followUpsPerReflection) {
    return refuse({ code: "too-many-follow-ups", max: LIMITS.followUpsPerReflection });
  }
  return ok({ text: text.value, at: now.toISOString() });
}

function optionalText(
  raw: unknown,
  field: "answer" | "note" | "commitment" | "followUp",
  max: number,
): Result<string | null, InputProblem> {
  if (raw === undefined || raw === null) return ok(null);
  if (typeof raw !== "string") return refuse({ code: "not-text", field });
  // Keep the leader's own line breaks; only tidy the ends and Windows line endings.
  const text = raw.replace(/\r\n?/g, "\n").trim();
  if (text.length > max) return refuse({ code: "too-long", field, max });
  return ok(text === "" ? null : text);
}

function followUpDate(raw: unknown, now: Date): Result<string | null, InputProblem> {
  if (raw === undefined || raw === null || raw === "") return ok(null);
  if (typeof raw !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return refuse({ code: "invalid-date" });
  const date = new Date(`${raw}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== raw) return refuse({ code: "invalid-date" });
  const today = new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const days = (date.getTime() - today.getTime()) / 86_400_000;
  // One day of slack behind: the leader's today may still be our yesterday in UTC.
  if (days < -1 || days > LIMITS.followUpDays) return refuse({ code: "date-out-of-range" });
  return ok(raw);
}

/** "som leder af medarbejdere": the role as a sentence says it, also for what was stored before the framework said it. */
export function roleInSentenceOf(reflection: Pick<Reflection, "roleName" | "roleInSentence">): Shown {
  return reflection.roleInSentence ?? lowerCased(reflection.roleName);
}
