import { createHash } from "node:crypto";
import { agreementLine, CARD_AGREEMENTS, CARD_POINTS, pulseWaitingText, statusText } from "../cards/meetingCards";
import { pulseStatementViews, widestText } from "../cards/pulseCards";
import { danishDate, danishDateTime, plainText } from "../cards/format";
import type { MeetingPanelView } from "../cards/meetingPanelPage";
import type { GroupSettings } from "../domain/group/groupSettings";
import { MEETING_ID } from "../domain/group/meetings";
import type { GroupDocument, GroupMeeting, Person } from "../domain/group/model";
import { groupPartition } from "../domain/group/partition";
import { panelRole } from "../domain/group/roster";
import { localDate } from "../domain/time";
import { texts } from "../kernel/texts";
import type { Logger } from "../kernel/log";
import { errorCodeOf, ErrorCodes } from "../kernel/errors";
import type { Groups } from "../group/groups";
import type { MeetingLoop } from "../group/meetingLoop";
import { agreementsAnswer, statusAnswer, type AgreementsOutcome, type GroupActor, type MeetingRecord, type StatusOutcome } from "../group/meetingRecord";
import type { PostedCards } from "../group/postedCards";
import type { GroupMeetings } from "../storage/meetingStore";

/** Teams' ids of a chat or a channel ("19:…@thread.v2", "19:meeting_…@thread.v2", "19:…@thread.tacv2"); anything else is no group. */
const CHAT_ID = /^19:[A-Za-z0-9_.@=-]{1,250}$/;

/** Who the token says is calling: the tenant and the user's object id. */
export interface PanelCaller {
  readonly tenantId: string;
  readonly userId: string;
}

/** A caller let in to a group's panel: as a member (reads and writes) or a guest (reads). */
export interface Admitted {
  readonly role: "member" | "guest";
  readonly group: GroupDocument;
  readonly pk: string;
  readonly person: Person;
}

/** A write's answer: the chat's own sentence for the outcome, as plain text, and whether anything changed. */
export interface PanelAnswer {
  readonly changed: boolean;
  readonly answer: string;
}

/**
 * The leader group's meeting side panel: today's meeting of the group that owns the chat, what
 * a member may do there, and its version for conditional requests. It decides nothing of its
 * own: the start card's reads (MeetingLoop.startOf), the card's view decisions, and the chat's
 * writes (MeetingRecord), whose changes it then shows in the chat's cards (PostedCards).
 */
export class MeetingPanel {
  constructor(
    private readonly deps: {
      readonly groups: Pick<Groups, "document" | "settings">;
      readonly meetings: Pick<GroupMeetings, "forGroup" | "changeTag">;
      readonly loop: Pick<MeetingLoop, "startOf">;
      readonly record: Pick<MeetingRecord, "saveAgreements" | "setStatus">;
      readonly postedCards: Pick<PostedCards, "showChange">;
      readonly clock: () => Date;
      readonly log: Logger;
    },
  ) {}

  /**
   * The caller, if they may see the group's panel: the chat id is only where to look; the
   * group's roster as Teams last reported it (and its tenant) decides. One point read.
   */
  async admit(caller: PanelCaller, chatId: unknown): Promise<Admitted | undefined> {
    if (typeof chatId !== "string" || !CHAT_ID.test(chatId)) return undefined;
    const group = await this.deps.groups.document(chatId);
    const role = panelRole(group, caller.tenantId, caller.userId);
    const member = group?.members?.find((m) => m.aadObjectId === caller.userId.toLowerCase());
    if (!group || !role || !member) return undefined;
    return { role, group, pk: groupPartition(chatId), person: { name: member.name || texts.meeting.someone, aadObjectId: member.aadObjectId } };
  }

  /**
   * The panel's version, for If-None-Match: the group's meetings' change marker (one point read),
   * the group's document as read to admit the caller (its roster, its settings), the caller's
   * role and the group's day. Whatever the panel shows changes one of these.
   */
  async tag(admitted: Admitted): Promise<string> {
    const marker = await this.deps.meetings.changeTag(admitted.pk);
    const today = localDate(this.deps.clock(), this.settingsOf(admitted).timezone);
    const digest = createHash("sha256").update([marker ?? "-", admitted.group._etag ?? "-", admitted.role, today].join("\n")).digest("base64url").slice(0, 22);
    return `"${digest}"`;
  }

  /** Today's meeting as the panel shows it: nothing when the group has none today. */
  async view(admitted: Admitted): Promise<MeetingPanelView> {
    const settings = this.settingsOf(admitted);
    const meeting = await this.today(admitted.pk, settings);
    const canWrite = admitted.role === "member";
    if (!meeting) return { canWrite };
    const { timezone } = settings;
    const { theme, questions, open, pulse } = await this.deps.loop.startOf(meeting, settings);
    const points = meeting.points ?? [];
    const counted = pulse?.result.kind === "shown" ? pulse.result : undefined;
    return {
      canWrite,
      meeting: {
        id: meeting.id,
        heading: plainText(texts.meeting.todayHeading(danishDateTime(new Date(meeting.start), timezone))),
        themeTitle: plainText(theme.title),
        questionsLabel: plainText(texts.meeting.questionsLabel),
        questions: questions.map(plainText),
        pointsLabel: plainText(texts.meeting.pointsLabel),
        points: points.slice(0, CARD_POINTS).map((p) => ({ text: p.text, by: p.by ? p.by.name : plainText(texts.meeting.anonymousLeader) })),
        noPoints: plainText(texts.meeting.noPoints),
        ...(points.length > CARD_POINTS ? { morePoints: plainText(texts.meeting.morePoints(points.length - CARD_POINTS)) } : {}),
        ...(pulse
          ? {
              pulse: {
                heading: plainText(texts.pulse.groupResultHeading),
                ...(counted ? {} : { waiting: plainText(pulseWaitingText(pulse)) }),
                statements: counted ? pulseStatementViews(pulse.statements, counted, pulse.k).map(({ view }) => ({ text: plainText(view.text), rows: view.rows.map((r) => plainText(r.text)), mean: plainText(view.meanText) })) : [],
                ...(counted && widestText(pulse.statements, counted) ? { widest: plainText(widestText(pulse.statements, counted)) } : {}),
              },
            }
          : {}),
        openHeading: plainText(texts.meeting.openAgreementsHeading),
        noOpen: plainText(texts.meeting.noOpenAgreements),
        open: open.slice(0, CARD_AGREEMENTS).map(({ meeting: from, agreement }) => ({
          meetingId: from.id,
          agreementId: agreement.id,
          text: agreement.text,
          line: plainText(agreementLine(agreement, from, timezone)),
          statusText: plainText(statusText(agreement, timezone)),
          status: agreement.status,
        })),
        ...(open.length > CARD_AGREEMENTS ? { moreOpen: texts.meetingPanel.moreAgreements(open.length - CARD_AGREEMENTS) } : {}),
        agreementsTitle: plainText(texts.meeting.agreementsTitle),
        agreements: meeting.agreementsSavedAt
          ? {
              state: "saved",
              title: plainText(texts.meeting.agreementsSavedTitle),
              savedBy: texts.meetingPanel.savedBy(meeting.agreementsSavedBy?.name ?? plainText(texts.meeting.formerMember), plainText(danishDateTime(new Date(meeting.agreementsSavedAt), timezone))),
              items: meeting.agreements.map((a) => ({ text: a.text, responsible: a.responsible, ...(a.due ? { due: plainText(danishDate(a.due)) } : {}) })),
            }
          : { state: "open", token: meeting.agreementsToken ?? "" },
        ...(canWrite ? {} : { guestNote: plainText(texts.meeting.guestReadOnly) }),
      },
    };
  }

  /** A status button: the chat's decision and answer; the chat's cards of the meeting then show it. */
  async setStatus(admitted: Admitted, body: Readonly<Record<string, unknown>>): Promise<PanelAnswer> {
    const actor = this.actorOf(admitted);
    const outcome = await this.deps.record.setStatus(actor, { meetingId: body.meetingId, agreementId: body.agreementId, status: body.status });
    // The start cards of the meeting the panel shows list the agreement (it may be an older meeting's).
    // Which meeting that is, the server knows: a page that says nothing, or names another, changes nothing here.
    if (outcome.kind === "changed") await this.showInChat(admitted, (await this.today(admitted.pk, actor.settings))?.id, "statuses");
    return { changed: outcome.kind === "changed", answer: panelStatusAnswer(outcome) };
  }

  /** "Gem aftalerne": the chat's decision (one save per meeting, its token, its limits) and answer. */
  async saveAgreements(admitted: Admitted, body: Readonly<Record<string, unknown>>): Promise<PanelAnswer> {
    const actor = this.actorOf(admitted);
    const outcome = await this.deps.record.saveAgreements(actor, body.meetingId, body.token, body);
    if (outcome.kind === "saved") await this.showInChat(admitted, body.meetingId, "agreements");
    return { changed: outcome.kind === "saved", answer: panelAgreementsAnswer(outcome, actor.settings.timezone) };
  }

  /** The chat's cards re-drawn after a change here; a failure is logged and leaves the change as made. */
  private async showInChat(admitted: Admitted, meetingId: unknown, what: "statuses" | "agreements"): Promise<void> {
    if (typeof meetingId !== "string" || !MEETING_ID.test(meetingId)) return;
    try {
      const shown = await this.deps.postedCards.showChange(admitted.pk, meetingId, what);
      this.deps.log.info({ what, ...shown }, "The chat's cards show a change made in the meeting's side panel");
    } catch (err) {
      this.deps.log.warn({ code: errorCodeOf(err, ErrorCodes.sendFailed), err }, "The chat's cards could not be re-drawn after a change in the side panel; they show it on the next click");
    }
  }

  /** The group's meeting on today's date in its zone, begun or about to (a point shared makes its document early). */
  private async today(pk: string, settings: GroupSettings): Promise<GroupMeeting | undefined> {
    const now = this.deps.clock();
    const today = localDate(now, settings.timezone);
    const near = await this.deps.meetings.forGroup(pk, new Date(now.getTime() + 86_400_000), 3);
    return near.find((m) => localDate(new Date(m.start), settings.timezone) === today);
  }

  private settingsOf(admitted: Admitted): GroupSettings {
    return this.deps.groups.settings.effective(admitted.group, undefined);
  }

  private actorOf(admitted: Admitted): GroupActor {
    return { conversation: admitted.group.conversation, by: admitted.person, mayWrite: admitted.role === "member", settings: this.settingsOf(admitted) };
  }
}

/**
 * The chat's answer to saving the agreements, as plain text, except where it would send the
 * reader to a card or to typing: a panel has neither, so it has its own sentence there.
 */
function panelAgreementsAnswer(outcome: AgreementsOutcome, timezone: string): string {
  switch (outcome.kind) {
    case "saved":
      return texts.meetingPanel.agreementsSaved(outcome.agreements.length);
    case "already-saved": {
      const { agreementsSavedBy: by, agreementsSavedAt: at } = outcome.meeting;
      return texts.meetingPanel.agreementsAlreadySaved(by ? by.name : plainText(texts.meeting.formerMember), at ? plainText(danishDateTime(new Date(at), timezone)) : "");
    }
    case "token-used":
      return texts.meetingPanel.formOutdated;
    case "meeting-gone":
      return texts.meetingPanel.meetingGone;
    case "not-understood":
      return texts.meetingPanel.notUnderstood;
    default:
      return plainText(agreementsAnswer(outcome, timezone));
  }
}

/** The chat's answer to a status click, as plain text, with the panel's own sentences where the chat's name a card. */
function panelStatusAnswer(outcome: StatusOutcome): string {
  switch (outcome.kind) {
    case "meeting-gone":
      return texts.meetingPanel.meetingGone;
    case "not-understood":
      return texts.meetingPanel.notUnderstood;
    default:
      return plainText(statusAnswer(outcome));
  }
}
