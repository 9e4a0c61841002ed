import { parseCardSubmit, type CardSubmit, type SubmitProblem } from "./cardSubmit";
import { parseCommand, type Command } from "./commands";
import { AppError, ErrorCodes } from "../kernel/errors";

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
  /**
   * An Action.Execute on a card (Teams' "adaptiveCard/action" invoke): answered with a card for
   * the one who clicked, in the invoke's response. Its data is read as a card submit.
   */
  | { readonly kind: "execute"; readonly submit: CardSubmit }
  /** A card payload we cannot read (tampered, or from another app). */
  | { readonly kind: "badCard"; readonly problem: SubmitProblem }
  /** A message with neither text nor a card payload: an image, a file, a sticker. */
  | { readonly kind: "nonText" }
  /** Teams says a meeting whose chat this is started or ended (it sends these only when someone joins). */
  | { readonly kind: "meetingEvent"; readonly edge: "start" | "end"; readonly at: Date | undefined; readonly teamsMeetingId: string | undefined }
  /** The bot was installed in, or added to, this conversation. */
  | { readonly kind: "installed" }
  /** The bot was uninstalled from, or removed from, this conversation. */
  | { readonly kind: "uninstalled" }
  /** Other people joined or left: the group's roster follows, and nothing is said. */
  | { readonly kind: "membersChanged"; readonly added: readonly string[]; readonly removed: readonly string[] }
  /** Typing indicators, reactions, and kinds the bot does not act on. */
  | { readonly kind: "ignored"; readonly activityType: string };


/** The fields of an activity that decide its intent (already shape-checked at the edge). */
export interface IntentSource {
  readonly type: string;
  readonly text?: string;
  readonly value?: unknown;
  readonly action?: string;
  /** An event's name. */
  readonly name?: string;
  readonly botId: string;
  readonly membersAdded?: ReadonlyArray<{ readonly id: string; readonly aadObjectId?: string }>;
  readonly membersRemoved?: ReadonlyArray<{ readonly id: string; readonly aadObjectId?: string }>;
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
    case "event":
      return meetingEventOf(source) ?? { kind: "ignored", activityType: source.type };
    case "invoke":
      return executeOf(source) ?? { kind: "ignored", activityType: source.type };
    case "installationUpdate":
      return source.action?.startsWith("remove") ? { kind: "uninstalled" } : { kind: "installed" };
    case "conversationUpdate": {
      if ((source.membersAdded ?? []).some((m) => m.id === source.botId)) return { kind: "installed" };
      if ((source.membersRemoved ?? []).some((m) => m.id === source.botId)) return { kind: "uninstalled" };
      // Teams' ids ("29:…") and, where sent, object ids: either finds the member in a stored roster.
      const ids = (members: IntentSource["membersAdded"]) => (members ?? []).flatMap((m) => [m.id, ...(m.aadObjectId ? [m.aadObjectId.toLowerCase()] : [])]);
      return { kind: "membersChanged", added: ids(source.membersAdded), removed: ids(source.membersRemoved) };
    }
    default:
      return { kind: "ignored", activityType: source.type };
  }
}

const MEETING_EVENTS: Readonly<Record<string, "start" | "end">> = {
  "application/vnd.microsoft.meetingStart": "start",
  "application/vnd.microsoft.meetingEnd": "end",
};

/**
 * Teams' meeting start and end events. Their value is not checked at the edge (it is an event's
 * own payload), so it is read here as untrusted: only a bounded id and a real time are kept.
 * Teams spells the fields in PascalCase ("StartTime"); the SDK's types in camelCase.
 */
function meetingEventOf(source: IntentSource): Intent | undefined {
  const edge = MEETING_EVENTS[source.name ?? ""];
  if (!edge) return undefined;
  const value = typeof source.value === "object" && source.value !== null && !Array.isArray(source.value) ? (source.value as Record<string, unknown>) : {};
  const field = (...names: string[]) => names.map((n) => value[n]).find((v) => typeof v === "string" && v.length > 0 && v.length <= 1024) as string | undefined;
  const time = field(edge === "start" ? "StartTime" : "EndTime", edge === "start" ? "startTime" : "endTime");
  const at = time && /^\d{4}-\d{2}-\d{2}T/.test(time) ? new Date(time) : undefined;
  return { kind: "meetingEvent", edge, at: at && Number.isFinite(at.getTime()) ? at : undefined, teamsMeetingId: field("Id", "id") };
}

/** Teams' Universal Actions: `{ action: { type: "Action.Execute", verb, data } }`, read as untrusted. */
function executeOf(source: IntentSource): Intent | undefined {
  if (source.name !== "adaptiveCard/action") return undefined;
  const value = typeof source.value === "object" && source.value !== null ? (source.value as { action?: unknown }) : {};
  const action = typeof value.action === "object" && value.action !== null && !Array.isArray(value.action) ? (value.action as { type?: unknown; verb?: unknown; data?: unknown }) : undefined;
  if (!action || action.type !== "Action.Execute") return { kind: "badCard", problem: "not-a-card" };
  const data = typeof action.data === "object" && action.data !== null && !Array.isArray(action.data) ? (action.data as Record<string, unknown>) : {};
  const submit = parseCardSubmit({ ...data, verb: action.verb });
  return submit.ok ? { kind: "execute", submit: submit.value } : { kind: "badCard", problem: submit.error };
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
  throw new AppError(ErrorCodes.invariantBroken, { detail: `unhandled case: ${JSON.stringify(value)}` });
}
