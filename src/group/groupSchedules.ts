import { groupQuestionsCard, groupSettingsCard, weeklyThemeCard, type GroupStatus } from "../cards/groupCards";
import { danishDateTime } from "../cards/format";
import type { Framework, Theme } from "../domain/framework";
import {
  DEFAULT_INVITE_HOURS,
  effectiveGroupSettings,
  meetingMinutesOf,
  rosterIsStale,
  themeFor,
  type Cadence,
  type GroupSettings,
} from "../domain/group/groupSettings";
import type { StoredConversation } from "../domain/conversation";
import type { DaysOff } from "../domain/daysOff";
import type { GroupMember } from "../domain/group/model";
import type { GroupDocuments } from "../storage/groupDocuments";
import type { GroupDocument } from "../domain/group/model";
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

export type { Cadence, GroupSettings };

const HOUR_MS = 3_600_000;

/**
 * A leader group's (channel's or chat's) schedules: what its settings make ("Ugens tema", the
 * questions before each meeting, the invitations, and the meeting loop's posts), what the
 * channel schedules post, and the "status" view. Decisions live in domain/channelSettings, the
 * document in storage/channelDocuments, the cards in cards/groupCards.
 */
export class GroupSchedules {
  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly channels: GroupDocuments;
      readonly schedules: ScheduleStore;
      readonly outbox: Outbox;
      readonly clock: () => Date;
      readonly daysOff: DaysOff;
    },
  ) {}

  /** The group's settings as they apply now: the stored ones (with a working zone), or the first-time defaults. */
  effectiveSettings(document: GroupDocument | undefined, clientTimezone: unknown): GroupSettings {
    return effectiveGroupSettings(document?.settings, this.deps.framework, clientTimezone);
  }

  /** The group's document, its stored zone repaired if it no longer works. */
  document(conversationId: string): Promise<GroupDocument | undefined> {
    return this.deps.channels.readRepaired(groupPartition(conversationId));
  }

  /** The theme of an occurrence (see themeFor in domain). */
  themeFor(settings: GroupSettings, at: Date, mode = settings.themeMode): Theme {
    return themeFor(this.deps.framework, settings, at, mode);
  }

  /**
   * Stores the settings (only if the document is still as `current` was read: a stale card must
   * not overwrite newer settings) and then the schedules they make. The schedules are computed
   * first, so settings that cannot be scheduled are never stored. Undefined when it was stale.
   */
  async saveSettings(
    current: GroupDocument | undefined,
    conversation: StoredConversation,
    settings: GroupSettings,
    changes: Pick<GroupDocument, "lastChange" | "stewards" | "settingsCardTokens">,
  ): Promise<GroupDocument | undefined> {
    const pk = groupPartition(conversation.conversationId);
    const now = this.deps.clock();
    const theme = themeRecurrence(settings);
    const meetings = meetingRecurrence(settings);
    const lead = settings.leadHours * HOUR_MS;
    const themeRun = theme ? firstRun({ recurrence: theme, timezone: settings.timezone }, now, this.deps.daysOff) : undefined;
    const meetingRun = meetings ? firstRun({ recurrence: meetings, leadMs: lead, timezone: settings.timezone }, now, this.deps.daysOff) : undefined;

    const stored = await this.deps.channels.writeIfUnchanged(current, {
      ...(current ?? { id: "channel", pk, type: "channel" }),
      conversation,
      settings,
      ...changes,
    });
    if (!stored) return undefined;
    if (theme && themeRun) await this.deps.schedules.upsert(this.schedule(pk, conversation, "channel-theme", themeRun, theme, 0));
    else await this.deps.schedules.delete({ pk, id: "channel-theme" });
    if (meetings && meetingRun) await this.deps.schedules.upsert(this.schedule(pk, conversation, "channel-meeting", meetingRun, meetings, lead));
    else await this.deps.schedules.delete({ pk, id: "channel-meeting" });
    // The invitations to prepare, a day (or as chosen) before each meeting, to each member.
    const invite = (settings.inviteHours ?? DEFAULT_INVITE_HOURS) * HOUR_MS;
    const inviteRun = meetings && invite > 0 ? firstRun({ recurrence: meetings, leadMs: invite, timezone: settings.timezone }, now, this.deps.daysOff) : undefined;
    if (meetings && inviteRun) await this.deps.schedules.upsert(this.schedule(pk, conversation, "meeting-invitations", inviteRun, meetings, invite));
    else await this.deps.schedules.delete({ pk, id: "meeting-invitations" });
    // The meeting loop: "Dagens refleksion" if no start event came by ten minutes in, "Hvad aftalte I?" at the end.
    for (const kind of ["meeting-start", "meeting-end"] as const) {
      const edge = meetings ? meetingEdgeRecurrence(meetings, kind === "meeting-start" ? START_FALLBACK_MINUTES : meetingMinutesOf(settings)) : undefined;
      const run = edge ? firstRun({ recurrence: edge, timezone: settings.timezone, skipClosedDays: true }, now, this.deps.daysOff) : undefined;
      if (edge && run) await this.deps.schedules.upsert({ ...this.schedule(pk, conversation, kind, run, edge, 0), skipClosedDays: true });
      else await this.deps.schedules.delete({ pk, id: kind });
    }
    return stored;
  }

  /**
   * Keeps the group's roster current for the invitations: asks Teams when the stored one is
   * missing or old; a refusal keeps the last one.
   */
  async refreshMembers(conversationId: string, roster: () => Promise<GroupMember[] | undefined>): Promise<void> {
    const pk = groupPartition(conversationId);
    const now = this.deps.clock();
    const current = await this.deps.channels.read(pk);
    if (!current || !rosterIsStale(current.membersAt, now)) return;
    const members = await roster();
    if (members) await this.deps.channels.rememberMembers(pk, members, now);
  }

  /**
   * Joins and leaves as Teams reports them: who left is taken out of the stored roster at once
   * (by Teams id or object id); a join fetches the roster again, whatever its age, since the
   * event does not carry names.
   */
  async followMembers(conversationId: string, change: { readonly added: readonly string[]; readonly removed: readonly string[] }, roster: () => Promise<GroupMember[] | undefined>): Promise<void> {
    const pk = groupPartition(conversationId);
    const now = this.deps.clock();
    if (change.removed.length > 0) await this.deps.channels.forgetMembers(pk, change.removed, now);
    if (change.added.length === 0 || !(await this.deps.channels.read(pk))) return;
    const members = await roster();
    if (members) await this.deps.channels.rememberMembers(pk, members, now);
  }

  /** The "opsæt" card for these settings, with the coming dates they make. */
  settingsCard(settings: GroupSettings, card: { token: string; eTag: string; stewardsText: Shown; chat: boolean; proposalText?: Shown }) {
    return groupSettingsCard(this.deps.framework, settings, { ...card, nextDates: this.nextDates(settings) });
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
        lines.push(texts.channel.meetingLine(this.when(meeting, settings), this.themeFor(settings, meeting).title, this.when(post, settings)));
      }
    }
    const theme = themeRecurrence(settings);
    if (theme) {
      for (const run of plannedRuns({ recurrence: theme, timezone: settings.timezone }, now, count, this.deps.daysOff)) {
        lines.push(texts.channel.weeklyThemeLine(this.when(run, settings), this.themeFor(settings, run, "rotate").title));
      }
    }
    return lines.length > 0 ? lines : [texts.channel.nothingPlanned];
  }

  /** "spørgsmål [tema]": a theme named by number, id or words of its title; else the next meeting's. */
  pickTheme(settings: GroupSettings, spec: string): Theme {
    const themes = this.deps.framework.themes;
    const wanted = spec.trim().toLowerCase();
    if (wanted) {
      const byNumber = /^\d+$/.test(wanted) ? themes[Number(wanted) - 1] : undefined;
      const byWords = themes.find((t) => t.id === wanted || t.title.toLowerCase().includes(wanted));
      if (byNumber ?? byWords) return (byNumber ?? byWords)!;
    }
    const meetings = meetingRecurrence(settings);
    return this.themeFor(settings, meetings ? nextOccurrence(meetings, this.deps.clock()) : this.deps.clock());
  }

  /** A theme's questions as a new thread. */
  groupQuestions(settings: GroupSettings, theme: Theme, heading: Shown): OutgoingMessage {
    return { newThread: true, attachments: [groupQuestionsCard(this.deps.framework, settings, theme, heading)] };
  }

  /** The composer for channel schedules. */
  async compose(schedule: Schedule, runAt: Date): Promise<Composition> {
    const channel = await this.deps.channels.read(schedule.pk);
    if (!channel?.settings) return { kind: "skip", reason: "the channel has no settings" };
    if (!channel.conversation.active) return { kind: "skip", reason: `conversation inactive (${channel.conversation.inactiveReason ?? "unknown"})` };
    const settings = this.effectiveSettings(channel, undefined);
    if (schedule.kind === "channel-meeting") {
      // The meeting a post is for is the next occurrence after it, even when the post moved earlier.
      const meeting = schedule.recurrence ? nextOccurrence(schedule.recurrence, runAt) : new Date(runAt.getTime() + (schedule.leadMs ?? 0));
      const theme = this.themeFor(settings, meeting);
      return { kind: "send", conversation: channel.conversation, message: this.groupQuestions(settings, theme, texts.channel.beforeMeeting(this.when(meeting, settings))) };
    }
    const weekly = weeklyThemeCard(this.deps.framework, settings, this.themeFor(settings, runAt, "rotate"));
    return { kind: "send", conversation: channel.conversation, message: { newThread: true, attachments: [weekly] } };
  }

  /** "status": the next posts, the last deliveries, and who changed the settings. */
  async status(conversationId: string): Promise<GroupStatus> {
    const pk = groupPartition(conversationId);
    const document = await this.document(conversationId);
    const settings = document?.settings;
    // What the group will see posted: not housekeeping (a pulse's closing, Indsigt's counts).
    const schedules = (await this.deps.schedules.forOwner(pk)).filter((s) => s.active && s.kind !== "pulse-close" && s.kind !== "insight-change");
    const recent = await this.deps.outbox.recentFor(pk, 5);
    return {
      next: schedules.map((s) => ({ what: describeSchedule(s), when: settings ? this.when(new Date(s.nextRunAt), settings) : escapeMarkdown(s.nextRunAt) })),
      recent: recent.map((r) => ({ when: settings ? this.when(new Date(r.createdAt), settings) : escapeMarkdown(r.createdAt), outcome: outcomeText(r) })),
      ...(document?.lastChange && settings ? { changedBy: { name: document.lastChange.name, when: this.when(new Date(document.lastChange.at), settings) } } : {}),
    };
  }

  private when(at: Date, settings: GroupSettings): Shown {
    return danishDateTime(at, settings.timezone);
  }

  private schedule(pk: string, conversation: StoredConversation, kind: "channel-theme" | "channel-meeting" | "meeting-invitations" | "meeting-start" | "meeting-end", at: Date, recurrence: Recurrence, leadMs: number): Schedule {
    return { id: kind, pk, type: "schedule", kind, tenantId: conversation.tenantId, active: true, nextRunAt: at.toISOString(), recurrence, leadMs, payload: {} };
  }
}

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
      return texts.channel.meetingSchedule(s.recurrence ? describeRecurrence(s.recurrence) : trusted(""));
    case "meeting-invitations":
      return texts.channel.invitationsSchedule;
    case "meeting-start":
      return texts.channel.meetingStartSchedule;
    case "meeting-end":
      return texts.channel.meetingEndSchedule;
    default:
      return texts.channel.weeklyTheme;
  }
}

function outcomeText(record: OutboxRecord): Shown {
  const what = record.kind === "channel-meeting" ? texts.channel.meetingPost : record.kind === "channel-theme" ? texts.channel.weeklyTheme : texts.channel.post;
  // The reason is Teams' or the network's words: shown as they came.
  return texts.channel.outcome(what, record.status, record.reason === undefined ? undefined : escapeMarkdown(record.reason));
}
