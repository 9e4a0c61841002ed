import type { TurnContext } from "botbuilder";
import { DialogSet, DialogTurnStatus } from "botbuilder-dialogs";
import { helpCard } from "../cards/views";
import { parseCardSubmit } from "../domain/cardSubmit";
import { parseCommand } from "../domain/commands";
import { texts } from "../texts";
import { dialogStateAccessor, turnSession } from "../bot/turnSession";
import { ChangeRoleDialog } from "./changeRoleDialog";
import { DialogIds } from "./dialogIds";
import type { CardSubmit } from "../domain/cardSubmit";
import type { Command } from "../domain/commands";

/** A feature that can take a turn at any moment without touching the dialog stack (history, reminders, …). */
export interface GlobalHandler {
  tryHandle(context: TurnContext, command: Command | undefined, submit: CardSubmit | undefined): Promise<boolean>;
}
import { ReflectionDialog } from "./reflectionDialog";
import type { ReflectionServices } from "./services";

/**
 * The personal chat's whole surface in one place: an active dialog gets the turn first; with
 * none, a typed command or a card button starts one, and anything else gets a helpful answer.
 */
export class PersonalChat {
  private readonly dialogs: DialogSet;

  constructor(
    services: ReflectionServices,
    private readonly globalHandlers: readonly GlobalHandler[],
  ) {
    this.dialogs = new DialogSet(dialogStateAccessor);
    this.dialogs.add(new ReflectionDialog(services));
    this.dialogs.add(new ChangeRoleDialog(services));
  }

  /** First contact (install, or the first message): the welcome is the role card of a reflection. */
  async welcomeIfNew(context: TurnContext): Promise<void> {
    const { profile } = turnSession(context).session;
    if (profile.welcomedAt) return;
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog) return;
    await dc.beginDialog(DialogIds.reflection);
  }

  async onMessage(context: TurnContext): Promise<void> {
    const { activity: incoming } = context;
    const submitted = incoming.value !== undefined ? parseCardSubmit(incoming.value) : undefined;
    const typed = incoming.value === undefined ? parseCommand(incoming.text) : undefined;
    // History, progress, export, deletion and reminders work at any point and leave a
    // reflection in progress where it was.
    for (const handler of this.globalHandlers) {
      if (await handler.tryHandle(context, typed, submitted?.ok ? submitted.value : undefined)) return;
    }

    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status !== DialogTurnStatus.empty) return;

    const { activity } = context;
    if (activity.value !== undefined) {
      const submit = parseCardSubmit(activity.value);
      if (submit.ok && submit.value.verb === "startReflection") {
        await dc.beginDialog(DialogIds.reflection);
      } else {
        // A card from a flow that has ended (or was never ours): nothing to do with it now.
        await context.sendActivity(submit.ok ? texts.alreadyAnswered : texts.cardNotUnderstood);
      }
      return;
    }

    const command = parseCommand(activity.text);
    if (!turnSession(context).session.profile.welcomedAt && command.kind !== "help") {
      await dc.beginDialog(DialogIds.reflection);
      return;
    }
    switch (command.kind) {
      case "help":
        await context.sendActivity({ attachments: [helpCard({ inPersonalChat: true })] });
        return;
      case "start":
        await dc.beginDialog(DialogIds.reflection);
        return;
      case "changeRole":
        await dc.beginDialog(DialogIds.changeRole);
        return;
      case "cancel":
        await context.sendActivity(texts.nothingToCancel);
        return;
      case "unknown":
        // An image or a file with no text is not "a command we did not understand".
        await context.sendActivity(command.text === "" ? texts.nonTextMessage : texts.unknown(command.text));
        return;
      default:
        // The global commands were handled above.
        return;
    }
  }
}
