import { ok, refuse, type Result } from "./result";

/**
 * The named actions our cards can submit. A card button carries one verb; the handlers switch
 * on this union, so an unknown verb is caught by the compiler and, at run time, by the parser.
 */
export const CARD_VERBS = [
  "startReflection",
  "chooseRole",
  "chooseTheme",
  "resume",
  "restart",
  "next",
  "skip",
  "back",
  "save",
  "confirmCancel",
  "keepGoing",
  "moreHistory",
  "openReflection",
  "addFollowUp",
  "confirmDeleteData",
  "keepData",
  "saveReminders",
  "snoozeNudge",
  "pauseReminders",
  "savePause",
  "resumeReminders",
  "changeReminderFrequency",
  // The group settings card's save: named when groups were "channels", and posted cards carry the name.
  "saveChannelSettings",
  "sharePoint",
  "withdrawPoint",
  "stopInvitations",
  "saveAgreements",
  "setAgreementStatus",
  "openAgreementEdit",
  "editAgreement",
  "openPulse",
  "answerPulse",
  // Til min leder, the sharer's side: the choice card's steps (open, preview, send, change), »Træk tilbage«, and the questions card's button.
  "shareWithLeader",
  "withdrawShare",
  "shareQuestionsTake",
] as const;
export type CardVerb = (typeof CARD_VERBS)[number];

/**
 * Where each verb's card lives: in the leader's private chat, or in a group's conversation. A
 * Record over the union, so a new verb must be placed here before anything compiles.
 */
const VERB_HOME: { readonly [V in CardVerb]: "personal" | "group" } = {
  startReflection: "personal",
  chooseRole: "personal",
  chooseTheme: "personal",
  resume: "personal",
  restart: "personal",
  next: "personal",
  skip: "personal",
  back: "personal",
  save: "personal",
  confirmCancel: "personal",
  keepGoing: "personal",
  moreHistory: "personal",
  openReflection: "personal",
  addFollowUp: "personal",
  confirmDeleteData: "personal",
  keepData: "personal",
  saveReminders: "personal",
  snoozeNudge: "personal",
  pauseReminders: "personal",
  savePause: "personal",
  resumeReminders: "personal",
  changeReminderFrequency: "personal",
  saveChannelSettings: "group",
  sharePoint: "personal",
  withdrawPoint: "personal",
  stopInvitations: "personal",
  saveAgreements: "group",
  setAgreementStatus: "group",
  openAgreementEdit: "group",
  editAgreement: "group",
  // Vi-pulsen's cards work wherever they are (a team's channel, or a 1:1 invitation): Action.Execute.
  openPulse: "group",
  answerPulse: "group",
  shareWithLeader: "personal",
  withdrawShare: "personal",
  shareQuestionsTake: "personal",
};

export type GroupVerb = { [V in CardVerb]: (typeof VERB_HOME)[V] extends "group" ? V : never }[CardVerb];

export function isGroupVerb(verb: CardVerb): verb is GroupVerb {
  return VERB_HOME[verb] === "group";
}

/** What a card submit claims. Only the shape is checked here; the dialog checks it belongs. */
export interface CardSubmit {
  readonly verb: CardVerb;
  /** One-time token of the card that was clicked; a stale or repeated click does not match. */
  readonly token: string | undefined;
  readonly step: string | undefined;
  readonly themeId: string | undefined;
  readonly roleId: string | undefined;
  readonly questionIndex: number | undefined;
  readonly reflectionId: string | undefined;
  /** The card's input values (Teams merges them with the action's data). */
  readonly inputs: Readonly<Record<string, unknown>>;
}

export type SubmitProblem = "not-a-card" | "unknown-verb" | "malformed";

const CONTROL_FIELDS = new Set(["verb", "token", "step", "themeId", "roleId", "questionIndex", "reflectionId", "msteams"]);
const SHORT_ID = /^[A-Za-z0-9._:-]{1,80}$/;

export function parseCardSubmit(value: unknown): Result<CardSubmit, SubmitProblem> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return refuse("not-a-card");
  const data = value as Record<string, unknown>;
  if (typeof data.verb !== "string") return refuse("not-a-card");
  if (!(CARD_VERBS as readonly string[]).includes(data.verb)) return refuse("unknown-verb");

  const optionalId = (field: string): string | undefined | null => {
    const v = data[field];
    if (v === undefined) return undefined;
    return typeof v === "string" && SHORT_ID.test(v) ? v : null;
  };
  const token = optionalId("token");
  const step = optionalId("step");
  const themeId = optionalId("themeId");
  const roleId = optionalId("roleId");
  const reflectionId = optionalId("reflectionId");
  if (token === null || step === null || themeId === null || roleId === null || reflectionId === null) return refuse("malformed");

  let questionIndex: number | undefined;
  if (data.questionIndex !== undefined) {
    const n = typeof data.questionIndex === "string" ? Number(data.questionIndex) : data.questionIndex;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 99) return refuse("malformed");
    questionIndex = n;
  }

  const inputs: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(data)) if (!CONTROL_FIELDS.has(key)) inputs[key] = v;
  return ok({ verb: data.verb as CardVerb, token, step, themeId, roleId, questionIndex, reflectionId, inputs });
}
