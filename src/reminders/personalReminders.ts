import { followUpCard, nudgeCard } from "../cards/reminderCards";
import type { Framework } from "../domain/framework";
import { asReflectionId } from "../domain/ids";
import { partitionKeyOf, userKeyFromPartition, type UserKey } from "../domain/identity";
import type { Reflection } from "../domain/reflection";
import { emptySession, type NudgeSettings } from "../domain/session";
import { suggestTheme } from "../domain/themeSuggestion";
import type { ReflectionRepository } from "../storage/reflections";
import type { LoadedSession, UserSessionStore } from "../storage/userSessions";
import type { DaysOff } from "../domain/daysOff";
import { gentlerFrequencies, isPaused, REMINDERS_BEFORE_ASKING, type GentlerFrequency } from "../domain/pause";
import type { AbsenceCheck } from "../graph/outOfOffice";
import { explainedRuns, firstRun, type PlannedRun } from "../nudges/plannedRuns";
import { DEFAULT_TIMEZONE, localDate } from "../domain/time";
import { nextOccurrence, type Recurrence } from "../domain/recurrence";
import type { Schedule } from "../nudges/schedule";
import type { RunWrite, ScheduleStore } from "../nudges/scheduleStore";
import type { Composition } from "../nudges/scheduler";
import { isWithinWorkingHours, morningOf, nextWorkingMoment } from "../nudges/workingHours";
import { AppError, ErrorCodes } from "../kernel/errors";
import type { Logger } from "../kernel/log";
import { counts, type InsightConsent } from "../domain/insight/aggregate";
import { recordReminder } from "../insight/contributions";

/** What the settings card suggests to someone who has never set reminders. */
export const SUGGESTED_NUDGES: NudgeSettings = { frequency: "biweekly", weekday: 2, time: "09:00" };

const NUDGE_ID = "nudge";
const SNOOZE_ID = "nudge-snooze";
const NOW_ID = "nudge-now";
const CATCH_UP_ID = "nudge-catch-up";

/** A leader's reminders and follow-ups: settings become schedules; due schedules become cards. */
export class PersonalNudges {
  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly schedules: ScheduleStore;
      readonly sessions: Pick<UserSessionStore, "load" | "loadMany" | "saveOperations">;
      readonly reflections: Pick<ReflectionRepository, "get">;
      readonly clock: () => Date;
      readonly daysOff: DaysOff;
      /** When set (OUT_OF_OFFICE_CHECK), leaders whose automatic replies are on get no reminder. */
      readonly absence?: AbsenceCheck;
      readonly log: Logger;
      /** INSIGHT_CONSENT: whether a reminder counts in Indsigt for a leader who said nothing (default: opt-out). */
      readonly insightConsent?: InsightConsent;
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
  upcoming(settings: NudgeSettings, timezone: string, count: number): PlannedRun[] {
    if (settings.frequency === "off") return [];
    const now = this.deps.clock();
    return explainedRuns({ recurrence: recurrenceOf(settings, timezone, now), timezone }, now, count, this.deps.daysOff);
  }

  /** "Påmind mig i morgen" (or `days` ahead): one extra reminder then, same time, on a working day. */
  async snooze(user: UserKey, timezone: string, days = 1): Promise<Date> {
    const at = this.deps.daysOff.nextOpen(nextWorkingMoment(new Date(this.deps.clock().getTime() + days * 24 * 3_600_000), timezone), timezone);
    await this.deps.schedules.upsert(this.schedule(user, SNOOZE_ID, "personal-nudge", at, undefined, {}, timezone));
    return at;
  }

  /**
   * Pauses reminders and follow-ups until a local date; on that date (09:00, or the next open
   * working moment) one catch-up reminder comes, not the pile that was skipped.
   */
  async pause(user: UserKey, until: string, timezone: string): Promise<void> {
    const at = this.deps.daysOff.nextOpen(morningOf(until, timezone), timezone);
    await this.deps.schedules.upsert(this.schedule(user, CATCH_UP_ID, "personal-nudge", at, undefined, { catchUp: true }, timezone));
  }

  async resume(user: UserKey): Promise<void> {
    await this.deps.schedules.delete({ pk: partitionKeyOf(user), id: CATCH_UP_ID });
  }

  /** A one-off follow-up on the commitment's date, 09:00 local (or the next open working day); none without a date. */
  followUpFor(user: UserKey, reflection: Reflection, timezone: string): Schedule | undefined {
    if (!reflection.followUpDate) return undefined;
    const at = this.deps.daysOff.nextOpen(morningOf(reflection.followUpDate, timezone), timezone);
    return this.schedule(user, `follow-up-${reflection.id}`, "follow-up", at, undefined, { reflectionId: reflection.id }, timezone);
  }

  /** Local development: a reminder now, whatever the hour (a one-off beside the real schedule). */
  async runNow(user: UserKey): Promise<void> {
    await this.deps.schedules.upsert(this.schedule(user, NOW_ID, "personal-nudge", this.deps.clock(), undefined, { anyHour: true }));
  }

  /** The sessions of the owners of a chunk of due reminders and follow-ups, read at once (the scheduler's Prefetch). */
  async sessionsOf(schedules: readonly Schedule[]): Promise<ReadonlyMap<string, LoadedSession>> {
    const users = schedules.filter((s) => s.kind === "personal-nudge" || s.kind === "follow-up").map((s) => userKeyFromPartition(s.pk)).filter((u): u is UserKey => u !== undefined);
    return this.deps.sessions.loadMany(users);
  }

  /**
   * The composer for the scheduler: what a due personal nudge or follow-up sends, if anything.
   * `sessions` holds the owner's session when the scheduler read it with its chunk's; else it is read here.
   */
  async compose(schedule: Schedule, runAt: Date, sessions?: ReadonlyMap<string, LoadedSession>): Promise<Composition> {
    const user = userKeyFromPartition(schedule.pk);
    if (!user) return { kind: "skip", reason: "not a user's schedule" };
    const loaded = sessions ? (sessions.get(schedule.pk) ?? { session: emptySession(), eTag: undefined }) : await this.deps.sessions.load(user);
    const { session, eTag } = loaded;
    const conversation = session.conversation;
    if (eTag === undefined || !conversation) return { kind: "skip", reason: "no conversation with the user" };
    if (!conversation.active) return { kind: "skip", reason: `conversation inactive (${conversation.inactiveReason ?? "unknown"})` };
    const timezone = session.profile.timezone ?? DEFAULT_TIMEZONE;
    if (!isWithinWorkingHours(runAt, timezone) && schedule.payload.anyHour !== true) return { kind: "skip", reason: "outside working hours" };
    if (isPaused(session.profile.pausedUntil, localDate(runAt, timezone))) return { kind: "skip", reason: `paused until ${session.profile.pausedUntil}` };
    if (schedule.payload.anyHour !== true && (await this.isAway(user))) return { kind: "skip", reason: "automatic replies are on" };

    if (schedule.kind === "follow-up") {
      const reflection = await this.deps.reflections.get(user, asReflectionId(String(schedule.payload.reflectionId)));
      if (!reflection) return { kind: "skip", reason: "the reflection no longer exists" };
      // The next reflection on the theme asked already (or the leader wrote it in "historik"): not twice.
      if ((reflection.followUps ?? []).length > 0) return { kind: "skip", reason: "how the plan went is already recorded" };
      return { kind: "send", conversation, message: { attachments: [followUpCard(reflection)] } };
    }
    const themeId = suggestTheme(this.deps.framework.themes, session.profile.lastReflectedAt);
    const theme = this.deps.framework.theme(themeId ?? "") ?? this.deps.framework.themes[0]!;
    const last = Object.values(session.profile.lastReflectedAt).sort().at(-1);
    const counted = this.countReminder(user, loaded);
    return {
      kind: "send",
      conversation,
      message: {
        attachments: [
          nudgeCard({ themeTitle: theme.title, lastReflectedAt: last, catchUp: schedule.payload.catchUp === true, gentler: counted.ask }),
        ],
      },
      run: counted.run,
    };
  }

  /**
   * Counts a reminder sent since the leader last reflected (never shown: no streaks), and in
   * Indsigt: the session's new state, written with the reminder's schedule in one transaction
   * (the run's writes). Says which gentler frequencies to offer when this is the reminder that
   * should ask, once per lapse; if the session changed before the write, the count is made again
   * on it, with the same question (the card already asks it, or does not).
   */
  private countReminder(user: UserKey, loaded: LoadedSession, asks?: boolean): { ask: readonly GentlerFrequency[]; run: RunWrite } {
    const { session, eTag } = loaded;
    const profile = session.profile;
    const count = profile.remindersSinceReflection ?? 0;
    const frequency = profile.nudges?.frequency;
    const gentler = frequency === undefined || frequency === "off" ? [] : gentlerFrequencies(frequency);
    const ask = asks ?? (count >= REMINDERS_BEFORE_ASKING && !profile.frequencyQuestionAsked && gentler.length > 0);
    // The reminder counts in Indsigt (how many, and whether a reflection followed), with the session.
    const insight = recordReminder(session.insight, profile.roleId, { pk: partitionKeyOf(user), tenantId: user.tenantId }, counts(profile.insightChoice, this.deps.insightConsent ?? "opt-out"), this.deps.clock());
    const next = { ...session, ...(insight.insight ? { insight: insight.insight } : {}), profile: { ...profile, remindersSinceReflection: count + 1, ...(ask ? { frequencyQuestionAsked: true } : {}) } };
    const run: RunWrite = {
      operations: this.deps.sessions.saveOperations(user, next, eTag, insight.staged ? [insight.staged] : []),
      redo: async () => {
        const fresh = await this.deps.sessions.load(user);
        // Gone or being erased meanwhile ("slet mine data" leaves a session without a conversation): nothing to count on.
        return fresh.eTag === undefined || !fresh.session.conversation ? undefined : this.countReminder(user, fresh, ask).run;
      },
    };
    return { ask: ask ? gentler : [], run };
  }

  /** Out of office (optional): a failing check never stops a reminder. */
  private async isAway(user: UserKey): Promise<boolean> {
    if (!this.deps.absence) return false;
    try {
      return await this.deps.absence.isAway(user, this.deps.clock());
    } catch (err) {
      // A reminder too many beats a leader who silently stops getting any while Graph is down.
      this.deps.log.warn({ code: ErrorCodes.outOfOfficeCheckFailed.code, err }, ErrorCodes.outOfOfficeCheckFailed.description);
      return false;
    }
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
  if (settings.frequency === "off") throw new AppError(ErrorCodes.invariantBroken, { detail: "recurrenceOf: reminders are off" });
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
