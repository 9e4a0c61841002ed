import { TurnContext, type Activity, type ConversationParameters, type ConversationReference } from "botbuilder";
import type { AuthenticatingAdapter } from "./adapter";
import { postActivity } from "./connectorPost";
import type { StoredConversation } from "../domain/conversation";
import { DeliveryError, type Messenger, type OutgoingMessage } from "../nudges/messenger";
import { parseRetryAfter } from "../nudges/retryPolicy";
import { TEAMS_MESSAGE_BUDGET_BYTES, utf16Bytes } from "../domain/messageSize";

/** The audience of tokens for the public Bot Framework cloud. */
const BOT_FRAMEWORK_AUDIENCE = "https://api.botframework.com";

type TurnLogic = (context: TurnContext) => Promise<void>;

/**
 * Runs `logic` in a proactive turn (continueConversationAsync, createConversationAsync) and
 * lets its failure out to the caller. botbuilder hands a turn's error to the adapter's
 * onTurnError, which is for users' turns: it would reset the dialogs of the user the reference
 * names, try to send them an apology, and swallow the error, so a message Teams refused would
 * look sent. Caught here, inside the turn, the error never reaches it.
 */
export async function proactiveTurn(start: (logic: TurnLogic) => Promise<void>, logic: TurnLogic): Promise<void> {
  let failure: { readonly error: unknown } | undefined;
  await start(async (context) => {
    try {
      await logic(context);
    } catch (error) {
      failure = { error };
    }
  });
  if (failure) throw failure.error;
}

/**
 * Proactive sends through the Bot Connector (CloudAdapter.continueConversationAsync); in a team
 * channel a message can start a new thread (createConversationAsync). Connector refusals
 * become DeliveryErrors.
 */
export class ConnectorMessenger implements Messenger {
  constructor(
    private readonly adapter: AuthenticatingAdapter,
    private readonly appId: string,
  ) {}

  async send(conversation: StoredConversation, message: OutgoingMessage): Promise<string | undefined> {
    const activity = activityOf(message);
    try {
      if (message.newThread && conversation.conversationType === "channel") {
        // A new thread is a new conversation in the channel whose first message is ours: what
        // TeamsInfo.sendMessageToTeamsChannel does, minus its need for an app id (anonymous local runs have none).
        const parameters = {
          isGroup: true,
          bot: { id: conversation.botId, name: conversation.botName ?? "" },
          channelData: { channel: { id: conversation.channelIdInTeam ?? conversation.conversationId }, tenant: { id: conversation.tenantId } },
          tenantId: conversation.tenantId,
          activity,
        } as ConversationParameters;
        await this.adapter.createConversationAsync(this.appId, conversation.channelId, conversation.serviceUrl, BOT_FRAMEWORK_AUDIENCE, parameters, async () => undefined);
        // The thread is a conversation of its own: its post is not updated later, so its id is not kept.
        return undefined;
      }
      if (conversation.conversationType === "personal" && !conversation.conversationId) {
        // No 1:1 chat yet (the user met the bot in a channel): create it, with the tenant in both
        // places Teams looks, and send the message as its first activity.
        const parameters = {
          isGroup: false,
          bot: { id: conversation.botId, name: conversation.botName ?? "" },
          members: [{ id: conversation.userId ?? "", name: "" }],
          tenantId: conversation.tenantId,
          channelData: { tenant: { id: conversation.tenantId } },
        } as ConversationParameters;
        let id: string | undefined;
        await proactiveTurn(
          (logic) => this.adapter.createConversationAsync(this.appId, conversation.channelId, conversation.serviceUrl, BOT_FRAMEWORK_AUDIENCE, parameters, logic),
          async (context) => {
            withoutHiddenRetries(context.turnState.get(context.adapter.ConnectorClientKey));
            id = (await context.sendActivity(activity))?.id;
          },
        );
        return id;
      }
      // A message to a conversation the bot is in: straight to the Connector with the credentials
      // of the client kept for its service URL, addressed as a proactive turn would address it; no
      // turn to run, and none of the client's generic pipeline (see postActivity).
      const client = await this.adapter.proactiveConnector(this.appId, conversation.serviceUrl, withoutHiddenRetries);
      const addressed = TurnContext.applyConversationReference(activity, toReference(conversation));
      return await postActivity(client, conversation.serviceUrl, conversation.conversationId, addressed);
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  async update(conversation: StoredConversation, activityId: string, message: OutgoingMessage): Promise<void> {
    const activity = { ...activityOf(message), id: activityId };
    try {
      const client = await this.adapter.proactiveConnector(this.appId, conversation.serviceUrl, withoutHiddenRetries);
      const addressed = TurnContext.applyConversationReference(activity, toReference(conversation));
      await client.conversations.updateActivity(conversation.conversationId, activityId, addressed);
    } catch (error) {
      throw toDeliveryError(error);
    }
  }
}

/**
 * The activity of a message, measured as every turn's reply is (bot/outbox): one Teams would
 * refuse is not sent, and not retried.
 */
function activityOf(message: OutgoingMessage): Partial<Activity> {
  const activity = { type: "message", text: message.text, attachments: message.attachments ? [...message.attachments] : undefined } as Activity;
  if (utf16Bytes(activity) > TEAMS_MESSAGE_BUDGET_BYTES) throw new DeliveryError(413, "MessageTooLarge", undefined, `${utf16Bytes(activity)} bytes, over Teams' budget`);
  return activity;
}

/**
 * The Connector client's pipeline retries a 429 by itself after Retry-After, up to three times,
 * and those retries go past our rate limiter: a throttled tenant would get more requests, not
 * fewer. Our delivery decides about retries (nudges/retryPolicy.ts), so the client must not.
 */
export function withoutHiddenRetries(connector: unknown): void {
  const pipeline = (connector as { client?: { pipeline?: { removePolicy(options: { name: string }): unknown } } } | undefined)?.client?.pipeline;
  pipeline?.removePolicy({ name: "defaultRetryPolicy" });
}

export function toReference(conversation: StoredConversation): Partial<ConversationReference> {
  return {
    channelId: conversation.channelId,
    serviceUrl: conversation.serviceUrl,
    bot: { id: conversation.botId, name: conversation.botName ?? "" },
    user: conversation.userId ? { id: conversation.userId, name: "", aadObjectId: conversation.aadObjectId } : undefined,
    conversation: {
      id: conversation.conversationId,
      conversationType: conversation.conversationType,
      tenantId: conversation.tenantId,
      isGroup: conversation.conversationType !== "personal",
      name: "",
    },
  };
}

/** The Connector's answer as the retry policy reads it: status, error code, Retry-After. */
export function toDeliveryError(error: unknown): DeliveryError {
  const e = error as {
    statusCode?: number;
    code?: string;
    message?: string;
    body?: unknown;
    response?: { status?: number; headers?: { get?(name: string): string | undefined }; bodyAsText?: string };
  };
  const status = e.statusCode ?? e.response?.status ?? 0;
  let code: string | undefined;
  const text = e.response?.bodyAsText ?? (typeof e.body === "string" ? e.body : undefined);
  try {
    const parsed = (text ? JSON.parse(text) : e.body) as { error?: { code?: string } } | undefined;
    code = parsed?.error?.code;
  } catch {
    code = undefined;
  }
  const retryAfter = parseRetryAfter(e.response?.headers?.get?.("retry-after"), Date.now());
  return new DeliveryError(status, code ?? (typeof e.code === "string" && !/^\d+$/.test(e.code) ? e.code : undefined), retryAfter, e.message ?? "send failed");
}
