import type { TurnContext } from "botbuilder";
import { parseCardSubmit } from "../domain/cardSubmit";
import { parseCommand } from "../domain/commands";
import type { Logger } from "../log";
import type { LeadershipChannels } from "../nudges/leadershipChannels";
import type { Messenger } from "../nudges/messenger";
import { texts } from "../texts";
import { turnLogger } from "../bot/adapter";
import { conversationOf } from "../bot/identity";
import { replaceSubmittedCard } from "./cardDialog";

/** "@Lederrefleksion opsæt / spørgsmål [tema] / status" in a leadership channel (or group chat). */
export class ChannelCommands {
  constructor(
    private readonly channels: LeadershipChannels,
    private readonly messenger: Messenger,
    private readonly clock: () => Date,
    private readonly log: Logger,
  ) {}

  async tryHandle(context: TurnContext): Promise<boolean> {
    const conversation = conversationOf(context.activity, this.clock());
    if (!conversation || conversation.conversationType === "personal") return false;
    // Read only by the commands that need them: most channel messages are not ours.
    const settings = async () =>
      (await this.channels.settingsFor(conversation.conversationId)) ?? this.channels.defaults(context.activity.localTimezone ?? undefined);

    if (context.activity.value !== undefined) {
      const submit = parseCardSubmit(context.activity.value);
      if (!submit.ok || submit.value.verb !== "saveChannelSettings") return false;
      const parsed = this.channels.parseSettings(submit.value.inputs, (await settings()).timezone);
      if (!parsed) {
        await context.sendActivity(texts.invalidChannelSettings);
        return true;
      }
      await this.channels.configure(conversation, parsed);
      await replaceSubmittedCard(context, this.channels.settingsCard(parsed));
      await context.sendActivity(texts.channelSettingsSaved);
      return true;
    }

    const command = parseCommand(context.activity.text);
    switch (command.kind) {
      case "channelSetup":
        await context.sendActivity({ attachments: [this.channels.settingsCard(await settings())] });
        return true;
      case "channelStatus":
        await context.sendActivity({ attachments: [this.channels.statusCard(await this.channels.status(conversation.conversationId))] });
        return true;
      case "groupQuestions": {
        const current = await settings();
        const theme = this.channels.pickTheme(current, command.theme);
        const message = this.channels.groupQuestions(current, theme, "Spørgsmål til ledergruppen");
        try {
          await this.messenger.send(conversation, message);
        } catch (err) {
          // A new thread needs the bot to be able to post in the channel; answering here still gives the group its questions.
          turnLogger(context, this.log).warn({ err }, "Could not start a new thread; answering in the conversation instead");
          await context.sendActivity({ attachments: message.attachments ? [...message.attachments] : [] });
        }
        return true;
      }
      default:
        return false;
    }
  }
}
