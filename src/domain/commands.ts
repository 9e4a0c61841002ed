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
  | { readonly kind: "channelSetup" }
  | { readonly kind: "channelStatus" }
  | { readonly kind: "groupQuestions"; readonly theme: string }
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
  ["channelSetup", ["opsæt", "opsaet", "setup", "indstil kanal"]],
  ["channelStatus", ["status"]],
];

export function parseCommand(text: string | undefined): Command {
  const normalised = normaliseCommandText(text ?? "");
  // "spørgsmål", "spørgsmål 2", "spørgsmål resultater": the group questions, optionally for a theme.
  const questions = /^(spørgsmål|spoergsmaal|sporgsmal)(?:\s+(.+))?$/.exec(normalised);
  if (questions) return { kind: "groupQuestions", theme: questions[2] ?? "" };
  for (const [kind, words] of WORDS) {
    if (words.includes(normalised)) return { kind } as Command;
  }
  return { kind: "unknown", text: normalised };
}

export function normaliseCommandText(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, " ")
    .replace(/&nbsp;/g, " ")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()
    .replace(/(\S)[.!?,;:]+$/u, "$1")
    .trim();
}
