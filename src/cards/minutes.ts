/**
 * The minutes of a meeting in Markdown, for "referat": every member's text escaped.
 */
import { shownAsTyped as md } from "../domain/cleanText";
import { texts } from "../kernel/texts";
import { joinShown, shown, trusted, type Shown } from "../kernel/shown";
import { type Agreement, type GroupMeeting } from "../domain/group/model";
import type { Statement } from "../domain/framework";
import type { PulseResult } from "../domain/group/pulse";

/** A meeting's Vi-pulse in the minutes: per statement the counts and the average, or why nothing shows. */
function pulseMinutes(pulse: { readonly statements: readonly Statement[]; readonly result: PulseResult; readonly k: number }): Shown[] {
  const { result } = pulse;
  const lines = [shown`**${texts.pulse.minutes(result.answered)}**`];
  if (result.kind === "hidden") return [...lines, result.because === "overlap" ? texts.pulse.hiddenOverlap : texts.pulse.hiddenTooFew(result.answered, pulse.k)];
  for (const statement of pulse.statements) {
    const counted = result.statements.find((r) => r.statementId === statement.id);
    lines.push(
      counted
        ? shown`- ${statement.text}: ${joinShown(counted.distribution.map((n, i) => shown`${i + 1}: ${n}`), trusted(", "))}${counted.dontKnow ? shown`, ved ikke: ${counted.dontKnow}` : trusted("")}. ${texts.pulse.mean(counted.mean, counted.rated)}`
        : shown`- ${statement.text}: ${texts.pulse.tooFewRated(pulse.k)}`,
    );
  }
  return lines;
}

/** The minutes of a meeting in Markdown, for "referat". */
export function meetingMinutes(args: {
  readonly meeting: GroupMeeting;
  readonly dateText: Shown;
  readonly themeTitle: Shown;
  readonly questions: readonly Shown[];
  readonly followedUp: ReadonlyArray<{ readonly agreement: Agreement; readonly dateText: Shown }>;
  readonly dateOf: (iso: string) => Shown;
  /** The meeting's Vi-pulse, closed: numbers only. */
  readonly pulse?: { readonly statements: readonly Statement[]; readonly result: PulseResult; readonly k: number };
}): Shown {
  const blank = trusted("");
  const lines = [shown`**${texts.meeting.minutesTitle(args.dateText)}**`, blank, shown`**${texts.meeting.themeLabel}:** ${args.themeTitle}`, blank, shown`**${texts.meeting.questionsLabel}**`];
  args.questions.forEach((q, i) => lines.push(shown`${i + 1}. ${q}`));
  const points = args.meeting.points ?? [];
  if (points.length > 0) {
    lines.push(blank, shown`**${texts.meeting.pointsLabel}**`);
    for (const p of points) lines.push(shown`- ${md(p.text)} – ${p.by ? md(p.by.name) : texts.meeting.anonymousLeader}`);
  }
  if (args.followedUp.length > 0) {
    lines.push(blank, shown`**${texts.meeting.followedUpLabel}**`);
    for (const { agreement, dateText } of args.followedUp) lines.push(shown`- ${md(agreement.text)} (${md(agreement.responsible)}, ${texts.meeting.agreedOn(dateText)}): ${texts.meeting.status[agreement.status]}`);
  }
  if (args.pulse) lines.push(blank, ...pulseMinutes(args.pulse));
  lines.push(blank, shown`**${texts.meeting.agreementsLabel}**`);
  if (args.meeting.agreements.length === 0) lines.push(texts.meeting.noAgreementsYet);
  for (const a of args.meeting.agreements) lines.push(shown`- ${md(a.text)} – ${texts.meeting.responsibleShort}: ${md(a.responsible)}${a.due ? shown`, ${texts.meeting.dueShort} ${args.dateOf(a.due)}` : blank}`);
  return joinShown(lines, trusted("\n"));
}

/** "referat alle"'s file: the group's whole record, oldest meeting first, each meeting's minutes as "referat" gives them. */
export function allMeetingsMinutes(args: { readonly groupName: string | undefined; readonly firstDateText: Shown | undefined; readonly meetings: readonly Shown[] }): Shown {
  const heading = shown`# ${args.groupName ? shown`${md(args.groupName)}: ` : trusted("")}${texts.meeting.allMinutesHeading(args.meetings.length, args.firstDateText ?? trusted(""))}`;
  if (args.meetings.length === 0) return shown`${heading}\n\n${texts.meeting.noMeetingYetInFile}\n`;
  return shown`${heading}\n\n${joinShown(args.meetings, trusted("\n\n---\n\n"))}\n`;
}
