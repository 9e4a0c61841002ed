import { LIMITS, type Reflection } from "../domain/reflection";
import { MAX_PAUSE_DAYS, type GentlerFrequency } from "../domain/pause";
import { texts } from "../kernel/texts";
import { REMINDER_TIMES } from "../domain/time";
import { danishDate } from "./format";
import { renderCard, type CardAttachment } from "./renderCard";
import { shownAsTyped as md } from "../domain/cleanText";
import { EMPTY, type Shown } from "../kernel/shown";

/** A leader's own reminders, as cards: setting them, the reminder itself, a pause, and the follow-up of a commitment. */
/** Reminder times offered: on the half hour, within working hours. */

export function remindersCard(args: { frequency: string; weekday: number; time: string; nextText: Shown }): CardAttachment {
  return renderCard("reminders", { ...args, weekday: String(args.weekday), times: REMINDER_TIMES });
}

export function nudgeCard(args: {
  themeTitle: Shown;
  lastReflectedAt: string | undefined;
  /** The one reminder after a pause. */
  catchUp?: boolean;
  gentler?: readonly GentlerFrequency[];
}): CardAttachment {
  return renderCard("nudge", {
    title: args.catchUp ? texts.card.welcomeBack : texts.card.nudgeTitle,
    themeTitle: args.themeTitle,
    gentler: (args.gentler ?? []).map((value) => ({ value, title: texts.card.gentler[value] })),
    lead: args.lastReflectedAt ? texts.card.nudgeLead(danishDate(args.lastReflectedAt)) : texts.card.nudgeFirst,
  });
}

/** "pause påmindelser": pick the first day back (tomorrow at the earliest, a year at the most). */
export function pauseCard(args: { today: string; pausedUntil: string | undefined; timezone: string }): CardAttachment {
  const day = (offset: number) => new Date(Date.parse(`${args.today}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  return renderCard("pause", {
    intro: texts.card.pauseIntro,
    pausedText: args.pausedUntil ? texts.paused(danishDate(args.pausedUntil)) : EMPTY,
    min: day(1),
    max: day(MAX_PAUSE_DAYS),
    value: args.pausedUntil ?? day(14),
  });
}

export function followUpCard(reflection: Reflection): CardAttachment {
  return renderCard("follow-up", {
    reflectionId: reflection.id,
    intro: texts.card.followUpIntro(reflection.themeTitle, danishDate(reflection.completedAt)),
    commitment: reflection.commitment ? md(reflection.commitment) : texts.card.noNextStep,
    followUpMax: LIMITS.followUp,
  });
}
