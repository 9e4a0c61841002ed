import type { Statement, Theme } from "../domain/framework";
import type { PulseResult } from "../domain/group/pulse";
import { pulseStatementViews, widestText } from "./pulseCards";
import { shownAsTyped as md } from "../domain/cleanText";
import { fitMessages, TEXT_BUDGET_BYTES, utf16Bytes } from "../domain/messageSize";
import { AGREEMENT_LIMITS, type Agreement, type GroupMeeting } from "../domain/group/model";
import { changeCount } from "../domain/group/agreements";
import { texts } from "../kernel/texts";
import { EMPTY, shown, trusted, type Shown } from "../kernel/shown";
import { danishDate, danishDateTime } from "./format";
import { renderCard, type CardAttachment } from "./renderCard";
import { receiptCard } from "./views";

/**
 * The cards of a leader group's meeting loop: "Dagens refleksion" when a meeting starts, "Hvad
 * aftalte I?" when it ends, and the group's agreements. Domain values in, attachments out.
 * Everything members typed or Teams named (points, agreements, "Ansvarlig", names, the group's
 * name) lands in TextBlocks, which Teams renders as Markdown: it goes through `md`, so a point
 * cannot become a link or a heading. Input values (the edit card) stay as typed.
 */

/** A card must stay well inside Teams' 28 kB: the newest this many, and "skriv aftaler" for the rest. */
export const CARD_AGREEMENTS = 10;
export const LISTED_MEETINGS = 6;
/** The first this many points shared (a leader group is a handful of people; a big chat is cut). */
export const CARD_POINTS = 20;

export interface OpenAgreement {
  readonly meeting: GroupMeeting;
  readonly agreement: Agreement;
}

/** Who is responsible, by when, from which meeting: the line under an agreement on every surface. */
export const agreementLine = (agreement: Agreement, meeting: GroupMeeting, timezone: string) =>
  texts.meeting.agreementLine(md(agreement.responsible), agreement.due ? danishDate(agreement.due) : undefined, danishDate(meeting.start, timezone));

/** The status, and who set it when, if anyone has. */
export function statusText(agreement: Agreement, timezone: string): Shown {
  const label = texts.meeting.status[agreement.status];
  const last = [...agreement.changes].reverse().find((c) => c.status !== undefined);
  return last ? texts.meeting.statusBy(label, md(last.by.name), danishDateTime(new Date(last.at), timezone)) : label;
}

export function meetingStartCard(args: {
  readonly meeting: GroupMeeting;
  readonly theme: Theme;
  readonly questions: readonly Shown[];
  readonly open: readonly OpenAgreement[];
  readonly timezone: string;
  /** The meeting's Vi-pulse, if it had one: its result, or how many answered so far. */
  readonly pulse?: { readonly statements: readonly Statement[]; readonly result: PulseResult; readonly k: number; readonly open: boolean; readonly closing?: boolean };
}): CardAttachment {
  const pulse = args.pulse;
  const counted = pulse?.result.kind === "shown" ? pulse.result : undefined;
  return renderCard("meeting-start", {
    pulseHeading: pulse ? texts.pulse.groupResultHeading : EMPTY,
    pulseText: pulse && !counted ? pulseWaitingText(pulse) : EMPTY,
    pulseStatements: counted && pulse ? pulseStatementViews(pulse.statements, counted, pulse.k).map((v) => v.view) : [],
    pulseWidest: counted && pulse ? widestText(pulse.statements, counted) : EMPTY,
    heading: texts.meeting.todayHeading(danishDateTime(new Date(args.meeting.start), args.timezone)),
    themeTitle: args.theme.title,
    cardMeetingId: args.meeting.id,
    questions: args.questions.map((text, i) => ({ number: shown`${i + 1}`, text })),
    noPointsText: texts.meeting.noPoints,
    morePointsText: (args.meeting.points ?? []).length > CARD_POINTS ? texts.meeting.morePoints((args.meeting.points ?? []).length - CARD_POINTS) : EMPTY,
    points: (args.meeting.points ?? []).slice(0, CARD_POINTS).map((p) => ({ text: md(p.text), by: p.by ? md(p.by.name) : texts.meeting.anonymousLeader })),
    agreementsHeading: texts.meeting.openAgreementsHeading,
    noAgreementsText: texts.meeting.noOpenAgreements,
    moreText: args.open.length > CARD_AGREEMENTS ? texts.meeting.moreAgreements(args.open.length - CARD_AGREEMENTS) : EMPTY,
    agreements: args.open.slice(0, CARD_AGREEMENTS).map(({ meeting, agreement }) => ({
      text: md(agreement.text),
      line: agreementLine(agreement, meeting, args.timezone),
      statusText: statusText(agreement, args.timezone),
      meetingId: meeting.id,
      agreementId: agreement.id,
    })),
  });
}

/** A meeting's pulse without a result to show: how many answered so far, or why nothing shows. */
export function pulseWaitingText(pulse: { readonly result: PulseResult; readonly k: number; readonly open: boolean; readonly closing?: boolean }): Shown {
  if (pulse.open && pulse.closing) return texts.pulse.closingNow(pulse.result.answered);
  if (pulse.open) return texts.pulse.waiting(pulse.result.answered, pulse.k);
  return pulse.result.kind === "hidden" && pulse.result.because === "overlap" ? texts.pulse.hiddenOverlap : texts.pulse.hiddenTooFew(pulse.result.answered, pulse.k);
}

export function agreementsCard(meeting: GroupMeeting, timezone: string): CardAttachment {
  return renderCard("meeting-agreements", {
    intro: texts.meeting.agreementsIntro(danishDateTime(new Date(meeting.start), timezone)),
    token: meeting.agreementsToken ?? "",
    meetingId: meeting.id,
    rows: Array.from({ length: AGREEMENT_LIMITS.count }, (_, i) => ({ number: String(i + 1), textId: `text${i + 1}`, whoId: `who${i + 1}`, dueId: `due${i + 1}` })),
  });
}

/** The 1:1 reminder to an agreement's responsible person, the working day before its date. */
export function agreementReminderCard(args: { readonly agreement: Agreement; readonly groupName: string; readonly meeting: GroupMeeting; readonly timezone: string }): CardAttachment {
  return renderCard("agreement-reminder", {
    title: texts.meeting.reminderTitle(danishDate(args.agreement.due ?? args.meeting.start, args.timezone)),
    agreement: md(args.agreement.text),
    detail: texts.meeting.reminderDetail(md(args.groupName), danishDate(args.meeting.start, args.timezone)),
  });
}

/** The 1:1 invitation before a group's meeting. The group's name is the chat's, which any member can change. */
export function invitationCard(args: { readonly title: Shown; readonly groupName: string; readonly whenText: Shown; readonly themeId: string; readonly groupId: string; readonly meetingId: string; readonly pulseId?: string }): CardAttachment {
  const { groupName, whenText, ...rest } = args;
  return renderCard("meeting-invitation", { ...rest, groupText: texts.meeting.invitationGroup(md(groupName), whenText), pulseId: args.pulseId ?? EMPTY, pulseText: args.pulseId ? texts.pulse.invitationOffer : EMPTY });
}

/** What replaces "Hvad aftalte I?" once saved, for the whole group to see: each agreement and who is responsible, as typed. */
export function agreementsSavedCard(agreements: readonly Pick<Agreement, "text" | "responsible" | "due">[], timezone: string): CardAttachment {
  return receiptCard({
    title: texts.meeting.agreementsSavedTitle,
    items: agreements.map((a) => ({ label: md(a.responsible), value: shown`${md(a.text)}${a.due ? shown` (${texts.meeting.dueShort} ${danishDate(a.due, timezone)})` : EMPTY}` })),
  });
}

/** The message to someone saving a meeting's agreements after someone else did (message text is Markdown too). */
export function agreementsAlreadySavedText(meeting: GroupMeeting, timezone: string): Shown {
  const by = meeting.agreementsSavedBy ? md(meeting.agreementsSavedBy.name) : texts.meeting.formerMember;
  return texts.meeting.agreementsAlreadySaved(by, meeting.agreementsSavedAt ? danishDateTime(new Date(meeting.agreementsSavedAt), timezone) : trusted(""));
}

/** The message after a status click: the agreement as typed, never a link. */
export function statusChangedText(agreement: Agreement): Shown {
  return texts.meeting.statusChanged(md(agreement.text), texts.meeting.status[agreement.status]);
}

/** Where a shared point will appear, in words: the group and the meeting. */
export function pointPlace(groupName: string, meetingStart: string, timezone: string): Shown {
  return texts.meeting.pointPlace(md(groupName), danishDateTime(new Date(meetingStart), timezone));
}

export function sharePointCard(args: { readonly meetingText: Shown; readonly groupId: string; readonly meetingId: string; readonly point: string; readonly showName: boolean; readonly answers: readonly string[] }): CardAttachment {
  return renderCard("share-point", {
    meetingText: args.meetingText,
    groupId: args.groupId,
    meetingId: args.meetingId,
    point: args.point,
    showName: String(args.showName),
    answers: args.answers.map((a, i) => ({ title: a.length > 120 ? `${a.slice(0, 119)}…` : a, value: String(i) })),
  });
}

export function sharePreviewCard(args: { readonly whereText: Shown; readonly point: string; readonly byText: string; readonly replaces: boolean; readonly token: string; readonly groupId: string; readonly meetingId: string }): CardAttachment {
  const { replaces, ...rest } = args;
  return renderCard("share-preview", { ...rest, point: md(args.point), byText: md(args.byText), replacesText: replaces ? texts.meeting.replacesPoint : EMPTY });
}

export function pointSharedCard(args: { readonly whereText: Shown; readonly point: string; readonly byText: string; readonly groupId: string; readonly meetingId: string; readonly pointId: string }): CardAttachment {
  return renderCard("point-shared", { ...args, point: md(args.point), byText: md(args.byText) });
}

/** One agreement to edit, as it stands now. */
export function agreementEditCard(meeting: GroupMeeting, agreement: Agreement, timezone: string): CardAttachment {
  return renderCard("agreement-edit", {
    heading: texts.meeting.agreedOn(danishDate(meeting.start, timezone)),
    meetingId: meeting.id,
    agreementId: agreement.id,
    text: agreement.text,
    responsible: agreement.responsible,
    due: agreement.due ?? "",
    version: String(changeCount(agreement)),
  });
}

/**
 * "aftaler": the agreements of the newest meetings, each with its status and an edit; as many
 * meetings as fit one message within Teams' limit (at most LISTED_MEETINGS), newest first.
 */
export function agreementsListCard(meetings: readonly GroupMeeting[], timezone: string): CardAttachment {
  const withAgreements = meetings.filter((m) => m.agreements.length > 0);
  for (let shown = Math.min(LISTED_MEETINGS, withAgreements.length); ; shown -= 1) {
    const card = agreementsListOf(withAgreements.slice(0, shown), timezone);
    if (shown <= 1 || utf16Bytes(card) <= TEXT_BUDGET_BYTES) return card;
  }
}

function agreementsListOf(meetings: readonly GroupMeeting[], timezone: string): CardAttachment {
  return renderCard("agreements-list", {
    emptyText: texts.meeting.noAgreements,
    meetings: meetings
      .map((meeting) => ({
        heading: texts.meeting.todayHeading(danishDateTime(new Date(meeting.start), timezone)),
        agreements: meeting.agreements.map((agreement) => {
          const edit = [...agreement.changes].reverse().find((c) => c.before !== undefined);
          return {
            meetingId: meeting.id,
            agreementId: agreement.id,
            text: md(agreement.text),
            line: agreementLine(agreement, meeting, timezone),
            statusText: statusText(agreement, timezone),
            editedText: edit ? texts.meeting.edited(md(edit.by.name), danishDateTime(new Date(edit.at), timezone)) : EMPTY,
          };
        }),
      })),
  });
}

/** "referat": one meeting's minutes as the messages that carry them (after a year of follow-ups, more than one fits). */
export function minutesMessages(minutes: Shown): Shown[] {
  // Still Shown: fitMessages cuts at blank lines, lines and spaces, never between an escape and
  // what it escapes; only a word longer than a whole message would be cut, and no member's text
  // is that long (AGREEMENT_LIMITS, the point's limit).
  return fitMessages([minutes]) as Shown[];
}

/** "referat alle": one message with a link to the group's whole record. */
export function minutesDownloadCard(args: { readonly summary: Shown; readonly url: string }): CardAttachment {
  return renderCard("minutes-download", { summary: args.summary, url: args.url });
}
