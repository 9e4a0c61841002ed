import type { TurnContext } from "botbuilder";
import { DialogSet, DialogTurnStatus, type DialogContext } from "./sdk";
import { guessCard, helpCard, offerCard } from "../cards/views";
import type { CardAttachment } from "../cards/renderCard";
import { danishDaySoon } from "../cards/format";
import type { CardSubmit } from "../domain/cardSubmit";
import type { Command } from "../domain/commands";
import { texts } from "../kernel/texts";
import { daysAhead, understandLeaderText } from "../domain/leaderText";
import { addDays, DEFAULT_TIMEZONE, isoWeekday, localDate } from "../domain/time";
import type { TurnSession } from "../domain/turnSession";
import { cardWaits, placeOf } from "./place";
import { dialogStateAccessor, turnSession } from "./turnSession";
import { ChangeRoleDialog } from "./changeRoleDialog";
import { DialogIds } from "./dialogIds";
import { ReflectionDialog } from "./reflectionDialog";
import type { ReflectionServices } from "./services";
import { escapeMarkdown } from "../domain/cleanText";
import { EMPTY, shown, trusted } from "../kernel/shown";

/** The typed commands that belong to the reflection dialogs (the route table sends only these here). */
export type DialogCommand = Extract<Command, { kind: "help" | "start" | "startShort" | "cancel" | "changeRole" | "unknown" }>;

/** What the chat needs from the reminders: their card with a day chosen ("mind mig om det på fredag"). */
export interface ReminderCards {
  settingsCard(turn: TurnSession, weekday?: number): CardAttachment;
}

/**
 * The multi-step part of the personal chat: the reflection and "skift rolle" dialogs. An active
 * dialog gets the turn first (its CancelAndHelp base handles "hjælp" and "annuller"); with
 * none, a command or a card button starts one, and anything else gets a helpful answer.
 */
/**
 * Where botbuilder-dialogs keeps, per turn, the memory scopes and path resolvers every
 * DialogContext of the turn shares (botbuilder-dialogs/lib/memory/dialogStateManager.js).
 */
const DIALOG_STATE_CONFIGURATION = "DialogStateManagerConfiguration";

export class PersonalChat {
  private readonly dialogs: DialogSet;
  private readonly insightConsent;
  /**
   * The dialog memory's configuration. botbuilder-dialogs builds it afresh on each turn (it asks
   * every registered component and validates each with zod): a fifth of a turn's own work. It is
   * the same every turn, so it is built on the first and handed to the others.
   */
  private stateConfiguration: unknown;

  private readonly clock: () => Date;

  constructor(
    services: ReflectionServices,
    private readonly reminders: ReminderCards,
  ) {
    this.insightConsent = services.insightConsent;
    this.clock = services.clock;
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
      // Typed text is understood wherever the leader is; a card that waits stays where it was.
      if (command.kind === "unknown" && (await this.answerWritten(context, dc, command.text))) return;
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
        case "startShort":
          await dc.beginDialog(DialogIds.reflection, { short: true });
          return;
        case "changeRole":
          await dc.beginDialog(DialogIds.changeRole);
          return;
        case "cancel":
          await context.sendActivity(texts.nothingToCancel);
          return;
        case "unknown":
          // Neither a command, a likely one, nor a sentence the bot understands.
          await context.sendActivity(texts.unknown(escapeMarkdown(command.text)));
          return;
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

  /**
   * Answers what a leader wrote as to a colleague (domain/leaderText.ts), with the one next step
   * that fits where they are; false when it is none of that, and the caller answers as before.
   * Nothing here moves a dialog: the card that waits still takes its answer afterwards.
   */
  private async answerWritten(context: TurnContext, dc: DialogContext, text: string): Promise<boolean> {
    const understood = understandLeaderText(text);
    if (!understood) return false;
    const { session } = turnSession(context);
    // First contact: the welcome comes first, whatever was written (a greeting is returned).
    if (!session.profile.welcomedAt && dc.stack.length === 0) {
      if ("greeting" in understood && understood.greeting) await context.sendActivity(texts.talk.greeting[understood.greeting]);
      await dc.beginDialog(DialogIds.reflection);
      return true;
    }
    const place = placeOf(dc, session);
    const greeting = "greeting" in understood && understood.greeting ? shown`${texts.talk.greeting[understood.greeting]} ` : EMPTY;
    switch (understood.kind) {
      case "command":
        // A likely command is offered as a button; nothing runs on a guess.
        await context.sendActivity({ attachments: [guessCard({ text, command: understood.command })] });
        return true;
      case "smallTalk": {
        const said = understood.talk === "greeting" ? "" : `${texts.talk[understood.talk]} `;
        await context.sendActivity(`${greeting}${said}${texts.talk.next[place]}`.trim());
        return true;
      }
      case "time": {
        const fits = understood.fits === "short" ? texts.talk.timeShort : texts.talk.timeFull;
        if (place === "theme") await context.sendActivity(`${greeting}${fits} ${texts.talk.timeOnThemeCard}`);
        else if (cardWaits(place)) await context.sendActivity(`${greeting}${fits} ${texts.talk.next[place]}`);
        else {
          const short = { title: texts.talk.shortButton, verb: "startReflection" as const, inputs: { short: "true" } };
          const full = { title: texts.talk.fullButton, verb: "startReflection" as const };
          await context.sendActivity({ attachments: [offerCard({ text: shown`${greeting}${fits}`, buttons: understood.fits === "short" ? [short, full] : [full, short] })] });
        }
        return true;
      }
      case "remindLater": {
        const timezone = session.profile.timezone ?? DEFAULT_TIMEZONE;
        const today = localDate(this.clock(), timezone);
        const days = daysAhead(understood.day, isoWeekday(today));
        const day = addDays(today, days);
        const weekday = texts.weekdayName(isoWeekday(day));
        if (cardWaits(place) || place === "reminder") {
          // A one-off reminder that day (the nudge card's snooze), beside whatever waits.
          // Noon UTC of that local date falls on the same date in any zone a municipality uses.
          const when = danishDaySoon(new Date(`${day}T12:00:00Z`), this.clock(), timezone);
          await context.sendActivity({ attachments: [offerCard({ text: shown`${greeting}${texts.talk.offerSnooze(when)}`, buttons: [{ title: texts.talk.snoozeButton(days === 1 ? trusted("i morgen") : weekday), verb: "snoozeNudge", inputs: { days: String(days) } }] })] });
        } else {
          // Reminders are set for working days: a weekend day asks for the Monday after.
          const workday = isoWeekday(day) <= 5 ? isoWeekday(day) : 1;
          await context.sendActivity(`${greeting}${texts.talk.offerReminders(texts.weekdayName(workday))}`);
          await context.sendActivity({ attachments: [this.reminders.settingsCard(turnSession(context), workday)] });
        }
        return true;
      }
    }
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
    if (this.stateConfiguration) context.turnState.set(DIALOG_STATE_CONFIGURATION, this.stateConfiguration);
    const dc = await this.dialogs.createContext(context);
    this.stateConfiguration ??= context.turnState.get(DIALOG_STATE_CONFIGURATION);
    const hadDialog = dc.stack.length > 0;
    await work(dc);
    if (hadDialog || dc.stack.length > 0) turnSession(context).markChanged();
  }
}
