import type { FocusSuggestion, ThemeProgress } from "../domain/progress";
import { averageRating, LIMITS, roleInSentenceOf, teamPulseBeside, type Reflection } from "../domain/reflection";
import type { TeamPulseRecord } from "../domain/teamPulse";
import { texts } from "../kernel/texts";
import { danishDate, shortDanishDate, danishDecimal } from "./format";
import { renderCard, type CardAttachment } from "./renderCard";
import { reflectionFocus } from "./reflectionCards";
import { shownAsTyped as md } from "../domain/cleanText";
import { EMPTY, lowerCased as lowerCase, shown, type Shown } from "../kernel/shown";
import { answered } from "./views";
const decimal = danishDecimal;

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
        meta: shown`${danishDate(r.completedAt)}${r.short ? shown` · ${lowerCase(texts.card.shortTitle)}` : EMPTY} · ${texts.card.average(average === null ? undefined : decimal(average))}`,
        spread: spreadText(r),
        commitment: md(r.commitment ?? ""),
      };
    }),
  });
}

/** "Lavest: »…« (2) · Højest: »…« (5)": the statements at both ends, when they differ. */
function spreadText(reflection: Pick<Reflection, "statements">): Shown {
  const rated = reflection.statements.filter((s) => s.rating > 0);
  if (rated.length < 2) return EMPTY;
  const lowest = rated.reduce((a, b) => (b.rating < a.rating ? b : a));
  const highest = rated.reduce((a, b) => (b.rating > a.rating ? b : a));
  return lowest.rating === highest.rating ? EMPTY : texts.card.spread(truncateWords(lowest.text, 60), lowest.rating, truncateWords(highest.text, 60), highest.rating);
}

function truncateWords(text: Shown, max: number): Shown {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  // The editors' statement cut at a space (or after 20 characters of it): unescaped text cut short makes no Markdown.
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), 20))}…` as Shown;
}

export function reflectionDetailCard(reflection: Reflection): CardAttachment {
  const average = averageRating(reflection);
  return renderCard("reflection-detail", {
    id: reflection.id,
    themeTitle: reflection.themeTitle,
    meta: shown`${danishDate(reflection.completedAt)}${reflection.short ? shown` · ${lowerCase(texts.card.shortTitle)}` : EMPTY} · ${texts.asRole(roleInSentenceOf(reflection))}${average === null ? EMPTY : shown` · ${texts.card.average(decimal(average))}`}`,
    statements: reflection.statements.map((s) => ({ text: s.text, ratingText: shown`${s.rating} – ${s.ratingLabel}`, note: md(s.note ?? "") })),
    // The focus the reflection went deeper on comes first, as it was asked.
    questions: [
      ...reflectionFocus(reflection).map((f) => ({ question: f.prompt, answer: answered(f.answer) })),
      ...reflection.questions.map((q) => ({ question: q.text, answer: answered(q.answer) })),
    ],
    commitment: md(reflection.commitment ?? ""),
    followUpDate: reflection.followUpDate ? danishDate(reflection.followUpDate) : EMPTY,
    followUps: (reflection.followUps ?? []).map((f) => ({ date: danishDate(f.at), text: md(f.text) })),
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
    scaleText: shown`1–${args.scaleMax}`,
    hasData: args.progress.some((t) => t.points.length > 0),
    themes: args.progress.map((t) => ({
      title: t.theme.title,
      bars: t.points.map((p) => ({
        date: shortDanishDate(p.completedAt),
        filled: Math.max(1, Math.round(p.average * 10)),
        empty: Math.max(0, Math.round((args.scaleMax - p.average) * 10)),
        valueText: texts.card.barValue(decimal(p.average), args.scaleMax),
      })),
      spread: (() => {
        const last = (args.latest ?? []).find((r) => r.themeId === t.theme.id);
        return last ? spreadText(last) : EMPTY;
      })(),
      pulses: (args.teamPulses ?? [])
        .filter((r) => r.themeId === t.theme.id && r.result)
        .map((r) => {
          const beside = teamPulseBeside([r], r.themeId);
          const means = (pick: "team" | "self") => Object.values(beside?.statements ?? {}).map((v) => v[pick]).filter((v): v is number => v !== undefined && v > 0);
          const average = (values: number[]) => (values.length > 0 ? decimal(values.reduce((a, b) => a + b, 0) / values.length) : undefined);
          return { text: texts.pulse.progressLine(shortDanishDate(r.result!.closedAt), r.result!.shown ? average(means("team")) : undefined, r.result!.answered, average(means("self"))) };
        }),
    })),
    focusTitle: args.focus ? texts.card.focus(args.focus.reflection.themeTitle, danishDate(args.focus.reflection.completedAt)) : EMPTY,
    focus: (args.focus?.statements ?? []).map((s) => ({ text: s.text, rating: shown`${s.rating} – ${lowerCase(s.ratingLabel)}` })),
  });
}

export function exportCard(args: { summary: Shown; markdownUrl: string; jsonUrl: string }): CardAttachment {
  return renderCard("export", args);
}

export function confirmDeleteCard(args: { token: string; facts: ReadonlyArray<{ title: Shown; value: Shown }> }): CardAttachment {
  return renderCard("confirm-delete", args);
}
