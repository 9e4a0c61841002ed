import type { InputProblem } from "./inputProblem";
import { trustedTexts, type Shown } from "./shown";

/**
 * Every sentence a user reads, in one file: one voice, and one place to translate. The framework's
 * own statements and questions are data in content/, not here.
 */
/**
 * The ends of the one 1–5 scale, worded as the framework's rating scale words them (a test holds
 * the two together): the reflection, the Vi-pulse and Indsigt all say it the same way.
 */
/** The first letter in upper case: a name (or the fallback »den valgte person«) that starts a sentence. */
export const upperFirst = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const SCALE_ENDS = { lowest: "i meget lav grad", highest: "i meget høj grad" } as const;

export const texts = trustedTexts({
  /** The scale's ends, for every card and page that explains 1 and 5. */
  scaleEnds: SCALE_ENDS,
  welcomeIntro:
    "Jeg hjælper dig med at reflektere over din ledelse ud fra kommunens ledelsesgrundlag – ét tema ad gangen: " +
    "du vurderer dig selv på udsagnene for din rolle, svarer på et par spørgsmål og vælger et næste skridt.",
  privacy: "Dine refleksioner er private: kun du kan se dem.",
  /** After the privacy line on the welcome and help cards: what Indsigt counts, per INSIGHT_CONSENT. */
  insightNotice: {
    "opt-out":
      "Kommunens HR og ledelsesudvikling ser anonyme tal i Indsigt: hvor mange der reflekterer, og hvordan ledere på hvert niveau vurderer sig selv – aldrig din tekst, og kun hvor mindst 5 ledere står bag. Skriv »mine tal tæller ikke med«, hvis dine tal ikke skal tælle med.",
    "opt-in":
      "Hvis du vil, kan dine tal tælle med i kommunens Indsigt: anonymt, aldrig din tekst, og kun hvor mindst 5 ledere står bag. Skriv »mine tal tæller med« for at sige ja.",
  },
  insightOut:
    "Dine tal tæller ikke længere med i Indsigt. Det, du har bidraget med, bliver trukket ud af tallene inden for et kvarter. Skriv »mine tal tæller med«, hvis du fortryder.",
  insightIn:
    "Dine tal tæller med i Indsigt fra nu af: hvor ofte du reflekterer, og dine vurderinger – anonymt, aldrig din tekst, og kun hvor mindst 5 ledere står bag. Skriv »mine tal tæller ikke med« for at stoppe.",
  insightAlready: { in: "Dine tal tæller allerede med i Indsigt. Skriv »mine tal tæller ikke med« for at stoppe.", out: "Dine tal tæller ikke med i Indsigt. Skriv »mine tal tæller med«, hvis du vil have dem med." },
  helpIntroChannel: "I en kanal kan jeg hjælpe ledergruppen. Selve refleksionen foregår privat i chatten med mig.",
  /** What each command on a help card does, beside the words the command table (domain/commands.ts) gives it. */
  commandHelp: {
    start: "Begynd (eller fortsæt) en refleksion",
    startShort: "Begynd en kort refleksion: vurderinger, et spadestik dybere og din plan – cirka tre minutter",
    resumeReminders: "Få påmindelser igen før den dato, du valgte for din pause",
    history: "Se dine tidligere refleksioner og tilføj opfølgning",
    progress: "Se din selvvurdering over tid",
    reminders: "Vælg hvornår jeg skal minde dig om at reflektere",
    pauseReminders: "Hold pause fra påmindelser til en dato, fx i ferien",
    changeRole: "Vælg, hvilken ledelsesrolle du reflekterer ud fra",
    cancel: "Stop den refleksion, du er i gang med – dit udkast gemmes",
    export: "Hent alle dine data, også som dokument til MUS",
    deleteData: "Slet alt, hvad der er gemt om dig",
    insightOut: "Dine anonyme tal tæller ikke med i Indsigt (»mine tal tæller med« igen)",
    help: "Vis denne hjælp",
    groupSetup: "Vælg gruppens ledelsesniveau, ugens tema og jeres møder",
    groupQuestions: "Stil et temas spørgsmål til ledergruppen nu, i en ny tråd",
    groupStatus: "Se de næste opslag, og hvad jeg senest har sendt",
    agreements: "Se gruppens aftaler og deres status",
    minutes: "Få det seneste møde som tekst til referatet",
    allMinutes: "Et link til alle gruppens møder med mig, som fil",
    pulse: "Spørg dit team anonymt, hvor godt temaets »Vi«-udsagn passer (Vi-pulsen)",
    closePulse: "Luk din åbne puls før tid",
    shareWithLeader: "Vælg, hvad din leder må se før jeres LUS eller MUS – kun én person, og kun i en periode",
    myShares: "Se, hvad du har delt, og om det er åbnet – og træk det tilbage",
  } as Readonly<Partial<Record<string, string>>>,
  /** Under the group's commands on the help card: who sees what of a Vi-pulse. */
  pulseHelp:
    "Vi-pulsen: din leder ser kun samlede tal, og kun når mindst 5 har svaret. Ingen kan se, hvad du har svaret. Når pulsen lukker, gemmes kun tallene.",
  helpIntroMeeting:
    "I mødets chat hjælper jeg ledergruppen gennem mødet: temaets spørgsmål, når mødet starter, jeres aftaler, når det slutter, og opfølgning på dem næste gang. Selve refleksionen foregår privat i chatten med mig.",
  helpDuringReflection: "Du er midt i en refleksion: fortsæt på kortet lige før hjælpen, eller skriv **annuller** for at stoppe (dit udkast gemmes).",
  unknown: (text: string) =>
    `Jeg forstod ikke »${truncate(text, 60)}«. Skriv **start** for at begynde en refleksion eller **hjælp** for at se, hvad jeg kan.`,
  notUnderstood: (text: string) => `Jeg forstod ikke »${truncate(text, 60)}«.`,
  didYouMean: (label: string) => `Mente du »${label}«?`,
  guessLabels: {
    start: "Start refleksion",
    startShort: "Kort refleksion",
    help: "Hjælp",
    history: "Historik",
    progress: "Din udvikling",
    reminders: "Påmindelser",
    pauseReminders: "Sæt påmindelser på pause",
    export: "Eksport",
    changeRole: "Skift rolle",
    cancel: "Annuller",
    shareWithLeader: "Del med min leder",
    myShares: "Mine delinger",
  },
  useTheCard: "Brug kortet ovenfor til at svare – eller skriv **annuller** for at stoppe eller **hjælp** for hjælp.",
  alreadyAnswered: "Dette kort er allerede besvaret.",
  cardNotUnderstood: "Jeg kunne ikke læse svaret fra kortet. Prøv igen på det seneste kort, eller skriv **start**.",
  roleChosen: (roleInSentence: string) => `Tak. Du reflekterer nu som **${roleInSentence}**.`,
  unknownRole: "Den rolle kender jeg ikke. Vælg en af rollerne på kortet.",
  unknownTheme: "Det tema kender jeg ikke. Vælg et af temaerne på kortet.",
  cancelled: "Refleksionen er stoppet.",
  readyToReflect: "Klar til at reflektere?",
  reflectionInProgress: "Du er midt i en refleksion. Gør den færdig, eller skriv **annuller** først.",
  keepGoing: "Du fortsætter refleksionen.",
  cancelledDraftKept: "Refleksionen er stoppet. Dit udkast er gemt – skriv **start**, når du vil fortsætte.",
  nothingToCancel: "Der er ikke noget at stoppe. Skriv **start** for at begynde en refleksion.",
  restartedDraftDiscarded: "Udkastet er slettet. Vælg et tema for at starte forfra.",
  savedSubtitle: "Skriv **start**, når du vil reflektere over et nyt tema.",
  privateStart: "Du bad om en refleksion i kanalen. Her i vores private chat kan du begynde, når du er klar.",
  privateOnly:
    "Din refleksion er personlig, så den foregår i din private chat med mig – ikke her i kanalen. Åbn chatten for at starte.",
  invalidInput: (problem: InputProblem): string => {
    switch (problem.code) {
      case "missing-rating":
        return `Giv en vurdering for hvert udsagn. Mangler: »${truncate(problem.statement, 80)}«`;
      case "invalid-rating":
        return `Vurderingen af »${truncate(problem.statement, 80)}« skal være et af tallene på skalaen. Intet er gemt.`;
      case "unknown-statement":
        return "Kortet indeholdt et udsagn, der ikke hører til din refleksion. Intet er gemt – brug det seneste kort.";
      case "too-long":
        return `Teksten er for lang: højst ${problem.max} tegn. Intet er gemt – forkort den og prøv igen.`;
      case "not-text":
        return "Et af felterne indeholdt ikke tekst. Intet er gemt – prøv igen på det seneste kort.";
      case "invalid-date":
        return "Datoen for opfølgning kunne ikke læses. Vælg en dato i kalenderen, eller lad feltet stå tomt.";
      case "date-out-of-range":
        return "Datoen for opfølgning skal ligge fra i dag og højst to år frem.";
      case "wrong-step":
        return "Dette kort hører til et andet trin i din refleksion. Brug det seneste kort.";
      case "empty":
        return "Skriv et par ord, før du gemmer.";
      case "note-without-statement":
        return "Vælg, hvilket udsagn noten handler om – eller slet noten. Dine vurderinger står, som du satte dem.";
      case "too-many-follow-ups":
        return `Der kan højst være ${problem.max} opfølgninger på én refleksion.`;
    }
  },
  tamperedCard: "Kortet passer ikke til din refleksion. Intet er gemt – brug det seneste kort.",
  unexpectedError: (code: string) =>
    `Beklager, noget gik galt hos mig. Prøv igen om lidt – det, du allerede har gemt, er ikke gået tabt. (Fejlkode ${code}, hvis du vil kontakte support.)`,
  /** The word a person types for each group command, for telling them where it works. */
  groupCommandWord: {
    groupSetup: "opsæt",
    groupStatus: "status",
    groupQuestions: "spørgsmål",
    pulse: "puls",
    closePulse: "puls luk",
    agreements: "aftaler",
    minutes: "referat",
    allMinutes: "referat alle",
    startMeetingNow: "start mødet nu",
    endMeetingNow: "afslut mødet nu",
  },
  onlyInGroups: (word: string) =>
    `**${word}** virker i en ledergruppes kanal eller gruppechat: skriv @Lederrefleksion ${word} dér. Her i vores private chat kan du skrive **start** for at reflektere eller **hjælp** for at se, hvad jeg kan.`,
  busy: "Jeg fik flere beskeder fra dig på samme tid. Prøv igen om et øjeblik.",
  tryAgainSoon: "Jeg kan ikke nå mine data lige nu. Prøv igen om lidt – du står stadig, hvor du var, og intet af det, du har skrevet, er gået tabt.",
  reflectionNotFound: "Den refleksion findes ikke (længere).",
  historyExpired: "Listen er forældet. Skriv **historik** for at se den igen.",
  followUpSaved: "Din opfølgning er gemt.",
  deletionKept: "Dine data er ikke slettet.",
  deletionFacts: (what: { roleName: Shown | undefined; reflections: number; draftTheme: Shown | undefined; groupMentions: number }) => [
    { title: "Profil", value: what.roleName ? `din rolle (${what.roleName}) og dine valg` : "dine valg" },
    { title: "Refleksioner", value: `${count(what.reflections, "refleksion", "refleksioner")} med svar og opfølgninger` },
    { title: "Udkast", value: what.draftTheme ? `1 ufærdig refleksion (${what.draftTheme})` : "ingen" },
    { title: "Hvor vi er nået til", value: "hvor du er nået til i en samtale med mig" },
    { title: "Påmindelser", value: "alle dine påmindelser og deres historik" },
    ...(what.groupMentions > 0
      ? [{ title: "Ledergrupper", value: `dit navn ved ${count(what.groupMentions, "aftale eller statusændring", "aftaler og statusændringer")} (aftalerne bliver i gruppen, med »en tidligere deltager«)` }]
      : []),
  ],
  deletedTitle: "Dine data er slettet",
  deleted: (what: {
    reflections: number;
    schedules: number;
    queued: number;
    pointsRemoved: number;
    namesReplaced: number;
    notReached: number;
    cardsUpdated: number;
    cardsQueued: number;
    cardsNotUpdated: number;
    /** How long the bot can find its posts in a group again (OUTBOX_KEEP_DAYS); older ones stay as sent. */
    cardsKeptDays: number;
    pulseAnswers: number;
  }) =>
    `Alt er slettet: ${[
      count(what.reflections, "refleksion", "refleksioner"),
      count(what.schedules, "planlagt påmindelse", "planlagte påmindelser"),
      ...(what.queued ? [count(what.queued, "besked i kø", "beskeder i kø")] : []),
    ].join(", ")} samt din profil, dit udkast og din samtaletilstand.${
      what.pointsRemoved ? ` ${count(what.pointsRemoved, "punkt", "punkter")}, som du delte med ledergrupper, er fjernet.` : ""
    }${
      what.namesReplaced ? ` I ledergrupperne står der nu »en tidligere deltager« i stedet for dit navn (${count(what.namesReplaced, "sted", "steder")}).` : ""
    }${
      what.pulseAnswers ? ` ${count(what.pulseAnswers, "svar", "svar")} på en åben Vi-puls er slettet.` : ""
    }${
      what.cardsUpdated ? ` ${count(what.cardsUpdated, "opslag", "opslag")} fra mig i ledergrupperne viser dig ikke længere.` : ""
    }${
      what.cardsQueued ? ` ${count(what.cardsQueued, "opslag", "opslag")} i ledergrupperne retter jeg om lidt: Teams bad mig vente.` : ""
    }${
      what.cardsNotUpdated
        ? ` ${count(what.cardsNotUpdated, "opslag", "opslag")} i ledergrupperne kunne jeg ikke rette, så de står, som de blev sendt. Dine data er slettet hos mig.`
        : ""
    }${
      what.pointsRemoved || what.namesReplaced || what.cardsUpdated || what.cardsNotUpdated
        ? ` Opslag i ledergrupperne, der er mere end ${what.cardsKeptDays} dage gamle, kan jeg ikke finde igen, så de står, som de blev sendt.`
        : ""
    }${
      what.notReached ? ` ${count(what.notReached, "sted", "steder")} i ledergrupperne kunne jeg ikke ændre lige nu: skriv **slet mine data** igen om lidt, så prøver jeg igen.` : ""
    } Hvis du skriver til mig igen, starter vi forfra.`,
  nothingToDelete: "Der er ikke gemt noget om dig.",
  messageTooLarge: "Svaret blev for stort til én besked i Teams, så jeg sendte det ikke. Prøv at bede om mindre ad gangen.",
  exportSummary: (reflections: number, hasDraft: boolean) =>
    `${reflections === 1 ? "1 refleksion" : `${reflections} refleksioner`}${hasDraft ? " og et ufærdigt udkast" : ""}.`,
  invalidReminders: "Påmindelserne kunne ikke læses fra kortet. Vælg hyppighed, ugedag og klokkeslæt og prøv igen.",
  remindMeNow: "En påmindelse er på vej – den kommer inden for et øjeblik.",
  remindMeNowLocalOnly: "»påmind mig nu« virker kun, når jeg kører lokalt til test. Skriv **påmindelser** for at vælge, hvornår jeg minder dig om at reflektere.",
  remindersSavedTitle: "Påmindelser gemt",
  pausedTitle: "Påmindelserne er sat på pause",
  paused: (until: string) => `Påmindelser er sat på pause til ${until}. Den dag får du én påmindelse.`,
  notPaused: "Dine påmindelser er ikke sat på pause. Skriv **pause påmindelser** for at holde pause.",
  resumedReminders: "Påmindelserne er genoptaget",
  keptFrequency: "Påmindelserne fortsætter som hidtil",
  invalidPause: (problem: "invalid-date" | "not-after-today" | "too-far") =>
    problem === "invalid-date"
      ? "Datoen kunne ikke læses. Vælg den første dag med påmindelser igen i kalenderen."
      : problem === "not-after-today"
        ? "Vælg en dato fra i morgen – det er den første dag, du får påmindelser igen."
        : "En pause kan højst vare et år. Vil du helt undgå påmindelser, kan du slå dem fra under **påmindelser**.",
  snoozed: (when: string) => `Jeg minder dig om det igen ${when}.`,
  noReminders: "Ingen påmindelser.",
  remindersNow: (schedule: string) => `Sådan er det nu: ${schedule}`,
  remindersSuggested: (schedule: string) => `Forslag – intet er sat, før du trykker »Gem påmindelser«: ${schedule}`,
  pausedUntilNote: (until: string) => `Påmindelserne er sat på pause til ${until}; den dag får du én påmindelse.`,
  reminderSchedule: (recurrence: string, next: readonly string[]) => `Påmindelse ${recurrence}. De næste: ${next.join(", ")}.`,
  plannedDate: (date: string, moved: { from: Shown; reason: Shown } | undefined) => (moved ? `${date} (flyttet fra ${moved.from}: ${moved.reason})` : date),
  group: {
    cadence: { off: "Slået fra", weekly: "Hver uge", biweekly: "Hver anden uge", monthly: "Hver måned" },
    workdays: ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag"],
    weekOfMonth: { "1": "1. i måneden", "2": "2. i måneden", "3": "3. i måneden", "4": "4. i måneden", last: "Sidste i måneden" },
    invite: (hours: number) => (hours === 0 ? "Ingen invitationer" : hours === 24 ? "Dagen før mødet" : `${hours / 24} dage før mødet`),
    duration: (minutes: number) => (minutes < 60 ? `${minutes} min.` : minutes % 60 === 0 ? `${minutes / 60} ${minutes === 60 ? "time" : "timer"}` : `${Math.floor(minutes / 60)},5 timer`),
    leadTime: (hours: number) => (hours < 24 ? `${hours} ${hours === 1 ? "time" : "timer"} før` : `${hours / 24} døgn før`),
    meetingLine: (meeting: string, theme: string, post: string) => `Møde ${meeting} (${theme}) – spørgsmål ${post}`,
    weeklyThemeLine: (when: string, theme: string) => `Ugens tema ${when}: ${theme}`,
    nothingPlanned: "Intet planlagt: vælg ugens tema eller møder ovenfor.",
    themeIntro: (themes: number) => `Et opslag med temaets udsagn, på skift mellem ledelsesgrundlagets ${themes} temaer.`,
    statementsFor: (roleName: string | undefined) => `Udsagn for ${roleName?.toLowerCase() ?? "gruppen"}`,
    beforeMeeting: (when: string) => `Før mødet ${when}`,
    questionsHeading: "Spørgsmål til ledergruppen",
    meetingSchedule: (recurrence: string) => `Spørgsmål før møde (${recurrence})`,
    weeklyTheme: "Ugens tema",
    invitationsSchedule: "Invitation til medlemmerne dagen før mødet",
    meetingStartSchedule: "»Dagens refleksion« når mødet starter",
    meetingEndSchedule: "»Hvad aftalte I?« når mødet slutter",
    meetingPost: "Spørgsmål til mødet",
    post: "Opslag",
    outcome: (what: string, status: "pending" | "sent" | "failed", reason: string | undefined) =>
      status === "sent" ? `${what}: sendt` : status === "failed" ? `${what}: fejlede (${reason ?? "ukendt"})` : `${what}: venter${reason ? ` (sidst: ${reason})` : ""}`,
  },
  /** Derived from the framework: another organisation's may have three themes, or six. */
  rotateThemes: (count: number) => (count === 1 ? "Altid det samme tema" : `Skiftevis alle ${count} temaer`),
  alwaysTheme: (title: string) => `Altid: ${title}`,
  settingsChangedBy: (name: string, when: string) => `Sidst ændret af ${name} ${when}.`,
  resumed: (theme: string) => `Du fortsætter: ${theme}`,
  themeChosen: (theme: string) => `Tema: ${theme}`,
  asRole: (roleInSentence: string) => `Som ${roleInSentence}`,
  /** Words on the cards that views.ts builds (the templates in cards/ hold the fixed labels). */
  card: {
    reflectingAs: (roleInSentence: string) => `Du reflekterer som ${roleInSentence}. Skriv »skift rolle« for at vælge en anden rolle.`,
    suggestLongestWaiting: "Forslag: det tema, det er længst siden, du har reflekteret over",
    suggestFirst: "Forslag: et godt sted at begynde",
    lastReflected: (date: string) => `Sidst reflekteret ${date}`,
    notReflectedYet: "Ikke reflekteret endnu",
    draftStarted: (date: string, where: string) => `Startet ${date} · ${where}`,
    progress: (step: number, steps: number, name: string) => `Trin ${step} af ${steps} · ${name}`,
    statementsStep: "Udsagn",
    focusStep: "Et spadestik dybere",
    spread: (lowest: string, low: number, highest: string, high: number) => `Lavest: »${lowest}« (${low}) · Højest: »${highest}« (${high})`,
    noteIntro: "Vil du skrive en note til et af udsagnene? Det er valgfrit.",
    noteForLabel: "Noten handler om",
    noteForPlaceholder: "Vælg udsagnet…",
    noteTextLabel: "Note (valgfri)",
    shortButton: "Kort refleksion",
    shortExplained: "Har du travlt? En kort refleksion er kun vurderinger, et spadestik dybere og din plan – cirka tre minutter.",
    shortTitle: "Kort refleksion",
    lastPlanHeading: (plan: string) => `Sidst skrev du: »${plan}« Hvordan gik det?`,
    lastPlanLabel: "Hvordan gik det? (valgfrit)",
    lastPlanNoteLabel: "Et par ord om det (valgfrit)",
    planOutcomes: { done: "Gjort", partly: "Delvist", notYet: "Ikke endnu" },
    lastRating: (rating: number, date: string) => `Sidst: ${rating} (${date})`,
    change: (before: number, now: number) =>
      now === before ? `som sidst` : now > before ? `højere end sidst (${before})` : `lavere end sidst (${before})`,
    nextStepFrom: (statement: string, rating: number) => `Du kan tage udgangspunkt i »${statement.replace(/\.\s*$/, "")}«, hvor du satte dig selv til ${rating}.`,
    focusAnswerLabel: "Dit svar (valgfrit)",
    focusPlaceholder: "Skriv gerne et konkret eksempel.",
    atFocus: "du var ved spørgsmålene om dine vurderinger",
    yourStatements: (roleInSentence: string) => `Dine udsagn som ${roleInSentence}`,
    questionOf: (n: number, of: number) => `Spørgsmål ${n} af ${of}`,
    summaryTitle: "Opsummering",
    movedBack: "Du gik et trin tilbage",
    skipped: "Sprunget over",
    startNew: "Start en ny refleksion",
    yourRatings: (theme: string) => `${theme} – dine vurderinger`,
    stepAnswered: (step: number, steps: number) => `Trin ${step} af ${steps} er besvaret`,
    note: "Note",
    theme: "Tema",
    yourNextStep: "Dit næste skridt",
    followUp: "Opfølgning",
    saved: "Din refleksion er gemt ✓",
    notRated: "Ikke vurderet",
    atStatements: "du var ved udsagnene",
    atQuestion: (n: number, of: number) => `du var ved spørgsmål ${n} af ${of}`,
    atSummary: "du manglede kun at gemme",
    history: (continued: boolean) => (continued ? "Dine refleksioner (fortsat)" : "Dine refleksioner"),
    average: (value: string | undefined) => (value === undefined ? "ingen vurderinger" : `gennemsnit ${value}`),
    focus: (theme: string, date: string) => `Forslag til fokus: lavest vurderet sidst (${theme}, ${date})`,
    nudgeLead: (date: string) => `Du reflekterede sidst ${date}. Et godt næste tema er det, det er længst siden, du har reflekteret over.`,
    nudgeFirst: "Du har ikke reflekteret endnu. Et godt sted at begynde:",
    nudgeTitle: "Tid til et øjebliks refleksion?",
    barValue: (value: string, max: number) => `${value} af ${max}`,
    gentler: { biweekly: "Hver anden uge", monthly: "Én gang om måneden", off: "Slå påmindelser fra" },
    welcomeBack: "Velkommen tilbage – tid til et øjebliks refleksion?",
    pauseIntro: "Jeg sender hverken påmindelser eller opfølgninger før den dato, du vælger. Den dag får du én påmindelse – ikke alle dem, du ikke fik.",
    followUpIntro: (theme: string, date: string) => `Da du reflekterede over »${theme}« ${date}, satte du dig dette næste skridt:`,
    noNextStep: "(intet næste skridt skrevet)",
  },
  recurrence: (frequency: "weekly" | "biweekly" | "monthly", weekday: number, time: string, weekOfMonth: number | "last") => {
    const day = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"][weekday - 1] ?? "?";
    switch (frequency) {
      case "weekly":
        return `hver ${day} kl. ${time}`;
      case "biweekly":
        return `hver anden ${day} kl. ${time}`;
      case "monthly":
        return weekOfMonth === "last" ? `sidste ${day} i måneden kl. ${time}` : `${weekOfMonth}.\u00a0${day} i måneden kl. ${time}`;
    }
  },
  /** The Markdown document for MUS ("eksport"). */
  exportDocument: {
    title: (frameworkInSentence: string) => `Mine refleksioner over ${frameworkInSentence}`,
    exported: (date: string, role: string | undefined) => `Eksporteret ${date}${role ? ` · Rolle: ${role}` : ""}`,
    noReflections: "Der er ingen gemte refleksioner.",
    reflectionHeading: (date: string, roleInSentence: string) => `${date} – som ${roleInSentence}`,
    average: (value: string) => `Gennemsnitlig selvvurdering: ${value}`,
    statements: "Udsagn og vurderinger",
    note: "Note",
    questions: "Spørgsmål og svar",
    skipped: "Sprunget over",
    nextStep: "Næste skridt",
    followUpPlanned: (date: string) => `Opfølgning planlagt: ${date}`,
    followUp: (date: string) => `Opfølgning ${date}`,
    draftHeading: "Ufærdig refleksion",
    draft: (theme: string, date: string) => `${theme}, startet ${date}.`,
    remindersHeading: "Påmindelser",
    groupsHeading: "I ledergrupper",
    pulsesHeading: "Vi-pulser, du har sendt til dit team",
    sharesHeading: "Til min leder",
    sharesIntro:
      "Det, du har delt med andre, og det, andre har delt med dig. Dit eget delte indhold står i JSON-udgaven. Af det, andre har delt med dig, står kun hvem og hvornår og dine egne spørgsmål: indholdet er deres og læses kun i fanen, så længe delingen gælder.",
    shareMade: (reader: string, created: string, until: string, state: "active" | "withdrawn" | "expired" | "erased", opened: string | undefined, questions: number) =>
      `Delt med ${reader} ${created}, til og med ${until} – ${{ active: "gælder", withdrawn: "trukket tilbage", expired: "udløbet", erased: "slettet" }[state]}` +
      `${opened ? `, først åbnet ${opened}` : ", ikke åbnet"}${questions ? `, ${count(questions, "spørgsmål", "spørgsmål")} tilbage` : ""}`,
    shareReceived: (sharer: string, created: string, until: string, state: "active" | "withdrawn" | "expired" | "erased", opened: string | undefined, questions: number) =>
      `Delt med dig af ${sharer} ${created}, til og med ${until} – ${{ active: "gælder", withdrawn: "trukket tilbage", expired: "udløbet", erased: "slettet" }[state]}` +
      `${opened ? `, først åbnet ${opened}` : ", ikke åbnet"}${questions ? `, ${count(questions, "spørgsmål", "spørgsmål")} sendt` : ""}`,
    teamPulse: (group: string, theme: string, opened: string, state: { readonly kind: "open" } | { readonly kind: "shown" | "hidden"; readonly answered: number }) =>
      `${group}, »${theme}«, sendt ${opened}: ${state.kind === "open" ? "stadig åben" : state.kind === "shown" ? `${count(state.answered, "svar", "svar")} (tallene står i filen med alle dine data)` : `${count(state.answered, "svar", "svar")}, for få til et resultat`}. Din egen vurdering står også dér.`,
    sharedPoint: (group: string, meeting: string, named: boolean) => `Punkt delt med ${group} til mødet ${meeting} (${named ? "med dit navn" : "uden navn"})`,
    groupsIntro: "Punkter, du har delt med ledergrupper, og aftaler fra deres møder, som du har skrevet, rettet eller sat status på. Aftalerne hører til gruppen.",
    groupContribution: (what: "saved" | "status" | "edited", status: string | undefined, meeting: string, at: string) =>
      what === "saved" ? `Skrevet ved mødet ${meeting}` : what === "edited" ? `Rettet ${at} (møde ${meeting})` : `Status »${status ?? ""}« sat ${at} (møde ${meeting})`,
    planned: (followUp: boolean, recurrence: string | undefined, next: string) =>
      `${followUp ? "Opfølgning på et næste skridt" : "Påmindelse om at reflektere"}${recurrence ? `, ${recurrence}` : ""} – næste gang ${next}`,
  },
  invalidGroupSettings: "Opsætningen kunne ikke læses fra kortet. Vælg fra listerne og prøv igen.",
  groupSettingsSavedTitle: "Opsætningen er gemt",
  staleCard: "Dette kort er forældet: opsætningen er ændret, siden kortet blev vist. Skriv **opsæt** for at se den, som den er nu.",
  settingsNotAllowed: (reason: "guest" | "not-owner" | "not-named" | "unknown-member" | "no-identity") => {
    switch (reason) {
      case "guest":
        return "Gæster kan ikke ændre gruppens opsætning. Intet er ændret.";
      case "not-owner":
        return "Kun teamets ejere kan ændre kanalens opsætning. Intet er ændret – spørg en ejer.";
      case "not-named":
        return "Kun den, der satte gruppen op, og de personer, vedkommende har valgt, kan ændre opsætningen. Intet er ændret.";
      case "unknown-member":
        return "Jeg kunne ikke bekræfte, at du må ændre opsætningen, så intet er ændret. Prøv igen om lidt.";
      case "no-identity":
        return "Jeg kunne ikke se, hvem du er, så intet er ændret.";
    }
  },
  stewards: (count: number) =>
    count === 0
      ? "Når du gemmer, er du og dem, du vælger her, de eneste, der kan ændre opsætningen."
      : `${count === 1 ? "1 person" : `${count} personer`} kan ændre opsætningen. Vælger du nogen her, erstatter de de tidligere valgte (den, der satte gruppen op, beholder adgangen).`,
  questionsRecentlyPosted: (theme: string, minutes: number) =>
    `Spørgsmålene til »${theme}« er lige blevet stillet her. Prøv igen om ${minutes === 1 ? "1 minut" : `${minutes} minutter`}, eller vælg et andet tema.`,
  groupSettingsSaved: "Opsætningen er gemt. Skriv **status** for at se de næste opslag.",
  exportPage: {
    ready: { title: "Dine data fra Lederrefleksion", text: "Linket virker én gang og i kort tid. Tryk på knappen for at hente filen.", button: "Hent mine data" },
    gone: { title: "Linket virker ikke længere", text: "Linket er brugt, udløbet eller ugyldigt. Skriv »eksport« til Lederrefleksion i Teams for at få et nyt." },
    failed: { title: "Noget gik galt", text: "Dine data kunne ikke hentes lige nu. Prøv igen om lidt, eller bed om et nyt link i Teams." },
  },
  minutesPage: {
    ready: { title: "Ledergruppens referat", text: "Linket virker i kort tid. Tryk på knappen for at hente referatet af alle møderne som fil.", button: "Hent referatet" },
    gone: { title: "Linket virker ikke længere", text: "Linket er udløbet eller ugyldigt. Skriv »referat alle« til Lederrefleksion i gruppens chat for at få et nyt." },
    failed: { title: "Noget gik galt", text: "Referatet kunne ikke hentes lige nu. Prøv igen om lidt, eller bed om et nyt link i gruppens chat." },
  },
  /** Indsigt, the tab for HR and leadership development. */
  insightPage: {
    title: "Indsigt",
    lead: "Hvordan ledelsesgrundlaget bliver brugt – anonymt. Et tal vises kun, hvor mindst {k} ledere står bag, og tal, der kunne regnes ud fra de viste, er også skjult. Tallene flytter sig først, når mindst {k} ledere har bidraget siden sidst.",
    localBanner: "Lokal udgave: siden er åben uden login, fordi botten kører uden app-id på denne maskine. I Teams kræver den login og rollen Indsigt.Laes.",
    quarterLabel: "Kvartal",
    show: "Vis",
    download: "Hent tallene som CSV",
    print: "Udskriv",
    skip: "Spring til indholdet",
    hidden: (k: number) => `færre end ${k}`,
    hiddenShort: "–",
    usage: {
      heading: "Brug",
      caption: (quarter: string) => `Brug i ${quarter}, pr. ledelsesniveau`,
      level: "Niveau",
      leaders: "Ledere, der har reflekteret",
      reflections: "Refleksioner",
      short: "Heraf korte",
      reminders: "Påmindelser sendt",
      followed: "Refleksioner inden for 2 dage efter en påmindelse",
      total: "Alle niveauer",
    },
    self: {
      heading: "Hvor lederne ser sig selv",
      intro: `Hver leders seneste vurdering i kvartalet, fra 1 (${SCALE_ENDS.lowest}) til 5 (${SCALE_ENDS.highest}). Tallet i søjlen er antal ledere.`,
      lowest: "De tre lavest vurderede udsagn",
      noLowest: "Ingen udsagn har mindst {k} vurderinger endnu.",
      levelHidden: "Vises, når mindst {k} ledere på niveauet har reflekteret over et tema.",
      theme: (title: string, leaders: string) => `${title} – ${leaders} ledere`,
      median: "Median",
      change: "Siden sidste kvartal",
      asTable: "Vis som tabel",
      statement: "Udsagn",
      value: (v: number) => `${v}`,
      chartLabel: (counts: readonly number[], median: number) => `Vurderinger 1 til 5: ${counts.join(", ")}. Median ${String(median).replace(".", ",")}.`,
      themeTotals: "Ledere pr. tema, alle niveauer",
      noChange: "uændret",
      up: (n: number) => `${String(n).replace(".", ",")} op`,
      down: (n: number) => `${String(n).replace(".", ",")} ned`,
    },
    groups: {
      heading: "Ledergrupper",
      hidden: "Vises fra {k} ledergrupper.",
      groups: "Ledergrupper, der har holdt møde med botten",
      meetings: "Møder med botten",
      agreements: "Aftaler indgået",
      due: "Aftaler fulgt op på næste møde",
      done: "Heraf markeret som gjort",
    },
    pulses: {
      heading: "Vi-pulsen",
      intro: "Teams og ledergruppers vurdering af temaets »Vi«-udsagn, samlet over alle pulser med et resultat i kvartalet.",
      hidden: "Vises fra to pulser med resultat.",
      numbers: (pulses: number, answers: number) => `${pulses} pulser, ${answers} svar`,
      mean: "Gennemsnit",
    },
    csvHeader: ["Afsnit", "Niveau", "Tema", "Udsagn", "Mål", "Værdi"],
    denied: {
      title: "Du har ikke adgang til Indsigt",
      text: "Indsigt er for HR og ledelsesudvikling. Bed din Teams- eller Entra ID-administrator om rollen »Indsigt.Laes« i appen Lederrefleksion.",
    },
    signIn: { title: "Du skal logge ind", text: "Indsigt kunne ikke bekræfte, hvem du er. Åbn fanen i Teams igen; virker det stadig ikke, så kontakt din administrator." },
    badQuarter: { title: "Ukendt kvartal", text: "Vælg et af kvartalerne i listen." },
    failed: { title: "Noget gik galt", text: "Indsigt kunne ikke hente tallene lige nu. Prøv igen om lidt." },
    loading: "Henter tallene …",
    /** Said to a screen reader when a quarter's numbers are in place (not the whole page again). */
    shown: (quarter: string) => `Tallene for ${quarter} er vist.`,
  },
  weekdayName: (weekday: number) => ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"][weekday - 1] ?? "?",
  /** The leader group's meeting loop: start card, agreements, follow-up, minutes. */
  /** The leader group's meeting side panel (a page: plain strings, escaped as HTML where they land). */
  meetingPanel: {
    title: "Ledergruppens møde",
    loading: "Henter mødet …",
    localBanner: "Lokal udgave: panelet er åbent uden login, fordi botten kører uden app-id på denne maskine. I Teams viser det kun noget for dem, der er med i ledergruppens chat.",
    nothing: { title: "Intet at vise", text: "Panelet viser ledergruppens møde for dem, der er med i gruppens chat eller team. Åbn det fra mødet i Teams." },
    failed: { title: "Mødet kunne ikke hentes", text: "Prøv igen om lidt. Kortene i chatten virker som altid." },
    // Also on a day with no meeting at all: it must not promise one today.
    noMeetingToday: "Intet møde i dag endnu. Når ledergruppens næste møde starter, står temaet, spørgsmålene, jeres punkter og de åbne aftaler her.",
    live: "Panelet opdaterer sig selv, mens mødet står på.",
    statusLabel: "Status",
    statusGroup: (text: string) => `Sæt status for »${text}«`,
    formIntro: "Skriv aftalerne ind, mens I bliver enige: hvad, hvem der er ansvarlig, og gerne en dato. De gemmes én gang for hele gruppen og kommer med på kortet ved næste møde.",
    row: (n: number) => `Aftale ${n}`,
    what: "Hvad gør I?",
    who: "Ansvarlig",
    whoHint: "Navn, eller fx »alle«",
    due: "Senest (valgfri)",
    save: "Gem aftalerne",
    savedBy: (name: string, when: string) => `Gemt af ${name} ${when}.`,
    dueText: (date: string) => `senest ${date}`,
    configTitle: "Ledergruppens møde",
    configText: "Fanen viser dagens tema og spørgsmål, jeres punkter, Vi-pulsen og de åbne aftaler, og I kan skrive aftalerne ind, mens I taler. Vælg Gem for at tilføje den.",
    configOutside: "Åbn denne side fra Teams for at tilføje fanen.",
    // The panel's own answers where the chat's would send the reader to a card, or to typing in a panel that has nowhere to type.
    agreementsSaved: (count: number) => `${count === 1 ? "1 aftale er gemt" : `${count} aftaler er gemt`} for hele gruppen. ${count === 1 ? "Den" : "De"} kommer med på kortet ved næste møde.`,
    agreementsAlreadySaved: (name: string, when: string) => `Aftalerne fra dette møde er allerede gemt af ${name} ${when}. De står her i panelet; skriv »aftaler« i chatten, hvis en af dem skal rettes.`,
    moreAgreements: (count: number) => `Og ${count === 1 ? "1 aftale mere" : `${count} aftaler mere`}. Skriv »aftaler« i chatten for at se dem alle.`,
    formOutdated: "Formularen hører til en ældre udgave af mødet, så intet er gemt. Luk panelet, og åbn det igen.",
    meetingGone: "Mødet findes ikke længere, så intet er ændret.",
    notUnderstood: "Panelet sendte noget, der ikke kunne læses, så intet er ændret. Luk panelet, og åbn det igen.",
    /** Said politely to a screen reader when a change someone else made shows, before the names of the parts it changed. */
    updated: "Opdateret",
  },
  meeting: {
    formerMember: "en tidligere deltager",
    someone: "en deltager",
    proposal: (weekday: string, from: string, until: string) =>
      `Jeres møde ser ud til at ligge ${weekday} kl. ${from}–${until}. Teams siger ikke, hvor ofte I mødes: vælg det nedenfor, og ret resten, hvis det ikke passer.`,
    proposalWeekly: (weekday: string, from: string, until: string) =>
      `Jeres møde gentages i Teams og ser ud til at ligge hver uge ${weekday} kl. ${from}–${until}. Sådan bliver det gemt, medmindre I retter det nedenfor (Teams siger ikke, om det er hver uge eller sjældnere).`,
    noDetails: "Jeg kunne ikke læse mødets tidspunkt (fx et møde uden fast tid). Vælg jeres mødetidspunkt nedenfor.",
    todayTitle: "Dagens refleksion",
    todayHeading: (date: string) => `Ledergruppens møde ${date}`,
    noPoints: "Ingen har delt et punkt til dette møde.",
    anonymousLeader: "en leder",
    reminderTitle: (due: string) => `Påmindelse: en aftale skal være klar senest ${due}`,
    reminderDetail: (group: string, meeting: string) => `Du er ansvarlig. Aftalt i ${group} ved mødet ${meeting}.`,
    morePoints: (count: number) => `Og ${count === 1 ? "1 punkt mere" : `${count} punkter mere`}, som ikke er plads til her.`,
    groupFallbackName: "ledergruppen",
    invitationTitle: (when: string, theme: string) => `${when}: ledergruppens møde om *${theme}*`,
    invitationWhen: (days: number, date: string) => (days <= 1 ? "I morgen" : `${date}`),
    invitationGroup: (group: string, at: string) => `${group} · ${at}`,
    pointPlace: (group: string, at: string) => `På kortet »Dagens refleksion« i ${group}, når mødet ${at} starter.`,
    replacesPoint: "Det erstatter det punkt, du allerede har delt til dette møde.",
    pointShared: "Dit punkt er delt. Du kan trække det tilbage, indtil mødet starter.",
    pointEmpty: "Skriv dit punkt, eller vælg et af dine svar, før du ser, hvordan det vil stå.",
    pointTooLong: "Punktet er for langt: højst 280 tegn. Intet er delt.",
    pointWithdrawn: "Dit punkt er trukket tilbage. Gruppen ser det ikke.",
    pointAlreadyGone: "Punktet er allerede trukket tilbage.",
    pointTooLate: "Mødet er startet, så punktet kan ikke trækkes tilbage nu.",
    shareTooLate: "Mødet er allerede startet eller forbi, så der kan ikke deles punkter til det længere.",
    notInGroup: "Jeg kan ikke se dig blandt ledergruppens deltagere, så intet er delt.",
    invitationsOff: "Du får ikke flere invitationer fra ledergrupper. Du kan stadig reflektere, når du vil – skriv **start**.",
    unknownGroup: "Jeg kender ikke den ledergruppe eller det møde, kortet er fra. Intet er delt.",
    allMinutesRecently: "Hele referatet blev hentet for mindre end ti minutter siden: rul op, eller prøv igen om lidt.",
    guestReadOnly: "Som gæst i ledergruppen kan du læse med, men ikke ændre gruppens punkter, aftaler eller status.",
    notNextMeeting: "Du kan dele et punkt til ledergruppens næste møde, ikke til et senere. Intet er delt.",
    noOpenAgreements: "Ingen åbne aftaler fra tidligere møder.",
    moreAgreements: (count: number) => `Og ${count === 1 ? "1 aftale mere" : `${count} aftaler mere`}: skriv **aftaler** for at se dem alle.`,
    openAgreementsHeading: "Aftaler fra tidligere møder",
    agreementLine: (responsible: string, due: string | undefined, agreedOn: string) => `Ansvarlig: ${responsible}${due ? ` · senest ${due}` : ""} · aftalt ${agreedOn}`,
    status: { notStarted: "Ikke startet", inProgress: "I gang", done: "Gjort" },
    statusBy: (status: string, name: string, when: string) => `${status} (${name}, ${when})`,
    agreementsTitle: "Hvad aftalte I?",
    agreementsIntro: (date: string) => `Mødet ${date} er slut. Skriv op til fem aftaler: hvad, hvem der er ansvarlig, og gerne en dato. Alle i gruppen kan udfylde kortet; det gemmes én gang.`,
    agreementsSavedTitle: "Jeres aftaler er gemt",
    agreementsSaved: (count: number) => `${count === 1 ? "1 aftale er gemt" : `${count} aftaler er gemt`}. De kommer med på kortet ved næste møde. Skriv **aftaler** for at se dem.`,
    agreementsProblem: (problem: "none" | "too-long" | "bad-date" | "no-responsible", row: number | undefined) => {
      const where = row ? ` (aftale ${row})` : "";
      switch (problem) {
        case "none":
          return "Skriv mindst én aftale, før du gemmer. Intet er gemt.";
        case "too-long":
          return `En aftale er for lang${where}: højst 300 tegn, og 100 for den ansvarlige. Intet er gemt.`;
        case "bad-date":
          return `Datoen kunne ikke læses${where}. Vælg den i kalenderen. Intet er gemt.`;
        case "no-responsible":
          return `Skriv, hvem der er ansvarlig${where}. Intet er gemt.`;
      }
    },
    agreementsAlreadySaved: (name: string, when: string) => `Aftalerne fra dette møde er allerede gemt af ${name} ${when}. Skriv **aftaler** for at se eller rette dem.`,
    meetingGone: "Jeg kan ikke finde det møde, kortet hører til. Intet er ændret.",
    agreementGone: "Den aftale findes ikke længere. Intet er ændret.",
    statusUnchanged: (status: string) => `Aftalen står allerede som »${status}«.`,
    statusChanged: (text: string, status: string) => `»${truncate(text, 60)}« er nu markeret som ${status.toLowerCase()}.`,
    agreementsListTitle: "Ledergruppens aftaler",
    noAgreements: "Gruppen har ingen aftaler endnu. De skrives på kortet »Hvad aftalte I?«, når et møde slutter.",
    agreedOn: (date: string) => `aftalt ${date}`,
    edited: (name: string, when: string) => `Rettet af ${name} ${when}`,
    agreementEdited: "Aftalen er rettet.",
    agreementStale: "Aftalen er ændret, siden kortet blev vist, så din rettelse er ikke gemt. Skriv **aftaler** for at se den, som den er nu.",
    agreementEditUnchanged: "Intet at rette: aftalen er, som den var.",
    changedTooOften: "Aftalen er ændret mange gange på kort tid. Vent et par minutter, og prøv så igen.",
    minutesTitle: (date: string) => `Referat: ledergruppens møde ${date}`,
    themeLabel: "Tema",
    questionsLabel: "Spørgsmål til ledergruppen",
    followedUpLabel: "Opfølgning på tidligere aftaler",
    pointsLabel: "Punkter fra gruppen",
    agreementsLabel: "Aftaler",
    noAgreementsYet: "Ingen aftaler skrevet endnu.",
    responsibleShort: "ansvarlig",
    dueShort: "senest",
    mockEventLocalOnly: (command: string) => `»${command}« virker kun, når jeg kører lokalt til test. I Teams kommer kortene af sig selv, når mødet starter og slutter.`,
    mockEvent: (edge: "start" | "end") => (edge === "start" ? "Mødet er startet (lokal test): »Dagens refleksion« kommer om et øjeblik." : "Mødet er slut (lokal test): »Hvad aftalte I?« kommer om et øjeblik."),
    allMinutesHeading: (count: number, from: string) => `Ledergruppens møder (${count === 1 ? "1 møde" : `${count} møder`} siden ${from})`,
    noMeetingYetInFile: "Der har ikke været et møde med Lederrefleksion endnu.",
    allMinutesReady: (count: number, from: string) => `${count === 1 ? "1 møde" : `${count} møder`} siden ${from}, samlet i én fil (Markdown), der kan åbnes i Word, OneNote eller en teksteditor.`,
    noMeetingYet: "Der har ikke været et møde med mig endnu. Skriv **opsæt** for at sætte jeres møder op.",
  },
  /** Vi-pulsen: the group or the team rates the theme's "Vi" statements, anonymously. */
  pulse: {
    title: (theme: string) => `Vi-pulsen: ${theme}`,
    question: `Hvor godt passer det på os lige nu? 1 = ${SCALE_ENDS.lowest}, 5 = ${SCALE_ENDS.highest}.`,
    dontKnow: "Ved ikke",
    ratingLabel: "Din vurdering",
    ratingRequired: "Vælg en vurdering fra 1 til 5, eller »Ved ikke«",
    /** Exactly who sees what: on the invitation, the answer card and the help card. */
    privacy: "Din leder ser kun samlede tal, og kun når mindst 5 har svaret. Ingen kan se, hvad du har svaret. Når pulsen lukker, gemmes kun tallene: de tæller stadig med, også hvis du senere sletter dine data.",
    groupPrivacy: "Gruppen ser kun samlede tal, og kun når mindst 5 har svaret. Ingen kan se, hvad du har svaret.",
    teamInvitation: (leader: string, statements: number, closes: string) =>
      `${leader} vil gerne høre, hvordan I ser ${count(statements, "udsagn", "udsagn")} fra ledelsesgrundlaget. Det tager under et minut, og du kan ændre dit svar, indtil pulsen lukker ${closes}.`,
    answerButton: "Svar på pulsen",
    send: "Send mit svar",
    change: "Ret mit svar",
    closesText: (closes: string) => `Du kan ændre dit svar, indtil pulsen lukker ${closes}.`,
    thanks: "Tak – dit svar er gemt",
    yourAnswer: "Dit svar (kun du ser det):",
    selfTitle: "Din egen vurdering er gemt",
    selfNote: "Du bad om pulsen, så dit svar tæller ikke med i teamets tal. Du ser det ved siden af teamets resultat, når pulsen lukker.",
    closed: "Pulsen er lukket, så du kan ikke svare mere. Tak, fordi du ville svare.",
    closedWhileAnswering: "Pulsen lukkede, lige før dit svar nåede frem, så det er ikke gemt og tæller ikke med. Tak, fordi du ville svare.",
    gone: "Jeg kan ikke finde den puls. Måske er kortet fra en anden samtale.",
    notEligible: "Du var ikke med i gruppen, da pulsen blev sendt ud, eller du er gæst, så du kan ikke svare på den.",
    invalid: "Vælg en vurdering ved hvert udsagn (eller »Ved ikke«), og send igen. Intet er gemt.",
    askedInGroup: "Vi-pulsen er sendt her i samtalen.",
    tooRecent: (theme: string, until: string) => `Der har været en puls om »${theme}« her inden for 30 dage. Den næste kan sendes fra ${until}, så ingen kan regne enkeltes svar ud ved at sammenligne to pulser.`,
    tooFew: (k: number) => `Der skal være mindst ${k} i samtalen ud over dig, før en puls kan vise noget. Ingen puls er sendt.`,
    tooMany: (max: number) => `Samtalen har over ${max} deltagere, og så mange kan jeg ikke holde styr på i en puls. Ingen puls er sendt.`,
    guestsCannotAsk: "Gæster kan ikke sende en puls.",
    onlyInGroups: "En puls sendes i en kanal eller gruppechat, hvor dit team er: skriv **@Lederrefleksion puls** der.",
    noOpenPulse: "Der er ingen åben puls fra dig her.",
    closedByLeader: (answered: number) => `Pulsen er lukket. ${count(answered, "person", "personer")} svarede; resultatet kommer i din chat med mig.`,
    onlyAskerCloses: "Kun den, der sendte pulsen, kan lukke den før tid.",
    resultTitle: (theme: string) => `Dit teams Vi-puls: ${theme}`,
    groupResultHeading: "Vi-pulsen",
    answered: (n: number, closed: string) => `${count(n, "person", "personer")} svarede (lukket ${closed}).`,
    hiddenTooFew: (n: number, k: number) => `${n === 0 ? "Ingen" : n} svarede. Resultatet vises kun fra ${k} svar, så ingen kan genkendes; svarene er slettet.`,
    hiddenOverlap:
      "Resultatet vises ikke: nogle af jer var også med i en anden puls om samme tema inden for 30 dage, og to resultater for næsten de samme personer kunne afsløre enkeltes svar. Svarene er slettet.",
    /** A meeting's pulse past its time, drawn before its close has run (the meeting's start closes it first, so this is seldom seen). */
    closingNow: (n: number) => `Vi-pulsen er ved at lukke: ${n === 0 ? "ingen har" : count(n, "har", "har")} svaret. Resultatet kommer, når den er lukket.`,
    waiting: (n: number, k: number) => `${n === 0 ? "Ingen har" : `${count(n, "har", "har")}`} svaret på Vi-pulsen endnu. Resultatet vises, når mindst ${k} har svaret.`,
    tooFewRated: (k: number) => `Færre end ${k} gav en vurdering – for få til at vise.`,
    /** One row per value: the value, a bar as long as its share of the largest, and the count in digits. */
    distributionRows: (counts: readonly number[], dontKnow: number) => [
      ...counts.map((n, i) => `${i + 1}  ${"█".repeat(n > 0 ? Math.max(1, Math.round((n / Math.max(...counts, 1)) * 10)) : 0).padEnd(10, "·")}  ${n}`),
      ...(dontKnow ? [`Ved ikke: ${dontKnow}`] : []),
    ],
    mean: (mean: number, rated: number) => `Gennemsnit ${mean.toFixed(1).replace(".", ",")} (${count(rated, "vurdering", "vurderinger")})`,
    beside: (team: string | undefined, self: number | undefined) =>
      [team ? `Dit team: ${team}` : undefined, self !== undefined ? `Dig: ${self === 0 ? "ved ikke" : self}` : undefined].filter(Boolean).join(" · "),
    widest: (statement: string) => `Her ser I forskelligt på det – tal om hvorfor: »${statement}«`,
    minutes: (answered: number) => `Vi-pulsen (${count(answered, "svar", "svar")})`,
    progressLine: (date: string, team: string | undefined, answered: number, self: string | undefined) =>
      `Dit teams Vi-puls ${date}: ${team ? `${team} i snit (${count(answered, "svar", "svar")})` : `for få svar til et resultat (${answered})`}${self ? ` · din egen vurdering: ${self}` : ""}`,
    reflectionHidden: "Dit teams sidste Vi-puls på temaet fik for få svar til at vise et resultat. Din egen vurdering:",
    reflectionOpening: (closed: string) => `Dit teams Vi-puls (lukket ${closed}) ved siden af din egen vurdering:`,
    invitationOffer: "Vi-pulsen: hvordan ser I temaets »Vi«-udsagn? Under et minut, anonymt.",
  },
  planOutcome: (outcome: "done" | "partly" | "notYet", note: string | null) => `${{ done: "Gjort", partly: "Delvist", notYet: "Ikke endnu" }[outcome]}${note ? `: ${note}` : ""}`,
  /** What a leader writes as to a colleague (domain/leaderText.ts), answered briefly, with the one next step that fits. */
  talk: {
    greeting: { hej: "Hej!", godmorgen: "Godmorgen!", goddag: "Goddag!", godaften: "Godaften!" },
    thanks: "Selv tak – godt, at du tog dig tiden.",
    goodbye: "Hav en god dag!",
    whatCanYouDo:
      "Jeg hjælper dig med at reflektere over din ledelse ud fra kommunens ledelsesgrundlag – ét tema ad gangen, privat og i dit eget tempo. Skriv **hjælp** for at se alt, hvad jeg kan.",
    whoAreYou: "Jeg er Lederrefleksion, en bot her i Teams, der guider dig gennem refleksioner over kommunens ledelsesgrundlag. Det, du skriver, kan kun du se.",
    /** The one next step, after the answer: where the leader is decides which. */
    next: {
      welcome: "Vælg din rolle på kortet ovenfor, så går vi i gang.",
      role: "Vælg din rolle på kortet ovenfor.",
      theme: "Vælg et tema på kortet ovenfor, når du er klar.",
      resume: "Vælg på kortet ovenfor, om du vil fortsætte dit udkast eller starte forfra.",
      reflecting: "Din refleksion venter på kortet ovenfor.",
      confirmCancel: "Vælg på kortet ovenfor, om du vil stoppe refleksionen.",
      reminder: "Jeg har mindet dig om at reflektere: skriv **start**, når du er klar.",
      draft: "Du har en ufærdig refleksion: skriv **start** for at fortsætte.",
      idle: "Skriv **start**, når du vil reflektere.",
    },
    /** "jeg har 10 minutter": both reflections offered, the one that fits first. */
    timeShort: "Så passer en kort refleksion: vurderinger, et spadestik dybere og din plan – cirka tre minutter. En hel refleksion tager 5–10 minutter.",
    timeFull: "Så har du tid til en hel refleksion, 5–10 minutter. Har du travlt, tager en kort refleksion cirka tre minutter.",
    timeOnThemeCard: "Vælg »Kort refleksion« ved et tema på kortet ovenfor for den korte, eller »Vælg tema« for den hele.",
    shortButton: "Kort refleksion",
    fullButton: "Hel refleksion",
    /** "mind mig om det på fredag": a one-off reminder that day, or the reminders card with the day chosen. */
    offerSnooze: (day: string) => `Skal jeg minde dig om at reflektere ${day}?`,
    snoozeButton: (day: string) => `Ja, mind mig ${day}`,
    offerReminders: (weekday: string) => `Vil du have faste påmindelser? Her er de med ${weekday} valgt – tryk »Gem påmindelser«, når det passer dig.`,
  },
  /** `hjælp` where the leader is: after the help card, how to go on from there. */
  helpOnWelcome: "Du er ved at komme i gang: vælg din rolle på kortet lige før hjælpen, så går vi i gang med din første refleksion.",
  helpOnThemeCard: "Vælg et tema på kortet lige før hjælpen – eller skriv **annuller**, hvis du ikke vil reflektere nu.",
  helpOnRoleCard: "Vælg din rolle på kortet lige før hjælpen, eller skriv **annuller** for at beholde den, du har.",
  /** The personal help card's intro: both reflections and how long each takes, as the bot offers them. */
  helpIntroPersonal: "Jeg guider dig gennem en refleksion over ét af ledelsesgrundlagets temaer. En hel refleksion tager 5–10 minutter, en kort refleksion cirka tre.",
  /** Til min leder, the sharer's side: choosing, the preview, sending, »mine delinger« and the questions back. */
  sharer: {
    shareButton: "Del med min leder",
    nothingToShare: "Du har ikke noget at dele endnu. Når du har gemt en refleksion, kan du vælge, hvad din leder må se. Skriv **start** for at begynde.",
    chooseIntro: "Vælg præcis det, du vil tage med til din leder, fx før jeres LUS eller MUS. Intet er valgt på forhånd, og intet bliver sendt, før du har set det hele og trykket »Send«.",
    managerFound: (name: string) => `Ifølge Microsoft 365 er din leder **${name}**. Du kan vælge en anden nedenfor.`,
    noManager: "Skriv navnet på den person, der skal se det.",
    reflectionChoice: (date: string, theme: string, short: boolean) => `${date} · ${theme}${short ? " (kort)" : ""}`,
    morePulses: (count: number) => `Dine seneste ${count} afsluttede Vi-pulser ved siden af din egen vurdering – kun tal, og kun hvor mindst 5 svarede.`,
    problem: {
      empty: "Du har ikke valgt noget at dele. Sæt kryds ved mindst én refleksion, din udvikling eller Vi-pulsen.",
      noDetail: "Vælg, om din leder skal se hele refleksionerne eller kun dine vurderinger.",
      unknownReflection: "En af de valgte refleksioner findes ikke længere hos dig. Intet er sendt – skriv **del med min leder** for at vælge igen.",
      tooManyReflections: "Du kan dele højst 12 refleksioner ad gangen. Fjern nogle af krydsene.",
      badPeriod: "Perioden for din udvikling skal starte før den slutter og højst være tre år lang.",
      noChange: "Der er ikke to refleksioner på samme tema i den periode, så der er ingen udvikling at vise. Vælg en længere periode, eller fjern krydset.",
      noPulses: "Du har ingen afsluttede Vi-pulser endnu. Fjern krydset ved Vi-pulsen.",
      tooLarge: "Det er mere, end én deling kan rumme. Vælg færre refleksioner, eller del kun vurderingerne.",
      noReader: "Vælg, hvem der skal se det.",
      self: "Du kan ikke dele med dig selv. Vælg din leder eller en anden person.",
      badDays: "Vælg, hvor mange dage den anden må kunne se det: fra 1 til 90.",
      tooMany: "Du har allerede 20 aktive delinger. Træk nogle tilbage i **mine delinger**, før du deler mere.",
      tooOften: (max: number) => `Du kan dele højst ${max} gange i døgnet, og dem har du brugt. Prøv igen i morgen.`,
    },
    previewTitle: (name: string) => `Sådan ser ${name} det`,
    previewPart: (part: number, parts: number) => `Del ${part} af ${parts}`,
    previewWho: (name: string, until: string) => `Kun **${name}** kan se det – i appen, ikke her i chatten – og kun til og med ${until}. Du kan trække det tilbage når som helst i **mine delinger**.`,
    previewChanged: "Noget af det valgte er ændret, siden du så forhåndsvisningen. Se den nye forhåndsvisning, før du sender.",
    previewExpired: "Forhåndsvisningen er for gammel. Skriv **del med min leder** for at vælge igen.",
    readerNotInstalled: (name: string) => `${upperFirst(name)} har ikke Lederrefleksion i Teams endnu, så jeg har ikke sendt noget. Bed ${name} om at installere appen, og send det så igen.`,
    sentTitle: (name: string) => `Delt med ${name}`,
    sent: (name: string, until: string) => `${upperFirst(name)} kan læse det til og med ${until}. I **mine delinger** kan du se, når det er åbnet, og trække det tilbage.`,
    someone: "den valgte person",
    nameUnknown: "Jeg kunne ikke slå navnet op på den, du valgte, så her står der kun »den valgte person«. Er du i tvivl om, hvem du valgte, så tryk på »Ret i det valgte«.",
    sharesTitle: "Mine delinger",
    noShares: "Du har ikke delt noget endnu. Skriv **del med min leder** for at vælge, hvad din leder må se.",
    sharesIntro: "Alt, hvad du har delt, og med hvem. Det, du delte, forsvinder, når det er trukket tilbage eller udløbet; hvem, hvornår og spørgsmålene bliver stående her.",
    state: { active: "Aktiv", withdrawn: "Trukket tilbage", expired: "Udløbet", erased: "Slettet" },
    shareLine: (name: string, state: string) => `${name} · ${state}`,
    sharedDates: (sharedAt: string, until: string) => `Delt ${sharedAt}, kan ses til og med ${until}`,
    endedDates: (sharedAt: string, endedAt: string) => `Delt ${sharedAt}, sluttede ${endedAt}`,
    openedAt: (date: string, opens: number) => `Åbnet første gang ${date}${opens > 1 ? ` · ${opens} gange i alt` : ""}`,
    notOpened: "Ikke åbnet endnu",
    olderShares: (count: number) => (count === 1 ? "Og 1 ældre deling, som ikke er plads til her." : `Og ${count} ældre delinger, som ikke er plads til her.`),
    questionsHeading: (count: number) => (count === 1 ? "1 spørgsmål til jeres samtale" : `${count} spørgsmål til jeres samtale`),
    withdrawn: (name: string) => `Trukket tilbage. ${name} kan ikke længere se det, du delte.`,
    alreadyEnded: "Den deling er allerede afsluttet.",
    questionsTaken: "Godt. Spørgsmålene står øverst, når du begynder din næste refleksion.",
    questionsGone: "De spørgsmål findes ikke længere: delingen er slettet.",
    questionsAtStart: (name: string) => `Spørgsmål fra ${name} til jeres samtale, som du tog med:`,
    /** The preview's words around the shared copy (what the other person sees in the app). */
    copy: {
      reflectionMeta: (date: string, role: string, short: boolean) => `${date} · som ${role}${short ? " · kort refleksion" : ""}`,
      continued: (theme: string) => `${theme} (fortsat)`,
      ratings: "Vurderinger",
      questions: "Spørgsmål og svar",
      focus: "Fokus",
      focusOn: (statement: string) => `Gik i dybden med »${statement}«`,
      strengthOn: (statement: string) => `Styrke: »${statement}«`,
      plan: "Plan",
      nextStep: "Mit næste skridt",
      noPlan: "Ingen plan skrevet",
      followUp: (date: string) => `Opfølgning ${date}`,
      changeTitle: (from: string, to: string) => `Udvikling fra ${from} til ${to}`,
      changeSubtitle: "Per udsagn: vurderingen i den første og den sidste refleksion på temaet i perioden.",
      changeLabel: (theme: string, statement: string) => `${theme}: ${statement}`,
      changeValue: (first: number, last: number, reflections: number) => `Fra ${first} til ${last} (${reflections} refleksioner)`,
      pulseTitle: (theme: string) => `Vi-puls: ${theme}`,
      pulseShown: (date: string, answered: number) => `Lukket ${date} · ${answered} svar fra teamet`,
      pulseHidden: (date: string) => `Lukket ${date} · færre end 5 svarede, så teamets tal vises ikke`,
      pulseValue: (team: string | undefined, self: number | undefined) => [team === undefined ? "" : `Teamet: ${team}`, self === undefined ? "" : `Min vurdering: ${self}`].filter((p) => p !== "").join(" · ") || "–",
    },
  },
  pulseFromPersonalChat: (word: string) =>
    `**${word}** sender Vi-pulsen til dit team: skriv @Lederrefleksion ${word} i en kanal eller gruppechat, hvor dit team er. Resultatet kommer her i vores chat.`,
  pulseAskedInGroup: (theme: string, closes: string) => `Pulsen om »${theme}« er sendt. Den lukker ${closes}; skriv **puls luk** for at lukke den før. Du får resultatet i din private chat med mig, når mindst 5 har svaret.`,
  nonTextMessage: "Jeg kan kun læse tekst og svar fra mine kort. Skriv **hjælp** for at se, hvad jeg kan.",
  /** Til min leder, the reader's side in chat: the notice of a share, its end, and the questions back to the sharer. */
  shareNotice: {
    title: "Til min leder",
    fallback: "En leder har delt sine refleksioner med dig.",
    lead: (sharer: string, until: string) => `${upperFirst(sharer)} har delt nogle af sine refleksioner med dig til jeres samtale. Kun du kan læse dem, og kun til og med ${until}.`,
    how: "Du læser dem under fanen Til min leder. Der kan du også sende op til 5 spørgsmål tilbage til samtalen.",
    open: "Læs det delte",
    endedTitle: "Delingen er slut",
    ended: "Det, der blev delt her, kan ikke læses længere. Delingen er trukket tilbage, udløbet eller slettet.",
  },
  shareQuestions: {
    title: "Spørgsmål til jeres samtale",
    fallback: "Du har fået spørgsmål til jeres samtale.",
    lead: (reader: string) => `${upperFirst(reader)} har læst det, du delte, og har spørgsmål til jeres samtale:`,
    take: "Tag dem med i min næste refleksion eller plan",
    erasedTitle: "Spørgsmålene er slettet",
    erased: "Spørgsmålene er slettet, fordi en af jer har slettet sine data.",
  },
  /** The reader's tab, Til min leder (HTML: escaped by the page, not Markdown). */
  shareReaderPage: {
    title: "Til min leder",
    skip: "Spring til indholdet",
    lead: "Her kan du læse det, andre ledere har valgt at dele med dig før jeres samtale. Kun du kan se det, og kun så længe delingen gælder.",
    localBanner: "Lokal udgave: siden er åben uden login, fordi botten kører uden app-id på denne maskine. I Teams kræver den login med din egen konto.",
    listHeading: "Delt med dig",
    none: "Ingen har delt noget med dig lige nu.",
    sharedBy: (name: string) => `Fra ${name}`,
    until: (date: string) => `Kan læses til og med ${date}`,
    open: "Læs",
    back: "Tilbage til listen",
    reflectionsHeading: "Refleksioner",
    ratingsOnly: "Kun vurderingerne er delt.",
    short: "Kort refleksion",
    note: "Note",
    answerMissing: "Intet svar.",
    focusHeading: "Fokus",
    strengthHeading: "Styrke",
    planHeading: "Plan",
    commitment: "Næste skridt",
    followUps: "Sådan gik det",
    changeHeading: (from: string, to: string) => `Udvikling fra ${from} til ${to}`,
    changeColumns: { statement: "Udsagn", first: "Første", last: "Seneste", reflections: "Refleksioner" },
    pulseHeading: "Vi-puls",
    pulseAnswered: (n: number) => `${n} svar`,
    pulseHidden: "For få svar til at vise teamets tal.",
    pulseColumns: { statement: "Udsagn", team: "Teamet", self: "Selvvurdering" },
    questionsHeading: "Spørgsmål til jeres samtale",
    questionsLead: (max: number, length: number) => `Skriv op til ${max} korte spørgsmål (højst ${length} tegn hver). De bliver sendt til lederen i chatten.`,
    questionLabel: (n: number) => `Spørgsmål ${n}`,
    send: "Send spørgsmålene",
    sent: "Dine spørgsmål er sendt.",
    questionsSentBefore: "Det har du allerede spurgt om",
    questionsFull: (max: number) => `Du har sendt alle ${max} spørgsmål til denne deling.`,
    refused: {
      empty: "Skriv mindst ét spørgsmål.",
      tooMany: "Der er plads til højst 5 spørgsmål i alt.",
      tooLong: "Et af spørgsmålene er for langt.",
      tooLarge: "Spørgsmålene fylder for meget.",
    },
    notFound: { title: "Der er ikke noget at vise", text: "Delingen findes ikke, eller den er slut: trukket tilbage, udløbet eller slettet. Spørg den, der delte, hvis du mener, du burde kunne se den." },
    signIn: { title: "Log ind", text: "Siden kunne ikke bekræfte, hvem du er. Åbn den igen fra Teams." },
    failed: { title: "Noget gik galt", text: "Siden kunne ikke hentes lige nu. Prøv igen om lidt." },
    loading: "Henter …",
  },
} as const, ["insightPage", "exportPage", "minutesPage", "shareReaderPage", "meetingPanel"]);

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
