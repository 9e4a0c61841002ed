import path from "node:path";
import dotenv from "dotenv";
import { AppError, ErrorCodes } from "./errors";
import { projectRoot } from "./paths";

/**
 * The one place the environment is read. Everything else receives a frozen, typed AppConfig,
 * so a setting is validated once, at start-up, and named in one error message when it is wrong.
 */

export type AppType = "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

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
  };
}

export interface PrivacyConfig {
  /** Reflections older than this many days are deleted daily; undefined keeps them. */
  readonly retentionDays: number | undefined;
  /** HMAC key for export links; random per process when not set (links then die with the process). */
  readonly exportSigningKey: string | undefined;
  /** Where users' browsers reach this server, for export links. */
  readonly publicBaseUrl: string;
}

/** For `npm run package` only: what the Teams app manifest needs beyond the bot's own settings. */
export interface TeamsAppConfig {
  /** The Teams app's id (a GUID); defaults to the bot's app id. */
  readonly teamsAppId: string;
  readonly developerName: string;
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
}

export interface AppConfig {
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
}

export interface ConfigProblem {
  readonly variable: string;
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

const APP_TYPES: readonly AppType[] = ["MultiTenant", "SingleTenant", "UserAssignedMSI"];
const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
// Cosmos ids may not contain these characters, and names are at most 255 characters.
const COSMOS_NAME = /^[^/\\?#]{1,255}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ParseOptions {
  /**
   * False for tools that only read settings (`npm run package`): they run on a build machine,
   * so the rules about serving requests (no embedded store in production) do not apply.
   */
  readonly forServing?: boolean;
}

/** Builds the config from an environment object; pure, so tests pass their own. */
export function parseConfig(env: Env, options: ParseOptions = {}): AppConfig {
  const problems: ConfigProblem[] = [];
  const read = (name: string): string => (env[name] ?? "").trim();
  const fail = (variable: string, problem: string): void => {
    problems.push({ variable, problem });
  };

  const port = parsePort(read("PORT"), fail);

  const logLevelText = read("LOG_LEVEL") || "info";
  if (!LOG_LEVELS.includes(logLevelText as LogLevel)) {
    fail("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")}; got "${logLevelText}"`);
  }

  const bot = parseBotCredentials(read, fail);
  const cosmos = parseCosmos(read, fail);
  // A deployed bot must never fall back silently to the embedded store on its local disk.
  if ((options.forServing ?? true) && bot.appId && cosmos.connection.kind === "embedded") {
    fail("COSMOS_ENDPOINT", "is required when MicrosoftAppId is set: the embedded store is for local use only");
  }
  if (bot.appId && cosmos.createMissing) {
    fail("COSMOS_CREATE_MISSING", "must not be true with MicrosoftAppId: in production the containers come from infra/main.bicep");
  }
  const { host, exposure } = parseExposure(read, fail, bot.appId);
  const graph = { baseUrl: (read("GRAPH_BASE_URL") || "https://graph.microsoft.com/v1.0").replace(/\/+$/, "") };
  if (!isHttpUrl(graph.baseUrl)) fail("GRAPH_BASE_URL", `must be an http(s) URL; got "${graph.baseUrl}"`);

  const contentPath = path.resolve(
    projectRoot,
    read("CONTENT_PATH") || path.join("content", "ledelsesgrundlag.da.json"),
  );

  const closedDaysPath = path.resolve(projectRoot, read("CLOSED_DAYS_PATH") || path.join("content", "closed-days.json"));
  const privacy = parsePrivacy(read, fail, port);
  const teamsAppId = read("TEAMS_APP_ID") || bot.appId;
  if (read("TEAMS_APP_ID") && !/^[0-9a-f-]{36}$/i.test(teamsAppId)) fail("TEAMS_APP_ID", `must be a GUID; got "${teamsAppId}"`);
  const teamsApp = { teamsAppId, developerName: read("DEVELOPER_NAME") || "Lederrefleksion" };
  const nudges = parseNudges(read, fail);

  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze({
    port,
    host,
    logLevel: logLevelText as LogLevel,
    bot,
    cosmos,
    contentPath,
    closedDaysPath,
    privacy,
    teamsApp,
    nudges,
    exposure,
    graph,
  });
}

/** Reads `.env` (without overriding real environment variables) and then the environment. */
export function loadConfig(options: ParseOptions = {}): AppConfig {
  dotenv.config({ path: path.join(projectRoot, ".env"), quiet: true });
  return parseConfig(process.env, options);
}

function parsePort(text: string, fail: (v: string, p: string) => void): number {
  if (text === "") return 3978;
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 0 || port > 65535) {
    fail("PORT", `must be a whole number from 0 to 65535; got "${text}"`);
    return 0;
  }
  return port;
}

function parseBotCredentials(
  read: (name: string) => string,
  fail: (v: string, p: string) => void,
): BotCredentials {
  const appId = read("MicrosoftAppId");
  const appPassword = read("MicrosoftAppPassword");
  const tenantId = read("MicrosoftAppTenantId");
  const appTypeText = read("MicrosoftAppType") || (appId ? "SingleTenant" : "MultiTenant");

  if (!APP_TYPES.includes(appTypeText as AppType)) {
    fail("MicrosoftAppType", `must be one of ${APP_TYPES.join(", ")}; got "${appTypeText}"`);
  }
  const appType = appTypeText as AppType;

  if (appId) {
    if (appType === "SingleTenant" || appType === "UserAssignedMSI") {
      if (!tenantId) fail("MicrosoftAppTenantId", `is required when MicrosoftAppType is ${appType}`);
    }
    if (appType !== "UserAssignedMSI" && !appPassword) {
      fail("MicrosoftAppPassword", `is required when MicrosoftAppId is set and MicrosoftAppType is ${appType}`);
    }
    if (appType === "UserAssignedMSI" && appPassword) {
      fail("MicrosoftAppPassword", "must be empty with UserAssignedMSI: the managed identity has no secret");
    }
  } else {
    if (read("MicrosoftAppType") && appType !== "MultiTenant") {
      fail("MicrosoftAppId", `is required when MicrosoftAppType is ${appType}`);
    }
    if (appPassword) fail("MicrosoftAppId", "is required when MicrosoftAppPassword is set");
  }
  if (tenantId && !GUID.test(tenantId)) {
    fail("MicrosoftAppTenantId", `must be a tenant GUID; got "${tenantId}"`);
  }
  const openIdMetadataUrl = read("BotOpenIdMetadata");
  if (openIdMetadataUrl && !isHttpUrl(openIdMetadataUrl)) fail("BotOpenIdMetadata", `must be an http(s) URL; got "${openIdMetadataUrl}"`);
  return { appId, appPassword, appType, tenantId, allowedTenants: parseAllowedTenants(read, fail, appId, appType, tenantId), openIdMetadataUrl };
}

/**
 * Fail closed: a single-tenant or managed-identity bot serves its own tenant unless told
 * otherwise; a multi-tenant bot must name its tenants (or say "*" on purpose).
 */
function parseAllowedTenants(
  read: (name: string) => string,
  fail: (v: string, p: string) => void,
  appId: string,
  appType: AppType,
  tenantId: string,
): readonly string[] | "*" {
  const text = read("ALLOWED_TENANTS");
  if (text === "*") return "*";
  const listed = text.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean);
  const bad = listed.filter((t) => !GUID.test(t));
  if (bad.length > 0) fail("ALLOWED_TENANTS", `must be comma-separated tenant GUIDs or "*"; not GUIDs: ${bad.join(", ")}`);
  if (listed.length > 0) return listed;
  if (tenantId && appType !== "MultiTenant") return [tenantId.toLowerCase()];
  if (appId) fail("ALLOWED_TENANTS", `is required with MicrosoftAppType ${appType} and no MicrosoftAppTenantId: list the tenants to serve, or "*" for any`);
  return [];
}

/** Anonymous mode trusts whoever connects, so it listens on loopback unless explicitly told otherwise. */
function parseExposure(
  read: (name: string) => string,
  fail: (v: string, p: string) => void,
  appId: string,
): { host: string; exposure: ExposureConfig } {
  const allowText = (read("ALLOW_UNAUTHENTICATED") || "false").toLowerCase();
  if (!["true", "false"].includes(allowText)) fail("ALLOW_UNAUTHENTICATED", `must be true or false; got "${allowText}"`);
  const allowUnauthenticated = allowText === "true";
  const host = read("HOST") || (appId ? "0.0.0.0" : "127.0.0.1");
  if (!appId && !isLoopbackHost(host) && !allowUnauthenticated) {
    fail(
      "HOST",
      `is "${host}", beyond loopback, while MicrosoftAppId is empty: anyone who reaches the port could pose as any user. ` +
        "Set MicrosoftAppId, bind 127.0.0.1, or set ALLOW_UNAUTHENTICATED=true if you really mean it",
    );
  }
  return { host, exposure: { allowUnauthenticated } };
}

/** 127.0.0.0/8, ::1 and "localhost": addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

function parseCosmos(read: (name: string) => string, fail: (v: string, p: string) => void): CosmosConfig {
  const endpoint = read("COSMOS_ENDPOINT");
  const key = read("COSMOS_KEY");
  const auth = (read("COSMOS_AUTH") || "key").toLowerCase();
  if (!["key", "managed-identity"].includes(auth)) fail("COSMOS_AUTH", `must be key or managed-identity; got "${auth}"`);
  let connection: CosmosConnection;
  if (endpoint && auth === "managed-identity") {
    if (!isHttpUrl(endpoint)) fail("COSMOS_ENDPOINT", `must be an http(s) URL; got "${endpoint}"`);
    if (key) fail("COSMOS_KEY", "must be empty with COSMOS_AUTH=managed-identity: the identity needs no key");
    connection = { kind: "managed-identity", endpoint, clientId: read("COSMOS_MANAGED_IDENTITY_CLIENT_ID") || undefined };
  } else if (endpoint) {
    if (!isHttpUrl(endpoint)) fail("COSMOS_ENDPOINT", `must be an http(s) URL; got "${endpoint}"`);
    if (!key) fail("COSMOS_KEY", "is required when COSMOS_ENDPOINT is set (or set COSMOS_AUTH=managed-identity)");
    connection = { kind: "remote", endpoint, key };
  } else {
    if (auth === "managed-identity") fail("COSMOS_ENDPOINT", "is required with COSMOS_AUTH=managed-identity");
    if (key) fail("COSMOS_ENDPOINT", "is required when COSMOS_KEY is set (leave both empty for the embedded server)");
    connection = {
      kind: "embedded",
      snapshotFile: path.resolve(projectRoot, read("LOCAL_DATA_FILE") || path.join(".data", "cosmos.json")),
    };
  }

  const name = (variable: string, fallback: string): string => {
    const value = read(variable) || fallback;
    if (!COSMOS_NAME.test(value)) {
      fail(variable, `must be 1-255 characters without / \\ ? or #; got "${value}"`);
    }
    return value;
  };
  const createText = (read("COSMOS_CREATE_MISSING") || "false").toLowerCase();
  if (!["true", "false"].includes(createText)) fail("COSMOS_CREATE_MISSING", `must be true or false; got "${createText}"`);
  const timeoutText = read("COSMOS_REQUEST_TIMEOUT_MS") || "4000";
  const requestTimeoutMs = Number(timeoutText);
  // A turn has about 15 s in Teams, and a request may be waited out once more after a 429; and
  // a claimed outbox record must not outlive its 30 s lease while one request is in flight.
  if (!/^\d+$/.test(timeoutText) || requestTimeoutMs < 500 || requestTimeoutMs > 10_000) {
    fail("COSMOS_REQUEST_TIMEOUT_MS", `must be a whole number of milliseconds from 500 to 10000 (a Teams turn has about 15 s); got "${timeoutText}"`);
  }
  return {
    connection,
    createMissing: createText === "true",
    requestTimeoutMs,
    database: name("COSMOS_DATABASE", "lederrefleksion"),
    containers: {
      userData: name("COSMOS_CONTAINER_USERDATA", "userdata"),
      exports: name("COSMOS_CONTAINER_EXPORTS", "exports"),
      channels: name("COSMOS_CONTAINER_CHANNELS", "channels"),
      outbox: name("COSMOS_CONTAINER_OUTBOX", "outbox"),
    },
  };
}

function parsePrivacy(read: (name: string) => string, fail: (v: string, p: string) => void, port: number): PrivacyConfig {
  const retentionText = read("RETENTION_DAYS");
  let retentionDays: number | undefined;
  if (retentionText !== "" && retentionText.toLowerCase() !== "off") {
    retentionDays = Number(retentionText);
    if (!/^\d+$/.test(retentionText) || retentionDays < 1 || retentionDays > 36500) {
      fail("RETENTION_DAYS", `must be a whole number of days from 1 to 36500, or "off"; got "${retentionText}"`);
    }
  }
  const exportSigningKey = read("EXPORT_SIGNING_KEY") || undefined;
  if (exportSigningKey !== undefined && exportSigningKey.length < 32) {
    fail("EXPORT_SIGNING_KEY", "must be at least 32 characters (e.g. `openssl rand -base64 48`)");
  }
  const publicBaseUrl = (read("PUBLIC_BASE_URL") || `http://localhost:${port || 3978}`).replace(/\/+$/, "");
  if (!isHttpUrl(publicBaseUrl)) fail("PUBLIC_BASE_URL", `must be an http(s) URL; got "${publicBaseUrl}"`);
  return { retentionDays, exportSigningKey, publicBaseUrl };
}

function parseNudges(read: (name: string) => string, fail: (v: string, p: string) => void): NudgeConfig {
  const flag = (variable: string, fallback: boolean): boolean => {
    const text = (read(variable) || String(fallback)).toLowerCase();
    if (!["true", "false"].includes(text)) fail(variable, `must be true or false; got "${text}"`);
    return text === "true";
  };
  const number = (variable: string, fallback: number, min: number, max: number): number => {
    const text = read(variable);
    if (text === "") return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max) fail(variable, `must be a number from ${min} to ${max}; got "${text}"`);
    return value;
  };
  const limitsText = read("RATE_LIMIT_CONVERSATION") || "7/1000,8/2000,60/30000";
  const conversationLimits = limitsText.split(",").map((part) => {
    const [max, perMs] = part.trim().split("/").map(Number);
    return { max: max ?? NaN, perMs: perMs ?? NaN };
  });
  if (conversationLimits.some((l) => !Number.isInteger(l.max) || l.max < 1 || !Number.isInteger(l.perMs) || l.perMs < 1)) {
    fail("RATE_LIMIT_CONVERSATION", `must be comma-separated max/milliseconds pairs like 7/1000,8/2000,60/30000; got "${limitsText}"`);
  }
  return {
    schedulerEnabled: flag("SCHEDULER_ENABLED", true),
    tickMs: number("SCHEDULER_TICK_SECONDS", 15, 1, 3600) * 1000,
    graceMs: number("NUDGE_GRACE_HOURS", 6, 0, 168) * 3_600_000,
    tenantRps: number("RATE_LIMIT_TENANT_RPS", 50, 1, 1000),
    conversationLimits,
    outboxKeepDays: number("OUTBOX_KEEP_DAYS", 30, 1, 3650),
    outOfOfficeCheck: flag("OUT_OF_OFFICE_CHECK", false),
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
