import { ActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext, type UserState } from "botbuilder";
import { parseCommand } from "../domain/commands";
import type { Logger } from "../log";
import { texts } from "../texts";
import { attachTurnLogger } from "./adapter";

interface UserFlags {
  welcomedAt?: string;
}

/**
 * The thin botbuilder handler: maps activities to commands and hands them on. Conversation
 * behaviour lives in the dialogs, decisions in the domain.
 */
export class LederrefleksionBot extends ActivityHandler {
  private readonly userFlags: StatePropertyAccessor<UserFlags>;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    private readonly log: Logger,
  ) {
    super();
    this.userFlags = userState.createProperty<UserFlags>("flags");

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });

    // Teams sends both a conversationUpdate and an installationUpdate when a user installs the
    // app; the stored flag makes sure the welcome is said once.
    this.onMembersAdded(async (context, next) => {
      const botWasAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
      if (botWasAdded && isPersonal(context)) await this.welcomeOnce(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      if (isPersonal(context)) await this.welcomeOnce(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    attachTurnLogger(context, this.log).debug("Turn started");
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    if (typeof context.activity.text !== "string" && context.activity.value === undefined) {
      await context.sendActivity(texts.nonTextMessage);
      return;
    }
    const command = parseCommand(context.activity.text);
    switch (command.kind) {
      case "help":
        await context.sendActivity(texts.help);
        return;
      default: {
        const flags = await this.userFlags.get(context, {});
        if (!flags.welcomedAt) {
          await this.welcomeOnce(context);
          return;
        }
        await context.sendActivity(texts.unknown(command.kind === "unknown" ? command.text : command.kind));
      }
    }
  }

  private async welcomeOnce(context: TurnContext): Promise<void> {
    const flags = await this.userFlags.get(context, {});
    if (flags.welcomedAt) return;
    await context.sendActivity(texts.welcome);
    await this.userFlags.set(context, { ...flags, welcomedAt: new Date().toISOString() });
  }
}

function isPersonal(context: TurnContext): boolean {
  const type = context.activity.conversation?.conversationType;
  return type === undefined || type === "personal";
}
