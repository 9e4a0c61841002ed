import { randomUUID } from "node:crypto";
import {
  type Activity,
  ActivityEventNames,
  ActivityTypes,
  CloudAdapter,
  type BotAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type InvokeResponse,
  type TurnContext,
} from "botbuilder";
import type { ConnectorClient } from "botframework-connector";
import type { BotCredentials } from "../kernel/config";
import type { Logger } from "../kernel/log";
import { AppError, ErrorCodes, errorCodeOf } from "../kernel/errors";
import { isTransientStorageFailure } from "../storage/cosmosErrors";
import { texts } from "../kernel/texts";
import { escapeMarkdown } from "../domain/cleanText";

const TURN_LOGGER = Symbol("turnLogger");

/** botframework-connector's AuthenticateRequestResult, which botbuilder uses but does not re-export. */
type AuthenticateRequestResult = Exclude<Parameters<CloudAdapter["processActivityDirect"]>[0], string>;

/** The logger for this turn, carrying its turn id; set by the bot before any handler runs. */
export function turnLogger(context: TurnContext, fallback: Logger): Logger {
  const child = context.turnState.get(TURN_LOGGER) as (() => Logger) | undefined;
  return child ? child() : fallback;
}

/**
 * Gives the turn its logger. The child logger is made when the turn first writes a line: most
 * turns write none, and making a pino child (its bindings serialized) took a tenth of a turn.
 */
export function attachTurnLogger(context: TurnContext, log: Logger): void {
  const bindings = {
    turnId: randomUUID(),
    activityId: context.activity.id,
    activityType: context.activity.type,
    channelId: context.activity.channelId,
  };
  let child: Logger | undefined;
  context.turnState.set(TURN_LOGGER, () => (child ??= log.child(bindings)));
}

/**
 * CloudAdapter with its two halves apart: authenticate a request, then run the turn. Our own
 * HTTP handler sits between them to check the activity's shape, channel and tenant, which
 * CloudAdapter.process would not let it do (and which it answers with a 500 when they are off).
 */
export class AuthenticatingAdapter extends CloudAdapter {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();

  /**
   * A Connector client for proactive messages to `serviceUrl`, made once and kept.
   * continueConversationAsync makes a new client, with its HTTP pipeline, and a user-token client
   * for every message: a fifth of a reminder's CPU. The client's credentials keep and renew
   * their token themselves. Its own hidden retries are switched off (see `tuned`).
   */
  proactiveConnector(appId: string, serviceUrl: string, tuned: (client: ConnectorClient) => void): Promise<ConnectorClient> {
    const key = `${appId}|${serviceUrl}`;
    let connector = this.connectors.get(key);
    if (!connector) {
      // A handful of service URLs (Teams' regions); bounded all the same, oldest out first.
      if (this.connectors.size >= 100) this.connectors.delete(this.connectors.keys().next().value!);
      const claims = this.createClaimsIdentity(appId);
      connector = this.botFrameworkAuthentication
        .createConnectorFactory(claims)
        .create(serviceUrl, undefined)
        .then((client) => (tuned(client), client));
      // A client that could not be made is not kept: the next message tries again.
      connector.catch(() => this.connectors.delete(key));
      this.connectors.set(key, connector);
    }
    return connector;
  }

  authenticate(activity: Partial<Activity>, authorization: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity as Activity, authorization);
  }

  runAuthenticatedTurn(
    authentication: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authentication, activity, logic);
  }
}

/**
 * botbuilder's token validator writes to console.error (with a stack, and the published keys)
 * for every expired or badly signed token before it throws. Our endpoint already logs each
 * refusal as one line, so a flood of forged tokens must not become a flood of stack traces.
 * Only those two messages are dropped; everything else still reaches stderr.
 */
function quietTokenValidatorNoise(): void {
  if ((console.error as { quieted?: boolean }).quieted) return;
  const original = console.error.bind(console);
  const filtered = (...args: unknown[]): void => {
    const [first] = args;
    if (typeof first === "string" && first.startsWith("Error finding key for token")) return;
    if (first instanceof Error && first.name === "TokenExpiredError") return;
    original(...args);
  };
  console.error = Object.assign(filtered, { quieted: true });
}

export function createAdapter(credentials: BotCredentials): AuthenticatingAdapter {
  quietTokenValidatorNoise();
  const options = {
    MicrosoftAppId: credentials.appId,
    MicrosoftAppPassword: credentials.appPassword,
    MicrosoftAppType: credentials.appType,
    MicrosoftAppTenantId: credentials.tenantId,
    ...(credentials.openIdMetadataUrl ? publicCloudWithMetadata(credentials.openIdMetadataUrl) : {}),
  };
  return new AuthenticatingAdapter(
    new ConfigurationBotFrameworkAuthentication(options, new ConfigurationServiceClientCredentialFactory(options)),
  );
}

/**
 * botbuilder takes one overridden endpoint as a request for a fully custom cloud, so with our
 * own OpenID metadata (sovereign clouds, and the local issuer in tests) the rest of the public
 * cloud's endpoints are named too, with the values botbuilder uses by default.
 */
function publicCloudWithMetadata(openIdMetadataUrl: string) {
  return {
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    ToChannelFromBotLoginUrl: "https://login.microsoftonline.com/botframework.com",
    ToChannelFromBotOAuthScope: "https://api.botframework.com",
    ToBotFromChannelTokenIssuer: "https://api.botframework.com",
    OAuthUrl: "https://api.botframework.com",
    ToBotFromEmulatorOpenIdMetadataUrl: "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
    CallerId: "urn:botframework:azure",
    ValidateAuthority: true,
  };
}

/**
 * Whether a turn is one the bot started itself (a proactive send, update or lookup through
 * continueConversationAsync or createConversationAsync) rather than one a user's activity started.
 */
export function isProactiveTurn(context: TurnContext): boolean {
  const { type, name } = context.activity;
  return type === ActivityTypes.Event && (name === ActivityEventNames.ContinueConversation || name === ActivityEventNames.CreateConversation);
}

/**
 * The last line of defence for a turn. The user gets a short Danish apology; the operator gets
 * the error with the turn id. The dialog stack is cleared so a broken stack cannot trap the user
 * in a loop; drafts and reflections live outside it, so nothing the user wrote is lost.
 * A proactive turn is nobody's turn: its error goes back to the code that sent (the delivery
 * decides about retries), and no user's dialogs or chat are touched.
 */
export function installTurnErrorHandler(
  adapter: BotAdapter,
  resetDialogs: (context: TurnContext) => Promise<void>,
  log: Logger,
): void {
  adapter.onTurnError = async (context, error) => {
    if (isProactiveTurn(context)) throw error;
    if (error instanceof AppError && error.code === ErrorCodes.sendFailed.code) {
      // Teams refused or dropped a reply: say so in the log as that, and try the apology once,
      // which fails too if Teams is away. Nothing of the turn's state is lost either way.
      turnLogger(context, log).warn({ code: error.code, err: error }, ErrorCodes.sendFailed.description);
      try {
        await context.sendActivity(texts.tryAgainSoon);
      } catch (sendError) {
        turnLogger(context, log).warn({ code: ErrorCodes.apologyFailed.code, err: sendError }, ErrorCodes.apologyFailed.description);
      }
      return;
    }
    if (isTransientStorageFailure(error)) {
      // Nothing of the turn was stored (the session is written last, and only then are replies
      // sent), so the dialog stack and the draft are as they were: the user just tries again.
      turnLogger(context, log).warn({ code: ErrorCodes.storageUnavailable.code, err: error }, ErrorCodes.storageUnavailable.description);
      try {
        await context.sendActivity(texts.tryAgainSoon);
      } catch (sendError) {
        turnLogger(context, log).error({ code: ErrorCodes.apologyFailed.code, err: sendError }, ErrorCodes.apologyFailed.description);
      }
      return;
    }
    const code = errorCodeOf(error, ErrorCodes.turnFailed);
    turnLogger(context, log).error({ code, err: error }, ErrorCodes.turnFailed.description);
    try {
      await resetDialogs(context);
    } catch (stateError) {
      turnLogger(context, log).error({ code: ErrorCodes.dialogResetFailed.code, err: stateError }, ErrorCodes.dialogResetFailed.description);
    }
    try {
      await context.sendActivity(texts.unexpectedError(escapeMarkdown(code)));
    } catch (sendError) {
      turnLogger(context, log).error({ code: ErrorCodes.apologyFailed.code, err: sendError }, ErrorCodes.apologyFailed.description);
    }
  };
}
