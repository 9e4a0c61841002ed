import path from "node:path";
import Ajv from "ajv";
import dotenv from "dotenv";
import { AppError, ErrorCodes } from "./errors";
import { projectRoot } from "./paths";
import { DOC_KEYWORDS, settingSchemas, settingsSchema, type APP_TYPES, type LOG_LEVELS, type SettingName, type SettingSchema, type Settings, valueShape } from "./settings";

/**
 * The one place the environment is read. Everything else receives a frozen, typed AppConfig,
 * so a setting is validated once, at start-up, and named in one error message when it is wrong.
 */

export type AppType = (typeof APP_TYPES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface BotCredentials {
  /** Empty means anonymous: local use only (Playground/tests), never in Azure. */
  readonly appId: string;
  readonly appPassword: string;
  readonly appType: AppType;
  readonly tenantId: string;
  /**
   * Tenants whose activities the bot accepts (lower-case GUIDs); "*" accepts any. Only read when
   * an app id is set: anonymous mode is loopback-only and has no tenant to trust.
   */
  readonly allowedTenants: readonly string[] | "*";
  /** Where the Bot Framework channel's signing keys are published; botbuilder's default when empty. */
  readonly openIdMetadataUrl: string;
}

/** Who may reach the bot's HTTP endpoint, decided once from HOST, the app id and ALLOW_UNAUTHENTICATED. */
export interface ExposureConfig {
  /** Anonymous (no app id) and listening beyond loopback: allowed only with ALLOW_UNAUTHENTICATED=true. */
  readonly allowUnauthenticated: boolean;
}

export interface EntraConfig {
  /** ENTRA_AUTHORITY without a trailing slash: who issues the Indsigt tab's tokens and publishes their keys. */
  readonly authority: string;
}

export interface GraphConfig {
  /** Microsoft Graph's base URL; a local stand-in in tests. */
  readonly baseUrl: string;
}

export type CosmosConnection =
  | { readonly kind: "embedded"; readonly snapshotFile: string }
  | { readonly kind: "remote"; readonly endpoint: string; readonly key: string }
  /** Keyless: the app's managed identity with Cosmos DB's data-plane role (no key anywhere). */
  | { readonly kind: "managed-identity"; readonly endpoint: string; readonly clientId: string | undefined };

export interface CosmosConfig {
  readonly connection: CosmosConnection;
  /** Create a missing database and containers from infra/containers.json: emulators and test accounts only. */
  readonly createMissing: boolean;
  /** How long one Cosmos request may take before the turn tells the user to try again. */
  readonly requestTimeoutMs: number;
  readonly database: string;
  readonly containers: {
    /** Everything that belongs to one user, partitioned by tenant and user. */
    readonly userData: string;
    /** Ids of used export links (no user data), so each link works once. */
    readonly exports: string;
    /** Leadership channels: configuration, conversation reference and schedules, per channel. */
    readonly channels: string;
    /** Messages to send proactively, pending → sent or failed. */
    readonly outbox: string;
    /** Indsigt's anonymous counts, one bucket per tenant and quarter. */
    readonly insight: string;
  };
}

/**
 * Where the secret behind sealed links and the Vi-pulse's marks comes from: EXPORT_SIGNING_KEY
 * (required with an app id), or, in a local run without it, a key generated once and kept in
 * `file`, beside the local data.
 */
export type SigningKeySource = { readonly kind: "configured"; readonly secret: string } | { readonly kind: "local-file"; readonly file: string };

export interface PrivacyConfig {
  /** Reflections older than this many days are deleted daily; undefined keeps them. */
  readonly retentionDays: number | undefined;
  /** One key for the lifetime of the data: the same on every instance and after every restart. */
  readonly signingKey: SigningKeySource;
  /** Where users' browsers reach this server, for export links. */
  readonly publicBaseUrl: string;
}

/** For `npm run package` only: what the Teams app manifest needs beyond the bot's own settings. */
export interface TeamsAppConfig {
  /** The Teams app's id (a GUID); defaults to the bot's app id. */
  readonly teamsAppId: string;
  readonly developerName: string;
  /** The app registration Indsigt's tab signs in with (INSIGHT_APP_ID, else the bot's). */
  readonly insightAppId: string;
}

export interface NudgeConfig {
  /** Off on web-only instances; leases make several schedulers safe, so on is fine everywhere. */
  readonly schedulerEnabled: boolean;
  readonly tickMs: number;
  /** A run missed by downtime up to this long ago is still sent, once. */
  readonly graceMs: number;
  readonly tenantRps: number;
  readonly conversationLimits: ReadonlyArray<{ readonly max: number; readonly perMs: number }>;
  /** Sent and failed outbox records are kept this long (for "status"), then deleted. */
  readonly outboxKeepDays: number;
  /** Ask Graph whether a leader's automatic replies are on, and then send no reminder (needs MailboxSettings.Read). */
  readonly outOfOfficeCheck: boolean;
  /** Vi-pulsen: the fewest answers a result shows from (k, at least 5), and how long a team's pulse stays open. */
  readonly pulseMinAnswers: number;
  readonly pulseOpenDays: number;
  /** Indsigt: the fewest leaders a number is shown for (k, at least 5), and whether leaders count unless they opt out or only once they opt in. */
  readonly insightMinLeaders: number;
  readonly insightConsent: "opt-out" | "opt-in";
  /** Local runs: the tenant the open Indsigt page shows. */
  readonly insightLocalTenant: string;
}

export interface AppConfig {
  /** Every setting as the schema declares it (src/kernel/settings.ts); the sections below are derived from them. */
  readonly settings: Settings;
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  readonly bot: BotCredentials;
  readonly cosmos: CosmosConfig;
  readonly contentPath: string;
  /** The organisation's own closed days (schema: content/closed-days.schema.json). */
  readonly closedDaysPath: string;
  readonly privacy: PrivacyConfig;
  readonly teamsApp: TeamsAppConfig;
  readonly nudges: NudgeConfig;
  readonly exposure: ExposureConfig;
  readonly graph: GraphConfig;
  readonly entra: EntraConfig;
}

export interface ConfigProblem {
  readonly variable: SettingName;
  readonly problem: string;
}

/** Thrown when the environment cannot make a valid AppConfig; index.ts turns it into exit code 2. */
export class ConfigError extends AppError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(ErrorCodes.configInvalid, {
      message: "Invalid configuration:\n" + problems.map((p) => `  ${p.variable}: ${p.problem}`).join("\n"),
    });
    this.name = "ConfigError";
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export interface ParseOptions {
  /**
   * False for tools that only read settings (`npm run package`): they run on a build machine,
   * so the rules about serving requests (no embedded store in production) do not apply.
   */
  readonly forServing?: boolean;
}

type Fail = (variable: SettingName, problem: string) => void;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Builds the config from an environment object; pure, so tests pass their own. */
export function parseConfig(env: Env, options: ParseOptions = {}): AppConfig {
  const problems: ConfigProblem[] = [];
  const fail: Fail = (variable, problem) => void problems.push({ variable, problem });
  const settings = readSettings(env, fail);
  if (problems.length > 0) throw new ConfigError(problems);

  const bot = botCredentials(settings, fail);
  const cosmos = cosmosConfig(settings, fail);
  embeddedStoreIsLocalOnly(settings, cosmos, options, fail);
  signingKeyIsSetWhenDeployed(settings, options, fail);
  const host = settings.HOST || (settings.MicrosoftAppId ? "0.0.0.0" : "127.0.0.1");
  anonymousStaysOnLoopback(settings, host, fail);
  if (problems.length > 0) throw new ConfigError(problems);

  return deepFreeze({
    settings,
    port: settings.PORT,
    host,
    logLevel: settings.LOG_LEVEL,
    bot,
    cosmos,
    contentPath: path.resolve(projectRoot, settings.CONTENT_PATH),
    closedDaysPath: path.resolve(projectRoot, settings.CLOSED_DAYS_PATH),
    privacy: {
      retentionDays: settings.RETENTION_DAYS === "off" ? undefined : settings.RETENTION_DAYS,
      signingKey: settings.EXPORT_SIGNING_KEY
        ? { kind: "configured", secret: settings.EXPORT_SIGNING_KEY }
        : { kind: "local-file", file: localSigningKeyFile(path.resolve(projectRoot, settings.LOCAL_DATA_FILE)) },
      publicBaseUrl: (settings.PUBLIC_BASE_URL || `http://localhost:${settings.PORT || 3978}`).replace(/\/+$/, ""),
    },
    teamsApp: { teamsAppId: settings.TEAMS_APP_ID || bot.appId, developerName: settings.DEVELOPER_NAME, insightAppId: settings.INSIGHT_APP_ID || bot.appId },
    nudges: {
      schedulerEnabled: settings.SCHEDULER_ENABLED,
      tickMs: settings.SCHEDULER_TICK_SECONDS * 1000,
      graceMs: settings.NUDGE_GRACE_HOURS * 3_600_000,
      tenantRps: settings.RATE_LIMIT_TENANT_RPS,
      conversationLimits: settings.RATE_LIMIT_CONVERSATION.split(",").map((pair) => {
        const [max, perMs] = pair.trim().split("/").map(Number);
        return { max: max!, perMs: perMs! };
      }),
      outboxKeepDays: settings.OUTBOX_KEEP_DAYS,
      outOfOfficeCheck: settings.OUT_OF_OFFICE_CHECK,
      pulseMinAnswers: settings.PULSE_MIN_ANSWERS,
      pulseOpenDays: settings.PULSE_OPEN_DAYS,
      insightMinLeaders: settings.INSIGHT_MIN_LEADERS,
      insightConsent: settings.INSIGHT_CONSENT,
      insightLocalTenant: settings.INSIGHT_LOCAL_TENANT.toLowerCase(),
    },
    exposure: { allowUnauthenticated: settings.ALLOW_UNAUTHENTICATED },
    graph: { baseUrl: settings.GRAPH_BASE_URL.replace(/\/+$/, "") },
    entra: { authority: settings.ENTRA_AUTHORITY.replace(/\/+$/, "") },
  });
}

/** Reads `.env` (without overriding real environment variables) and then the environment. */
export function loadConfig(options: ParseOptions = {}): AppConfig {
  dotenv.config({ path: path.join(projectRoot, ".env"), quiet: true });
  return parseConfig(process.env, options);
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true });
ajv.addVocabulary([...DOC_KEYWORDS]);
const validateSettings = ajv.compile<Settings>(settingsSchema);

/**
 * Every setting from the environment, typed as the schema declares it: empty means unset (the
 * default), text becomes the number, flag or literal the schema asks for, and each setting that
 * does not fit is reported once, worded from its schema.
 */
export function readSettings(env: Env, fail: Fail): Settings {
  const values: Record<string, unknown> = {};
  const texts = new Map<SettingName, string>();
  for (const [name, schema] of settingSchemas()) {
    const text = (env[name] ?? "").trim();
    if (text === "") continue;
    texts.set(name, text);
    values[name] = fromText(text, schema);
  }
  if (validateSettings(values)) return values;
  const reported = new Set<string>();
  for (const error of validateSettings.errors ?? []) {
    const name = error.instancePath.split("/")[1] as SettingName | undefined;
    if (!name || reported.has(name)) continue;
    reported.add(name);
    const schema = settingsSchema.properties[name] as unknown as SettingSchema;
    const got = schema.secret ? "" : `; got "${texts.get(name) ?? ""}"`;
    fail(name, `${describeExpected(schema)}${got}`);
  }
  return values as Settings;
}

/** A setting's text as the value its schema expects; left as text when it does not fit (ajv then says so). */
function fromText(text: string, schema: SettingSchema): unknown {
  const shape = valueShape(schema);
  const literal = shape.literals.find((l) => l.toLowerCase() === text.toLowerCase());
  if (literal !== undefined) return literal;
  if (shape.flag && /^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
  if (shape.numeric && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

/** "must be …", worded from the schema, unless the setting words it itself. */
export function describeExpected(schema: SettingSchema): string {
  if (schema.problem) return schema.problem;
  const { literals, flag, numeric } = valueShape(schema);
  if (literals.length > 0) return `must be one of ${literals.join(", ")}`;
  if (flag) return "must be true or false";
  if (numeric) return `must be a ${numeric.whole ? "whole number" : "number"}${numeric.unit ? ` of ${numeric.unit}` : ""} from ${numeric.minimum} to ${numeric.maximum}`;
  return "is not valid";
}

// ---- Rules that span several settings ----

/** The registration's parts fit together; a multi-tenant or managed-identity bot says whom it serves. */
function botCredentials(settings: Settings, fail: Fail): BotCredentials {
  const { MicrosoftAppId: appId, MicrosoftAppPassword: appPassword, MicrosoftAppTenantId: tenantId } = settings;
  const appType: AppType = settings.MicrosoftAppType || (appId ? "SingleTenant" : "MultiTenant");
  if (appId) {
    if ((appType === "SingleTenant" || appType === "UserAssignedMSI") && !tenantId) {
      fail("MicrosoftAppTenantId", `is required when MicrosoftAppType is ${appType}`);
    }
    if (appType !== "UserAssignedMSI" && !appPassword) {
      fail("MicrosoftAppPassword", `is required when MicrosoftAppId is set and MicrosoftAppType is ${appType}`);
    }
    if (appType === "UserAssignedMSI" && appPassword) {
      fail("MicrosoftAppPassword", "must be empty with UserAssignedMSI: the managed identity has no secret");
    }
  } else {
    if (settings.MicrosoftAppType && appType !== "MultiTenant") fail("MicrosoftAppId", `is required when MicrosoftAppType is ${appType}`);
    if (appPassword) fail("MicrosoftAppId", "is required when MicrosoftAppPassword is set");
  }
  return {
    appId,
    appPassword,
    appType,
    tenantId,
    allowedTenants: allowedTenants(settings, appType, fail),
    openIdMetadataUrl: settings.BotOpenIdMetadata,
  };
}

/**
 * Fail closed: a single-tenant or managed-identity bot serves its own tenant unless told
 * otherwise; a multi-tenant bot must name its tenants (or say "*" on purpose).
 */
function allowedTenants(settings: Settings, appType: AppType, fail: Fail): readonly string[] | "*" {
  const text = settings.ALLOWED_TENANTS;
  if (text === "*") return "*";
  const listed = text.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean);
  const bad = listed.filter((t) => !GUID.test(t));
  if (bad.length > 0) fail("ALLOWED_TENANTS", `must be comma-separated tenant GUIDs or "*"; not GUIDs: ${bad.join(", ")}`);
  if (listed.length > 0) return listed;
  if (settings.MicrosoftAppTenantId && appType !== "MultiTenant") return [settings.MicrosoftAppTenantId.toLowerCase()];
  if (settings.MicrosoftAppId) {
    fail("ALLOWED_TENANTS", `is required with MicrosoftAppType ${appType} and no MicrosoftAppTenantId: list the tenants to serve, or "*" for any`);
  }
  return [];
}

/** Key, managed identity or the embedded server: exactly one way to reach Cosmos. */
function cosmosConfig(settings: Settings, fail: Fail): CosmosConfig {
  const { COSMOS_ENDPOINT: endpoint, COSMOS_KEY: key, COSMOS_AUTH: auth } = settings;
  let connection: CosmosConnection;
  if (endpoint && auth === "managed-identity") {
    if (key) fail("COSMOS_KEY", "must be empty with COSMOS_AUTH=managed-identity: the identity needs no key");
    connection = { kind: "managed-identity", endpoint, clientId: settings.COSMOS_MANAGED_IDENTITY_CLIENT_ID || undefined };
  } else if (endpoint) {
    if (!key) fail("COSMOS_KEY", "is required when COSMOS_ENDPOINT is set (or set COSMOS_AUTH=managed-identity)");
    connection = { kind: "remote", endpoint, key };
  } else {
    if (auth === "managed-identity") fail("COSMOS_ENDPOINT", "is required with COSMOS_AUTH=managed-identity");
    if (key) fail("COSMOS_ENDPOINT", "is required when COSMOS_KEY is set (leave both empty for the embedded server)");
    connection = { kind: "embedded", snapshotFile: path.resolve(projectRoot, settings.LOCAL_DATA_FILE) };
  }
  return {
    connection,
    createMissing: settings.COSMOS_CREATE_MISSING,
    requestTimeoutMs: settings.COSMOS_REQUEST_TIMEOUT_MS,
    database: settings.COSMOS_DATABASE,
    containers: {
      userData: settings.COSMOS_CONTAINER_USERDATA,
      exports: settings.COSMOS_CONTAINER_EXPORTS,
      channels: settings.COSMOS_CONTAINER_CHANNELS,
      outbox: settings.COSMOS_CONTAINER_OUTBOX,
      insight: settings.COSMOS_CONTAINER_INSIGHT,
    },
  };
}

/** A deployed bot never falls back silently to the embedded store on its local disk, nor creates containers. */
function embeddedStoreIsLocalOnly(settings: Settings, cosmos: CosmosConfig, options: ParseOptions, fail: Fail): void {
  if (!settings.MicrosoftAppId) return;
  if ((options.forServing ?? true) && cosmos.connection.kind === "embedded") {
    fail("COSMOS_ENDPOINT", "is required when MicrosoftAppId is set: the embedded store is for local use only");
  }
  if (cosmos.createMissing) {
    fail("COSMOS_CREATE_MISSING", "must not be true with MicrosoftAppId: in production the containers come from infra/main.bicep");
  }
}

/**
 * Sealed links and the Vi-pulse's keyed marks are derived from one secret. A key random per
 * process would differ between instances and after a restart, and the overlap rule would then
 * stop seeing the same person silently, so a deployment must set it.
 */
function signingKeyIsSetWhenDeployed(settings: Settings, options: ParseOptions, fail: Fail): void {
  if (settings.MicrosoftAppId && (options.forServing ?? true) && !settings.EXPORT_SIGNING_KEY) {
    fail(
      "EXPORT_SIGNING_KEY",
      "is required when MicrosoftAppId is set: export and minutes links and the Vi-pulse's marks are derived from it, so every instance needs the same key for the lifetime of the data (e.g. `openssl rand -base64 48`)",
    );
  }
}

/** A local run's generated signing key, beside its data: LOCAL_DATA_FILE `.data/cosmos.json` keeps it in `.data/cosmos.signing-key`. */
export function localSigningKeyFile(localDataFile: string): string {
  return path.join(path.dirname(localDataFile), `${path.basename(localDataFile, path.extname(localDataFile))}.signing-key`);
}

/** Anonymous mode trusts whoever connects, so it listens on loopback unless explicitly told otherwise. */
function anonymousStaysOnLoopback(settings: Settings, host: string, fail: Fail): void {
  if (!settings.MicrosoftAppId && !isLoopbackHost(host) && !settings.ALLOW_UNAUTHENTICATED) {
    fail(
      "HOST",
      `is "${host}", beyond loopback, while MicrosoftAppId is empty: anyone who reaches the port could pose as any user. ` +
        "Set MicrosoftAppId, bind 127.0.0.1, or set ALLOW_UNAUTHENTICATED=true if you really mean it",
    );
  }
}

/** 127.0.0.0/8, ::1 and "localhost": addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
