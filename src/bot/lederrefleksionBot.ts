import { ActivityHandler, type TurnContext } from "botbuilder";
import { privateOnlyCard, helpCard, receiptCard } from "../cards/views";
import type { Messenger } from "../nudges/messenger";
import { parseCommand } from "../domain/commands";
import type { UserKey } from "../domain/identity";
import type { Logger } from "../log";
import { ETagConflictError } from "../storage/cosmosErrors";
import type { SessionStore } from "../storage/userSessions";
import { texts } from "../texts";
import type { PersonalChat } from "../dialogs/personalChat";
import { sameDestination } from "../domain/conversation";
import type { UserSession } from "../domain/session";
import type { ConversationDirectory } from "../nudges/conversations";
import type { ChannelCommands } from "../dialogs/channelCommands";
import { attachTurnLogger, turnLogger } from "./adapter";
import { conversationOf, isPersonalConversation, personalChatLink, userKeyOf } from "./identity";
import { TurnOutbox } from "./outbox";
import { setTurnSession, type TurnSession } from "./turnSession";

/** How often a turn is re-run when another turn for the same user saved first. */
const MAX_ATTEMPTS = 3;

/**
 * The thin botbuilder handler. Personal chats run inside a user session (one read, one
 * conditional write); channels and group chats get the channel surface. Conversation behaviour
 * lives in the dialogs, decisions in the domain.
 */
export class LederrefleksionBot extends ActivityHandler {
  constructor(
    private readonly sessions: SessionStore,
    private readonly personalChat: PersonalChat,
    private readonly log: Logger,
    private readonly conversations?: ConversationDirectory,
    private readonly channelCommands?: ChannelCommands,
    private readonly messenger?: Messenger,
  ) {
    super();

    this.onMessage(async (context, next) => {
      if (isPersonalConversation(context.activity)) await this.personalChat.onMessage(context);
      else await this.onChannelMessage(context);
      await next();
    });

    // Teams sends both a conversationUpdate and an installationUpdate when a user installs the
    // app, often at the same moment; the session's eTag makes sure only one welcome goes out.
    this.onMembersAdded(async (context, next) => {
      const botWasAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
      if (botWasAdded && isPersonalConversation(context.activity)) await this.personalChat.welcomeIfNew(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      if (isPersonalConversation(context.activity)) await this.personalChat.welcomeIfNew(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    const log = attachTurnLogger(context, this.log);
    const user = userKeyOf(context.activity);
    if (!user || !isPersonalConversation(context.activity)) {
      await super.run(context);
      await this.rememberSharedConversation(context);
      return;
    }
    const outbox = TurnOutbox.attach(context);
    for (let attempt = 1; ; attempt += 1) {
      const { session, eTag } = await this.sessions.load(user);
      const before = JSON.stringify(session);
      const turn: TurnSession = { user, session };
      setTurnSession(context, turn);
      outbox.begin();
      try {
        await super.run(context);
        // A refreshed reference alone never creates a user's document: after "slet mine data"
        // nothing about the user is stored until they do something that needs it.
        const changedByTurn = JSON.stringify(session) !== before;
        refreshConversation(session, context);
        const changed = changedByTurn || (eTag !== undefined && JSON.stringify(session) !== before);
        if (!turn.discarded && changed) await this.sessions.save(user, session, eTag);
      } catch (error) {
        outbox.discard();
        if (!(error instanceof ETagConflictError)) throw error;
        if (attempt >= MAX_ATTEMPTS) {
          log.warn({ attempts: attempt }, "Gave up on a turn after repeated concurrent updates");
          await context.sendActivity(texts.busy);
          return;
        }
        log.info({ attempt }, "Another turn for this user saved first; running this turn again on fresh state");
        continue;
      }
      await outbox.flush();
      return;
    }
  }

  /**
   * After an unexpected error: empty the dialog stack (a broken stack must not trap the user)
   * but keep the profile and the draft, which live beside it.
   */
  async resetDialogsAfterError(context: TurnContext): Promise<void> {
    const user: UserKey | undefined = userKeyOf(context.activity);
    if (!user || !isPersonalConversation(context.activity)) return;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const { session, eTag } = await this.sessions.load(user);
      if (!session.dialogState) return;
      delete session.dialogState;
      try {
        await this.sessions.save(user, session, eTag);
        return;
      } catch (error) {
        if (!(error instanceof ETagConflictError)) throw error;
        turnLogger(context, this.log).info({ attempt }, "Session changed while resetting dialogs; retrying");
      }
    }
  }

  /** Channels and group chats: keep their reference for scheduled posts; never fails the turn. */
  private async rememberSharedConversation(context: TurnContext): Promise<void> {
    const conversation = conversationOf(context.activity, new Date());
    if (!this.conversations || !conversation || conversation.conversationType === "personal") return;
    try {
      if (context.activity.type === "installationUpdate" && context.activity.action === "remove") {
        await this.conversations.deactivate(conversation, "uninstalled", new Date());
      } else {
        await this.conversations.rememberShared(conversation);
      }
    } catch (err) {
      turnLogger(context, this.log).warn({ err }, "Could not store the conversation reference");
    }
  }

  private async onChannelMessage(context: TurnContext): Promise<void> {
    if (await this.channelCommands?.tryHandle(context)) return;
    if (context.activity.value !== undefined) {
      await context.sendActivity({ attachments: [privateOnlyCard({ chatUrl: personalChatLink(context.activity) })] });
      return;
    }
    const command = parseCommand(context.activity.text);
    switch (command.kind) {
      case "help":
      case "unknown":
        await context.sendActivity({ attachments: [helpCard({ inPersonalChat: false })] });
        return;
      default:
        await context.sendActivity({ attachments: [privateOnlyCard({ chatUrl: personalChatLink(context.activity) })] });
        await this.offerPrivateChat(context);
    }
  }

  /** Writes to the user in private, creating the 1:1 chat if need be; the link card above covers failures. */
  private async offerPrivateChat(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (!this.messenger || !activity.from?.id || !activity.serviceUrl) return;
    try {
      await this.messenger.send(
        {
          channelId: activity.channelId ?? "msteams",
          serviceUrl: activity.serviceUrl,
          conversationId: "",
          conversationType: "personal",
          tenantId: activity.conversation?.tenantId ?? "",
          botId: activity.recipient.id,
          botName: activity.recipient.name,
          userId: activity.from.id,
          aadObjectId: activity.from.aadObjectId,
          active: true,
          updatedAt: new Date().toISOString(),
        },
        { attachments: [receiptCard({ title: texts.privateStart, startButton: true })] },
      );
    } catch (err) {
      turnLogger(context, this.log).info({ err }, "Could not open a 1:1 chat; the channel answer has the link");
    }
  }
}

/**
 * Keeps the user's conversation reference and time zone current from every activity. Both live
 * in the session, so this costs nothing extra: it is written only when something changed.
 */
function refreshConversation(session: UserSession, context: TurnContext): void {
  const { activity } = context;
  const now = new Date();
  if (activity.type === "installationUpdate" && activity.action === "remove") {
    if (session.conversation) session.conversation = { ...session.conversation, active: false, inactiveReason: "uninstalled", updatedAt: now.toISOString() };
    return;
  }
  const conversation = conversationOf(activity, now);
  if (conversation && !sameDestination(session.conversation, conversation)) session.conversation = conversation;
  const zone = activity.localTimezone;
  if (zone && zone !== session.profile.timezone && isTimeZone(zone)) session.profile.timezone = zone;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("da-DK", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
