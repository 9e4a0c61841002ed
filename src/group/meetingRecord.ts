import { key, quarterOf } from "../domain/insight/aggregate";
import { groupChangeDocument } from "../insight/contributions";
import type { StoredConversation } from "../domain/conversation";
import type { GroupSettings } from "../domain/group/groupSettings";
import { isAgreementStatus, parseAgreements, saveChange, statusChange, type AgreementsProblem } from "../domain/group/agreements";
import { MEETING_ID } from "../domain/group/meetings";
import type { Agreement, GroupMeeting, Person } from "../domain/group/model";
import { groupPartition } from "../domain/group/partition";
import type { GroupMeetings } from "../storage/meetingStore";
import { agreementsAlreadySavedText, statusChangedText } from "../cards/meetingCards";
import { texts } from "../kernel/texts";
import type { Shown } from "../kernel/shown";
import type { MeetingLoop } from "./meetingLoop";

/**
 * Who writes to a group's record, wherever they clicked: a card in the chat or the meeting's side
 * panel. Each surface says who it is and whether they may write (a guest may not); the decisions
 * below are the same for both, so a status or the agreements take the same eTags, limits and
 * "allerede gemt af …" answers whichever way they came.
 */
export interface GroupActor {
  /** The group's conversation: its partition holds the record. */
  readonly conversation: StoredConversation;
  readonly by: Person;
  readonly mayWrite: boolean;
  /** The group's settings as they apply now (its zone, its role). */
  readonly settings: GroupSettings;
}

const AGREEMENT_ID = /^a[1-5]$/;

/** What saving "Hvad aftalte I?" came to. */
export type AgreementsOutcome =
  | { readonly kind: "saved"; readonly agreements: readonly Agreement[]; readonly meeting: GroupMeeting }
  /** Someone saved first (a moment or long ago): theirs stands. */
  | { readonly kind: "already-saved"; readonly meeting: GroupMeeting }
  | { readonly kind: "problem"; readonly problem: AgreementsProblem; readonly row: number | undefined }
  /** The form's one-time token is not the meeting's (an old form). */
  | { readonly kind: "token-used" }
  | { readonly kind: "meeting-gone" }
  | { readonly kind: "guest" }
  | { readonly kind: "not-understood" };

/** What a status click came to. */
export type StatusOutcome =
  | { readonly kind: "changed" | "same"; readonly agreement: Agreement; readonly meeting: GroupMeeting }
  | { readonly kind: "too-often" }
  | { readonly kind: "agreement-gone" }
  | { readonly kind: "meeting-gone" }
  | { readonly kind: "guest" }
  | { readonly kind: "not-understood" };

/**
 * The writes a meeting's people make to its record: saving the agreements and setting an
 * agreement's status. The chat's cards (group/meetingCommands) and the side panel
 * (meetings/meetingPanel) both call these, and both answer with `agreementsAnswer` and `statusAnswer`
 * (the panel with its own sentence where the chat's would point at a card or at typing).
 */
export class MeetingRecord {
  constructor(
    private readonly deps: {
      readonly meetings: GroupMeetings;
      readonly loop: Pick<MeetingLoop, "reminderSchedules">;
      readonly clock: () => Date;
    },
  ) {}

  /** "Gem aftalerne": once per meeting, with the form's one-time token; the agreements, their reminders and Indsigt's count together. */
  async saveAgreements(actor: GroupActor, meetingId: unknown, token: unknown, inputs: Readonly<Record<string, unknown>>): Promise<AgreementsOutcome> {
    if (!actor.mayWrite) return { kind: "guest" };
    if (typeof meetingId !== "string" || !MEETING_ID.test(meetingId) || typeof token !== "string" || !token) return { kind: "not-understood" };
    const pk = groupPartition(actor.conversation.conversationId);
    const now = this.deps.clock();
    const parsed = parseAgreements(inputs, actor.by, now);
    const { tenantId } = actor.conversation;
    const result = await this.deps.meetings.apply(
      pk,
      meetingId,
      (current) => saveChange(current, token, parsed, actor.by, now),
      (next) => [
        ...this.deps.loop.reminderSchedules(next, actor.settings, tenantId),
        groupChangeDocument({ pk, tenantId }, `agreements:${meetingId}`, quarterOf(now.toISOString()), { [key.agreements()]: next.agreements.length }, now),
      ],
    );
    if (!result) return { kind: "meeting-gone" };
    const { change, meeting } = result;
    if (change.kind === "refused") {
      if (change.why === "already-saved") return { kind: "already-saved", meeting };
      if (change.why === "invalid" && !parsed.ok) return { kind: "problem", problem: parsed.problem, row: parsed.row };
      return { kind: "token-used" };
    }
    if (!parsed.ok) return { kind: "not-understood" };
    return { kind: "saved", agreements: parsed.agreements, meeting };
  }

  /** "Gjort", "I gang", "Ikke startet": recorded with who and when, at a calm pace (AGREEMENT_HISTORY). */
  async setStatus(actor: GroupActor, target: { readonly meetingId: unknown; readonly agreementId: unknown; readonly status: unknown }): Promise<StatusOutcome> {
    if (!actor.mayWrite) return { kind: "guest" };
    const { meetingId, agreementId, status } = target;
    if (typeof meetingId !== "string" || !MEETING_ID.test(meetingId) || typeof agreementId !== "string" || !AGREEMENT_ID.test(agreementId) || !isAgreementStatus(status)) {
      return { kind: "not-understood" };
    }
    const pk = groupPartition(actor.conversation.conversationId);
    const result = await this.deps.meetings.apply(pk, meetingId, (current) => statusChange(current, agreementId, status, actor.by, this.deps.clock()));
    if (!result) return { kind: "meeting-gone" };
    if (result.change.kind === "refused") return { kind: result.change.why === "too-often" ? "too-often" : "agreement-gone" };
    const agreement = result.meeting.agreements.find((a) => a.id === agreementId)!;
    return { kind: result.change.kind === "changed" ? "changed" : "same", agreement, meeting: result.meeting };
  }
}

/** The one sentence each outcome of saving the agreements is answered with, on either surface. */
export function agreementsAnswer(outcome: AgreementsOutcome, timezone: string): Shown {
  switch (outcome.kind) {
    case "saved":
      return texts.meeting.agreementsSaved(outcome.agreements.length);
    case "already-saved":
      return agreementsAlreadySavedText(outcome.meeting, timezone);
    case "problem":
      return texts.meeting.agreementsProblem(outcome.problem, outcome.row);
    case "token-used":
      return texts.alreadyAnswered;
    case "meeting-gone":
      return texts.meeting.meetingGone;
    case "guest":
      return texts.meeting.guestReadOnly;
    case "not-understood":
      return texts.cardNotUnderstood;
  }
}

/** The one sentence each outcome of a status click is answered with, on either surface. */
export function statusAnswer(outcome: StatusOutcome): Shown {
  switch (outcome.kind) {
    case "changed":
      return statusChangedText(outcome.agreement);
    case "same":
      return texts.meeting.statusUnchanged(texts.meeting.status[outcome.agreement.status]);
    case "too-often":
      return texts.meeting.changedTooOften;
    case "agreement-gone":
      return texts.meeting.agreementGone;
    case "meeting-gone":
      return texts.meeting.meetingGone;
    case "guest":
      return texts.meeting.guestReadOnly;
    case "not-understood":
      return texts.cardNotUnderstood;
  }
}
