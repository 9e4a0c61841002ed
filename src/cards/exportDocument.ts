import type { TeamPulseRecord } from "../domain/teamPulse";
import type { LeaderInsight } from "../domain/insight/aggregate";
import { averageRating, roleInSentenceOf, type Reflection, type ReflectionDraft } from "../domain/reflection";
import { texts } from "../kernel/texts";
import type { SharedPoint, UserProfile } from "../domain/session";
import type { GroupContribution } from "../domain/group/erasure";
import { danishDate, danishDecimal } from "./format";
import { escapeMarkdown as md } from "../domain/cleanText";

/** Everything stored about one user, as the export shows it. */
export interface UserDataExport {
  readonly exportedAt: string;
  readonly frameworkTitle: string;
  /** The framework's title inside a sentence (»ledelsesgrundlaget«), for the document's heading. */
  readonly frameworkInSentence: string;
  readonly roleName: string | undefined;
  readonly profile: UserProfile | undefined;
  readonly draft: ReflectionDraft | undefined;
  readonly reflections: readonly Reflection[];
  /** Reminders and follow-ups that are planned. */
  readonly schedules: ReadonlyArray<{ readonly kind: string; readonly active: boolean; readonly nextRunAt: string; readonly recurrence?: string }>;
  /** What the person saved, set or edited in leader groups' agreements. */
  readonly groupContributions: readonly GroupContribution[];
  /** Points the person shared with leader groups, and whether their name was shown. */
  readonly sharedPoints: readonly SharedPoint[];
  /** What the person's numbers added to Indsigt, per quarter (numbers only): theirs to see, too. */
  readonly insightContribution?: LeaderInsight;
  /** Vi-pulses the person asked their team for: their own rating, and the team's counts once closed. */
  readonly teamPulses: readonly TeamPulseRecord[];
}

export function exportJson(data: UserDataExport): string {
  return JSON.stringify({ format: "lederrefleksion-export/1", ...data }, null, 2);
}

/** Keeps the leader's line breaks inside a Markdown quote. */
const quote = (text: string) => text.split("\n").map((line) => `> ${line}`).join("\n");

/** A readable document to bring to the MUS conversation: grouped by theme, newest first. */
export function exportMarkdown(data: UserDataExport): string {
  const t = texts.exportDocument;
  const lines: string[] = [`# ${t.title(data.frameworkInSentence)}`, "", t.exported(danishDate(data.exportedAt), data.roleName), ""];
  if (data.reflections.length === 0) lines.push(t.noReflections, "");

  const byTheme = new Map<string, Reflection[]>();
  for (const r of data.reflections) byTheme.set(r.themeTitle, [...(byTheme.get(r.themeTitle) ?? []), r]);
  for (const [themeTitle, reflections] of byTheme) {
    lines.push(`## ${themeTitle}`, "");
    for (const r of [...reflections].sort((a, b) => b.completedAt.localeCompare(a.completedAt))) {
      const average = averageRating(r);
      lines.push(`### ${t.reflectionHeading(danishDate(r.completedAt), roleInSentenceOf(r))}`, "");
      if (average !== null) lines.push(t.average(danishDecimal(average)), "");
      lines.push(`**${t.statements}**`, "");
      for (const s of r.statements) {
        lines.push(`- ${s.text} — **${s.rating} (${s.ratingLabel})**`);
        if (s.note) lines.push(`  - ${t.note}: ${s.note.replace(/\n/g, " ")}`);
      }
      lines.push("", `**${t.questions}**`, "");
      // The focus the reflection went deeper on, as it was asked, then the framework's questions.
      const focus = r.focus ? [r.focus.deeper, ...(r.focus.strength ? [r.focus.strength] : [])] : [];
      for (const f of focus) lines.push(`*${f.prompt}*`, "", f.answer ? quote(f.answer) : `_${t.skipped}_`, "");
      for (const q of r.questions) lines.push(`*${q.text}*`, "", q.answer ? quote(q.answer) : `_${t.skipped}_`, "");
      if (r.commitment) lines.push(`**${t.nextStep}**`, "", quote(r.commitment), "");
      if (r.followUpDate) lines.push(t.followUpPlanned(danishDate(r.followUpDate)), "");
      for (const f of r.followUps ?? []) lines.push(`**${t.followUp(danishDate(f.at))}**`, "", quote(f.text), "");
    }
  }
  if (data.draft) {
    lines.push(`## ${t.draftHeading}`, "", t.draft(data.draft.themeTitle, danishDate(data.draft.startedAt)), "");
  }
  lines.push(`## ${t.remindersHeading}`, "");
  const planned = data.schedules.filter((s) => s.active);
  if (planned.length === 0) lines.push(texts.noReminders);
  for (const s of planned) lines.push(`- ${t.planned(s.kind === "follow-up", s.recurrence, danishDate(s.nextRunAt))}`);
  lines.push("");
  if (data.groupContributions.length > 0 || data.sharedPoints.length > 0) {
    lines.push(`## ${t.groupsHeading}`, "", t.groupsIntro, "");
    // A group's name (any member can rename a chat) and an agreement (often typed by someone else) show as typed, never as a link.
    for (const p of data.sharedPoints) lines.push(`- ${t.sharedPoint(md(p.groupName), danishDate(p.meetingStart), p.showName)}: ${p.text}`);
    for (const c of data.groupContributions) lines.push(`- ${t.groupContribution(c.what, c.status ? texts.meeting.status[c.status] : undefined, danishDate(c.meetingStart), danishDate(c.at))}: ${md(c.agreement)}`);
    lines.push("");
  }
  if (data.teamPulses.length > 0) {
    lines.push(`## ${t.pulsesHeading}`, "");
    for (const p of data.teamPulses) {
      const state = !p.result ? ({ kind: "open" } as const) : { kind: p.result.shown ? ("shown" as const) : ("hidden" as const), answered: p.result.answered };
      lines.push(`- ${t.teamPulse(md(p.groupName), p.themeTitle ?? p.themeId, danishDate(p.openedAt), state)}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
