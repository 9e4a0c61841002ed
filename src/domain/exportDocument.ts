import { averageRating, type Reflection, type ReflectionDraft } from "./reflection";
import type { UserProfile } from "./session";

/** Everything stored about one user, as the export shows it. */
export interface UserDataExport {
  readonly exportedAt: string;
  readonly frameworkTitle: string;
  readonly roleName: string | undefined;
  readonly profile: UserProfile | undefined;
  readonly draft: ReflectionDraft | undefined;
  readonly reflections: readonly Reflection[];
  /** Reminders and follow-ups that are planned. */
  readonly schedules: ReadonlyArray<{ readonly kind: string; readonly active: boolean; readonly nextRunAt: string; readonly recurrence?: string }>;
}

export function exportJson(data: UserDataExport): string {
  return JSON.stringify({ format: "lederrefleksion-export/1", ...data }, null, 2);
}

const danishDate = (iso: string) =>
  new Intl.DateTimeFormat("da-DK", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Copenhagen" }).format(
    new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso),
  );
const decimal = (n: number) => n.toFixed(1).replace(".", ",");
/** Keeps the leader's line breaks inside a Markdown quote. */
const quote = (text: string) => text.split("\n").map((line) => `> ${line}`).join("\n");

/** A readable document to bring to the MUS conversation: grouped by theme, newest first. */
export function exportMarkdown(data: UserDataExport): string {
  const lines: string[] = [
    `# Mine refleksioner over ${data.frameworkTitle.toLowerCase()}`,
    "",
    `Eksporteret ${danishDate(data.exportedAt)}${data.roleName ? ` · Rolle: ${data.roleName}` : ""}`,
    "",
  ];
  if (data.reflections.length === 0) lines.push("Der er ingen gemte refleksioner.", "");

  const byTheme = new Map<string, Reflection[]>();
  for (const r of data.reflections) byTheme.set(r.themeTitle, [...(byTheme.get(r.themeTitle) ?? []), r]);
  for (const [themeTitle, reflections] of byTheme) {
    lines.push(`## ${themeTitle}`, "");
    for (const r of [...reflections].sort((a, b) => b.completedAt.localeCompare(a.completedAt))) {
      const average = averageRating(r);
      lines.push(`### ${danishDate(r.completedAt)} – som ${r.roleName.toLowerCase()}`, "");
      if (average !== null) lines.push(`Gennemsnitlig selvvurdering: ${decimal(average)}`, "");
      lines.push("**Udsagn og vurderinger**", "");
      for (const s of r.statements) {
        lines.push(`- ${s.text} — **${s.rating} (${s.ratingLabel})**`);
        if (s.note) lines.push(`  - Note: ${s.note.replace(/\n/g, " ")}`);
      }
      lines.push("", "**Spørgsmål og svar**", "");
      for (const q of r.questions) lines.push(`*${q.text}*`, "", q.answer ? quote(q.answer) : "_Sprunget over_", "");
      if (r.commitment) lines.push("**Næste skridt**", "", quote(r.commitment), "");
      if (r.followUpDate) lines.push(`Opfølgning planlagt: ${danishDate(r.followUpDate)}`, "");
      for (const f of r.followUps ?? []) lines.push(`**Opfølgning ${danishDate(f.at)}**`, "", quote(f.text), "");
      lines.push(`<sub>Indholdsversion ${r.contentVersion}</sub>`, "");
    }
  }
  if (data.draft) {
    lines.push("## Ufærdig refleksion", "", `${data.draft.themeTitle}, startet ${danishDate(data.draft.startedAt)}.`, "");
  }
  lines.push("## Påmindelser", "");
  const planned = data.schedules.filter((s) => s.active);
  if (planned.length === 0) lines.push("Ingen påmindelser.");
  for (const s of planned) {
    const what = s.kind === "follow-up" ? "Opfølgning på et næste skridt" : "Påmindelse om at reflektere";
    lines.push(`- ${what}${s.recurrence ? `, ${s.recurrence}` : ""} – næste gang ${danishDate(s.nextRunAt)}`);
  }
  lines.push("");
  return lines.join("\n");
}
