import { Type, type Static, type TSchema } from "@sinclair/typebox";

/**
 * Every setting, declared once: its environment variable (the key), type, default, range and a
 * one-line description. The schema is at once the TypeScript type (`Settings`), the validator
 * (ajv, in config.ts) and the source of `.env.example` and the settings table in docs/settings.md
 * (`npm run settings:docs`; a test fails when they drift). Rules that span several settings
 * live in config.ts as small named functions.
 */

export const SECTIONS = [
  "HTTP server",
  "Bot registration",
  "Cosmos DB",
  "Content",
  "Privacy",
  "Teams app package",
  "Reminders and leadership channels",
  "Vi-pulsen",
  "Indsigt",
] as const;
export type Section = (typeof SECTIONS)[number];

/** What a setting says about itself beyond its type. */
export interface SettingDoc {
  readonly section: Section;
  /** One line for the settings table (docs/settings.md) and `.env.example`. */
  readonly description: string;
  /** How the README states a default that depends on other settings (the schema's default is then ""). */
  readonly defaultText?: string;
  /** How a wrong value is described when the type alone does not say it ("must be a tenant GUID"). */
  readonly problem?: string;
  /** The unit of a number, for the message ("a whole number of milliseconds from 500 to 10000"). */
  readonly unit?: string;
  /** Never echoed in a message or a log line. */
  readonly secret?: boolean;
}

/** The keywords SettingDoc adds to a JSON Schema, for ajv's strict mode. */
export const DOC_KEYWORDS = ["section", "defaultText", "problem", "unit", "secret"] as const;

const GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
// Cosmos ids may not contain these characters, and names are at most 255 characters.
const COSMOS_NAME = "^[^/\\\\?#]{1,255}$";
const HTTP_URL = "^https?://[^\\s/?#]+[^\\s]*$";

const text = (def: string, doc: SettingDoc, pattern?: string) => Type.String({ default: def, ...(pattern ? { pattern } : {}), ...doc });
const optionalText = (doc: SettingDoc, pattern?: string) => Type.String({ default: "", ...(pattern ? { pattern: `^$|${pattern}` } : {}), ...doc });
const flag = (def: boolean, doc: SettingDoc) => Type.Boolean({ default: def, ...doc });
const whole = (def: number, minimum: number, maximum: number, doc: SettingDoc) => Type.Integer({ default: def, minimum, maximum, ...doc });
const number = (def: number, minimum: number, maximum: number, doc: SettingDoc) => Type.Number({ default: def, minimum, maximum, ...doc });
function oneOf<const T extends readonly string[]>(values: T, def: T[number], doc: SettingDoc) {
  return Type.Union(values.map((v) => Type.Literal(v as T[number])), { default: def, ...doc });
}
/** One of the values, or empty when the default depends on other settings. */
function oneOfOrEmpty<const T extends readonly string[]>(values: T, doc: SettingDoc) {
  return Type.Union([...values, ""].map((v) => Type.Literal(v as T[number] | "")), { default: "", ...doc });
}
const COSMOS_NAME_PROBLEM = "must be 1-255 characters without / \\ ? or #";
const container = (def: string, description: string) => text(def, { section: "Cosmos DB", description, problem: COSMOS_NAME_PROBLEM }, COSMOS_NAME);

export const APP_TYPES = ["MultiTenant", "SingleTenant", "UserAssignedMSI"] as const;
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export const settingsSchema = Type.Object(
  {
    // --- HTTP server ---
    PORT: whole(3978, 0, 65535, { section: "HTTP server", description: "HTTP port (App Service sets it)." }),
    HOST: optionalText({
      section: "HTTP server",
      description: "Interface to bind. Without MicrosoftAppId, anything beyond loopback stops start-up (exit 2) unless ALLOW_UNAUTHENTICATED=true.",
      defaultText: "127.0.0.1 without an app id, 0.0.0.0 with one",
    }),
    ALLOW_UNAUTHENTICATED: flag(false, {
      section: "HTTP server",
      description: "Let an anonymous bot (no app id) listen beyond loopback. Only for a throw-away test machine on a private network: anyone who reaches it can pose as any user.",
    }),
    LOG_LEVEL: oneOf(LOG_LEVELS, "info", {
      section: "HTTP server",
      description: "Logs are JSON lines with a turn id; they never contain secrets or reflection text.",
    }),

    // --- Bot registration ---
    MicrosoftAppId: optionalText({
      section: "Bot registration",
      description: "The bot's app (client) id. Empty = anonymous, for local use only: loopback, loopback serviceUrls, a warning in the log.",
    }),
    MicrosoftAppPassword: optionalText({
      section: "Bot registration",
      description: "Client secret. Required with an app id, except for UserAssignedMSI.",
      secret: true,
    }),
    MicrosoftAppType: oneOfOrEmpty(APP_TYPES, {
      section: "Bot registration",
      description:
        "SingleTenant or UserAssignedMSI. MultiTenant is for registrations made before 31 July 2025 only: Azure no longer creates multi-tenant bots (docs/platform.md).",
      defaultText: "SingleTenant with an app id",
    }),
    MicrosoftAppTenantId: optionalText(
      { section: "Bot registration", description: "Your Entra tenant id. Required for SingleTenant and UserAssignedMSI.", problem: "must be a tenant GUID" },
      `^${GUID}$`,
    ),
    ALLOWED_TENANTS: optionalText({
      section: "Bot registration",
      description: 'Comma-separated tenant GUIDs whose activities are served, or * for any. Required for MultiTenant. Activities from other tenants get 403.',
      defaultText: "MicrosoftAppTenantId (SingleTenant, UserAssignedMSI)",
    }),
    BotOpenIdMetadata: optionalText(
      {
        section: "Bot registration",
        description: "Where the channel's token-signing keys are published (sovereign clouds; the tests point it at a local issuer).",
        defaultText: "Bot Framework's public cloud",
        problem: "must be an http(s) URL",
      },
      HTTP_URL,
    ),
    GRAPH_BASE_URL: text(
      "https://graph.microsoft.com/v1.0",
      { section: "Bot registration", description: "Microsoft Graph, for owner and guest checks (a local stand-in in tests).", problem: "must be an http(s) URL" },
      HTTP_URL,
    ),

    // --- Cosmos DB ---
    COSMOS_ENDPOINT: optionalText(
      {
        section: "Cosmos DB",
        description:
          "Cosmos DB account endpoint. Empty = embedded local server, which is refused (exit 2) once MicrosoftAppId is set, so a deployed bot never falls back to it.",
        problem: "must be an http(s) URL",
      },
      HTTP_URL,
    ),
    COSMOS_AUTH: oneOf(["key", "managed-identity"] as const, "key", {
      section: "Cosmos DB",
      description:
        "key: the account key in COSMOS_KEY. managed-identity: keyless, with the app's managed identity and Cosmos DB's data-plane role (no key anywhere; the Bicep's default).",
    }),
    COSMOS_KEY: optionalText({
      section: "Cosmos DB",
      description: "Account key. Required with COSMOS_ENDPOINT and COSMOS_AUTH=key; must be empty with managed-identity.",
      secret: true,
    }),
    COSMOS_MANAGED_IDENTITY_CLIENT_ID: optionalText({
      section: "Cosmos DB",
      description: "With COSMOS_AUTH=managed-identity: the client id of the user-assigned identity to use (empty: the system-assigned one).",
    }),
    COSMOS_DATABASE: text(
      "lederrefleksion",
      {
        section: "Cosmos DB",
        description:
          "Database. With COSMOS_ENDPOINT set, it and every container must exist (the Bicep declares them from infra/containers.json); a missing one stops start-up with exit code 2, naming it.",
        problem: COSMOS_NAME_PROBLEM,
      },
      COSMOS_NAME,
    ),
    COSMOS_REQUEST_TIMEOUT_MS: whole(4000, 500, 10_000, {
      section: "Cosmos DB",
      description:
        'How long one Cosmos request may take, and about how long throttling (429) is waited out, before the turn answers "prøv igen om lidt" and keeps the draft (Teams gives a turn about 15 s).',
      unit: "milliseconds",
    }),
    COSMOS_CREATE_MISSING: flag(false, {
      section: "Cosmos DB",
      description: "Create a missing database and containers from infra/containers.json (the Cosmos emulator or a test account; refused with an app id).",
    }),
    COSMOS_CONTAINER_USERDATA: container("userdata", "Each user's session, reflections and reminder schedules (partition key /pk)."),
    COSMOS_CONTAINER_EXPORTS: container("exports", "Ids of used export links (partition key /id, no user data)."),
    COSMOS_CONTAINER_CHANNELS: container("channels", "Leader groups: settings, conversation reference, meetings, schedules (partition key /pk)."),
    COSMOS_CONTAINER_OUTBOX: container("outbox", "Proactive messages, pending → sent or failed, and the ids of group messages an erasure re-draws (partition key /id)."),
    COSMOS_CONTAINER_INSIGHT: container("insight", "Indsigt's anonymous counts: one bucket per tenant and quarter (partition key /pk, no user data)."),
    LOCAL_DATA_FILE: text(".data/cosmos.json", { section: "Cosmos DB", description: "Where the embedded server's data is kept between local runs." }),

    // --- Content ---
    CONTENT_PATH: text("content/ledelsesgrundlag.da.json", {
      section: "Content",
      description: "The leadership framework file; another municipality can point this at its own (same schema).",
    }),
    CLOSED_DAYS_PATH: text("content/closed-days.json", {
      section: "Content",
      description: "The organisation's own closed days (schema: content/closed-days.schema.json). A broken file stops start-up with exit code 2 and the reason.",
    }),

    // --- Privacy ---
    RETENTION_DAYS: Type.Union([Type.Literal("off"), Type.Integer({ minimum: 1, maximum: 36_500 })], {
      default: "off",
      section: "Privacy",
      description: "Delete reflections older than this many days (daily job); off keeps them.",
      problem: 'must be a whole number of days from 1 to 36500, or "off"',
    }),
    EXPORT_SIGNING_KEY: optionalText(
      {
        section: "Privacy",
        description:
          "Secret (32+ characters) that export and minutes links are sealed with and the Vi-pulse's marks are derived from: keep it for the lifetime of the data, the same on every instance. Required with MicrosoftAppId (start-up stops with exit code 2 without it).",
        defaultText: "without an app id: generated once and kept beside LOCAL_DATA_FILE (mode 0600)",
        problem: "must be at least 32 characters (e.g. `openssl rand -base64 48`)",
        secret: true,
      },
      "^[\\s\\S]{32,}$",
    ),
    PUBLIC_BASE_URL: optionalText(
      {
        section: "Privacy",
        description: "Where users' browsers reach this server; export links start with it, and npm run package takes the domain from it.",
        defaultText: "http://localhost:PORT",
        problem: "must be an http(s) URL",
      },
      HTTP_URL,
    ),

    // --- Teams app package ---
    TEAMS_APP_ID: optionalText(
      { section: "Teams app package", description: "The Teams app's id in the manifest; npm run package only.", defaultText: "MicrosoftAppId", problem: "must be a GUID" },
      `^${GUID}$`,
    ),
    INSIGHT_APP_ID: optionalText(
      {
        section: "Teams app package",
        description:
          "The Entra ID app registration Indsigt's tab signs in with (Teams SSO): its id goes in the manifest's webApplicationInfo, its Application ID URI must be api://<PUBLIC_BASE_URL's host>/<this id>, and the server accepts tokens for it. Needed when the bot is a managed identity (which cannot expose an API).",
        defaultText: "MicrosoftAppId",
        problem: "must be a GUID",
      },
      `^${GUID}$`,
    ),
    DEVELOPER_NAME: text("Lederrefleksion", { section: "Teams app package", description: "The publisher shown in Teams; npm run package only." }),

    // --- Reminders and leadership channels ---
    SCHEDULER_ENABLED: flag(true, {
      section: "Reminders and leadership channels",
      description: "Run the scheduler and delivery loops in this instance. Safe on all instances (leases); false on web-only ones.",
    }),
    SCHEDULER_TICK_SECONDS: number(15, 1, 3600, { section: "Reminders and leadership channels", description: "How often the loops look for due work, in seconds." }),
    NUDGE_GRACE_HOURS: number(6, 0, 168, { section: "Reminders and leadership channels", description: "A run missed by downtime within this many hours is still sent, once." }),
    RATE_LIMIT_TENANT_RPS: number(50, 1, 1000, { section: "Reminders and leadership channels", description: "Messages per second per tenant (Teams: 50; some pages say 30)." }),
    RATE_LIMIT_CONVERSATION: text(
      "7/1000,8/2000,60/30000",
      {
        section: "Reminders and leadership channels",
        description: "Per-conversation limits as max/milliseconds pairs.",
        problem: "must be comma-separated max/milliseconds pairs like 7/1000,8/2000,60/30000",
      },
      "^\\s*[1-9]\\d*/[1-9]\\d*\\s*(,\\s*[1-9]\\d*/[1-9]\\d*\\s*)*$",
    ),
    OUT_OF_OFFICE_CHECK: flag(false, {
      section: "Reminders and leadership channels",
      description: "Send no reminder while a leader's automatic replies are on (needs an app id and the Graph application permission MailboxSettings.Read with admin consent).",
    }),
    OUTBOX_KEEP_DAYS: number(30, 1, 3650, {
      section: "Reminders and leadership channels",
      description: "Sent and failed proactive messages are kept this many days (for status), then deleted daily.",
    }),
    PULSE_MIN_ANSWERS: whole(5, 5, 50, {
      section: "Vi-pulsen",
      description: "The fewest answers a Vi-pulse shows a result from (and the fewest ratings a statement shows from). It can be raised, never set below 5.",
    }),
    INSIGHT_MIN_LEADERS: whole(5, 5, 50, {
      section: "Indsigt",
      description: "The fewest distinct leaders (or leader groups, or Vi-pulse answers) a number in Indsigt is shown for; suppression is complementary, so no total gives a hidden one away. It can be raised, never set below 5.",
    }),
    INSIGHT_LOCAL_TENANT: text("11111111-1111-4111-8111-111111111111", {
      section: "Indsigt",
      description: "Local runs only (no MicrosoftAppId): whose numbers the open Indsigt page on loopback shows. The default is the Agents Playground's tenant. With an app id the reader's token says the tenant.",
    }, `^${GUID}$`),
    ENTRA_AUTHORITY: text(
      "https://login.microsoftonline.com",
      {
        section: "Indsigt",
        description:
          "Entra ID's authority, for a sovereign cloud or a test issuer: the Indsigt tab's tokens must be issued as `<authority>/<tenant>/v2.0` (or v1's `https://sts.windows.net/<tenant>/`) and signed by a key from `<authority>/<tenant>/discovery/v2.0/keys`.",
        problem: "must be an http(s) URL",
      },
      HTTP_URL,
    ),
    INSIGHT_CONSENT: oneOf(["opt-out", "opt-in"] as const, "opt-out", {
      section: "Indsigt",
      description: 'Whether a leader\'s anonymous numbers count in Indsigt unless they say "mine tal tæller ikke med" (opt-out), or only after they say "mine tal tæller med" (opt-in, for a DPO who prefers it). Text never counts.',
    }),
    PULSE_OPEN_DAYS: number(7, 1, 28, {
      section: "Vi-pulsen",
      description: "How many days a team's Vi-pulse stays open, unless the leader closes it first. A leader group's closes when its meeting starts.",
    }),
  },
  { additionalProperties: false },
);

/** Every setting, validated and with its default: what the schema declares, as TypeScript sees it. */
export type Settings = Static<typeof settingsSchema>;
export type SettingName = keyof Settings;

/** A setting's schema with its documentation, for messages and generated docs. */
export type SettingSchema = TSchema & SettingDoc & { readonly default: unknown };

export function settingSchemas(): ReadonlyArray<readonly [SettingName, SettingSchema]> {
  return Object.entries(settingsSchema.properties) as unknown as ReadonlyArray<readonly [SettingName, SettingSchema]>;
}

/** What values a setting takes, read from its schema in one place: for parsing, messages and docs. */
export interface ValueShape {
  /** The named values it takes ("off", "key", …), without the empty "unset". */
  readonly literals: readonly string[];
  readonly flag: boolean;
  readonly numeric?: { readonly whole: boolean; readonly minimum: number; readonly maximum: number; readonly unit?: string };
}

export function valueShape(schema: SettingSchema): ValueShape {
  const branches: TSchema[] = [schema, ...((schema.anyOf as TSchema[] | undefined) ?? [])];
  const literals = branches.map((b) => b.const).filter((c): c is string => typeof c === "string" && c !== "");
  const number = branches.find((b) => b.type === "integer" || b.type === "number");
  return {
    literals,
    flag: branches.some((b) => b.type === "boolean"),
    ...(number
      ? { numeric: { whole: number.type === "integer", minimum: Number(number.minimum), maximum: Number(number.maximum), ...(schema.unit ? { unit: schema.unit } : {}) } }
      : {}),
  };
}
