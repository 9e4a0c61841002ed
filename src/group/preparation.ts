import { pointPlace, pointSharedCard, sharePointCard, sharePreviewCard } from "../cards/meetingCards";
import { receiptCard } from "../cards/views";
import type { CardSubmit } from "../domain/cardSubmit";
import { cardTextInput } from "../domain/group/cardInput";
import { MEETING_ID, withIndexes, withoutPoint } from "../domain/group/meetings";
import { mayWriteToGroup, type GroupMembership } from "../domain/group/roster";
import { POINT_MAX, type GroupMeeting, type MeetingPoint } from "../domain/group/model";
import type { PointAuthorKey } from "../domain/pointAuthor";
import type { SharedPoint } from "../domain/session";
import type { Reflection } from "../domain/reflection";
import type { CardAttachment } from "../cards/renderCard";

import { meetingRecurrence } from "./groupSchedules";
import type { Groups } from "./groups";
import type { MeetingLoop } from "./meetingLoop";
import { nextOccurrence } from "../domain/recurrence";
import type { GroupDocument } from "../domain/group/model";
import type { GroupMeetings } from "../storage/meetingStore";
import type { ReflectionRepository } from "../storage/reflections";
import { texts } from "../kernel/texts";
import { replaceClicked, say, show, type PersonalTurn, type Reply } from "../cards/replies";
import { meetingMinutesOf } from "../domain/group/groupSettings";
import { groupPartition } from "../domain/group/partition";
import type { Shown } from "../kernel/shown";

const GROUP_ID = /^19:[A-Za-z0-9_.@:=-]{1,400}$/;
const POINT_ID = /^p-[A-Za-z0-9_-]{1,40}$/;
/** A preview is good for this long; after that "Del med gruppen" asks to look again. */
const PREVIEW_MINUTES = 30;
/** The points a leader keeps a record of (to withdraw, export and erase them). */
const KEPT_POINTS = 50;

interface Target {
  readonly group: GroupDocument;
  readonly groupId: string;
  readonly meetingId: string;
  readonly start: Date;
}

/**
 * A leader's preparation for their group's meeting, in the 1:1 chat: the invitation's
 * "Del et punkt med gruppen" (write or pick one sentence, see exactly how it will stand, then
 * share it), withdrawing it until the meeting starts, and turning invitations off. Nothing
 * leaves the 1:1 chat before "Del med gruppen", and that button shares what the preview showed,
 * kept in the leader's own session, never what a card claims.
 */
export class GroupPreparation {
  constructor(
    private readonly deps: {
      readonly groups: Pick<Groups, "document" | "settings">;
      readonly meetings: GroupMeetings;
      readonly loop: MeetingLoop;
      readonly reflections: Pick<ReflectionRepository, "listNewestFirst">;
      readonly clock: () => Date;
      readonly newToken: () => string;
      readonly authorKeyOf: PointAuthorKey;
      /** Teams' single-member lookup, asked when a point is shared; absent in local runs (no app id). */
      readonly membership?: GroupMembership;
    },
  ) {}

  async sharePoint(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    switch (submit.step) {
      case "compose":
        return this.compose(turn, submit);
      case "preview":
        return this.preview(turn, submit);
      case "share":
        return this.share(turn, submit);
      default:
        return [say(texts.cardNotUnderstood)];
    }
  }

  /** "Træk punktet tilbage": only one's own point, and only until the meeting starts. */
  async withdraw(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const { groupId, meetingId, pointId } = submit.inputs;
    if (typeof pointId !== "string" || !POINT_ID.test(pointId)) return [say(texts.cardNotUnderstood)];
    const { session } = turn.session;
    const mine = (session.sharedPoints ?? []).find((p) => p.pointId === pointId && p.groupId === groupId && p.meetingId === meetingId);
    if (!mine) return [say(texts.meeting.pointAlreadyGone)];
    if (Date.parse(mine.meetingStart) <= this.deps.clock().getTime()) return [say(texts.meeting.pointTooLate)];
    await this.deps.meetings.update(groupPartition(mine.groupId), mine.meetingId, (current) => withoutPoint(current, pointId));
    session.sharedPoints = (session.sharedPoints ?? []).filter((p) => p.pointId !== pointId);
    turn.session.markChanged();
    return [replaceClicked(receiptCard({ title: texts.meeting.pointWithdrawn }))];
  }

  /**
   * After a reflection started from an invitation: the card to share a point, with the answers
   * just given to pick from. Nothing is shared by it; undefined when the meeting has begun, the
   * theme is another, or the leader is no longer in the group.
   */
  async offerAfterReflection(turn: PersonalTurn, reflection: Reflection): Promise<CardAttachment | undefined> {
    const { session } = turn.session;
    const preparing = session.preparingFor;
    if (!preparing) return undefined;
    delete session.preparingFor;
    turn.session.markChanged();
    const target = await this.target(turn, preparing);
    if (typeof target === "string") return undefined;
    if ((await this.themeOf(target)) !== reflection.themeId) return undefined;
    const answers = reflection.questions.map((q) => q.answer?.replace(/\s+/g, " ").trim() ?? "").filter((a) => a.length > 0);
    return sharePointCard({ meetingText: this.place(target), groupId: target.groupId, meetingId: target.meetingId, point: "", showName: false, answers });
  }

  async stopInvitations(turn: PersonalTurn): Promise<Reply[]> {
    turn.session.session.profile.groupInvitations = false;
    turn.session.markChanged();
    return [say(texts.meeting.invitationsOff)];
  }

  private async compose(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const target = await this.target(turn, submit.inputs);
    if (typeof target === "string") return [say(target)];
    const answers = await this.answersOn(turn, await this.themeOf(target));
    const pending = turn.session.session.pendingShare;
    const again = pending && pending.groupId === target.groupId && pending.meetingId === target.meetingId ? pending : undefined;
    return [
      show(
        sharePointCard({
          meetingText: this.place(target),
          groupId: target.groupId,
          meetingId: target.meetingId,
          point: again?.text ?? "",
          showName: again?.showName ?? false,
          answers,
        }),
      ),
    ];
  }

  /** Shows exactly how the point will stand, and keeps it in the session for "Del med gruppen". */
  private async preview(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const target = await this.target(turn, submit.inputs);
    if (typeof target === "string") return [say(target)];
    const typed = cardTextInput(submit.inputs.point);
    if (typed === null || typed.length > POINT_MAX) return [say(texts.meeting.pointTooLong)];
    let text = typed;
    if (text === "" && typeof submit.inputs.fromAnswer === "string" && /^\d{1,2}$/.test(submit.inputs.fromAnswer)) {
      text = (await this.answersOn(turn, await this.themeOf(target)))[Number(submit.inputs.fromAnswer)] ?? "";
      if (text.length > POINT_MAX) text = `${text.slice(0, POINT_MAX - 1)}…`;
    }
    if (text === "") return [say(texts.meeting.pointEmpty)];
    const showName = submit.inputs.showName === "true";
    const token = this.deps.newToken();
    const { session } = turn.session;
    session.pendingShare = {
      token,
      groupId: target.groupId,
      meetingId: target.meetingId,
      text,
      showName,
      expiresAt: new Date(this.deps.clock().getTime() + PREVIEW_MINUTES * 60_000).toISOString(),
    };
    turn.session.markChanged();
    const replaces = (session.sharedPoints ?? []).some((p) => p.groupId === target.groupId && p.meetingId === target.meetingId);
    return [
      replaceClicked(
        sharePreviewCard({ whereText: this.place(target), point: text, byText: this.byText(turn, target.group, showName), replaces, token, groupId: target.groupId, meetingId: target.meetingId }),
      ),
    ];
  }

  private async share(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const { session } = turn.session;
    const pending = session.pendingShare;
    if (!pending || !submit.token || pending.token !== submit.token || pending.expiresAt <= this.deps.clock().toISOString()) return [say(texts.alreadyAnswered)];
    // Checked again: the roster or the meeting may have changed since the preview.
    const target = await this.target(turn, { groupId: pending.groupId, meetingId: pending.meetingId });
    if (typeof target === "string") return [say(target)];
    // Asked of Teams now, not only of the stored roster: someone who just left shares nothing.
    if ((await this.deps.membership?.isMember(target.group.conversation, turn.session.user.userId)) === false) return [say(texts.meeting.notInGroup)];
    await this.meetingOf(target);

    // The id comes from the preview's token: a turn run again (another turn saved first) writes the same point.
    const pointId = `p-${pending.token.replace(/[^A-Za-z0-9_-]/g, "")}`.slice(0, 42);
    const earlier = (session.sharedPoints ?? []).filter((p) => p.groupId === pending.groupId && p.meetingId === pending.meetingId).map((p) => p.pointId);
    const point: MeetingPoint = {
      id: pointId,
      text: pending.text,
      ...(pending.showName ? { by: { name: this.name(turn, target.group), aadObjectId: turn.session.user.userId } } : { authorKey: this.deps.authorKeyOf(turn.session.user) }),
    };
    await this.deps.meetings.update(groupPartition(pending.groupId), pending.meetingId, (current) =>
      withIndexes({ ...current, points: [...(current.points ?? []).filter((p) => p.id !== pointId && !earlier.includes(p.id)), point] }),
    );
    const record: SharedPoint = {
      groupId: pending.groupId,
      groupName: target.group.conversation.name ?? texts.meeting.groupFallbackName,
      meetingId: pending.meetingId,
      meetingStart: target.start.toISOString(),
      pointId,
      text: pending.text,
      showName: pending.showName,
      sharedAt: this.deps.clock().toISOString(),
    };
    session.sharedPoints = [...(session.sharedPoints ?? []).filter((p) => !earlier.includes(p.pointId) && p.pointId !== pointId), record].slice(-KEPT_POINTS);
    delete session.pendingShare;
    turn.session.markChanged();
    return [
      replaceClicked(pointSharedCard({ whereText: this.place(target), point: pending.text, byText: this.byText(turn, target.group, pending.showName), groupId: pending.groupId, meetingId: pending.meetingId, pointId })),
      say(texts.meeting.pointShared),
    ];
  }

  /**
   * The group and meeting a card names, if the leader belongs to it (the group's roster from
   * Teams) and the meeting is the group's next one; otherwise the answer to give. Only the next:
   * a crafted card naming a meeting years ahead would otherwise create meetings that push the
   * group's real history out of its lists.
   */
  private async target(turn: PersonalTurn, inputs: Readonly<Record<string, unknown>>): Promise<Target | string> {
    const { groupId, meetingId } = inputs;
    if (typeof groupId !== "string" || !GROUP_ID.test(groupId) || typeof meetingId !== "string" || !MEETING_ID.test(meetingId)) return texts.cardNotUnderstood;
    const group = await this.deps.groups.document(groupId);
    if (!group?.settings) return texts.meeting.unknownGroup;
    if (group.conversation.tenantId !== turn.session.user.tenantId || !(group.members ?? []).some((m) => m.aadObjectId === turn.session.user.userId.toLowerCase())) return texts.meeting.notInGroup;
    if (!mayWriteToGroup(group.members, turn.session.user.userId)) return texts.meeting.guestReadOnly;
    const start = new Date(meetingId.slice("meeting|".length));
    const recurrence = meetingRecurrence(this.deps.groups.settings.effective(group, undefined));
    if (!recurrence) return texts.meeting.unknownGroup;
    const now = this.deps.clock();
    if (start.getTime() <= now.getTime()) return texts.meeting.shareTooLate;
    if (nextOccurrence(recurrence, now).getTime() !== start.getTime()) return texts.meeting.notNextMeeting;
    return { group, groupId, meetingId, start };
  }

  /** The meeting's theme without creating its document: the stored one's, or the one its date gives. */
  private async themeOf(target: Target): Promise<string> {
    const stored = await this.deps.meetings.read(groupPartition(target.groupId), target.meetingId);
    return stored?.themeId ?? this.deps.groups.settings.themeFor(this.deps.groups.settings.effective(target.group, undefined), target.start).id;
  }

  /** The meeting's document, created now if nothing was stored for it yet: only when a point is shared. */
  private meetingOf(target: Target): Promise<GroupMeeting> {
    const settings = this.deps.groups.settings.effective(target.group, undefined);
    return this.deps.loop.open(groupPartition(target.groupId), settings, { start: target.start, end: new Date(target.start.getTime() + meetingMinutesOf(settings) * 60_000) }, "series");
  }

  /** The leader's own answers on the theme, newest first, to pick a point from. */
  private async answersOn(turn: PersonalTurn, themeId: string): Promise<string[]> {
    const reflections = await this.deps.reflections.listNewestFirst(turn.session.user, 20);
    return reflections
      .filter((r) => r.themeId === themeId)
      .slice(0, 3)
      .flatMap((r) => r.questions.map((q) => q.answer?.replace(/\s+/g, " ").trim() ?? ""))
      .filter((a) => a.length > 0)
      .slice(0, 9);
  }

  private place(target: Target): Shown {
    const settings = this.deps.groups.settings.effective(target.group, undefined);
    return pointPlace(target.group.conversation.name ?? texts.meeting.groupFallbackName, target.start.toISOString(), settings.timezone);
  }

  private byText(turn: PersonalTurn, group: GroupDocument, showName: boolean): string {
    return showName ? this.name(turn, group) : texts.meeting.anonymousLeader;
  }

  /** The leader's name as the group's roster has it: what the others know them by. */
  private name(turn: PersonalTurn, group: GroupDocument): string {
    return group.members?.find((m) => m.aadObjectId === turn.session.user.userId.toLowerCase())?.name || texts.meeting.someone;
  }
}
