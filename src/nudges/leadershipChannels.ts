import { renderCard } from "../cards/renderCard";
import { danishDateTime } from "../cards/format";
import { REMINDER_TIMES } from "../cards/views";
import type { Framework, Theme } from "../content/framework";
import type { StoredConversation } from "../domain/conversation";
import { meetingMinutesOf, questionsCooldownLeft, validTimeZone, type Cadence, type ChannelSettings } from "../domain/channelSettings";
import { MEETING_DURATIONS, type GroupMember, type SeriesProposal } from "../domain/groupMeetings";
import type { DaysOff } from "../domain/daysOff";
import { firstRun, plannedRuns } from "./plannedRuns";
import { asRoleId } from "../domain/ids";
import type { ChannelDocument, ChannelDocuments } from "../storage/channelDocuments";
import { channelPartition } from "./conversations";
import type { OutgoingMessage } from "./messenger";
import type { Outbox, OutboxRecord } from "./outbox";
import { describeRecurrence, localDate, nextOccurrence, type Recurrence, type WeekOfMonth } from "./recurrence";
import type { Schedule } from "./schedule";
import type { ScheduleStore } from "./scheduleStore";
import { texts } from "../texts";
import type { Composition } from "./scheduler";

export type { Cadence, ChannelSettings };

const HOUR_MS = 3_600_000;
/** A roster this old is asked for again at the group's next save or meeting event. */
const ROSTER_MAX_AGE_MS = 6 * HOUR_MS;
const LEAD_HOURS = [1, 2, 4, 24, 48, 72] as const;
const INVITE_HOURS = [0, 24, 48] as const;
export const DEFAULT_INVITE_HOURS = 24;
const CADENCES: ReadonlyArray<{ value: Cadence; title: string }> = (["off", "weekly", "biweekly", "monthly"] as const).map((value) => ({
  value,
  title: texts.channel.cadence[value],
}));
const WEEKDAYS = texts.channel.workdays.map((title, i) => ({ title, value: String(i + 1) }));
/** A meeting starts on a quarter hour between 07:00 and 19:45. */
export const MEETING_TIMES: readonly string[] = Array.from({ length: 52 }, (_, i) => `${String(7 + Math.floor(i / 4)).padStart(2, "0")}:${String((i % 4) * 15).padStart(2, "0")}`);
const WEEKS_OF_MONTH = (["1", "2", "3", "4", "last"] as const).map((value) => ({ title: texts.channel.weekOfMonth[value], value }));

/**
 * Leadership channels: their settings, the two schedules those make ("Ugens tema" and the
 * questions before each meeting), what those post, and the channel's status view.
 */
export class LeadershipChannels {
  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly channels: ChannelDocuments;
      readonly schedules: ScheduleStore;
      readonly outbox: Outbox;
      readonly clock: () => Date;
      readonly daysOff: DaysOff;
    },
  ) {}

  /** First-time settings; the zone comes from the client, so it is checked like any input. */
  defaults(clientTimezone: unknown): ChannelSettings {
    const timezone = validTimeZone(clientTimezone);
    const role = this.deps.framework.individualRoles.find((r) => r.id === "leder-af-leder") ?? this.deps.framework.individualRoles[0]!;
    return {
      roleId: role.id,
      themeFrequency: "off",
      themeWeekday: 1,
      themeTime: "09:00",
      meetingFrequency: "monthly",
      meetingWeekday: 2,
      meetingWeekOfMonth: 2,
      meetingTime: "10:00",
      leadHours: 24,
      themeMode: "rotate",
      timezone,
    };
  }

  /** The "opsæt" card's inputs as settings, or undefined when anything is off its choices. */
  parseSettings(inputs: Readonly<Record<string, unknown>>, timezone: string): ChannelSettings | undefined {
    return parseChannelSettings(inputs, this.deps.framework, timezone);
  }

  /** The group's settings as they apply now: the stored ones (with a working zone), or the first-time defaults. */
  effectiveSettings(document: ChannelDocument | undefined, clientTimezone: unknown): ChannelSettings {
    return document?.settings ? { ...document.settings, timezone: validTimeZone(document.settings.timezone) } : this.defaults(clientTimezone);
  }

  /** The group's document, with a stored zone that no longer works repaired (and written back). */
  async document(conversationId: string): Promise<ChannelDocument | undefined> {
    const pk = channelPartition(conversationId);
    const document = await this.deps.channels.read(pk);
    const settings = document?.settings;
    if (!document || !settings || validTimeZone(settings.timezone) === settings.timezone) return document;
    const repaired = { ...document, settings: { ...settings, timezone: validTimeZone(settings.timezone) } };
    return (await this.deps.channels.writeIfUnchanged(document, repaired)) ?? repaired;
  }

  /**
   * Stores the settings (only if the document is still as `current` was read: a stale card must
   * not overwrite newer settings) and then the schedules they make. The schedules are computed
   * first, so settings that cannot be scheduled are never stored. Undefined when it was stale.
   */
  async saveSettings(
    current: ChannelDocument | undefined,
    conversation: StoredConversation,
    settings: ChannelSettings,
    changes: Pick<ChannelDocument, "lastChange" | "stewards" | "settingsCardTokens">,
  ): Promise<ChannelDocument | undefined> {
    const pk = channelPartition(conversation.conversationId);
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
   * missing or older than a few hours; a refusal keeps the last one.
   */
  async refreshMembers(conversationId: string, roster: () => Promise<GroupMember[] | undefined>): Promise<void> {
    const pk = channelPartition(conversationId);
    const now = this.deps.clock();
    const current = await this.deps.channels.read(pk);
    if (!current || (current.membersAt && now.getTime() - Date.parse(current.membersAt) < ROSTER_MAX_AGE_MS)) return;
    const members = await roster();
    if (!members) return;
    await this.deps.channels.update(pk, (doc) => (doc ? { ...doc, members, membersAt: now.toISOString() } : undefined));
  }

  /** Keeps a new settings card's one-time token (and the newest few before it) on the document. */
  async issueSettingsCardToken(conversation: StoredConversation, token: string, keep: number): Promise<ChannelDocument | undefined> {
    const pk = channelPartition(conversation.conversationId);
    return this.deps.channels.update(pk, (current) => ({
      ...(current ?? { id: "channel", pk, type: "channel", conversation }),
      settingsCardTokens: [...(current?.settingsCardTokens ?? []), token].slice(-keep),
    }));
  }

  /**
   * Records an on-demand post of a theme's questions, checking the cool-down again on the
   * document as stored: false when another post of the theme (another person, another
   * instance) came first.
   */
  async recordQuestionsPosted(conversation: StoredConversation, themeId: string): Promise<boolean> {
    const pk = channelPartition(conversation.conversationId);
    const now = this.deps.clock();
    let recorded = false;
    await this.deps.channels.update(pk, (current) => {
      recorded = questionsCooldownLeft(current?.questionsPostedAt?.[themeId], now) === 0;
      if (!recorded) return undefined;
      return {
        ...(current ?? { id: "channel", pk, type: "channel", conversation }),
        questionsPostedAt: { ...(current?.questionsPostedAt ?? {}), [themeId]: now.toISOString() },
      };
    });
    return recorded;
  }

  /** The next few posts, as a person checks them: "Ugens tema" and "Spørgsmål før mødet". */
  nextDates(settings: ChannelSettings, count = 3): string[] {
    const now = this.deps.clock();
    const lines: string[] = [];
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

  /** The settings a meeting's details suggest, over the current ones: its weekday, start and length. */
  withProposal(settings: ChannelSettings, proposal: SeriesProposal | undefined): ChannelSettings {
    if (!proposal) return settings;
    const weekly = settings.meetingFrequency === "off" ? "weekly" : settings.meetingFrequency;
    return { ...settings, meetingFrequency: weekly, meetingWeekday: proposal.weekday, meetingTime: proposal.time, meetingMinutes: proposal.durationMinutes };
  }

  settingsCard(settings: ChannelSettings, card: { token: string; eTag: string; stewardsText: string; chat: boolean; proposalText?: string }) {
    return renderCard("channel-settings", {
      ...settings,
      meetingMinutes: String(meetingMinutesOf(settings)),
      inviteHours: String(settings.inviteHours ?? DEFAULT_INVITE_HOURS),
      inviteTimes: INVITE_HOURS.map((h) => ({ title: texts.channel.invite(h), value: String(h) })),
      proposalText: card.proposalText ?? "",
      meetingTimes: MEETING_TIMES,
      durations: MEETING_DURATIONS.map((m) => ({ title: texts.channel.duration(m), value: String(m) })),
      token: card.token,
      settingsETag: card.eTag,
      chat: card.chat,
      stewardsText: card.stewardsText,
      themeIntro: texts.channel.themeIntro(this.deps.framework.themes.length),
      groupRole: settings.roleId,
      themeWeekday: String(settings.themeWeekday),
      meetingWeekday: String(settings.meetingWeekday),
      meetingWeekOfMonth: String(settings.meetingWeekOfMonth),
      leadHours: String(settings.leadHours),
      roles: this.deps.framework.individualRoles.map((r) => ({ id: r.id, name: r.name })),
      frequencies: CADENCES,
      weekdays: WEEKDAYS,
      weeksOfMonth: WEEKS_OF_MONTH,
      times: REMINDER_TIMES,
      leadTimes: LEAD_HOURS.map((h) => ({ title: texts.channel.leadTime(h), value: String(h) })),
      themeModes: [
        { title: texts.rotateThemes(this.deps.framework.themes.length), value: "rotate" },
        ...this.deps.framework.themes.map((t) => ({ title: texts.alwaysTheme(t.title), value: t.id })),
      ],
      nextDates: this.nextDates(settings),
    });
  }

  /** "spørgsmål [tema]": a theme named by number, id or words of its title; else the next meeting's. */
  pickTheme(settings: ChannelSettings, spec: string): Theme {
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

  groupQuestions(settings: ChannelSettings, theme: Theme, heading: string): OutgoingMessage {
    const questions = this.deps.framework.questions(theme.id, asRoleId(settings.roleId), "ledergruppen");
    return {
      newThread: true,
      attachments: [
        renderCard("group-questions", { heading, themeTitle: theme.title, questions: questions.map((q, i) => ({ number: String(i + 1), text: q.text })) }),
      ],
    };
  }

  weeklyTheme(settings: ChannelSettings, theme: Theme): OutgoingMessage {
    const role = this.deps.framework.role(settings.roleId);
    return {
      newThread: true,
      attachments: [
        renderCard("weekly-theme", {
          themeTitle: theme.title,
          roleHeading: texts.channel.statementsFor(role?.name),
          statements: this.deps.framework.statements(theme.id, asRoleId(settings.roleId)).map((s) => ({ text: s.text })),
        }),
      ],
    };
  }

  /** The composer for channel schedules. */
  async compose(schedule: Schedule, runAt: Date): Promise<Composition> {
    const channel = await this.deps.channels.read(schedule.pk);
    if (!channel?.settings) return { kind: "skip", reason: "the channel has no settings" };
    if (!channel.conversation.active) return { kind: "skip", reason: `conversation inactive (${channel.conversation.inactiveReason ?? "unknown"})` };
    const settings = { ...channel.settings, timezone: validTimeZone(channel.settings.timezone) };
    if (schedule.kind === "channel-meeting") {
      // The meeting a post is for is the next occurrence after it, even when the post moved earlier.
      const meeting = schedule.recurrence ? nextOccurrence(schedule.recurrence, runAt) : new Date(runAt.getTime() + (schedule.leadMs ?? 0));
      const theme = this.themeFor(settings, meeting);
      return { kind: "send", conversation: channel.conversation, message: this.groupQuestions(settings, theme, texts.channel.beforeMeeting(this.when(meeting, settings))) };
    }
    return { kind: "send", conversation: channel.conversation, message: this.weeklyTheme(settings, this.themeFor(settings, runAt, "rotate")) };
  }

  async status(conversationId: string): Promise<{ next: Array<{ what: string; when: string }>; recent: Array<{ when: string; outcome: string }>; changedText: string }> {
    const pk = channelPartition(conversationId);
    const document = await this.document(conversationId);
    const settings = document?.settings;
    const schedules = (await this.deps.schedules.forOwner(pk)).filter((s) => s.active);
    const describe = (s: Schedule) =>
      s.kind === "channel-meeting" ? texts.channel.meetingSchedule(s.recurrence ? describeRecurrence(s.recurrence) : "") : texts.channel.weeklyTheme;
    const recent = await this.deps.outbox.recentFor(pk, 5);
    return {
      next: schedules.map((s) => ({ what: describe(s), when: settings ? this.when(new Date(s.nextRunAt), settings) : s.nextRunAt })),
      recent: recent.map((r) => ({ when: settings ? this.when(new Date(r.createdAt), settings) : r.createdAt, outcome: outcomeText(r) })),
      changedText: document?.lastChange && settings ? texts.settingsChangedBy(document.lastChange.name, this.when(new Date(document.lastChange.at), settings)) : "",
    };
  }

  statusCard(status: Awaited<ReturnType<LeadershipChannels["status"]>>) {
    return renderCard("channel-status", status);
  }

  /** Rotation by occurrence: weeks (or months) since a fixed point, so every instance agrees. */
  themeFor(settings: ChannelSettings, at: Date, mode = settings.themeMode): Theme {
    const themes = this.deps.framework.themes;
    if (mode !== "rotate") return this.deps.framework.theme(mode) ?? themes[0]!;
    const local = localDate(at, settings.timezone);
    const [year, month] = local.split("-").map(Number);
    const weeks = Math.floor((Date.parse(`${local}T00:00:00Z`) / 86_400_000 - 4) / 7);
    const index = settings.meetingFrequency === "monthly" ? year! * 12 + month! : weeks;
    return themes[((index % themes.length) + themes.length) % themes.length]!;
  }

  private when(at: Date, settings: ChannelSettings): string {
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
const themeRecurrence = (s: ChannelSettings) => cadenceRecurrence(s.themeFrequency, s.themeWeekday, s.themeTime, s.timezone, 1);
export const meetingRecurrence = (s: ChannelSettings) => cadenceRecurrence(s.meetingFrequency, s.meetingWeekday, s.meetingTime, s.timezone, s.meetingWeekOfMonth);

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

function outcomeText(record: OutboxRecord): string {
  const what = record.kind === "channel-meeting" ? texts.channel.meetingPost : record.kind === "channel-theme" ? texts.channel.weeklyTheme : texts.channel.post;
  return texts.channel.outcome(what, record.status, record.reason);
}

/** The card's inputs as settings; undefined when anything is not one of the card's choices. */
export function parseChannelSettings(inputs: Readonly<Record<string, unknown>>, framework: Framework, timezone: string): ChannelSettings | undefined {
  const pick = <T extends string>(value: unknown, allowed: readonly T[]): T | undefined =>
    typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
  const cadences = CADENCES.map((c) => c.value);
  const weekday = (v: unknown) => (typeof v === "string" && /^[1-5]$/.test(v) ? Number(v) : undefined);
  // Not "roleId": that name is a card control field (the reflection's role), lifted out of the inputs.
  const roleId = pick(inputs.groupRole, framework.individualRoles.map((r) => r.id as string));
  const themeFrequency = pick(inputs.themeFrequency, cadences);
  const meetingFrequency = pick(inputs.meetingFrequency, cadences);
  const themeWeekday = weekday(inputs.themeWeekday);
  const meetingWeekday = weekday(inputs.meetingWeekday);
  const themeTime = pick(inputs.themeTime, REMINDER_TIMES);
  const meetingTime = pick(inputs.meetingTime, MEETING_TIMES);
  // Absent on cards shown before meetings had a length: those meant an hour.
  const minutes = inputs.meetingMinutes === undefined ? undefined : pick(inputs.meetingMinutes, MEETING_DURATIONS.map(String));
  if (inputs.meetingMinutes !== undefined && minutes === undefined) return undefined;
  const invite = inputs.inviteHours === undefined ? undefined : pick(inputs.inviteHours, INVITE_HOURS.map(String));
  if (inputs.inviteHours !== undefined && invite === undefined) return undefined;
  const week = pick(inputs.meetingWeekOfMonth, WEEKS_OF_MONTH.map((w) => w.value));
  const lead = pick(inputs.leadHours, LEAD_HOURS.map(String));
  const themeMode = pick(inputs.themeMode, ["rotate", ...framework.themes.map((t) => t.id as string)]);
  if (!roleId || !themeFrequency || !meetingFrequency || !themeWeekday || !meetingWeekday || !themeTime || !meetingTime || !week || !lead || !themeMode) {
    return undefined;
  }
  return {
    roleId,
    themeFrequency,
    themeWeekday,
    themeTime,
    meetingFrequency,
    meetingWeekday,
    meetingWeekOfMonth: week === "last" ? "last" : (Number(week) as WeekOfMonth),
    meetingTime,
    ...(minutes ? { meetingMinutes: Number(minutes) } : {}),
    ...(invite !== undefined ? { inviteHours: Number(invite) } : {}),
    leadHours: Number(lead),
    themeMode,
    timezone,
  };
}
