import type { FocusSuggestion, ThemeProgress } from "../domain/progress";
import { averageRating, LIMITS, roleInSentenceOf, teamPulseBeside, type Reflection } from "../domain/reflection";
import type { TeamPulseRecord } from "../domain/teamPulse";
import { texts } from "../kernel/texts";
import { danishDate, shortDanishDate, danishDecimal } from "./format";
import { renderCard, type CardAttachment } from "./renderCard";
import { reflectionFocus } from "./reflectionCards";

/** What a leader has stored, as cards: their reflections (history, one reflection, progress), the export and the erasure. */
export function historyCard(args: { reflections: readonly Reflection[]; more: string | undefined; continued: boolean }): CardAttachment {
  return renderCard("history", {
    title: texts.card.history(args.continued),
    more: args.more ?? "",
    items: args.reflections.map((r) => {
      const average = averageRating(r);
      return {
        id: r.id,
        themeTitle: r.themeTitle,
        meta: `${danishDate(r.completedAt)}${r.short ? ` · ${texts.card.shortTitle.toLowerCase()}` : ""} · ${texts.card.average(average === null ? undefined : danishDecimal(average))}`,
        spread: spreadText(r),
        commitment: r.commitment ?? "",
      };
    }),
  });
}

/** "Lavest: »…« (2) · Højest: »…« (5)": the statements at both ends, when they differ. */
function spreadText(reflection: Pick<Reflection, "statements">): string {
  const rated = reflection.statements.filter((s) => s.rating > 0);
  if (rated.length < 2) return "";
  const lowest = rated.reduce((a, b) => (b.rating < a.rating ? b : a));
  const highest = rated.reduce((a, b) => (b.rating > a.rating ? b : a));
  return lowest.rating === highest.rating ? "" : texts.card.spread(truncateWords(lowest.text, 60), lowest.rating, truncateWords(highest.text, 60), highest.rating);
}

function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), 20))}…`;
}

export function reflectionDetailCard(reflection: Reflection): CardAttachment {
  const average = averageRating(reflection);
  return renderCard("reflection-detail", {
    id: reflection.id,
    themeTitle: reflection.themeTitle,
    meta: `${danishDate(reflection.completedAt)}${reflection.short ? ` · ${texts.card.shortTitle.toLowerCase()}` : ""} · ${texts.asRole(roleInSentenceOf(reflection))}${average === null ? "" : ` · ${texts.card.average(danishDecimal(average))}`}`,
    statements: reflection.statements.map((s) => ({ text: s.text, ratingText: `${s.rating} – ${s.ratingLabel}`, note: s.note ?? "" })),
    // The focus the reflection went deeper on comes first, as it was asked.
    questions: [
      ...reflectionFocus(reflection).map((f) => ({ question: f.prompt, answer: f.answer ?? texts.card.skipped })),
      ...reflection.questions.map((q) => ({ question: q.text, answer: q.answer ?? texts.card.skipped })),
    ],
    commitment: reflection.commitment ?? "",
    followUpDate: reflection.followUpDate ? danishDate(reflection.followUpDate) : "",
    followUps: (reflection.followUps ?? []).map((f) => ({ date: danishDate(f.at), text: f.text })),
    followUpMax: LIMITS.followUp,
  });
}

export function progressCard(args: {
  progress: readonly ThemeProgress[];
  focus: FocusSuggestion | undefined;
  scaleMax: number;
  /** The leader's team pulses, oldest first. */
  teamPulses?: readonly TeamPulseRecord[];
  /** The newest reflection per theme: its lowest and highest statements show under the bars. */
  latest?: readonly Reflection[];
}): CardAttachment {
  // Bars are two weighted columns (filled and empty) so they render everywhere Teams renders
  // ColumnSets; weights are tenths of a point so 3,8 and 3,9 look different.
  return renderCard("progress", {
    scaleText: `1–${args.scaleMax}`,
    hasData: args.progress.some((t) => t.points.length > 0),
    themes: args.progress.map((t) => ({
      title: t.theme.title,
      bars: t.points.map((p) => ({
        date: shortDanishDate(p.completedAt),
        filled: Math.max(1, Math.round(p.average * 10)),
        empty: Math.max(0, Math.round((args.scaleMax - p.average) * 10)),
        valueText: texts.card.barValue(danishDecimal(p.average), args.scaleMax),
      })),
      spread: (() => {
        const last = (args.latest ?? []).find((r) => r.themeId === t.theme.id);
        return last ? spreadText(last) : "";
      })(),
      pulses: (args.teamPulses ?? [])
        .filter((r) => r.themeId === t.theme.id && r.result)
        .map((r) => {
          const beside = teamPulseBeside([r], r.themeId);
          const means = (pick: "team" | "self") => Object.values(beside?.statements ?? {}).map((v) => v[pick]).filter((v): v is number => v !== undefined && v > 0);
          const average = (values: number[]) => (values.length > 0 ? danishDecimal(values.reduce((a, b) => a + b, 0) / values.length) : undefined);
          return { text: texts.pulse.progressLine(shortDanishDate(r.result!.closedAt), r.result!.shown ? average(means("team")) : undefined, r.result!.answered, average(means("self"))) };
        }),
    })),
    focusTitle: args.focus ? texts.card.focus(args.focus.reflection.themeTitle, danishDate(args.focus.reflection.completedAt)) : "",
    focus: (args.focus?.statements ?? []).map((s) => ({ text: s.text, rating: `${s.rating} – ${s.ratingLabel.toLowerCase()}` })),
  });
}

export function exportCard(args: { summary: string; markdownUrl: string; jsonUrl: string }): CardAttachment {
  return renderCard("export", args);
}

export function confirmDeleteCard(args: { token: string; facts: ReadonlyArray<{ title: string; value: string }> }): CardAttachment {
  return renderCard("confirm-delete", args);
}
