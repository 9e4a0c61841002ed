/**
 * The data each template in cards/ binds, one interface per template. renderCard takes the
 * view model of the template it is given, so renaming a field here (with its `${field}` in the
 * template) fails to compile wherever a card is built the old way, and the card test fails
 * when a template binds a field its view model does not have.
 *
 * A field a template shows as text (a TextBlock's or a Fact's) is `Shown` (kernel/shown.ts):
 * Teams renders Markdown there, so only escaped text, our own texts and the framework's may go
 * in, and a view that forgets to escape what a person typed does not compile. Input values,
 * choice and button titles, ids and URLs stay `string`: Teams shows them as they are, and an
 * escape there would show as a backslash.
 */
import type { Shown } from "../kernel/shown";

type Choice = { readonly title: string; readonly value: string };
type Fact = { readonly title: Shown; readonly value: Shown };
/** A statement of a shown Vi-pulse result: the numbers as text, so no one depends on the bars. */
type PulseStatementView = { readonly text: Shown; readonly rows: ReadonlyArray<{ readonly text: Shown }>; readonly meanText: Shown };

/** The fields every step card of a reflection carries back, so a submit is matched to its draft. */
interface StepCard {
  readonly token: string;
  readonly progressText: Shown;
  readonly themeTitle: Shown;
  readonly themeId: string;
  readonly roleId: string;
}

export interface CardViewModels {
  "role-choice": {
    readonly token: string;
    readonly welcome: boolean;
    readonly introText: Shown;
    readonly privacyText: Shown;
    readonly roles: ReadonlyArray<{ readonly id: string; readonly name: string }>;
    readonly currentRoleId: string;
    readonly currentRoleText: Shown;
  };
  "theme-choice": {
    readonly token: string;
    readonly roleText: Shown;
    /** What a short reflection is, and its button's title. */
    readonly shortText: Shown;
    readonly shortTitle: string;
    readonly suggestionText: Shown;
    readonly themes: ReadonlyArray<{
      readonly id: string;
      readonly title: Shown;
      readonly lastText: Shown;
      readonly suggested: boolean;
      readonly style: string;
      readonly buttonStyle: string;
    }>;
  };
  resume: { readonly token: string; readonly themeTitle: Shown; readonly detailText: Shown };
  statements: StepCard & {
    readonly roleHeading: Shown;
    readonly scaleQuestion: Shown;
    readonly scale: readonly Choice[];
    readonly scaleMax: string;
    readonly noteMax: number;
    readonly shared: ReadonlyArray<{ readonly text: Shown; readonly beside: Shown }>;
    /** The team's last Vi-pulse on the theme, beside the leader's own rating; "" when there is none. */
    readonly teamPulseText: Shown;
    /** "Sidst skrev du: … Hvordan gik det?"; "" when there is no open plan. */
    readonly lastPlanText: Shown;
    /** One optional note, to the statement the leader picks: not a field per statement on sight. */
    readonly noteIntro: Shown;
    readonly noteForLabel: string;
    readonly noteForPlaceholder: string;
    readonly noteFor: string;
    readonly noteTextLabel: string;
    readonly noteText: string;
    readonly lastPlanLabel: string;
    readonly lastPlanValue: string;
    readonly planChoices: readonly Choice[];
    readonly lastPlanNoteLabel: string;
    readonly lastPlanNoteMax: number;
    readonly lastPlanNote: string;
    readonly statements: ReadonlyArray<{ readonly id: string; readonly text: Shown; readonly rating: string; readonly note: string; /** "Sidst: 3 (…)", from the last reflection on the theme; "" on the first. */ readonly last: Shown }>;
  };
  focus: StepCard & {
    readonly heading: Shown;
    readonly deeperPrompt: Shown;
    readonly strengthPrompt: Shown;
    readonly answerLabel: string;
    readonly placeholder: string;
    readonly answerMax: number;
    readonly deeperAnswer: string;
    readonly strengthAnswer: string;
  };
  question: StepCard & {
    readonly step: string;
    readonly questionIndex: string;
    readonly questionText: Shown;
    readonly answer: string;
    readonly answerMax: number;
  };
  summary: StepCard & {
    readonly ratings: ReadonlyArray<{ readonly text: Shown; readonly ratingText: Shown; readonly note: Shown }>;
    readonly answers: ReadonlyArray<{ readonly question: Shown; readonly answer: Shown; readonly skipped: boolean }>;
    readonly nextStepHeading: Shown;
    readonly nextStepLabel: string;
    readonly nextStepPlaceholder: string;
    readonly commitment: string;
    readonly commitmentMax: number;
    readonly followUpDate: string;
    readonly today: string;
  };
  "confirm-cancel": { readonly token: string; readonly themeTitle: Shown };
  receipt: {
    readonly title: Shown;
    readonly titleSize: "Large" | "Default";
    readonly subtitle: Shown;
    readonly items: ReadonlyArray<{ readonly label: Shown; readonly value: Shown }>;
    readonly actions: ReadonlyArray<{ readonly title: string; readonly verb: string }>;
  };
  help: {
    readonly intro: Shown;
    readonly commands: ReadonlyArray<{ readonly command: Shown; readonly meaning: Shown }>;
    readonly privacyText: Shown;
    readonly showStart: boolean;
    /** The main commands as buttons that send the command as if typed (Teams' imBack). */
    readonly buttons: ReadonlyArray<{ readonly title: string; readonly command: string }>;
  };
  "private-only": { readonly text: Shown; readonly chatUrl: string };
  history: {
    readonly title: Shown;
    readonly more: string;
    /** `spread`: the lowest and highest rated statements, so an average does not hide a 2. */
    readonly items: ReadonlyArray<{ readonly id: string; readonly themeTitle: Shown; readonly meta: Shown; readonly spread: Shown; readonly commitment: Shown }>;
  };
  "reflection-detail": {
    readonly id: string;
    readonly themeTitle: Shown;
    readonly meta: Shown;
    readonly statements: ReadonlyArray<{ readonly text: Shown; readonly ratingText: Shown; readonly note: Shown }>;
    readonly questions: ReadonlyArray<{ readonly question: Shown; readonly answer: Shown }>;
    readonly commitment: Shown;
    readonly followUpDate: Shown;
    readonly followUps: ReadonlyArray<{ readonly date: Shown; readonly text: Shown }>;
    readonly followUpMax: number;
  };
  progress: {
    readonly scaleText: Shown;
    readonly hasData: boolean;
    readonly themes: ReadonlyArray<{
      readonly title: Shown;
      /** The number is on every bar as text ("3,8 af 5"), so colour is never the only carrier. */
      readonly bars: ReadonlyArray<{ readonly date: Shown; readonly filled: number; readonly empty: number; readonly valueText: Shown }>;
      /** The team's Vi-pulses on the theme beside the leader's own rating of the same statements, as text. */
      readonly pulses: ReadonlyArray<{ readonly text: Shown }>;
      /** The last reflection's lowest and highest rated statements: an average hides a 2. */
      readonly spread: Shown;
    }>;
    readonly focusTitle: Shown;
    readonly focus: ReadonlyArray<{ readonly text: Shown; readonly rating: Shown }>;
  };
  /** An answer with buttons to choose from ("jeg har 10 minutter": the short or the whole reflection). */
  offer: {
    readonly text: Shown;
    readonly actions: ReadonlyArray<{ readonly title: string; readonly style: "positive" | "default"; readonly data: Readonly<Record<string, string>> }>;
  };
  guess: { readonly notUnderstood: Shown; readonly question: Shown; readonly label: string; readonly command: string; readonly helpTitle: string };
  export: { readonly summary: Shown; readonly markdownUrl: string; readonly jsonUrl: string };
  "minutes-download": { readonly summary: Shown; readonly url: string };
  "confirm-delete": { readonly token: string; readonly facts: readonly Fact[] };
  reminders: { readonly frequency: string; readonly weekday: string; readonly time: string; readonly nextText: Shown; readonly times: readonly string[] };
  nudge: {
    readonly title: Shown;
    readonly themeTitle: Shown;
    readonly lead: Shown;
    /** Gentler frequencies to offer, once after several reminders without a reflection. */
    readonly gentler: readonly Choice[];
  };
  pause: { readonly intro: Shown; readonly pausedText: Shown; readonly min: string; readonly max: string; readonly value: string };
  "follow-up": { readonly reflectionId: string; readonly intro: Shown; readonly commitment: Shown; readonly followUpMax: number };
  "channel-settings": {
    readonly token: string;
    readonly settingsETag: string;
    readonly chat: boolean;
    readonly stewardsText: Shown;
    readonly themeIntro: Shown;
    readonly groupRole: string;
    readonly themeFrequency: string;
    readonly themeWeekday: string;
    readonly themeTime: string;
    readonly meetingFrequency: string;
    readonly meetingWeekday: string;
    readonly meetingWeekOfMonth: string;
    readonly meetingTime: string;
    readonly meetingMinutes: string;
    readonly inviteHours: string;
    readonly inviteTimes: readonly Choice[];
    readonly leadHours: string;
    readonly themeMode: string;
    readonly proposalText: Shown;
    readonly meetingTimes: readonly string[];
    readonly durations: readonly Choice[];
    readonly roles: ReadonlyArray<{ readonly id: string; readonly name: string }>;
    readonly frequencies: readonly Choice[];
    readonly weekdays: readonly Choice[];
    readonly weeksOfMonth: readonly Choice[];
    readonly times: readonly string[];
    readonly leadTimes: readonly Choice[];
    readonly themeModes: readonly Choice[];
    readonly nextDates: readonly Shown[];
  };
  "group-questions": {
    readonly heading: Shown;
    readonly themeTitle: Shown;
    readonly questions: ReadonlyArray<{ readonly number: Shown; readonly text: Shown }>;
  };
  "weekly-theme": { readonly themeTitle: Shown; readonly roleHeading: Shown; readonly statements: ReadonlyArray<{ readonly text: Shown }> };
  "channel-status": {
    readonly changedText: Shown;
    readonly next: ReadonlyArray<{ readonly what: Shown; readonly when: Shown }>;
    readonly recent: ReadonlyArray<{ readonly when: Shown; readonly outcome: Shown }>;
  };
  "meeting-start": {
    readonly heading: Shown;
    readonly themeTitle: Shown;
    readonly cardMeetingId: string;
    readonly questions: ReadonlyArray<{ readonly number: Shown; readonly text: Shown }>;
    readonly noPointsText: Shown;
    readonly morePointsText: Shown;
    readonly points: ReadonlyArray<{ readonly text: Shown; readonly by: Shown }>;
    readonly agreementsHeading: Shown;
    readonly noAgreementsText: Shown;
    readonly moreText: Shown;
    readonly agreements: ReadonlyArray<{ readonly text: Shown; readonly line: Shown; readonly statusText: Shown; readonly meetingId: string; readonly agreementId: string }>;
    /** Vi-pulsen for this meeting: "" when there was none. */
    readonly pulseHeading: Shown;
    readonly pulseText: Shown;
    readonly pulseStatements: ReadonlyArray<PulseStatementView>;
    readonly pulseWidest: Shown;
  };
  "meeting-agreements": {
    readonly intro: Shown;
    readonly token: string;
    readonly meetingId: string;
    readonly rows: ReadonlyArray<{ readonly number: string; readonly textId: string; readonly whoId: string; readonly dueId: string }>;
  };
  "agreement-reminder": { readonly title: Shown; readonly agreement: Shown; readonly detail: Shown };
  "meeting-invitation": {
    readonly title: Shown;
    readonly groupText: Shown;
    readonly themeId: string;
    readonly groupId: string;
    readonly meetingId: string;
    /** The meeting's Vi-pulse, "" when none is open. */
    readonly pulseId: string;
    readonly pulseText: Shown;
  };
  pulse: {
    readonly title: Shown;
    readonly question: Shown;
    readonly ratingLabel: string;
    readonly ratingRequired: string;
    readonly scale: readonly Choice[];
    readonly statements: ReadonlyArray<{ readonly id: string; readonly text: Shown; readonly value: string }>;
    readonly closesText: Shown;
    readonly privacyText: Shown;
    readonly sendTitle: string;
    readonly pulseId: string;
    readonly groupId: string;
  };
  "pulse-invitation": { readonly title: Shown; readonly invitationText: Shown; readonly privacyText: Shown; readonly answerTitle: string; readonly pulseId: string; readonly groupId: string };
  "pulse-answered": {
    readonly title: Shown;
    readonly note: Shown;
    readonly yourAnswer: Shown;
    readonly answers: ReadonlyArray<{ readonly text: Shown }>;
    readonly privacyText: Shown;
    readonly changeTitle: string;
    readonly pulseId: string;
    readonly groupId: string;
  };
  "pulse-result": {
    readonly title: Shown;
    readonly summary: Shown;
    readonly statements: ReadonlyArray<PulseStatementView & { readonly beside: Shown }>;
    readonly widestText: Shown;
  };
  "share-point": {
    readonly meetingText: Shown;
    readonly groupId: string;
    readonly meetingId: string;
    readonly point: string;
    readonly showName: string;
    readonly answers: readonly Choice[];
  };
  "share-preview": {
    readonly whereText: Shown;
    readonly point: Shown;
    readonly byText: Shown;
    readonly replacesText: Shown;
    readonly token: string;
    readonly groupId: string;
    readonly meetingId: string;
  };
  "point-shared": {
    readonly whereText: Shown;
    readonly point: Shown;
    readonly byText: Shown;
    readonly groupId: string;
    readonly meetingId: string;
    readonly pointId: string;
  };
  "agreement-edit": {
    readonly heading: Shown;
    readonly meetingId: string;
    readonly agreementId: string;
    readonly text: string;
    readonly responsible: string;
    readonly due: string;
    /** How many changes the agreement had when the card was shown: a newer edit makes it stale. */
    readonly version: string;
  };
  "agreements-list": {
    readonly emptyText: Shown;
    readonly meetings: ReadonlyArray<{
      readonly heading: Shown;
      readonly agreements: ReadonlyArray<{
        readonly meetingId: string;
        readonly agreementId: string;
        readonly text: Shown;
        readonly line: Shown;
        readonly statusText: Shown;
        readonly editedText: Shown;
      }>;
    }>;
  };
  /** Til min leder: the reader's notice (who shared, until when, a button to the tab; never the content), and its ended form. */
  "share-notice": { readonly fallback: Shown; readonly title: Shown; readonly lead: Shown; readonly how: Shown; readonly openTitle: Shown; readonly openUrl: string };
  /** Til min leder: the reader's questions, in the sharer's chat, with the button that takes them along ("" hides it). */
  "share-questions": { readonly fallback: Shown; readonly title: Shown; readonly lead: Shown; readonly questions: ReadonlyArray<{ readonly text: Shown }>; readonly takeTitle: Shown; readonly shareId: string };
  /** Til min leder: the sharer's choice of what to share, and with whom (a people picker, with the manager filled in when known). */
  "leader-share-choose": {
    readonly introText: Shown;
    readonly reflections: readonly Choice[];
    /** The ticked ones, comma-separated ("" on a new card: nothing is ticked by default). */
    readonly reflectionIds: string;
    readonly detail: string;
    readonly focus: string;
    readonly plan: string;
    readonly change: string;
    readonly changeFrom: string;
    readonly changeTo: string;
    readonly today: string;
    readonly pulse: string;
    /** "" when the leader has no closed Vi-pulse: then the toggle is not there. */
    readonly pulseText: Shown;
    readonly readerText: Shown;
    readonly readerChoices: readonly Choice[];
    readonly readerValue: string;
    readonly days: number;
    readonly maxDays: number;
  };
  /** One message of the preview (and of what was sent): sections of the frozen copy; the last carries who sees it and the buttons. */
  "leader-share-preview": {
    readonly title: Shown;
    readonly partText: Shown;
    readonly sections: readonly SharedSectionView[];
    readonly whoText: Shown;
    /** "" on every part but the last: the buttons are there only. */
    readonly token: string;
    readonly readerName: string;
  };
  /** Til min leder: »mine delinger«, every share the leader made, with its reader, dates, first opening and the questions back. */
  "leader-shares": {
    readonly introText: Shown;
    readonly shares: ReadonlyArray<{
      readonly shareId: string;
      readonly line: Shown;
      readonly dates: Shown;
      readonly opened: Shown;
      readonly questionsHeading: Shown;
      readonly questions: ReadonlyArray<{ readonly text: Shown }>;
      readonly canWithdraw: boolean;
    }>;
    readonly moreText: Shown;
  };
}

/** A part of a shared copy as a card shows it: a title (a reflection's theme), a line under it, a heading, and rows. */
export interface SharedSectionView {
  readonly title: Shown;
  readonly subtitle: Shown;
  readonly heading: Shown;
  readonly rows: ReadonlyArray<{ readonly label: Shown; readonly value: Shown; readonly detail: Shown }>;
}

export type CardName = keyof CardViewModels;
