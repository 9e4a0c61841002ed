import { pauseCard, remindersCard } from "../cards/reminderCards";
import { receiptCard } from "../cards/views";
import { isPaused, pauseUntil } from "../domain/pause";
import { danishDate, danishDaySoon } from "../cards/format";
import type { CardSubmit } from "../domain/cardSubmit";
import type { NudgeFrequency, NudgeSettings } from "../domain/session";
import { recurrenceOf, SUGGESTED_NUDGES, type PersonalNudges } from "../reminders/personalReminders";
import { DEFAULT_TIMEZONE, localDate, REMINDER_TIMES } from "../domain/time";
import { describeRecurrence } from "../domain/recurrence";
import { texts } from "../kernel/texts";
import { replaceClicked, say, show, type PersonalTurn, type Reply } from "../cards/replies";
import { escapeMarkdown } from "../domain/cleanText";
import { shown, type Shown } from "../kernel/shown";
import type { CardAttachment } from "../cards/renderCard";
import type { TurnSession } from "../domain/turnSession";

const FREQUENCIES: readonly NudgeFrequency[] = ["off", "weekly", "biweekly", "monthly"];

/** A snooze is for days, not months: the farthest a card's `days` may ask (a week and a weekend). */
export const MAX_SNOOZE_DAYS = 9;

/** "påmindelser": the settings card, its save, "Påmind mig i morgen" on a nudge, and the local test shortcut. */
export class Reminders {
  constructor(
    private readonly nudges: PersonalNudges,
    private readonly options: { readonly clock: () => Date; readonly allowTimeTravel: boolean },
  ) {}

  /** "påmindelser": the settings card, with the user's own settings or the suggestion. */
  showSettings(turn: PersonalTurn): Reply[] {
    return [show(this.settingsCard(turn.session))];
  }

  /**
   * The settings card; with `weekday` ("mind mig om det på fredag"), that day is chosen on it,
   * and reminders that are off are suggested again. Nothing is kept until "Gem påmindelser".
   */
  settingsCard(turn: TurnSession, weekday?: number): CardAttachment {
    const { session } = turn;
    const own = session.profile.nudges;
    const timezone = session.profile.timezone ?? DEFAULT_TIMEZONE;
    // A suggestion is said to be one until it is saved; a pause is said, and its dates are not promised.
    const now = this.describe(own ?? SUGGESTED_NUDGES, timezone, session.profile.pausedUntil);
    const nextText = own ? texts.remindersNow(now) : texts.remindersSuggested(now);
    const settings = weekday === undefined ? (own ?? SUGGESTED_NUDGES) : { ...(own && own.frequency !== "off" ? own : SUGGESTED_NUDGES), weekday };
    return remindersCard({ ...settings, nextText });
  }

  async save(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const settings = parseSettings(submit.inputs);
    return settings ? this.apply(turn, settings) : [say(texts.invalidReminders)];
  }

  /** "Påmind mig i morgen" on a nudge card, or a day the leader asked for ("mind mig om det på fredag": `days` ahead). */
  async snooze(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const { user, session } = turn.session;
    const days = Number(submit.inputs.days ?? 1);
    const at = await this.nudges.snooze(user, session.profile.timezone ?? DEFAULT_TIMEZONE, Number.isInteger(days) && days >= 1 && days <= MAX_SNOOZE_DAYS ? days : 1);
    return [replaceClicked(receiptCard({ title: texts.snoozed(danishDaySoon(at, this.options.clock(), session.profile.timezone ?? DEFAULT_TIMEZONE)) }))];
  }

  /** "pause påmindelser", or the button on a reminder: the card to pick the first day back. */
  showPause(turn: PersonalTurn): Reply[] {
    const { profile } = turn.session.session;
    const today = this.today(turn);
    return [
      show(
        pauseCard({
          today,
          pausedUntil: profile.pausedUntil && profile.pausedUntil > today ? profile.pausedUntil : undefined,
          timezone: profile.timezone ?? DEFAULT_TIMEZONE,
        }),
      ),
    ];
  }

  async savePause(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const { user, session } = turn.session;
    const until = pauseUntil(submit.inputs.until, this.today(turn));
    if (!until.ok) return [say(texts.invalidPause(until.error))];
    session.profile.pausedUntil = until.value;
    turn.session.markChanged();
    await this.nudges.pause(user, until.value, session.profile.timezone ?? DEFAULT_TIMEZONE);
    return [replaceClicked(receiptCard({ title: texts.pausedTitle, subtitle: texts.paused(danishDate(until.value)) }))];
  }

  async resume(turn: PersonalTurn): Promise<Reply[]> {
    const { user, session } = turn.session;
    if (!session.profile.pausedUntil) return [say(texts.notPaused)];
    delete session.profile.pausedUntil;
    turn.session.markChanged();
    await this.nudges.resume(user);
    return [replaceClicked(receiptCard({ title: texts.resumedReminders }))];
  }

  /** "Skal jeg minde dig sjældnere?" on a reminder: a gentler frequency, the same day and time. */
  async changeFrequency(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const current = turn.session.session.profile.nudges;
    const frequency = submit.inputs.frequency;
    if (frequency === "keep") return [replaceClicked(receiptCard({ title: texts.keptFrequency }))];
    if (!current || current.frequency === "off" || (frequency !== "biweekly" && frequency !== "monthly" && frequency !== "off")) {
      return [say(texts.invalidReminders)];
    }
    return this.apply(turn, { ...current, frequency });
  }

  /** Keeps new settings, schedules them, and turns the clicked card into a receipt with the next dates. */
  private async apply(turn: PersonalTurn, settings: NudgeSettings): Promise<Reply[]> {
    const { user, session } = turn.session;
    const timezone = session.profile.timezone ?? DEFAULT_TIMEZONE;
    session.profile.nudges = settings;
    turn.session.markChanged();
    await this.nudges.configure(user, settings, timezone);
    return [replaceClicked(receiptCard({ title: texts.remindersSavedTitle, subtitle: this.describe(settings, timezone) }))];
  }

  /** "påmind mig nu": a local-development shortcut; a registered bot says so instead of staying silent. */
  async remindNow(turn: PersonalTurn): Promise<Reply[]> {
    if (!this.options.allowTimeTravel) return [say(texts.remindMeNowLocalOnly)];
    await this.nudges.runNow(turn.session.user);
    return [say(texts.remindMeNow)];
  }

  private today(turn: PersonalTurn): string {
    return localDate(this.options.clock(), turn.session.session.profile.timezone ?? DEFAULT_TIMEZONE);
  }

  /** The schedule in words with the next dates that will really come: none inside a pause, which is named. */
  private describe(settings: NudgeSettings, timezone: string, pausedUntil?: string): Shown {
    if (settings.frequency === "off") return texts.noReminders;
    const recurrence = recurrenceOf(settings, timezone, this.options.clock());
    const paused = pausedUntil && isPaused(pausedUntil, localDate(this.options.clock(), timezone)) ? pausedUntil : undefined;
    const next = this.nudges
      .upcoming(settings, timezone, paused ? 12 : 3)
      .filter((run) => !paused || localDate(run.at, timezone) >= paused)
      .slice(0, 3)
      .map((run) => texts.plannedDate(danishDate(run.at.toISOString(), timezone), run.movedFrom && { from: danishDate(run.movedFrom.at.toISOString(), timezone), reason: escapeMarkdown(run.movedFrom.reason) }));
    const schedule = texts.reminderSchedule(describeRecurrence(recurrence), next);
    return paused ? shown`${texts.pausedUntilNote(danishDate(paused, timezone))} ${schedule}` : schedule;
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
