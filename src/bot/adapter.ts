import { randomUUID } from "node:crypto";
import {
  CloudAdapter,
  type BotAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type TurnContext,
} from "botbuilder";
import type { BotCredentials } from "../config";
import type { Logger } from "../log";
import { texts } from "../texts";

const TURN_LOGGER = Symbol("turnLogger");

/** The logger for this turn, carrying its turn id; set by the bot before any handler runs. */
export function turnLogger(context: TurnContext, fallback: Logger): Logger {
  return (context.turnState.get(TURN_LOGGER) as Logger | undefined) ?? fallback;
}

export function attachTurnLogger(context: TurnContext, log: Logger): Logger {
  const child = log.child({
    turnId: randomUUID(),
    activityId: context.activity.id,
    activityType: context.activity.type,
    channelId: context.activity.channelId,
  });
  context.turnState.set(TURN_LOGGER, child);
  return child;
}

export function createAdapter(credentials: BotCredentials): CloudAdapter {
  const options = {
    MicrosoftAppId: credentials.appId,
    MicrosoftAppPassword: credentials.appPassword,
    MicrosoftAppType: credentials.appType,
    MicrosoftAppTenantId: credentials.tenantId,
  };
  return new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication(options, new ConfigurationServiceClientCredentialFactory(options)),
  );
}

/**
 * The last line of defence for a turn. The user gets a short Danish apology; the operator gets
 * the error with the turn id. The dialog stack is cleared so a broken stack cannot trap the user
 * in a loop; drafts and reflections live outside it, so nothing the user wrote is lost.
 */
export function installTurnErrorHandler(
  adapter: BotAdapter,
  resetDialogs: (context: TurnContext) => Promise<void>,
  log: Logger,
): void {
  adapter.onTurnError = async (context, error) => {
    turnLogger(context, log).error({ err: error }, "Unhandled error in turn");
    try {
      await resetDialogs(context);
    } catch (stateError) {
      turnLogger(context, log).error({ err: stateError }, "Could not reset the dialog stack after an error");
    }
    try {
      await context.sendActivity(texts.unexpectedError);
    } catch (sendError) {
      turnLogger(context, log).error({ err: sendError }, "Could not tell the user about the error");
    }
  };
}
