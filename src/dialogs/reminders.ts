import type { TurnContext } from "botbuilder";
import { receiptCard, remindersCard, REMINDER_TIMES } from "../cards/views";
import { danishDate } from "../cards/format";
import type { CardSubmit } from "../domain/cardSubmit";
import type { Command } from "../domain/commands";
import type { NudgeFrequency, NudgeSettings } from "../domain/session";
import { DEFAULT_TIMEZONE, recurrenceOf, SUGGESTED_NUDGES, type PersonalNudges } from "../nudges/personalNudges";
import { describeRecurrence, nextOccurrences } from "../nudges/recurrence";
import { texts } from "../texts";
import { turnSession } from "../bot/turnSession";
import { replaceSubmittedCard } from "./cardDialog";

const FREQUENCIES: readonly NudgeFrequency[] = ["off", "weekly", "biweekly", "monthly"];

/** "påmindelser": the settings card, its save, "Påmind mig i morgen" on a nudge, and the local test shortcut. */
export class Reminders {
  constructor(
    private readonly nudges: PersonalNudges,
    private readonly options: { readonly clock: () => Date; readonly allowTimeTravel: boolean },
  ) {}

  async tryHandle(context: TurnContext, command: Command | undefined, submit: CardSubmit | undefined): Promise<boolean> {
    switch (submit?.verb ?? command?.kind) {
      case "reminders":
        await this.showSettings(context);
        return true;
      case "saveReminders":
        await this.save(context, submit!);
        return true;
      case "snoozeNudge":
        await this.snooze(context);
        return true;
      case "remindMeNow":
        if (!this.options.allowTimeTravel) return false;
        await this.nudges.runNow(turnSession(context).user);
        await context.sendActivity(texts.remindMeNow);
        return true;
      default:
        return false;
    }
  }

  private async showSettings(context: TurnContext): Promise<void> {
    const { session } = turnSession(context);
    const settings = session.profile.nudges ?? SUGGESTED_NUDGES;
    await context.sendActivity({
      attachments: [remindersCard({ ...settings, nextText: this.describe(settings, session.profile.timezone ?? DEFAULT_TIMEZONE) })],
    });
  }

  private async save(context: TurnContext, submit: CardSubmit): Promise<void> {
    const settings = parseSettings(submit.inputs);
    if (!settings) {
      await context.sendActivity(texts.invalidReminders);
      return;
    }
    const { user, session } = turnSession(context);
    const timezone = session.profile.timezone ?? DEFAULT_TIMEZONE;
    session.profile.nudges = settings;
    await this.nudges.configure(user, settings, timezone);
    await replaceSubmittedCard(context, receiptCard({ title: "Påmindelser gemt", subtitle: this.describe(settings, timezone) }));
    if (!context.activity.replyToId) await context.sendActivity(texts.remindersSaved(this.describe(settings, timezone)));
  }

  private async snooze(context: TurnContext): Promise<void> {
    const { user, session } = turnSession(context);
    const at = await this.nudges.snooze(user, session.profile.timezone ?? DEFAULT_TIMEZONE);
    await replaceSubmittedCard(context, receiptCard({ title: `Jeg minder dig om det igen ${danishDate(at.toISOString(), session.profile.timezone)}.` }));
  }

  private describe(settings: NudgeSettings, timezone: string): string {
    if (settings.frequency === "off") return "Ingen påmindelser.";
    const recurrence = recurrenceOf(settings, timezone, this.options.clock());
    const next = nextOccurrences(recurrence, this.options.clock(), 3).map((d) => danishDate(d.toISOString(), timezone));
    return `Påmindelse ${describeRecurrence(recurrence)}. De næste: ${next.join(", ")}.`;
  }
}

/** The card's inputs as settings, or undefined when anything is off the card's own choices. */
export function parseSettings(inputs: Readonly<Record<string, unknown>>): NudgeSettings | undefined {
  const frequency = inputs.frequency;
  const weekday = Number(inputs.weekday);
  const time = inputs.time;
  if (typeof frequency !== "string" || !(FREQUENCIES as readonly string[]).includes(frequency)) return undefined;
  if (!Number.isInteger(weekday) || weekday < 1 || weekday > 5) return undefined;
  if (typeof time !== "string" || !REMINDER_TIMES.includes(time)) return undefined;
  return { frequency: frequency as NudgeFrequency, weekday, time };
}
