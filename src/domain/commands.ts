/**
 * What a typed message asks for. Teams sends the bot's @mention inside the text in channels, and
 * people type with varying case and punctuation, so parsing normalises before matching.
 */
export type Command =
  | { readonly kind: "help" }
  | { readonly kind: "start" }
  /** "kort refleksion": the ratings, the focus and the plan, without the framework's questions. */
  | { readonly kind: "startShort" }
  | { readonly kind: "cancel" }
  | { readonly kind: "changeRole" }
  | { readonly kind: "history" }
  | { readonly kind: "progress" }
  | { readonly kind: "export" }
  | { readonly kind: "deleteData" }
  | { readonly kind: "reminders" }
  | { readonly kind: "remindMeNow" }
  | { readonly kind: "pauseReminders" }
  | { readonly kind: "resumeReminders" }
  /** "mine tal tæller med" / "… ikke med": the leader's own say in Indsigt. */
  | { readonly kind: "insightIn" }
  | { readonly kind: "insightOut" }
  /** "del med min leder": Til min leder's card to choose what to share; "mine delinger": every share made. */
  | { readonly kind: "shareWithLeader" }
  | { readonly kind: "myShares" }
  | { readonly kind: "groupSetup" }
  | { readonly kind: "groupStatus" }
  | { readonly kind: "groupQuestions"; readonly theme: string }
  /** "puls [tema]": a Vi-pulse to the team in this conversation; "puls luk" closes the leader's open one. */
  | { readonly kind: "pulse"; readonly theme: string }
  | { readonly kind: "closePulse" }
  | { readonly kind: "agreements" }
  | { readonly kind: "minutes" }
  | { readonly kind: "allMinutes" }
  /** Local development only: what Teams' meetingStart / meetingEnd events would do, for the Playground. */
  | { readonly kind: "startMeetingNow" }
  | { readonly kind: "endMeetingNow" }
  | { readonly kind: "unknown"; readonly text: string };

export type CommandKind = Command["kind"];

/** The commands that take no argument. */
type PlainCommandKind = Exclude<CommandKind, "unknown" | "groupQuestions" | "pulse">;

/** Where a command belongs: the help card of the 1:1 chat, of a group, or of local runs only. */
export type CommandSurface = "personal" | "group" | "local";

/**
 * One command as leaders type it, in the one table that the intent parser, the guesser and the
 * help card read. `words` are matched exactly (after normalising); the first is the one the help
 * card shows and a button sends. A command with `guess` may be offered for a typo or another
 * phrase of it; one without is never guessed (nothing that deletes is). `help` puts it on that
 * surface's help card, in this table's order; its meaning is in texts.commandHelp.
 */
export interface CommandEntry<K extends PlainCommandKind | "groupQuestions" | "pulse" = PlainCommandKind | "groupQuestions" | "pulse"> {
  readonly kind: K;
  readonly words: readonly string[];
  /** Typed after the word ("spørgsmål 2", "puls resultater"): the theme. */
  readonly argument?: "tema";
  readonly guess?: { readonly phrases: readonly string[] };
  readonly help?: readonly ("personal" | "group")[];
  readonly surface: CommandSurface;
}

const eachOf = (firsts: readonly string[], seconds: readonly string[]) => firsts.flatMap((a) => seconds.map((b) => `${a} ${b}`));

export const COMMANDS = [
  { kind: "start", surface: "personal", help: ["personal"], words: ["start", "refleksion", "begynd", "ny refleksion"], guess: { phrases: ["starte", "reflektere", "reflekter", "jeg vil reflektere", "lad os starte", "kom i gang"] } },
  { kind: "startShort", surface: "personal", help: ["personal"], words: ["kort refleksion", "hurtig refleksion"], guess: { phrases: ["en kort refleksion", "kort udgave", "den korte"] } },
  { kind: "history", surface: "personal", help: ["personal"], words: ["historik", "mine refleksioner", "tidligere refleksioner"], guess: { phrases: ["historie", "se mine refleksioner"] } },
  { kind: "progress", surface: "personal", help: ["personal"], words: ["udvikling", "min udvikling", "fremskridt"], guess: { phrases: ["statistik"] } },
  { kind: "reminders", surface: "personal", help: ["personal"], words: ["påmindelser", "påmindelse", "paamindelser", "indstillinger"], guess: { phrases: ["mind mig", "mind mig om det", "mind mig om det i morgen", "mind mig senere"] } },
  { kind: "pauseReminders", surface: "personal", help: ["personal"], words: ["pause påmindelser", "pause", "sæt påmindelser på pause", "pause påmindelse", "ferie"], guess: { phrases: ["sæt på pause", "ingen påmindelser"] } },
  { kind: "resumeReminders", surface: "personal", help: ["personal"], words: ["genoptag påmindelser", "genoptag", "slut pause"] },
  { kind: "changeRole", surface: "personal", help: ["personal"], words: ["skift rolle", "rolle", "vælg rolle"], guess: { phrases: ["ny rolle"] } },
  { kind: "cancel", surface: "personal", help: ["personal"], words: ["annuller", "annullér", "stop", "afbryd", "cancel"], guess: { phrases: ["fortryd"] } },
  { kind: "shareWithLeader", surface: "personal", help: ["personal"], words: ["del med min leder", "til min leder", "del med leder", "del med min chef"], guess: { phrases: ["dele med min leder", "vis min leder", "send til min leder", "lus", "mus"] } },
  { kind: "myShares", surface: "personal", help: ["personal"], words: ["mine delinger", "delinger", "mine delte"], guess: { phrases: ["hvad har jeg delt", "delt med min leder"] } },
  { kind: "export", surface: "personal", help: ["personal"], words: ["eksport", "eksportér", "eksporter", "hent mine data"], guess: { phrases: ["download"] } },
  { kind: "deleteData", surface: "personal", help: ["personal"], words: ["slet mine data", "slet data", "slet alt"] },
  { kind: "insightOut", surface: "personal", help: ["personal"], words: ["mine tal tæller ikke med", "mine tal taeller ikke med", "tæl mig ikke med", "indsigt fra"] },
  { kind: "insightIn", surface: "personal", words: ["mine tal tæller med", "mine tal taeller med", "tæl mig med", "indsigt til"] },
  { kind: "groupSetup", surface: "group", help: ["group"], words: ["opsæt", "opsaet", "setup", "indstil kanal"] },
  { kind: "groupQuestions", surface: "group", help: ["group"], argument: "tema", words: ["spørgsmål", "spoergsmaal", "sporgsmal"] },
  { kind: "groupStatus", surface: "group", help: ["group"], words: ["status"] },
  { kind: "agreements", surface: "group", help: ["group"], words: ["aftaler", "vores aftaler", "se aftaler"] },
  { kind: "minutes", surface: "group", help: ["group"], words: ["referat", "mødereferat"] },
  { kind: "allMinutes", surface: "group", help: ["group"], words: ["referat alle", "alle referater", "alle møder"] },
  { kind: "pulse", surface: "group", help: ["group"], argument: "tema", words: ["puls", "vi-puls", "vipuls", "vi-pulsen"] },
  { kind: "closePulse", surface: "group", help: ["group"], words: eachOf(["puls", "vi-puls", "vipuls"], ["luk", "afslut", "stop"]) },
  { kind: "help", surface: "personal", help: ["personal", "group"], words: ["hjælp", "hjaelp", "help", "?"], guess: { phrases: ["hvad kan du", "vejledning", "kommandoer"] } },
  // Local development only (anonymous bot): moves the user's next nudge to now, and stands in
  // for Teams' meeting start and end events in the Playground.
  { kind: "remindMeNow", surface: "local", words: ["påmind mig nu"] },
  { kind: "startMeetingNow", surface: "local", words: ["start mødet nu"] },
  { kind: "endMeetingNow", surface: "local", words: ["afslut mødet nu"] },
] as const satisfies readonly CommandEntry[];

/** The commands the guesser may offer: those with `guess` in the table. */
export type GuessableCommand = Extract<(typeof COMMANDS)[number], { readonly guess: unknown }>["kind"];

/** The table's entry for a command. */
export function commandEntry(kind: CommandEntry["kind"]): CommandEntry {
  return (COMMANDS as readonly CommandEntry[]).find((c) => c.kind === kind)!;
}

/** The commands of one surface's help card, in the table's order. */
export function helpCommands(surface: "personal" | "group"): readonly CommandEntry[] {
  return (COMMANDS as readonly CommandEntry[]).filter((c) => c.help?.includes(surface));
}

/** What a leader types for a command, as the help card shows it and a button sends it ("puls [tema]" with its argument). */
export function typedCommand(entry: CommandEntry, withArgument = false): string {
  return withArgument && entry.argument ? `${entry.words[0]} [${entry.argument}]` : entry.words[0]!;
}

const PLAIN = new Map((COMMANDS as readonly CommandEntry[]).filter((c) => !c.argument).flatMap((c) => c.words.map((w) => [w, c.kind as PlainCommandKind] as const)));
const WITH_ARGUMENT = (COMMANDS as readonly CommandEntry[]).filter((c): c is CommandEntry<"groupQuestions" | "pulse"> => c.argument !== undefined);

/**
 * No command is longer than this, even with an @mention in front; a longer text is a message,
 * never a command, and is not run through any pattern (a regex over a 120 kB text stalled the
 * whole server for seconds).
 */
export const MAX_COMMAND_TEXT = 200;

export function parseCommand(text: string | undefined): Command {
  const raw = text ?? "";
  if (raw.length > MAX_COMMAND_TEXT) return { kind: "unknown", text: raw.slice(0, MAX_COMMAND_TEXT) };
  const normalised = normaliseCommandText(raw);
  // Whole words first ("puls luk" before "puls" with a theme), then a word with its argument.
  const plain = PLAIN.get(normalised);
  if (plain) return { kind: plain } as Command;
  for (const entry of WITH_ARGUMENT) {
    for (const word of entry.words) {
      if (normalised === word) return { kind: entry.kind, theme: "" };
      if (normalised.startsWith(`${word} `)) return { kind: entry.kind, theme: normalised.slice(word.length + 1).trim() };
    }
  }
  return { kind: "unknown", text: normalised };
}

/** Only for texts of at most MAX_COMMAND_TEXT characters (parseCommand checks). */
function normaliseCommandText(text: string): string {
  const folded = text
    .slice(0, MAX_COMMAND_TEXT)
    .replace(/<at>[^<]*<\/at>/gi, " ")
    .replace(/&nbsp;/g, " ")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
  return withoutTrailingPunctuation(folded).trim();
}

const TRAILING_PUNCTUATION = new Set([".", "!", "?", ",", ";", ":"]);

/** "hjælp?!" → "hjælp", but "?" stays "?" (the help shortcut). A loop, so no backtracking. */
function withoutTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 1 && TRAILING_PUNCTUATION.has(text[end - 1]!)) end -= 1;
  // As before: punctuation goes only when it follows a character, not a space ("hjælp ." stays).
  return end === text.length || text[end - 1] === " " ? text : text.slice(0, end);
}
