import { followUpCard, nudgeCard } from "../cards/views";
import type { Framework } from "../content/framework";
import { asReflectionId } from "../domain/ids";
import { partitionKeyOf, userKeyFromPartition, type UserKey } from "../domain/identity";
import type { Reflection } from "../domain/reflection";
import type { NudgeSettings } from "../domain/session";
import { suggestTheme } from "../domain/themeSuggestion";
import type { ReflectionRepository } from "../storage/reflections";
import type { SessionStore } from "../storage/userSessions";
import type { DaysOff } from "../domain/daysOff";
import { firstRun, plannedRuns } from "./plannedRuns";
import { localDate, nextOccurrence, type Recurrence } from "./recurrence";
import type { Schedule } from "./schedule";
import type { ScheduleStore } from "./scheduleStore";
import type { Composition } from "./scheduler";
import { isWithinWorkingHours, morningOf, nextWorkingMoment } from "./workingHours";

export const DEFAULT_TIMEZONE = "Europe/Copenhagen";
/** What the settings card suggests to someone who has never set reminders. */
export const SUGGESTED_NUDGES: NudgeSettings = { frequency: "biweekly", weekday: 2, time: "09:00" };

const NUDGE_ID = "nudge";
const SNOOZE_ID = "nudge-snooze";
const NOW_ID = "nudge-now";

/** A leader's reminders and follow-ups: settings become schedules; due schedules become cards. */
export class PersonalNudges {
  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly schedules: ScheduleStore;
      readonly sessions: SessionStore;
      readonly reflections: Pick<ReflectionRepository, "get">;
      readonly clock: () => Date;
      readonly daysOff: DaysOff;
    },
  ) {}

  /** Stores the schedule for new settings; returns the next reminder, or undefined when off. */
  async configure(user: UserKey, settings: NudgeSettings, timezone: string): Promise<Date | undefined> {
    const now = this.deps.clock();
    if (settings.frequency === "off") {
      await this.deps.schedules.delete({ pk: partitionKeyOf(user), id: NUDGE_ID });
      await this.deps.schedules.delete({ pk: partitionKeyOf(user), id: SNOOZE_ID });
      await this.deps.schedules.delete({ pk: partitionKeyOf(user), id: NOW_ID });
      return undefined;
    }
    const recurrence = recurrenceOf(settings, timezone, now);
    const next = firstRun({ recurrence, timezone }, now, this.deps.daysOff);
    await this.deps.schedules.upsert(this.schedule(user, NUDGE_ID, "personal-nudge", next, recurrence, {}, timezone));
    return next;
  }

  /** The next few reminders as they will really come (moved off holidays and closed days). */
  upcoming(settings: NudgeSettings, timezone: string, count: number): Date[] {
    if (settings.frequency === "off") return [];
    const now = this.deps.clock();
    return plannedRuns({ recurrence: recurrenceOf(settings, timezone, now), timezone }, now, count, this.deps.daysOff);
  }

  /** "Påmind mig i morgen": one extra reminder tomorrow, same time, on a weekday. */
  async snooze(user: UserKey, timezone: string): Promise<Date> {
    const at = this.deps.daysOff.nextOpen(nextWorkingMoment(new Date(this.deps.clock().getTime() + 24 * 3_600_000), timezone), timezone);
    await this.deps.schedules.upsert(this.schedule(user, SNOOZE_ID, "personal-nudge", at, undefined, {}, timezone));
    return at;
  }

  /** A one-off follow-up on the commitment's date, 09:00 local (or the next weekday). */
  async scheduleFollowUp(user: UserKey, reflection: Reflection, timezone: string): Promise<void> {
    if (!reflection.followUpDate) return;
    const at = this.deps.daysOff.nextOpen(morningOf(reflection.followUpDate, timezone), timezone);
    await this.deps.schedules.upsert(this.schedule(user, `follow-up-${reflection.id}`, "follow-up", at, undefined, { reflectionId: reflection.id }, timezone));
  }

  /** Local development: a reminder now, whatever the hour (a one-off beside the real schedule). */
  async runNow(user: UserKey): Promise<void> {
    await this.deps.schedules.upsert(this.schedule(user, NOW_ID, "personal-nudge", this.deps.clock(), undefined, { anyHour: true }));
  }

  /** The composer for the scheduler: what a due personal nudge or follow-up sends, if anything. */
  async compose(schedule: Schedule, runAt: Date): Promise<Composition> {
    const user = userKeyFromPartition(schedule.pk);
    if (!user) return { kind: "skip", reason: "not a user's schedule" };
    const { session, eTag } = await this.deps.sessions.load(user);
    const conversation = session.conversation;
    if (eTag === undefined || !conversation) return { kind: "skip", reason: "no conversation with the user" };
    if (!conversation.active) return { kind: "skip", reason: `conversation inactive (${conversation.inactiveReason ?? "unknown"})` };
    const timezone = session.profile.timezone ?? DEFAULT_TIMEZONE;
    if (!isWithinWorkingHours(runAt, timezone) && schedule.payload.anyHour !== true) return { kind: "skip", reason: "outside working hours" };

    if (schedule.kind === "follow-up") {
      const reflection = await this.deps.reflections.get(user, asReflectionId(String(schedule.payload.reflectionId)));
      if (!reflection) return { kind: "skip", reason: "the reflection no longer exists" };
      return { kind: "send", conversation, message: { attachments: [followUpCard(reflection)] } };
    }
    const themeId = suggestTheme(this.deps.framework.themes, session.profile.lastReflectedAt);
    const theme = this.deps.framework.theme(themeId ?? "") ?? this.deps.framework.themes[0]!;
    const last = Object.values(session.profile.lastReflectedAt).sort().at(-1);
    return { kind: "send", conversation, message: { attachments: [nudgeCard({ themeTitle: theme.title, lastReflectedAt: last })] } };
  }

  private schedule(
    user: UserKey,
    id: string,
    kind: Schedule["kind"],
    at: Date,
    recurrence: Recurrence | undefined,
    payload: Record<string, unknown>,
    timezone?: string,
  ): Schedule {
    return {
      id,
      pk: partitionKeyOf(user),
      type: "schedule",
      kind,
      tenantId: user.tenantId,
      active: true,
      nextRunAt: at.toISOString(),
      ...(recurrence ? { recurrence } : {}),
      ...(timezone ? { timezone } : {}),
      payload,
    };
  }
}

export function recurrenceOf(settings: NudgeSettings, timezone: string, now: Date): Recurrence {
  if (settings.frequency === "off") throw new Error("recurrenceOf: reminders are off");
  return {
    frequency: settings.frequency,
    weekday: settings.weekday,
    time: settings.time,
    timezone,
    ...(settings.frequency === "monthly" ? { weekOfMonth: 1 as const } : {}),
    // Every other week counts from the first week the setting applies.
    ...(settings.frequency === "biweekly" ? { anchor: localDate(nextOccurrence({ ...settings, frequency: "weekly", timezone }, now), timezone) } : {}),
  };
}
