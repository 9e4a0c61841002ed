/**
 * The data each template in cards/ binds, one interface per template. renderCard takes the
 * view model of the template it is given, so renaming a field here (with its `${field}` in the
 * template) fails to compile wherever a card is built the old way, and the card test fails
 * when a template binds a field its view model does not have.
 */

type Choice = { readonly title: string; readonly value: string };
type Fact = { readonly title: string; readonly value: string };
/** A statement of a shown Vi-pulse result: the numbers as text, so no one depends on the bars. */
type PulseStatementView = { readonly text: string; readonly rows: ReadonlyArray<{ readonly text: string }>; readonly meanText: string };

/** The fields every step card of a reflection carries back, so a submit is matched to its draft. */
interface StepCard {
  readonly token: string;
  readonly progressText: string;
  readonly themeTitle: string;
  readonly themeId: string;
  readonly roleId: string;
}

export interface CardViewModels {
  "role-choice": {
    readonly token: string;
    readonly welcome: boolean;
    readonly introText: string;
    readonly privacyText: string;
    readonly roles: ReadonlyArray<{ readonly id: string; readonly name: string }>;
    readonly currentRoleId: string;
    readonly currentRoleText: string;
  };
  "theme-choice": {
    readonly token: string;
    readonly roleText: string;
    /** What a short reflection is, and its button's title. */
    readonly shortText: string;
    readonly shortTitle: string;
    readonly suggestionText: string;
    readonly themes: ReadonlyArray<{
      readonly id: string;
      readonly title: string;
      readonly lastText: string;
      readonly suggested: boolean;
      readonly style: string;
      readonly buttonStyle: string;
    }>;
  };
  resume: { readonly token: string; readonly themeTitle: string; readonly detailText: string };
  statements: StepCard & {
    readonly roleHeading: string;
    readonly scaleQuestion: string;
    readonly scale: readonly Choice[];
    readonly scaleMax: string;
    readonly noteMax: number;
    readonly shared: ReadonlyArray<{ readonly text: string; readonly beside: string }>;
    /** The team's last Vi-pulse on the theme, beside the leader's own rating; "" when there is none. */
    readonly teamPulseText: string;
    /** "Sidst skrev du: … Hvordan gik det?"; "" when there is no open plan. */
    readonly lastPlanText: string;
    /** One optional note, to the statement the leader picks: not a field per statement on sight. */
    readonly noteIntro: string;
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
    readonly statements: ReadonlyArray<{ readonly id: string; readonly text: string; readonly rating: string; readonly note: string; /** "Sidst: 3 (…)", from the last reflection on the theme; "" on the first. */ readonly last: string }>;
  };
  focus: StepCard & {
    readonly heading: string;
    readonly deeperPrompt: string;
    readonly strengthPrompt: string;
    readonly answerLabel: string;
    readonly placeholder: string;
    readonly answerMax: number;
    readonly deeperAnswer: string;
    readonly strengthAnswer: string;
  };
  question: StepCard & {
    readonly step: string;
    readonly questionIndex: string;
    readonly questionText: string;
    readonly answer: string;
    readonly answerMax: number;
  };
  summary: StepCard & {
    readonly ratings: ReadonlyArray<{ readonly text: string; readonly ratingText: string; readonly note: string }>;
    readonly answers: ReadonlyArray<{ readonly question: string; readonly answer: string; readonly skipped: boolean }>;
    readonly nextStepHeading: string;
    readonly nextStepLabel: string;
    readonly nextStepPlaceholder: string;
    readonly commitment: string;
    readonly commitmentMax: number;
    readonly followUpDate: string;
    readonly today: string;
  };
  "confirm-cancel": { readonly token: string; readonly themeTitle: string };
  receipt: {
    readonly title: string;
    readonly titleSize: "Large" | "Default";
    readonly subtitle: string;
    readonly items: ReadonlyArray<{ readonly label: string; readonly value: string }>;
    readonly actions: ReadonlyArray<{ readonly title: string; readonly verb: string }>;
  };
  help: {
    readonly intro: string;
    readonly commands: ReadonlyArray<{ readonly command: string; readonly meaning: string }>;
    readonly privacyText: string;
    readonly showStart: boolean;
    /** The main commands as buttons that send the command as if typed (Teams' imBack). */
    readonly buttons: ReadonlyArray<{ readonly title: string; readonly command: string }>;
  };
  "private-only": { readonly text: string; readonly chatUrl: string };
  history: {
    readonly title: string;
    readonly more: string;
    /** `spread`: the lowest and highest rated statements, so an average does not hide a 2. */
    readonly items: ReadonlyArray<{ readonly id: string; readonly themeTitle: string; readonly meta: string; readonly spread: string; readonly commitment: string }>;
  };
  "reflection-detail": {
    readonly id: string;
    readonly themeTitle: string;
    readonly meta: string;
    readonly statements: ReadonlyArray<{ readonly text: string; readonly ratingText: string; readonly note: string }>;
    readonly questions: ReadonlyArray<{ readonly question: string; readonly answer: string }>;
    readonly commitment: string;
    readonly followUpDate: string;
    readonly followUps: ReadonlyArray<{ readonly date: string; readonly text: string }>;
    readonly followUpMax: number;
  };
  progress: {
    readonly scaleText: string;
    readonly hasData: boolean;
    readonly themes: ReadonlyArray<{
      readonly title: string;
      /** The number is on every bar as text ("3,8 af 5"), so colour is never the only carrier. */
      readonly bars: ReadonlyArray<{ readonly date: string; readonly filled: number; readonly empty: number; readonly valueText: string }>;
      /** The team's Vi-pulses on the theme beside the leader's own rating of the same statements, as text. */
      readonly pulses: ReadonlyArray<{ readonly text: string }>;
      /** The last reflection's lowest and highest rated statements: an average hides a 2. */
      readonly spread: string;
    }>;
    readonly focusTitle: string;
    readonly focus: ReadonlyArray<{ readonly text: string; readonly rating: string }>;
  };
  /** An answer with buttons to choose from ("jeg har 10 minutter": the short or the whole reflection). */
  offer: {
    readonly text: string;
    readonly actions: ReadonlyArray<{ readonly title: string; readonly style: "positive" | "default"; readonly data: Readonly<Record<string, string>> }>;
  };
  guess: { readonly notUnderstood: string; readonly question: string; readonly label: string; readonly command: string; readonly helpTitle: string };
  export: { readonly summary: string; readonly markdownUrl: string; readonly jsonUrl: string };
  "minutes-download": { readonly summary: string; readonly url: string };
  "confirm-delete": { readonly token: string; readonly facts: readonly Fact[] };
  reminders: { readonly frequency: string; readonly weekday: string; readonly time: string; readonly nextText: string; readonly times: readonly string[] };
  nudge: {
    readonly title: string;
    readonly themeTitle: string;
    readonly lead: string;
    /** Gentler frequencies to offer, once after several reminders without a reflection. */
    readonly gentler: readonly Choice[];
  };
  pause: { readonly intro: string; readonly pausedText: string; readonly min: string; readonly max: string; readonly value: string };
  "follow-up": { readonly reflectionId: string; readonly intro: string; readonly commitment: string; readonly followUpMax: number };
  "channel-settings": {
    readonly token: string;
    readonly settingsETag: string;
    readonly chat: boolean;
    readonly stewardsText: string;
    readonly themeIntro: string;
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
    readonly proposalText: string;
    readonly meetingTimes: readonly string[];
    readonly durations: readonly Choice[];
    readonly roles: ReadonlyArray<{ readonly id: string; readonly name: string }>;
    readonly frequencies: readonly Choice[];
    readonly weekdays: readonly Choice[];
    readonly weeksOfMonth: readonly Choice[];
    readonly times: readonly string[];
    readonly leadTimes: readonly Choice[];
    readonly themeModes: readonly Choice[];
    readonly nextDates: readonly string[];
  };
  "group-questions": {
    readonly heading: string;
    readonly themeTitle: string;
    readonly questions: ReadonlyArray<{ readonly number: string; readonly text: string }>;
  };
  "weekly-theme": { readonly themeTitle: string; readonly roleHeading: string; readonly statements: ReadonlyArray<{ readonly text: string }> };
  "channel-status": {
    readonly changedText: string;
    readonly next: ReadonlyArray<{ readonly what: string; readonly when: string }>;
    readonly recent: ReadonlyArray<{ readonly when: string; readonly outcome: string }>;
  };
  "meeting-start": {
    readonly heading: string;
    readonly themeTitle: string;
    readonly cardMeetingId: string;
    readonly questions: ReadonlyArray<{ readonly number: string; readonly text: string }>;
    readonly noPointsText: string;
    readonly morePointsText: string;
    readonly points: ReadonlyArray<{ readonly text: string; readonly by: string }>;
    readonly agreementsHeading: string;
    readonly noAgreementsText: string;
    readonly moreText: string;
    readonly agreements: ReadonlyArray<{ readonly text: string; readonly line: string; readonly statusText: string; readonly meetingId: string; readonly agreementId: string }>;
    /** Vi-pulsen for this meeting: "" when there was none. */
    readonly pulseHeading: string;
    readonly pulseText: string;
    readonly pulseStatements: ReadonlyArray<PulseStatementView>;
    readonly pulseWidest: string;
  };
  "meeting-agreements": {
    readonly intro: string;
    readonly token: string;
    readonly meetingId: string;
    readonly rows: ReadonlyArray<{ readonly number: string; readonly textId: string; readonly whoId: string; readonly dueId: string }>;
  };
  "agreement-reminder": { readonly title: string; readonly agreement: string; readonly detail: string };
  "meeting-invitation": {
    readonly title: string;
    readonly groupText: string;
    readonly themeId: string;
    readonly groupId: string;
    readonly meetingId: string;
    /** The meeting's Vi-pulse, "" when none is open. */
    readonly pulseId: string;
    readonly pulseText: string;
  };
  pulse: {
    readonly title: string;
    readonly question: string;
    readonly ratingLabel: string;
    readonly ratingRequired: string;
    readonly scale: readonly Choice[];
    readonly statements: ReadonlyArray<{ readonly id: string; readonly text: string; readonly value: string }>;
    readonly closesText: string;
    readonly privacyText: string;
    readonly sendTitle: string;
    readonly pulseId: string;
    readonly groupId: string;
  };
  "pulse-invitation": { readonly title: string; readonly invitationText: string; readonly privacyText: string; readonly answerTitle: string; readonly pulseId: string; readonly groupId: string };
  "pulse-answered": {
    readonly title: string;
    readonly note: string;
    readonly yourAnswer: string;
    readonly answers: ReadonlyArray<{ readonly text: string }>;
    readonly privacyText: string;
    readonly changeTitle: string;
    readonly pulseId: string;
    readonly groupId: string;
  };
  "pulse-result": {
    readonly title: string;
    readonly summary: string;
    readonly statements: ReadonlyArray<PulseStatementView & { readonly beside: string }>;
    readonly widestText: string;
  };
  "share-point": {
    readonly meetingText: string;
    readonly groupId: string;
    readonly meetingId: string;
    readonly point: string;
    readonly showName: string;
    readonly answers: readonly Choice[];
  };
  "share-preview": {
    readonly whereText: string;
    readonly point: string;
    readonly byText: string;
    readonly replacesText: string;
    readonly token: string;
    readonly groupId: string;
    readonly meetingId: string;
  };
  "point-shared": {
    readonly whereText: string;
    readonly point: string;
    readonly byText: string;
    readonly groupId: string;
    readonly meetingId: string;
    readonly pointId: string;
  };
  "agreement-edit": {
    readonly heading: string;
    readonly meetingId: string;
    readonly agreementId: string;
    readonly text: string;
    readonly responsible: string;
    readonly due: string;
    /** How many changes the agreement had when the card was shown: a newer edit makes it stale. */
    readonly version: string;
  };
  "agreements-list": {
    readonly emptyText: string;
    readonly meetings: ReadonlyArray<{
      readonly heading: string;
      readonly agreements: ReadonlyArray<{
        readonly meetingId: string;
        readonly agreementId: string;
        readonly text: string;
        readonly line: string;
        readonly statusText: string;
        readonly editedText: string;
      }>;
    }>;
  };
}

export type CardName = keyof CardViewModels;
