import type { Activity, TurnContext } from "botbuilder";
import type { BotCredentials } from "../kernel/config";
import { isLoopbackHost } from "../kernel/config";
import { AppError, ErrorCodes } from "../kernel/errors";
import type { Logger } from "../kernel/log";
import { activityShapeProblem } from "./activitySchema";
import type { AuthenticatingAdapter } from "./adapter";

/** What /api/messages answers; the HTTP server writes it as JSON. */
export interface EndpointAnswer {
  readonly status: number;
  readonly body?: unknown;
}

export interface IncomingRequest {
  readonly body: unknown;
  readonly authorization: string | undefined;
  readonly requestId: string;
}

export type MessageEndpoint = (request: IncomingRequest) => Promise<EndpointAnswer>;

/** The only issuer of tokens the Bot Framework channel service signs for a bot. */
const CHANNEL_ISSUER = "https://api.botframework.com";
const SIGNING_ALGORITHMS = new Set(["RS256", "RS384", "RS512"]);

/** A request answered with a 4xx: expected from hostile or broken callers, logged with its reason. */
class Refusal extends AppError {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly path?: string,
  ) {
    super(ErrorCodes.requestRefused, { message });
  }
}

/**
 * /api/messages in the order a hostile caller should meet it: authenticate, then check the
 * activity's shape, then its channel and tenant, and only then run a turn. Every refusal is a
 * short JSON answer and one log line; nothing a caller sends reaches a turn unchecked.
 */
export function createMessageEndpoint(deps: {
  readonly adapter: AuthenticatingAdapter;
  readonly credentials: BotCredentials;
  readonly runTurn: (context: TurnContext) => Promise<void>;
  readonly log: Logger;
}): MessageEndpoint {
  const { adapter, credentials, runTurn, log } = deps;
  const anonymous = !credentials.appId;

  return async ({ body, authorization, requestId }) => {
    try {
      if (!isObject(body) || typeof body.type !== "string" || body.type === "") {
        throw new Refusal(400, "invalid_activity", "Body must be a Bot Framework activity with a type.");
      }
      const authentication = await authenticate(body, authorization ?? "");
      const problem = activityShapeProblem(body);
      if (problem) throw new Refusal(400, "invalid_activity", `${problem.path}: ${problem.reason}`, problem.path);
      const activity = body as unknown as Activity;
      checkPolicy(activity);
      const invokeResponse = await adapter.runAuthenticatedTurn(authentication, activity, runTurn);
      return invokeResponse ? { status: invokeResponse.status, body: invokeResponse.body } : { status: 200 };
    } catch (error) {
      if (error instanceof Refusal) {
        log[error.status === 401 ? "warn" : "info"]({ reqId: requestId, status: error.status, reason: error.message }, "Refused activity");
        return { status: error.status, body: { error: error.error, message: error.message, ...(error.path ? { path: error.path } : {}) } };
      }
      // The turn's own errors are handled in onTurnError; this is what happens around it.
      log.error({ reqId: requestId, code: ErrorCodes.activityFailed.code, err: error }, ErrorCodes.activityFailed.description);
      return { status: 500, body: { error: "internal_error", code: ErrorCodes.activityFailed.code } };
    }
  };

  async function authenticate(body: Record<string, unknown>, authorization: string) {
    if (!anonymous) checkTokenBeforeVerifying(authorization);
    // Only strings reach the validator: it compares these with the token's claims.
    const claimed = {
      channelId: typeof body.channelId === "string" ? body.channelId : undefined,
      serviceUrl: typeof body.serviceUrl === "string" ? body.serviceUrl : undefined,
    };
    try {
      return await adapter.authenticate(claimed, authorization);
    } catch (error) {
      throw new Refusal(401, "unauthorized", reasonOf(error));
    }
  }

  function checkPolicy(activity: Activity): void {
    if (anonymous) {
      // Anonymous mode trusts the caller, so replies may only go back to this machine.
      if (!isLoopbackUrl(activity.serviceUrl)) {
        throw new Refusal(400, "service_url_not_loopback", "Without MicrosoftAppId, serviceUrl must be a loopback address.", "$.serviceUrl");
      }
      return;
    }
    if (activity.channelId !== "msteams") throw new Refusal(403, "channel_not_allowed", `Channel "${activity.channelId}" is not served.`);
    const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
    const tenants = [activity.conversation.tenantId, channelData?.tenant?.id].filter((t): t is string => typeof t === "string");
    const tenant = tenants[0]?.toLowerCase();
    if (!tenant || tenants.some((t) => t.toLowerCase() !== tenant)) throw new Refusal(403, "tenant_not_allowed", "The activity names no single tenant.");
    if (credentials.allowedTenants !== "*" && !credentials.allowedTenants.includes(tenant)) {
      throw new Refusal(403, "tenant_not_allowed", "This tenant is not served by this bot.");
    }
  }
}

/**
 * Cheap checks that need no signing keys: the scheme, a JWT's three parts, an RSA algorithm and
 * the channel's issuer. A token failing them is refused without a key lookup, and tokens
 * naming another issuer (the Emulator's) never make the bot fetch that issuer's keys.
 */
function checkTokenBeforeVerifying(authorization: string): void {
  const match = /^Bearer ([A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{1,16384})\.([A-Za-z0-9_-]{0,4096})$/.exec(authorization.slice(0, 30_000));
  if (!match) throw new Refusal(401, "unauthorized", "Missing or malformed bearer token.");
  const header = decodePart(match[1]!);
  const payload = decodePart(match[2]!);
  if (!header || !payload) throw new Refusal(401, "unauthorized", "The token is not a JWT.");
  if (typeof header.alg !== "string" || !SIGNING_ALGORITHMS.has(header.alg)) {
    throw new Refusal(401, "unauthorized", `Token algorithm "${String(header.alg).slice(0, 20)}" is not accepted.`);
  }
  if (payload.iss !== CHANNEL_ISSUER) throw new Refusal(401, "unauthorized", "The token was not issued by the Bot Framework channel service.");
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isLoopbackUrl(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === "http:" || protocol === "https:") && isLoopbackHost(hostname);
  } catch {
    return false;
  }
}

/** A one-line reason for the log: the validator's message, never its stack. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.slice(0, 200);
}
