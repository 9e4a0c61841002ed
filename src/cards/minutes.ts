/**
 * The minutes of a meeting in Markdown, for "referat": every member's text escaped.
 */
import { escapeMarkdown as md } from "../domain/cleanText";
import { texts } from "../kernel/texts";
import { type Agreement, type GroupMeeting } from "../domain/group/model";
import type { Statement } from "../domain/framework";
import type { PulseResult } from "../domain/group/pulse";

/** A meeting's Vi-pulse in the minutes: per statement the counts and the average, or why nothing shows. */
function pulseMinutes(pulse: { readonly statements: readonly Statement[]; readonly result: PulseResult; readonly k: number }): string[] {
  const { result } = pulse;
  const lines = [`**${texts.pulse.minutes(result.answered)}**`];
  if (result.kind === "hidden") return [...lines, result.because === "overlap" ? texts.pulse.hiddenOverlap : texts.pulse.hiddenTooFew(result.answered, pulse.k)];
  for (const statement of pulse.statements) {
    const shown = result.statements.find((r) => r.statementId === statement.id);
    lines.push(
      shown
        ? `- ${statement.text}: ${shown.distribution.map((n, i) => `${i + 1}: ${n}`).join(", ")}${shown.dontKnow ? `, ved ikke: ${shown.dontKnow}` : ""}. ${texts.pulse.mean(shown.mean, shown.rated)}`
        : `- ${statement.text}: ${texts.pulse.tooFewRated(pulse.k)}`,
    );
  }
  return lines;
}

/** The minutes of a meeting in Markdown, for "referat". */
export function meetingMinutes(args: {
  readonly meeting: GroupMeeting;
  readonly dateText: string;
  readonly themeTitle: string;
  readonly questions: readonly string[];
  readonly followedUp: ReadonlyArray<{ readonly agreement: Agreement; readonly dateText: string }>;
  readonly dateOf: (iso: string) => string;
  /** The meeting's Vi-pulse, closed: numbers only. */
  readonly pulse?: { readonly statements: readonly Statement[]; readonly result: PulseResult; readonly k: number };
}): string {
  const lines = [`**${texts.meeting.minutesTitle(args.dateText)}**`, "", `**${texts.meeting.themeLabel}:** ${args.themeTitle}`, "", `**${texts.meeting.questionsLabel}**`];
  args.questions.forEach((q, i) => lines.push(`${i + 1}. ${q}`));
  const points = args.meeting.points ?? [];
  if (points.length > 0) {
    lines.push("", `**${texts.meeting.pointsLabel}**`);
    for (const p of points) lines.push(`- ${md(p.text)} – ${p.by ? md(p.by.name) : texts.meeting.anonymousLeader}`);
  }
  if (args.followedUp.length > 0) {
    lines.push("", `**${texts.meeting.followedUpLabel}**`);
    for (const { agreement, dateText } of args.followedUp) lines.push(`- ${md(agreement.text)} (${md(agreement.responsible)}, ${texts.meeting.agreedOn(dateText)}): ${texts.meeting.status[agreement.status]}`);
  }
  if (args.pulse) lines.push("", ...pulseMinutes(args.pulse));
  lines.push("", `**${texts.meeting.agreementsLabel}**`);
  if (args.meeting.agreements.length === 0) lines.push(texts.meeting.noAgreementsYet);
  for (const a of args.meeting.agreements) lines.push(`- ${md(a.text)} – ${texts.meeting.responsibleShort}: ${md(a.responsible)}${a.due ? `, ${texts.meeting.dueShort} ${args.dateOf(a.due)}` : ""}`);
  return lines.join("\n");
}

/** "referat alle"'s file: the group's whole record, oldest meeting first, each meeting's minutes as "referat" gives them. */
export function allMeetingsMinutes(args: { readonly groupName: string | undefined; readonly firstDateText: string | undefined; readonly meetings: readonly string[] }): string {
  const heading = `# ${args.groupName ? `${md(args.groupName)}: ` : ""}${texts.meeting.allMinutesHeading(args.meetings.length, args.firstDateText ?? "")}`;
  if (args.meetings.length === 0) return `${heading}\n\n${texts.meeting.noMeetingYetInFile}\n`;
  return `${heading}\n\n${args.meetings.join("\n\n---\n\n")}\n`;
}
