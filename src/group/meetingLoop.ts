import { RETIRED_SCHEDULE_TTL_SECONDS } from "../domain/expiry";
import { key, quarterOf } from "../domain/insight/aggregate";
import { groupChangeDocument } from "../insight/contributions";
import { agreementsCard, meetingStartCard, type OpenAgreement } from "../cards/meetingCards";
import type { Theme } from "../domain/framework";
import type { Shown } from "../kernel/shown";
import type { Framework } from "../domain/framework";
import { meetingMinutesOf, type GroupSettings } from "../domain/group/groupSettings";
import type { StoredConversation } from "../domain/conversation";
import { instantMeetingKey, meetingDocumentId, slotAround } from "../domain/group/meetings";
import { namedMembers } from "../domain/group/roster";
import { type GroupMember, type GroupMeeting, type MeetingSlot } from "../domain/group/model";
import { openAgreements } from "../domain/group/agreements";

import type { GroupDocument } from "../domain/group/model";
import type { GroupMeetings } from "../storage/meetingStore";

import { meetingRecurrence, START_FALLBACK_MINUTES } from "./groupSchedules";
import type { Groups } from "./groups";
import type { OutgoingMessage } from "../nudges/messenger";
import { Outbox } from "../nudges/outbox";
import { nextOccurrence, nextOccurrences } from "../domain/recurrence";
import { agreementReminderCard, invitationCard } from "../cards/meetingCards";
import type { DaysOff } from "../domain/daysOff";
import { morningOf } from "../nudges/workingHours";
import { danishDate, danishDateTime } from "../cards/format";
import { partitionKeyOf } from "../domain/identity";
import { asRoleId, asTenantId, asUserId } from "../domain/ids";
import type { SessionStore } from "../storage/userSessions";
import { texts } from "../kernel/texts";
import type { Schedule } from "../nudges/schedule";
import type { Composition } from "../nudges/scheduler";
import { groupIdOf } from "../domain/group/partition";
import type { MeetingPulse, Pulses } from "./pulses";
import type { PulseClosing } from "./pulseClosing";
import { groupPartition } from "../domain/group/partition";

export type MeetingEdge = "start" | "end";

/** A Teams meeting start or end event, as the edge read it. */
export interface MeetingEvent {
  readonly edge: MeetingEdge;
  /** When it started or ended (the event's own time, else when it came). */
  readonly at: Date;
  /** Teams' meeting id; an instant meeting is known by it. */
  readonly teamsMeetingId: string | undefined;
}

const MINUTE = 60_000;

/**
 * The group's meeting loop: "Dagens refleksion" when a meeting starts and "Hvad aftalte I?"
 * when it ends, each on Teams' meeting event or, when none comes, on the group's schedule.
 * Both ways lead to the same outbox record (a deterministic id per meeting and post), so a
 * meeting gets each card once, whichever comes first and however many instances run.
 */
export class MeetingLoop {
  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly groups: Pick<Groups, "document" | "settings">;
      readonly meetings: GroupMeetings;
      readonly outbox: Outbox;
      readonly clock: () => Date;
      readonly newToken: () => string;
      readonly sessions: Pick<SessionStore, "load">;
      readonly daysOff: DaysOff;
      /** Vi-pulsen: opened with the invitations, its result on the start card. */
      readonly pulses?: Pick<Pulses, "openForMeeting" | "forMeeting">;
      /** Closes the meeting's pulse when it starts, before its card is drawn. */
      readonly pulseClosing?: Pick<PulseClosing, "closeForMeeting">;
    },
  ) {}

  /**
   * A reminder for each agreement with a date, at 09:00 the working day before it, to whoever
   * it names among the group's members (decided when it is due: the roster and the agreement
   * may change). Dates already too close get none.
   */
  reminderSchedules(meeting: GroupMeeting, settings: GroupSettings, tenantId: string): Schedule[] {
    const now = this.deps.clock();
    return meeting.agreements.map((agreement) => {
      const at = agreement.due ? this.deps.daysOff.previousOpen(morningOf(dayBefore(agreement.due), settings.timezone), settings.timezone) : undefined;
      const due = at !== undefined && at > now && agreement.status !== "done";
      return {
        id: `agreement-reminder.${meeting.id}.${agreement.id}`, pk: meeting.pk, type: "schedule", kind: "agreement-reminder", tenantId,
        // One that is not due is written retired, not deleted: a batch must not fail on a schedule that was never there.
        active: due, nextRunAt: (at ?? now).toISOString(), timezone: settings.timezone, payload: { meetingId: meeting.id, agreementId: agreement.id },
        ...(due ? {} : { ttl: RETIRED_SCHEDULE_TTL_SECONDS }),
      };
    });
  }

  /** The composer of "agreement-reminder": to each member the agreement names, with the app, if it is still open. */
  async composeReminder(schedule: Schedule): Promise<Composition> {
    const group = await this.deps.groups.document(groupIdOf(schedule.pk) ?? "");
    const meeting = await this.deps.meetings.read(schedule.pk, String(schedule.payload.meetingId));
    const agreement = meeting?.agreements.find((a) => a.id === schedule.payload.agreementId);
    if (!group || !meeting || !agreement) return { kind: "skip", reason: "the agreement is gone" };
    if (agreement.status === "done") return { kind: "skip", reason: "the agreement is done" };
    const settings = this.deps.groups.settings.effective(group, undefined);
    const sends = [];
    for (const member of namedMembers(agreement.responsible, group.members ?? [])) {
      const found = await this.reachable(group.conversation.tenantId, member);
      if (!found) continue;
      const card = agreementReminderCard({ agreement, groupName: group.conversation.name ?? texts.meeting.groupFallbackName, meeting, timezone: settings.timezone });
      sends.push({ key: member.aadObjectId, ownerPk: found.ownerPk, conversation: found.conversation, message: { attachments: [card] } });
    }
    return { kind: "sendEach", sends };
  }

  /** A member's 1:1 chat with the bot, if they have one and have not turned the groups' messages off. */
  private async reachable(tenantId: string, member: GroupMember): Promise<{ conversation: StoredConversation; ownerPk: string } | undefined> {
    const user = { tenantId: asTenantId(tenantId), userId: asUserId(member.aadObjectId) };
    const { session } = await this.deps.sessions.load(user);
    if (!session.conversation?.active || session.profile.groupInvitations === false) return undefined;
    return { conversation: session.conversation, ownerPk: partitionKeyOf(user) };
  }

  /**
   * The composer of "meeting-invitations": one 1:1 card to each member of the group who has a
   * chat with the bot and has not turned invitations off, through the outbox (so Teams' limits
   * hold). Members come from the roster Teams last gave.
   */
  async composeInvitations(schedule: Schedule, runAt: Date): Promise<Composition> {
    const group = await this.deps.groups.document(groupIdOf(schedule.pk) ?? "");
    if (!group?.settings || !schedule.recurrence) return { kind: "skip", reason: "the group has no settings" };
    if (!group.conversation.active) return { kind: "skip", reason: `conversation inactive (${group.conversation.inactiveReason ?? "unknown"})` };
    const settings = this.deps.groups.settings.effective(group, undefined);
    // The meeting an invitation is for is the next occurrence after it, even when it moved earlier.
    const start = nextOccurrence(schedule.recurrence, runAt);
    const slot = { start, end: new Date(start.getTime() + meetingMinutesOf(settings) * MINUTE) };
    const theme = this.deps.groups.settings.themeFor(settings, start);
    const groupName = group.conversation.name ?? texts.meeting.groupFallbackName;
    const days = Math.round((start.getTime() - runAt.getTime()) / 86_400_000);
    // The group's pulse on the theme, when the rules allow one now (one per theme per 30 days, at least k members).
    const pulse = await this.deps.pulses?.openForMeeting(group, meetingDocumentId(slot), theme.id, start);
    const sends = [];
    // Guests read along, but an invitation offers to share a point, which they cannot.
    for (const member of (group.members ?? []).filter((m) => !m.guest)) {
      const found = await this.reachable(group.conversation.tenantId, member);
      if (!found) continue;
      sends.push({
        key: member.aadObjectId,
        ownerPk: found.ownerPk,
        conversation: found.conversation,
        message: {
          attachments: [
            invitationCard({
              title: texts.meeting.invitationTitle(texts.meeting.invitationWhen(days, danishDate(start.toISOString(), settings.timezone)), theme.title),
              groupName,
              whenText: danishDateTime(start, settings.timezone),
              themeId: theme.id,
              groupId: group.conversation.conversationId,
              meetingId: meetingDocumentId(slot),
              ...(pulse ? { pulseId: pulse.pulseId } : {}),
            }),
          ],
        },
      });
    }
    return { kind: "sendEach", sends };
  }

  /** A start or end event: the card for that meeting goes in the outbox, unless it already went. */
  async onEvent(conversation: StoredConversation, event: MeetingEvent): Promise<"enqueued" | "already-there"> {
    const group = await this.deps.groups.document(conversation.conversationId);
    const settings = this.deps.groups.settings.effective(group, undefined);
    const { slot, source } = this.slotOf(group, settings, event);
    const meeting = await this.open(groupPartition(conversation.conversationId), settings, slot, source);
    const message = await this.atEdge(event.edge, meeting, settings, conversation.tenantId);
    return this.deps.outbox.enqueue(this.record(group?.conversation ?? conversation, event.edge, meeting, slot, message));
  }

  /** The composer of the "meeting-start" (ten minutes in) and "meeting-end" schedules. */
  async compose(schedule: Schedule, runAt: Date): Promise<Composition> {
    const group = await this.deps.groups.document(groupIdOf(schedule.pk) ?? "");
    if (!group?.settings) return { kind: "skip", reason: "the group has no settings" };
    if (!group.conversation.active) return { kind: "skip", reason: `conversation inactive (${group.conversation.inactiveReason ?? "unknown"})` };
    const settings = this.deps.groups.settings.effective(group, undefined);
    const duration = meetingMinutesOf(settings) * MINUTE;
    const start = schedule.kind === "meeting-start" ? new Date(runAt.getTime() - START_FALLBACK_MINUTES * MINUTE) : new Date(runAt.getTime() - duration);
    const meeting = await this.open(schedule.pk, settings, { start, end: new Date(start.getTime() + duration) }, "series");
    const message = await this.atEdge(schedule.kind === "meeting-start" ? "start" : "end", meeting, settings, schedule.tenantId);
    return { kind: "send", conversation: group.conversation, message, meetingId: meeting.id };
  }

  /**
   * What a meeting's start or end changes, then its card. At the start the meeting's pulse closes
   * (so the card shows the result); at the end the meeting is counted into Indsigt. Both happen
   * here, where Teams' event or the schedule says the meeting started or ended, and not where a
   * card is drawn: a card is drawn again on every status click and by an erasure.
   */
  private async atEdge(edge: MeetingEdge, meeting: GroupMeeting, settings: GroupSettings, tenantId: string): Promise<OutgoingMessage> {
    if (edge === "start") {
      await this.deps.pulseClosing?.closeForMeeting(meeting.pk, meeting.id, new Date(meeting.start));
      return { attachments: [await this.startCard(meeting, settings)] };
    }
    await this.recordEnd(meeting, tenantId);
    return this.endCard(meeting, settings);
  }

  /** The outbox record id of a meeting's post: the same for its event and its schedule. */
  static recordId(pk: string, edge: MeetingEdge, slot: MeetingSlot): string {
    if (slot.key) return Outbox.recordId(pk, edge === "start" ? "meeting-start" : "meeting-end", slot.key);
    return edge === "start" ? Outbox.recordId(pk, "meeting-start", new Date(slot.start.getTime() + START_FALLBACK_MINUTES * MINUTE)) : Outbox.recordId(pk, "meeting-end", slot.end);
  }

  /** "Dagens refleksion" for a meeting as things stand now (also after a status click): drawn from what is stored, writing nothing. */
  async startCard(meeting: GroupMeeting, settings: GroupSettings) {
    return meetingStartCard({ meeting, ...(await this.startOf(meeting, settings)), timezone: settings.timezone });
  }

  /**
   * What a meeting's start shows, read from what is stored: its theme and the group's questions
   * for the group's role, the agreements it follows up, and its Vi-pulse. The start card and the
   * meeting's side panel both draw from this, so they show the same.
   */
  async startOf(meeting: GroupMeeting, settings: GroupSettings): Promise<{ theme: Theme; questions: Shown[]; open: OpenAgreement[]; pulse?: MeetingPulse }> {
    const theme = this.deps.framework.theme(meeting.themeId) ?? this.deps.framework.themes[0]!;
    const questions = this.deps.framework.questions(theme.id, asRoleId(settings.roleId), "ledergruppen").map((q) => q.text);
    const open = openAgreements(await this.deps.meetings.toFollowUp(meeting.pk, new Date(meeting.start)), new Date(meeting.start));
    const pulse = await this.deps.pulses?.forMeeting(meeting.pk, meeting.id, new Date(meeting.start));
    return { theme, questions, open, ...(pulse ? { pulse } : {}) };
  }

  /** "Hvad aftalte I?" at a meeting's end: drawn from the meeting, writing nothing. */
  endCard(meeting: GroupMeeting, settings: GroupSettings): OutgoingMessage {
    return { attachments: [agreementsCard(meeting, settings.timezone)] };
  }

  /**
   * A meeting held with the bot has ended: its end is kept on the meeting (`endedAt`), and
   * Indsigt's numbers of it go with that write, in one transactional batch: the meeting, the group
   * (at its first meeting in the quarter), and "done by the next meeting": the last meeting before
   * it with agreements counts them, and those marked done (statuses set during this meeting
   * count). Once per meeting, however often its end comes (event and schedule, two instances).
   */
  private async recordEnd(meeting: GroupMeeting, tenantId: string): Promise<void> {
    if (meeting.endedAt) return;
    const start = new Date(meeting.start);
    const quarter = quarterOf(start.toISOString());
    const earlier = (await this.deps.meetings.forGroup(meeting.pk, new Date(start.getTime() - 1))).filter((m) => m.id !== meeting.id);
    const previous = earlier.find((m) => m.agreements.length > 0);
    const counts: Record<string, number> = {
      [key.meetings()]: 1,
      ...(earlier.some((m) => quarterOf(m.start) === quarter) ? {} : { [key.groups()]: 1 }),
      ...(previous ? { [key.agreementsDue()]: previous.agreements.length, [key.agreementsDone()]: previous.agreements.filter((a) => a.status === "done").length } : {}),
    };
    const now = this.deps.clock();
    const change = groupChangeDocument({ pk: meeting.pk, tenantId }, `meeting:${meeting.id}`, quarter, counts, now);
    await this.deps.meetings.decide(
      meeting.pk,
      meeting.id,
      (current) => (current.endedAt ? { outcome: "already" } : { write: { ...current, endedAt: now.toISOString() }, outcome: "ended" }),
      () => [change],
    );
  }

  /**
   * Which meeting an event is about: the series' occurrence it falls near, or, for an instant
   * meeting (or one outside the series), the Teams meeting on that day.
   */
  private slotOf(group: GroupDocument | undefined, settings: GroupSettings, event: MeetingEvent): { slot: MeetingSlot; source: GroupMeeting["source"] } {
    const duration = meetingMinutesOf(settings) * MINUTE;
    const recurrence = group?.settings ? meetingRecurrence(settings) : undefined;
    const slot = recurrence ? slotAround((from) => nextOccurrences(recurrence, from, 3), event.at, duration, event.edge) : undefined;
    if (slot) return { slot, source: "series" };
    // As it happened: the first event to arrive decides the start that the cards show.
    const key = instantMeetingKey(event.teamsMeetingId ?? "unknown", event.at, settings.timezone);
    const start = event.edge === "start" ? event.at : new Date(event.at.getTime() - duration);
    return { slot: { start, end: new Date(start.getTime() + duration), key }, source: "instant" };
  }

  /** The meeting's document, created by whoever comes first (it fixes the theme and the agreements card's token). */
  open(pk: string, settings: GroupSettings, slot: MeetingSlot, source: GroupMeeting["source"]): Promise<GroupMeeting> {
    return this.deps.meetings.open({
      id: meetingDocumentId(slot),
      pk,
      type: "meeting",
      start: slot.start.toISOString(),
      end: slot.end.toISOString(),
      themeId: this.deps.groups.settings.themeFor(settings, slot.start).id,
      source,
      agreementsToken: this.deps.newToken(),
      agreements: [],
      people: [],
    });
  }

  private record(conversation: StoredConversation, edge: MeetingEdge, meeting: GroupMeeting, slot: MeetingSlot, message: OutgoingMessage) {
    const kind = edge === "start" ? "meeting-start" : "meeting-end";
    return Outbox.pending({ id: MeetingLoop.recordId(meeting.pk, edge, slot), tenantId: conversation.tenantId, ownerPk: meeting.pk, scheduleId: kind, kind, meetingId: meeting.id, conversation, message }, this.deps.clock());
  }
}

/** "2026-12-15" → "2026-12-14". */
function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
