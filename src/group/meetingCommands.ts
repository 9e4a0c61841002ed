import { agreementEditCard, agreementsListCard, agreementsSavedCard, minutesDownloadCard, minutesMessages } from "../cards/meetingCards";
import { danishDate } from "../cards/format";
import type { Framework } from "../domain/framework";
import type { CardSubmit } from "../domain/cardSubmit";
import { editChange, parseAgreements } from "../domain/group/agreements";
import type { GroupMinutes } from "./minutes";
import { MEETING_ID } from "../domain/group/meetings";
import { mayWriteToGroup } from "../domain/group/roster";
import { type Person } from "../domain/group/model";
import type { Groups } from "./groups";
import type { MeetingEdge, MeetingLoop } from "./meetingLoop";
import type { GroupDocuments } from "../storage/groupDocuments";
import type { GroupMeetings } from "../storage/meetingStore";
import { texts } from "../kernel/texts";
import { refreshMembers, type SharedTurn } from "./groupCommands";
import { kept, replaceClicked, say, show, type Reply } from "../cards/replies";
import { agreementsAnswer, statusAnswer, type GroupActor, type MeetingRecord } from "./meetingRecord";
import { groupPartition } from "../domain/group/partition";

const AGREEMENT_ID = /^a[1-5]$/;

/**
 * What people do with the meeting loop's cards and commands in a group: save the agreements,
 * set an agreement's status, edit one, list them ("aftaler") and get the minutes ("referat").
 * Everything is read from and written to the group's own partition, the one of the
 * conversation the click came from: a card from another group finds nothing here.
 */
export class MeetingCommands {
  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly groups: Pick<Groups, "settings" | "roster">;
      readonly meetings: GroupMeetings;
      readonly documents: Pick<GroupDocuments, "recordAllMinutes">;
      readonly loop: MeetingLoop;
      /** Saving the agreements and a status click: the same decisions as the side panel's. */
      readonly record: MeetingRecord;
      readonly minutes: GroupMinutes;
      readonly clock: () => Date;
      /** Local development only (anonymous bot): "start mødet nu" / "afslut mødet nu" stand in for Teams' events. */
      readonly allowMockEvents: boolean;
    },
  ) {}

  /** "start mødet nu" / "afslut mødet nu": locally, what Teams' start and end events do; refused anywhere else. */
  async mockEvent(turn: SharedTurn, edge: MeetingEdge): Promise<Reply[]> {
    if (!this.deps.allowMockEvents) return [say(texts.meeting.mockEventLocalOnly(edge === "start" ? texts.groupCommandWord.startMeetingNow : texts.groupCommandWord.endMeetingNow))];
    await this.meetingEvent(turn, { edge, at: this.deps.clock(), teamsMeetingId: turn.meetingId ?? turn.conversation.conversationId });
    return [say(texts.meeting.mockEvent(edge))];
  }

  /** Teams' start or end event: the meeting's card goes out (once) through the outbox; nothing is said here. */
  async meetingEvent(turn: SharedTurn, event: { edge: MeetingEdge; at: Date | undefined; teamsMeetingId: string | undefined }): Promise<Reply[]> {
    await refreshMembers(this.deps.groups.roster, turn);
    const outcome = await this.deps.loop.onEvent(turn.conversation, { edge: event.edge, at: event.at ?? this.deps.clock(), teamsMeetingId: event.teamsMeetingId ?? turn.meetingId });
    turn.log.info({ edge: event.edge, outcome }, "Meeting event");
    return [];
  }

  /** "Gem aftalerne" on "Hvad aftalte I?": decided by MeetingRecord, as the side panel's save is. */
  async saveAgreements(turn: SharedTurn, submit: CardSubmit): Promise<Reply[]> {
    const actor = await this.actorOf(turn);
    const outcome = await this.deps.record.saveAgreements(actor, submit.inputs.meetingId, submit.token, submit.inputs);
    const answer = say(agreementsAnswer(outcome, actor.settings.timezone));
    switch (outcome.kind) {
      // Someone else saved first (in the same moment, or long ago): theirs stands, and this person is told whose.
      case "already-saved":
        return [kept(answer, { kind: "agreements-saved-by", meetingId: outcome.meeting.id })];
      case "saved":
        return [replaceClicked(agreementsSavedCard(outcome.agreements, actor.settings.timezone)), answer];
      // Anything else leaves the card as it was, with what the person typed, so nothing is lost on a mistake.
      default:
        return [answer];
    }
  }

  /** "Gjort", "I gang", "Ikke startet" on the start card: recorded with who and when (MeetingRecord); the card updates in place. */
  async setStatus(turn: SharedTurn, submit: CardSubmit): Promise<Reply[]> {
    const actor = await this.actorOf(turn);
    const { cardMeetingId } = submit.inputs;
    if (actor.mayWrite && (typeof cardMeetingId !== "string" || !MEETING_ID.test(cardMeetingId))) return [say(texts.cardNotUnderstood)];
    const outcome = await this.deps.record.setStatus(actor, { meetingId: submit.inputs.meetingId, agreementId: submit.inputs.agreementId, status: submit.inputs.status });
    const answer = say(statusAnswer(outcome));
    if (outcome.kind !== "changed" && outcome.kind !== "same") return [answer];
    const pk = groupPartition(turn.conversation.conversationId);
    // The card is usually that meeting's own; an older agreement's card is another meeting's.
    const card = cardMeetingId === outcome.meeting.id ? outcome.meeting : await this.deps.meetings.read(pk, String(cardMeetingId));
    // The clicked start card now names who set the status: kept under its id (a post older than the outbox's copy, too).
    const replies: Reply[] = card ? [kept(replaceClicked(await this.deps.loop.startCard(card, actor.settings)), { kind: "meeting-start", meetingId: card.id })] : [];
    return [...replies, answer];
  }

  /** "Ret aftalen" on the "aftaler" card: the agreement as it stands, to edit. */
  async openEdit(turn: SharedTurn, submit: CardSubmit): Promise<Reply[]> {
    const target = agreementTarget(submit.inputs);
    if (!target) return [say(texts.cardNotUnderstood)];
    const meeting = await this.deps.meetings.read(groupPartition(turn.conversation.conversationId), target.meetingId);
    const agreement = meeting?.agreements.find((a) => a.id === target.agreementId);
    if (!meeting || !agreement) return [say(texts.meeting.agreementGone)];
    return [show(agreementEditCard(meeting, agreement, (await this.groupSettings(turn)).timezone))];
  }

  /** "Gem rettelsen": kept with who made it; refused when someone changed the agreement since the card was shown. */
  async editAgreement(turn: SharedTurn, submit: CardSubmit): Promise<Reply[]> {
    if (!(await this.mayWrite(turn))) return [say(texts.meeting.guestReadOnly)];
    const target = agreementTarget(submit.inputs);
    const version = Number(submit.inputs.version);
    if (!target || !Number.isInteger(version) || version < 0) return [say(texts.cardNotUnderstood)];
    const row = parseAgreements({ text1: submit.inputs.text, who1: submit.inputs.who, due1: submit.inputs.due }, personOf(turn), this.deps.clock());
    if (!row.ok) return [say(texts.meeting.agreementsProblem(row.problem, undefined))];
    const [fields] = row.agreements;

    const pk = groupPartition(turn.conversation.conversationId);
    const settings = await this.groupSettings(turn);
    const fieldsEdited = { text: fields!.text, responsible: fields!.responsible, ...(fields!.due ? { due: fields!.due } : {}) };
    // The agreement and its reminder are written together.
    const result = await this.deps.meetings.apply(
      pk,
      target.meetingId,
      (current) => editChange(current, target.agreementId, version, fieldsEdited, personOf(turn), this.deps.clock()),
      (next) => this.deps.loop.reminderSchedules(next, settings, turn.conversation.tenantId),
    );
    const change = result?.change ?? { kind: "refused", why: "gone" };
    if (change.kind === "same") return [say(texts.meeting.agreementEditUnchanged)];
    if (change.kind === "refused") {
      return [say(change.why === "stale" ? texts.meeting.agreementStale : change.why === "too-often" ? texts.meeting.changedTooOften : texts.meeting.agreementGone)];
    }
    return [kept(replaceClicked(agreementsListCard(await this.deps.meetings.forGroup(pk, this.deps.clock()), settings.timezone)), { kind: "agreements-list" }), say(texts.meeting.agreementEdited)];
  }

  /** "aftaler": every meeting's agreements with status, newest first. */
  async listAgreements(turn: SharedTurn): Promise<Reply[]> {
    const meetings = await this.deps.meetings.forGroup(groupPartition(turn.conversation.conversationId), this.deps.clock());
    return [kept(show(agreementsListCard(meetings, (await this.groupSettings(turn)).timezone)), { kind: "agreements-list" })];
  }

  /** "referat": the last meeting that has begun, in Markdown for the minutes. */
  async minutes(turn: SharedTurn): Promise<Reply[]> {
    const minutes = await this.deps.minutes.last(turn.conversation.conversationId, await this.groupSettings(turn));
    if (!minutes) return [say(texts.meeting.noMeetingYet)];
    // One meeting's minutes list every agreement it followed up: after a year, more than one message holds.
    // They name whose points they are: kept, so an erasure can re-draw them.
    return minutesMessages(minutes.text).map((text, part) => kept(say(text), { kind: "minutes", meetingId: minutes.meetingId, part }));
  }

  /**
   * "referat alle": every meeting the group held with the bot, as one message with a link to a
   * Markdown file (years of meetings do not fit in Teams' messages). Once per ten minutes per
   * group; the link works for everyone in the group for fifteen.
   */
  async allMinutes(turn: SharedTurn): Promise<Reply[]> {
    const held = await this.deps.minutes.heldCount(turn.conversation.conversationId);
    if (held.count === 0 || !held.first) return [say(texts.meeting.noMeetingYet)];
    if (!(await this.deps.documents.recordAllMinutes(turn.conversation, this.deps.clock()))) return [say(texts.meeting.allMinutesRecently)];
    const { timezone } = await this.groupSettings(turn);
    return [show(minutesDownloadCard({ summary: texts.meeting.allMinutesReady(held.count, danishDate(held.first, timezone)), url: this.deps.minutes.linkFor(turn.conversation) }))];
  }

  /** Guests read what the bot posts; only members write to the group's record. */
  private async mayWrite(turn: SharedTurn): Promise<boolean> {
    return mayWriteToGroup((await turn.group())?.members, turn.speaker.aadObjectId);
  }

  /** The speaker as MeetingRecord sees them. */
  private async actorOf(turn: SharedTurn): Promise<GroupActor> {
    return { conversation: turn.conversation, by: personOf(turn), mayWrite: await this.mayWrite(turn), settings: await this.groupSettings(turn) };
  }

  /** The group's settings (its zone, its role) as they apply now. */
  private async groupSettings(turn: SharedTurn) {
    return this.deps.groups.settings.effective(await turn.group(), turn.clientTimezone);
  }
}

/** The meeting and agreement a card button names, if they have the shape ours do. */
function agreementTarget(inputs: Readonly<Record<string, unknown>>): { meetingId: string; agreementId: string } | undefined {
  const { meetingId, agreementId } = inputs;
  return typeof meetingId === "string" && MEETING_ID.test(meetingId) && typeof agreementId === "string" && AGREEMENT_ID.test(agreementId) ? { meetingId, agreementId } : undefined;
}

function personOf(turn: SharedTurn): Person {
  return { name: turn.speaker.name || texts.meeting.someone, ...(turn.speaker.aadObjectId ? { aadObjectId: turn.speaker.aadObjectId } : {}) };
}

