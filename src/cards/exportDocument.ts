import type { TeamPulseRecord } from "../domain/teamPulse";
import type { LeaderInsight } from "../domain/insight/aggregate";
import { averageRating, roleInSentenceOf, type Reflection, type ReflectionDraft } from "../domain/reflection";
import { texts } from "../kernel/texts";
import type { PendingLeaderShare, SharedPoint, TakenQuestions, UserProfile } from "../domain/session";
import type { GroupContribution } from "../domain/group/erasure";
import { danishDate, danishDecimal } from "./format";
import type { ReceivedShareRecord, Share } from "../domain/sharing/share";
import { lastReadableDay } from "./shareCards";
import { joinShown, shown, trusted, type Shown } from "../kernel/shown";
import { shownAsTyped as md } from "../domain/cleanText";

/** Everything stored about one user, as the export shows it. */
export interface UserDataExport {
  readonly exportedAt: string;
  readonly frameworkTitle: Shown;
  /** The framework's title inside a sentence (»ledelsesgrundlaget«), for the document's heading. */
  readonly frameworkInSentence: Shown;
  readonly roleName: Shown | undefined;
  readonly profile: UserProfile | undefined;
  readonly draft: ReflectionDraft | undefined;
  readonly reflections: readonly Reflection[];
  /** Reminders and follow-ups that are planned. */
  readonly schedules: ReadonlyArray<{ readonly kind: string; readonly active: boolean; readonly nextRunAt: string; readonly recurrence?: Shown }>;
  /** What the person saved, set or edited in leader groups' agreements. */
  readonly groupContributions: readonly GroupContribution[];
  /** Points the person shared with leader groups, and whether their name was shown. */
  readonly sharedPoints: readonly SharedPoint[];
  /** What the person's numbers added to Indsigt, per quarter (numbers only): theirs to see, too. */
  readonly insightContribution?: LeaderInsight;
  /** Vi-pulses the person asked their team for: their own rating, and the team's counts once closed. */
  readonly teamPulses: readonly TeamPulseRecord[];
  /** Til min leder, kept in the sharer's session: the choice behind a preview not yet sent, and the shares whose questions they took along. */
  readonly sharing?: { readonly preview?: PendingLeaderShare; readonly questionsTaken: readonly TakenQuestions[] };
  /** Til min leder: the shares the person made (with what they shared and the questions they got); of those made to them, who, when and their own questions. */
  readonly shares?: { readonly made: readonly Share[]; readonly received: readonly ReceivedShareRecord[] };
}

export function exportJson(data: UserDataExport): string {
  return JSON.stringify({ format: "lederrefleksion-export/1", ...data }, null, 2);
}

/** Keeps the leader's line breaks inside a Markdown quote; each line shows as typed. */
const quote = (text: string): Shown => joinShown(text.split("\n").map((line) => shown`> ${md(line)}`), trusted("\n"));

/**
 * A readable document to bring to the MUS conversation: grouped by theme, newest first. The
 * framework's texts show as its editors wrote them; everything the leader or a group typed is
 * escaped, so a note that reads like a link or a heading stays text.
 */
export function exportMarkdown(data: UserDataExport): Shown {
  const t = texts.exportDocument;
  const blank = trusted("");
  const lines: Shown[] = [shown`# ${t.title(data.frameworkInSentence)}`, blank, t.exported(danishDate(data.exportedAt), data.roleName), blank];
  if (data.reflections.length === 0) lines.push(t.noReflections, blank);

  const byTheme = new Map<Shown, Reflection[]>();
  for (const r of data.reflections) byTheme.set(r.themeTitle, [...(byTheme.get(r.themeTitle) ?? []), r]);
  for (const [themeTitle, reflections] of byTheme) {
    lines.push(shown`## ${themeTitle}`, blank);
    for (const r of [...reflections].sort((a, b) => b.completedAt.localeCompare(a.completedAt))) {
      const average = averageRating(r);
      lines.push(shown`### ${t.reflectionHeading(danishDate(r.completedAt), roleInSentenceOf(r))}`, blank);
      if (average !== null) lines.push(t.average(danishDecimal(average)), blank);
      lines.push(shown`**${t.statements}**`, blank);
      for (const s of r.statements) {
        lines.push(shown`- ${s.text} — **${s.rating} (${s.ratingLabel})**`);
        if (s.note) lines.push(shown`  - ${t.note}: ${md(s.note.replace(/\n/g, " "))}`);
      }
      lines.push(blank, shown`**${t.questions}**`, blank);
      // The focus the reflection went deeper on, as it was asked, then the framework's questions.
      const focus = r.focus ? [r.focus.deeper, ...(r.focus.strength ? [r.focus.strength] : [])] : [];
      for (const f of focus) lines.push(shown`*${f.prompt}*`, blank, f.answer ? quote(f.answer) : shown`_${t.skipped}_`, blank);
      for (const q of r.questions) lines.push(shown`*${q.text}*`, blank, q.answer ? quote(q.answer) : shown`_${t.skipped}_`, blank);
      if (r.commitment) lines.push(shown`**${t.nextStep}**`, blank, quote(r.commitment), blank);
      if (r.followUpDate) lines.push(t.followUpPlanned(danishDate(r.followUpDate)), blank);
      for (const f of r.followUps ?? []) lines.push(shown`**${t.followUp(danishDate(f.at))}**`, blank, quote(f.text), blank);
    }
  }
  if (data.draft) {
    lines.push(shown`## ${t.draftHeading}`, blank, t.draft(data.draft.themeTitle, danishDate(data.draft.startedAt)), blank);
  }
  lines.push(shown`## ${t.remindersHeading}`, blank);
  const planned = data.schedules.filter((s) => s.active);
  if (planned.length === 0) lines.push(texts.noReminders);
  for (const s of planned) lines.push(shown`- ${t.planned(s.kind === "follow-up", s.recurrence, danishDate(s.nextRunAt))}`);
  lines.push(blank);
  if (data.groupContributions.length > 0 || data.sharedPoints.length > 0) {
    lines.push(shown`## ${t.groupsHeading}`, blank, t.groupsIntro, blank);
    // A group's name (any member can rename a chat) and an agreement (often typed by someone else) show as typed, never as a link.
    for (const p of data.sharedPoints) lines.push(shown`- ${t.sharedPoint(md(p.groupName), danishDate(p.meetingStart), p.showName)}: ${md(p.text)}`);
    for (const c of data.groupContributions) lines.push(shown`- ${t.groupContribution(c.what, c.status ? texts.meeting.status[c.status] : undefined, danishDate(c.meetingStart), danishDate(c.at))}: ${md(c.agreement)}`);
    lines.push(blank);
  }
  if (data.teamPulses.length > 0) {
    lines.push(shown`## ${t.pulsesHeading}`, blank);
    for (const p of data.teamPulses) {
      const state = !p.result ? ({ kind: "open" } as const) : { kind: p.result.shown ? ("shown" as const) : ("hidden" as const), answered: p.result.answered };
      lines.push(shown`- ${t.teamPulse(md(p.groupName), md(p.themeTitle ?? p.themeId), danishDate(p.openedAt), state)}`);
    }
    lines.push(blank);
  }
  if (data.shares && (data.shares.made.length > 0 || data.shares.received.length > 0)) {
    lines.push(shown`## ${t.sharesHeading}`, blank, t.sharesIntro, blank);
    for (const s of data.shares.made) {
      lines.push(shown`- ${t.shareMade(md(s.reader.name), danishDate(s.createdAt), lastReadableDay(s.expiresAt), s.state, s.firstOpenedAt ? danishDate(s.firstOpenedAt) : undefined, s.questions.length)}`);
      for (const q of s.questions) lines.push(shown`  - ${md(q.text.replace(/\n/g, " "))}`);
    }
    for (const s of data.shares.received) {
      lines.push(shown`- ${t.shareReceived(md(s.sharerName), danishDate(s.createdAt), lastReadableDay(s.expiresAt), s.state, s.firstOpenedAt ? danishDate(s.firstOpenedAt) : undefined, s.questions.length)}`);
      for (const q of s.questions) lines.push(shown`  - ${md(q.text.replace(/\n/g, " "))}`);
    }
    lines.push(blank);
  }
  return joinShown(lines, trusted("\n"));
}
