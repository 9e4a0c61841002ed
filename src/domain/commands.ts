/**
 * What a typed message asks for. Teams sends the bot's @mention inside the text in channels, and
 * people type with varying case and punctuation, so parsing normalises before matching.
 */
export type Command =
  | { readonly kind: "help" }
  | { readonly kind: "start" }
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
  | { readonly kind: "channelSetup" }
  | { readonly kind: "channelStatus" }
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

const WORDS: ReadonlyArray<readonly [Exclude<CommandKind, "unknown">, readonly string[]]> = [
  ["help", ["hjælp", "hjaelp", "help", "?"]],
  ["start", ["start", "refleksion", "begynd", "ny refleksion"]],
  ["cancel", ["annuller", "annullér", "stop", "afbryd", "cancel"]],
  ["changeRole", ["skift rolle", "rolle", "vælg rolle"]],
  ["history", ["historik", "mine refleksioner", "tidligere refleksioner"]],
  ["progress", ["udvikling", "min udvikling", "fremskridt"]],
  ["export", ["eksport", "eksportér", "eksporter", "hent mine data"]],
  ["deleteData", ["slet mine data", "slet data", "slet alt"]],
  ["reminders", ["påmindelser", "påmindelse", "paamindelser", "indstillinger"]],
  // Local development only (anonymous bot): moves the user's next nudge to now.
  ["remindMeNow", ["påmind mig nu"]],
  ["pauseReminders", ["pause påmindelser", "pause", "sæt påmindelser på pause", "pause påmindelse", "ferie"]],
  ["resumeReminders", ["genoptag påmindelser", "genoptag", "slut pause"]],
  ["insightOut", ["mine tal tæller ikke med", "mine tal taeller ikke med", "tæl mig ikke med", "indsigt fra"]],
  ["insightIn", ["mine tal tæller med", "mine tal taeller med", "tæl mig med", "indsigt til"]],
  ["channelSetup", ["opsæt", "opsaet", "setup", "indstil kanal"]],
  ["channelStatus", ["status"]],
  ["agreements", ["aftaler", "vores aftaler", "se aftaler"]],
  ["minutes", ["referat", "mødereferat"]],
  ["allMinutes", ["referat alle", "alle referater", "alle møder"]],
  // Local development only (anonymous bot): stand in for Teams' meeting start and end events.
  ["startMeetingNow", ["start mødet nu"]],
  ["endMeetingNow", ["afslut mødet nu"]],
];

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
  // "spørgsmål", "spørgsmål 2", "spørgsmål resultater": the group questions, optionally for a theme.
  const questions = /^(spørgsmål|spoergsmaal|sporgsmal)(?:\s+(.+))?$/.exec(normalised);
  if (questions) return { kind: "groupQuestions", theme: questions[2] ?? "" };
  if (/^(puls|vi-puls|vipuls) (luk|afslut|stop)$/.test(normalised)) return { kind: "closePulse" };
  const pulse = /^(puls|vi-puls|vipuls|vi-pulsen)(?:\s+(.+))?$/.exec(normalised);
  if (pulse) return { kind: "pulse", theme: pulse[2] ?? "" };
  for (const [kind, words] of WORDS) {
    if (words.includes(normalised)) return { kind } as Command;
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
