import type { TurnContext } from "botbuilder";
import { DialogSet, DialogTurnStatus, type DialogContext } from "./sdk";
import { guessCard, helpCard } from "../cards/views";
import type { CardSubmit } from "../domain/cardSubmit";
import type { Command } from "../domain/commands";
import { texts } from "../kernel/texts";
import { guessCommand } from "../domain/commandGuess";
import { dialogStateAccessor, turnSession } from "./turnSession";
import { ChangeRoleDialog } from "./changeRoleDialog";
import { DialogIds } from "./dialogIds";
import { ReflectionDialog } from "./reflectionDialog";
import type { ReflectionServices } from "./services";
import { escapeMarkdown } from "../domain/cleanText";

/** The typed commands that belong to the reflection dialogs (the route table sends only these here). */
export type DialogCommand = Extract<Command, { kind: "help" | "start" | "cancel" | "changeRole" | "unknown" }>;

/**
 * The multi-step part of the personal chat: the reflection and "skift rolle" dialogs. An active
 * dialog gets the turn first (its CancelAndHelp base handles "hjælp" and "annuller"); with
 * none, a command or a card button starts one, and anything else gets a helpful answer.
 */
export class PersonalChat {
  private readonly dialogs: DialogSet;
  private readonly insightConsent;

  constructor(services: ReflectionServices) {
    this.insightConsent = services.insightConsent;
    this.dialogs = new DialogSet(dialogStateAccessor);
    this.dialogs.add(new ReflectionDialog(services));
    this.dialogs.add(new ChangeRoleDialog(services));
  }

  /** First contact (install, or the first message): the welcome is the role card of a reflection. */
  async welcomeIfNew(context: TurnContext): Promise<void> {
    if (turnSession(context).session.profile.welcomedAt) return;
    await this.withDialogs(context, async (dc) => {
      if (!dc.activeDialog) await dc.beginDialog(DialogIds.reflection);
    });
  }

  async onCommand(context: TurnContext, command: DialogCommand): Promise<void> {
    await this.withDialogs(context, async (dc) => {
      if ((await dc.continueDialog()).status !== DialogTurnStatus.empty) return;
      if (!turnSession(context).session.profile.welcomedAt && command.kind !== "help") {
        await dc.beginDialog(DialogIds.reflection);
        return;
      }
      switch (command.kind) {
        case "help":
          await context.sendActivity({ attachments: [helpCard({ inPersonalChat: true, insightConsent: this.insightConsent })] });
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
        case "unknown": {
          // A likely command is offered as a button; nothing runs on a guess.
          const guess = guessCommand(command.text);
          if (guess) await context.sendActivity({ attachments: [guessCard({ text: command.text, command: guess })] });
          else await context.sendActivity(texts.unknown(escapeMarkdown(command.text)));
          return;
        }
      }
    });
  }

  async onCard(context: TurnContext, submit: CardSubmit): Promise<void> {
    await this.withDialogs(context, async (dc) => {
      if ((await dc.continueDialog()).status !== DialogTurnStatus.empty) return;
      // From a group's invitation the card names the meeting's theme: the reflection starts on it,
      // and its end offers to share a point with the group (checked again then).
      if (submit.verb === "startReflection") {
        const { groupId, meetingId } = submit.inputs;
        const { session } = turnSession(context);
        if (typeof groupId === "string" && typeof meetingId === "string" && groupId.length < 500 && meetingId.length < 100) session.preparingFor = { groupId, meetingId };
        else delete session.preparingFor;
        // "Kort refleksion" on a reminder: whichever theme is chosen, the reflection is the short one.
        const short = submit.inputs.short === "true";
        await dc.beginDialog(DialogIds.reflection, submit.themeId || short ? { ...(submit.themeId ? { themeId: submit.themeId } : {}), ...(short ? { short: true } : {}) } : undefined);
      }
      // A card from a flow that has ended: nothing to do with it now.
      else await context.sendActivity(texts.alreadyAnswered);
    });
  }

  /** An image or a file: a card waiting for an answer says so; otherwise say what the bot reads. */
  async onNonText(context: TurnContext): Promise<void> {
    await this.withDialogs(context, async (dc) => {
      if ((await dc.continueDialog()).status === DialogTurnStatus.empty) await context.sendActivity(texts.nonTextMessage);
    });
  }

  /**
   * Runs dialog work and marks the session changed when a dialog was or is on the stack: the
   * dialogs change their state (and the draft beside it) in place, so that is when the session
   * has something new to keep.
   */
  private async withDialogs(context: TurnContext, work: (dc: DialogContext) => Promise<void>): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    const hadDialog = dc.stack.length > 0;
    await work(dc);
    if (hadDialog || dc.stack.length > 0) turnSession(context).markChanged();
  }
}
