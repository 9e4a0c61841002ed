import Ajv, { type ErrorObject } from "ajv";
import { jsonPath } from "../kernel/jsonPath";

/**
 * Every field of an incoming activity the bot reads, and the shape it must have. Checked once,
 * after authentication and before any turn runs, so the rest of the code may trust these fields
 * (a wrong type here used to crash turns, or send replies to a made-up host). Fields the bot
 * never reads are let through untouched: Teams adds new ones without notice.
 */
const nonEmpty = { type: "string", minLength: 1, maxLength: 1024 } as const;
const optionalText = { type: "string", maxLength: 1024 } as const;
const account = {
  type: "object",
  required: ["id"],
  properties: { id: nonEmpty, name: { type: "string", maxLength: 1024 }, aadObjectId: nonEmpty },
} as const;

export const ACTIVITY_SCHEMA = {
  type: "object",
  required: ["type", "id", "channelId", "serviceUrl", "from", "recipient", "conversation"],
  properties: {
    type: { type: "string", minLength: 1, maxLength: 64 },
    id: nonEmpty,
    channelId: { type: "string", minLength: 1, maxLength: 64 },
    // Absolute http(s) URL; the anonymous (local) mode additionally demands loopback.
    serviceUrl: { type: "string", maxLength: 2048, pattern: "^https?://[^\\s/?#]+(?:[/?#]\\S*)?$" },
    from: account,
    recipient: account,
    conversation: {
      type: "object",
      required: ["id"],
      properties: {
        id: nonEmpty,
        tenantId: nonEmpty,
        conversationType: { enum: ["personal", "channel", "groupChat"] },
        isGroup: { type: "boolean" },
        name: { type: "string", maxLength: 1024 },
      },
    },
    text: { type: "string" },
    locale: { type: "string", maxLength: 64 },
    replyToId: nonEmpty,
    localTimezone: { type: "string", maxLength: 64 },
    action: optionalText,
    name: optionalText,
    membersAdded: { type: "array", maxItems: 1000, items: account },
    membersRemoved: { type: "array", maxItems: 1000, items: account },
    channelData: {
      type: "object",
      properties: {
        tenant: { type: "object", properties: { id: nonEmpty } },
        team: { type: "object", properties: { id: nonEmpty, aadGroupId: nonEmpty, name: { type: "string", maxLength: 1024 } } },
        channel: { type: "object", properties: { id: nonEmpty } },
        meeting: { type: "object", properties: { id: nonEmpty } },
      },
    },
  },
} as const;

export interface ActivityShapeProblem {
  /** JSON path of the offending field, e.g. "$.from.id". */
  readonly path: string;
  readonly reason: string;
}

let validate: ReturnType<Ajv["compile"]> | undefined;

/** Undefined when the activity has the shape the bot relies on; otherwise the first problem. */
export function activityShapeProblem(body: unknown): ActivityShapeProblem | undefined {
  validate ??= new Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(ACTIVITY_SCHEMA);
  if (validate(body)) return undefined;
  const error = validate.errors?.[0];
  return error ? { path: pathOf(error), reason: error.message ?? error.keyword } : { path: "$", reason: "invalid" };
}

function pathOf(error: ErrorObject): string {
  const base = jsonPath(error.instancePath);
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  return error.keyword === "required" && missing ? `${base}.${missing}` : base;
}
