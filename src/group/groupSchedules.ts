import { groupQuestionsCard, weeklyThemeCard, type GroupStatus } from "../cards/groupCards";
import { danishDateTime } from "../cards/format";
import type { Framework, Theme } from "../domain/framework";
import { DEFAULT_INVITE_HOURS, effectiveGroupSettings, meetingMinutesOf, themeFor, type Cadence, type GroupSettings } from "../domain/group/groupSettings";
import type { StoredConversation } from "../domain/conversation";
import type { DaysOff } from "../domain/daysOff";
import type { GroupDocuments } from "../storage/groupDocuments";
import { texts } from "../kernel/texts";
import type { OutgoingMessage } from "../nudges/messenger";
import type { Outbox, OutboxRecord } from "../nudges/outbox";
import { firstRun, plannedRuns } from "../nudges/plannedRuns";
import { describeRecurrence, nextOccurrence, type Recurrence, type WeekOfMonth } from "../domain/recurrence";
import type { Schedule } from "../nudges/schedule";
import type { ScheduleStore } from "../nudges/scheduleStore";
import type { Composition } from "../nudges/scheduler";
import { groupPartition } from "../domain/group/partition";
import { trusted, type Shown } from "../kernel/shown";
import { escapeMarkdown } from "../domain/cleanText";

const HOUR_MS = 3_600_000;

/**
 * The schedules a group's settings make. Their kinds keep the names they are stored under:
 * "channel-theme" and "channel-meeting" are the group's "Ugens tema" and questions before a meeting.
 */
type GroupScheduleKind = "channel-theme" | "channel-meeting" | "meeting-invitations" | "meeting-start" | "meeting-end";

/** What one save does to one schedule: sets it (its first run computed) or removes it. */
export type ScheduleChange = { readonly kind: GroupScheduleKind; readonly set?: Schedule };

/**
 * A leader group's schedules: the ones its settings make ("Ugens tema", the questions before
 * each meeting, the invitations, and the meeting loop's posts), what the theme and question
 * schedules post, the coming dates, and the "status" view. The decisions live in
 * domain/group/groupSettings, the document in storage/groupDocuments, the cards in cards/groupCards.
 */
export class GroupSchedules {
  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly documents: GroupDocuments;
      readonly schedules: ScheduleStore;
      readonly outbox: Outbox;
      readonly clock: () => Date;
      readonly daysOff: DaysOff;
    },
  ) {}

  /**
   * The schedules these settings make, each with its first run from now: computed before the
   * settings are stored, so settings that cannot be scheduled are never stored.
   */
  plan(conversation: StoredConversation, settings: GroupSettings): ScheduleChange[] {
    const pk = groupPartition(conversation.conversationId);
    const now = this.deps.clock();
    const { daysOff } = this.deps;
    const schedule = (kind: GroupScheduleKind, at: Date | undefined, recurrence: Recurrence | undefined, leadMs: number, extra: Partial<Schedule> = {}): ScheduleChange =>
      at && recurrence ? { kind, set: { id: kind, pk, type: "schedule", kind, tenantId: conversation.tenantId, active: true, nextRunAt: at.toISOString(), recurrence, leadMs, payload: {}, ...extra } } : { kind };
    const theme = themeRecurrence(settings);
    const meetings = meetingRecurrence(settings);
    const lead = settings.leadHours * HOUR_MS;
    // The invitations to prepare, a day (or as chosen) before each meeting, to each member.
    const invite = (settings.inviteHours ?? DEFAULT_INVITE_HOURS) * HOUR_MS;
    const changes = [
      schedule("channel-theme", theme && firstRun({ recurrence: theme, timezone: settings.timezone }, now, daysOff), theme, 0),
      schedule("channel-meeting", meetings && firstRun({ recurrence: meetings, leadMs: lead, timezone: settings.timezone }, now, daysOff), meetings, lead),
      schedule("meeting-invitations", meetings && invite > 0 ? firstRun({ recurrence: meetings, leadMs: invite, timezone: settings.timezone }, now, daysOff) : undefined, meetings, invite),
    ];
    // The meeting loop: "Dagens refleksion" if no start event came by ten minutes in, "Hvad aftalte I?" at the end.
    for (const kind of ["meeting-start", "meeting-end"] as const) {
      const edge = meetings ? meetingEdgeRecurrence(meetings, kind === "meeting-start" ? START_FALLBACK_MINUTES : meetingMinutesOf(settings)) : undefined;
      const run = edge ? firstRun({ recurrence: edge, timezone: settings.timezone, skipClosedDays: true }, now, daysOff) : undefined;
      changes.push(schedule(kind, run, edge, 0, { skipClosedDays: true }));
    }
    return changes;
  }

  /** Writes a plan: sets what it sets, removes what it removes. */
  async apply(pk: string, plan: readonly ScheduleChange[]): Promise<void> {
    for (const change of plan) {
      if (change.set) await this.deps.schedules.upsert(change.set);
      else await this.deps.schedules.delete({ pk, id: change.kind });
    }
  }

  /** The next few posts, as a person checks them: "Ugens tema" and "Spørgsmål før mødet". */
  nextDates(settings: GroupSettings, count = 3): Shown[] {
    const now = this.deps.clock();
    const lines: Shown[] = [];
    const meetings = meetingRecurrence(settings);
    if (meetings) {
      const plan = { recurrence: meetings, leadMs: settings.leadHours * HOUR_MS, timezone: settings.timezone };
      for (const post of plannedRuns(plan, now, count, this.deps.daysOff)) {
        const meeting = nextOccurrence(meetings, post);
        lines.push(texts.group.meetingLine(when(meeting, settings), this.themeFor(settings, meeting).title, when(post, settings)));
      }
    }
    const theme = themeRecurrence(settings);
    if (theme) {
      for (const run of plannedRuns({ recurrence: theme, timezone: settings.timezone }, now, count, this.deps.daysOff)) {
        lines.push(texts.group.weeklyThemeLine(when(run, settings), this.themeFor(settings, run, "rotate").title));
      }
    }
    return lines.length > 0 ? lines : [texts.group.nothingPlanned];
  }

  /** A theme's questions as a new thread. */
  questions(settings: GroupSettings, theme: Theme, heading: Shown): OutgoingMessage {
    return { newThread: true, attachments: [groupQuestionsCard(this.deps.framework, settings, theme, heading)] };
  }

  /** The composer for the group's "Ugens tema" and questions schedules. */
  async compose(schedule: Schedule, runAt: Date): Promise<Composition> {
    const group = await this.deps.documents.read(schedule.pk);
    if (!group?.settings) return { kind: "skip", reason: "the group has no settings" };
    if (!group.conversation.active) return { kind: "skip", reason: `conversation inactive (${group.conversation.inactiveReason ?? "unknown"})` };
    const settings = effectiveGroupSettings(group.settings, this.deps.framework, undefined);
    if (schedule.kind === "channel-meeting") {
      // The meeting a post is for is the next occurrence after it, even when the post moved earlier.
      const meeting = schedule.recurrence ? nextOccurrence(schedule.recurrence, runAt) : new Date(runAt.getTime() + (schedule.leadMs ?? 0));
      const theme = this.themeFor(settings, meeting);
      return { kind: "send", conversation: group.conversation, message: this.questions(settings, theme, texts.group.beforeMeeting(when(meeting, settings))) };
    }
    const weekly = weeklyThemeCard(this.deps.framework, settings, this.themeFor(settings, runAt, "rotate"));
    return { kind: "send", conversation: group.conversation, message: { newThread: true, attachments: [weekly] } };
  }

  /** "status": the next posts, the last deliveries, and who changed the settings. */
  async status(conversationId: string): Promise<GroupStatus> {
    const pk = groupPartition(conversationId);
    const document = await this.deps.documents.readRepaired(pk);
    const settings = document?.settings;
    // What the group will see posted: not housekeeping (a pulse's closing, Indsigt's counts).
    const schedules = (await this.deps.schedules.forOwner(pk)).filter((s) => s.active && s.kind !== "pulse-close" && s.kind !== "insight-change");
    const recent = await this.deps.outbox.recentFor(pk, 5);
    return {
      next: schedules.map((s) => ({ what: describeSchedule(s), when: settings ? when(new Date(s.nextRunAt), settings) : escapeMarkdown(s.nextRunAt) })),
      recent: recent.map((r) => ({ when: settings ? when(new Date(r.createdAt), settings) : escapeMarkdown(r.createdAt), outcome: outcomeText(r) })),
      ...(document?.lastChange && settings ? { changedBy: { name: document.lastChange.name, when: when(new Date(document.lastChange.at), settings) } } : {}),
    };
  }

  private themeFor(settings: GroupSettings, at: Date, mode = settings.themeMode): Theme {
    return themeFor(this.deps.framework, settings, at, mode);
  }
}

const when = (at: Date, settings: GroupSettings): Shown => danishDateTime(at, settings.timezone);

/** A cadence from the card as a recurrence, or none when it is off. Monthly uses the given week of the month. */
function cadenceRecurrence(frequency: Cadence, weekday: number, time: string, timezone: string, weekOfMonth: WeekOfMonth): Recurrence | undefined {
  if (frequency === "off") return undefined;
  return { frequency, weekday, time, timezone, ...(frequency === "monthly" ? { weekOfMonth } : {}) };
}

/** "Ugens tema": monthly means the first such weekday of the month. */
const themeRecurrence = (s: GroupSettings) => cadenceRecurrence(s.themeFrequency, s.themeWeekday, s.themeTime, s.timezone, 1);
export const meetingRecurrence = (s: GroupSettings) => cadenceRecurrence(s.meetingFrequency, s.meetingWeekday, s.meetingTime, s.timezone, s.meetingWeekOfMonth);

/** "Dagens refleksion" comes this long after the scheduled start when no start event has come. */
export const START_FALLBACK_MINUTES = 10;

/**
 * The meetings' recurrence moved by some minutes: ten past the start, or the end. Kept within
 * the meeting's day (a meeting ending after midnight gets its card at 23:59).
 */
export function meetingEdgeRecurrence(meetings: Recurrence, minutesAfterStart: number): Recurrence {
  const [h, m] = meetings.time.split(":").map(Number);
  const total = Math.min(h! * 60 + m! + minutesAfterStart, 23 * 60 + 59);
  return { ...meetings, time: `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}` };
}

function describeSchedule(s: Schedule): Shown {
  switch (s.kind) {
    case "channel-meeting":
      return texts.group.meetingSchedule(s.recurrence ? describeRecurrence(s.recurrence) : trusted(""));
    case "meeting-invitations":
      return texts.group.invitationsSchedule;
    case "meeting-start":
      return texts.group.meetingStartSchedule;
    case "meeting-end":
      return texts.group.meetingEndSchedule;
    default:
      return texts.group.weeklyTheme;
  }
}

function outcomeText(record: OutboxRecord): Shown {
  const what = record.kind === "channel-meeting" ? texts.group.meetingPost : record.kind === "channel-theme" ? texts.group.weeklyTheme : texts.group.post;
  // The reason is Teams' or the network's words: shown as they came.
  return texts.group.outcome(what, record.status, record.reason === undefined ? undefined : escapeMarkdown(record.reason));
}
