import { parseCardSubmit, type CardSubmit, type SubmitProblem } from "./cardSubmit";
import { parseCommand, type Command } from "./commands";

/**
 * What an incoming activity asks of the bot, decided once per turn at the edge. Routing
 * switches on this union (and on the command and card-verb unions inside it) exhaustively, so
 * a new command, verb or activity kind without a route fails to compile.
 */
export type Intent =
  /** Typed text: a command, or "unknown" with the text (bounded) for the answer. */
  | { readonly kind: "command"; readonly command: Command }
  /** A card button with a well-formed payload; whether it belongs is checked by its handler. */
  | { readonly kind: "card"; readonly submit: CardSubmit }
  /** A card payload we cannot read (tampered, or from another app). */
  | { readonly kind: "badCard"; readonly problem: SubmitProblem }
  /** A message with neither text nor a card payload: an image, a file, a sticker. */
  | { readonly kind: "nonText" }
  /** The bot was installed in, or added to, this conversation. */
  | { readonly kind: "installed" }
  /** The bot was uninstalled from, or removed from, this conversation. */
  | { readonly kind: "uninstalled" }
  /** Other people joined or left; nothing to say. */
  | { readonly kind: "membersChanged" }
  /** Typing indicators, reactions, and kinds the bot does not act on. */
  | { readonly kind: "ignored"; readonly activityType: string };

export type IntentKind = Intent["kind"];

/** The fields of an activity that decide its intent (already shape-checked at the edge). */
export interface IntentSource {
  readonly type: string;
  readonly text?: string;
  readonly value?: unknown;
  readonly action?: string;
  readonly botId: string;
  readonly membersAdded?: ReadonlyArray<{ readonly id: string }>;
  readonly membersRemoved?: ReadonlyArray<{ readonly id: string }>;
}

export function parseIntent(source: IntentSource): Intent {
  switch (source.type) {
    case "message": {
      if (source.value !== undefined && source.value !== null) {
        const submit = parseCardSubmit(source.value);
        return submit.ok ? { kind: "card", submit: submit.value } : { kind: "badCard", problem: submit.error };
      }
      const text = source.text ?? "";
      return text.trim() === "" ? { kind: "nonText" } : { kind: "command", command: parseCommand(text) };
    }
    case "installationUpdate":
      return source.action?.startsWith("remove") ? { kind: "uninstalled" } : { kind: "installed" };
    case "conversationUpdate": {
      if ((source.membersAdded ?? []).some((m) => m.id === source.botId)) return { kind: "installed" };
      if ((source.membersRemoved ?? []).some((m) => m.id === source.botId)) return { kind: "uninstalled" };
      return { kind: "membersChanged" };
    }
    default:
      return { kind: "ignored", activityType: source.type };
  }
}

type Silent = Extract<Intent, { kind: "uninstalled" | "membersChanged" | "ignored" }>;

/**
 * Activities that say nothing to the bot and get no answer on any surface: it was removed (so
 * nobody is left to answer), others joined or left, or someone is typing or reacting.
 */
export function saysNothing(intent: Intent): intent is Silent {
  return intent.kind === "uninstalled" || intent.kind === "membersChanged" || intent.kind === "ignored";
}

/** For exhaustive switches: the compiler proves this is never reached. */
export function unreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
