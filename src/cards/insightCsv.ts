import { texts } from "../kernel/texts";
import type { InsightView } from "../domain/insight/insightView";

/**
 * Indsigt's numbers as CSV: one row per number the page shows, from the same InsightView, with
 * a hidden number as an empty value. Semicolons and decimal commas (Danish Excel), a BOM so
 * Excel reads UTF-8, and every cell that could start a formula defused.
 */
export function insightCsv(view: InsightView): string {
  const u = texts.insightPage.usage;
  const s = texts.insightPage.self;
  const g = texts.insightPage.groups;
  const p = texts.insightPage.pulses;
  const rows: Array<readonly [string, string, string, string, string, number | null]> = [];
  const usage = texts.insightPage.usage.heading;
  for (const row of [...view.usage.rows.map((r) => [r.levelName, r.numbers] as const), [u.total, view.usage.total] as const]) {
    const [level, n] = row;
    rows.push([usage, level, "", "", u.leaders, n?.leaders ?? null]);
    rows.push([usage, level, "", "", u.reflections, n?.reflections ?? null]);
    rows.push([usage, level, "", "", u.short, n?.short ?? null]);
    rows.push([usage, level, "", "", u.reminders, n?.reminders ?? null]);
    rows.push([usage, level, "", "", u.followed, n?.followed ?? null]);
  }
  for (const total of view.themeTotals) rows.push([s.heading, u.total, total.title, "", s.themeTotals, total.leaders]);
  for (const level of view.levels) {
    level.lowest.forEach((l, i) => rows.push([s.heading, level.levelName, l.themeTitle, l.text, `${s.lowest} (${i + 1})`, l.median]));
    for (const cell of level.cells) {
      rows.push([s.heading, level.levelName, cell.title, "", u.leaders, cell.leaders]);
      if (cell.leaders === null) continue;
      for (const st of cell.statements) {
        [1, 2, 3, 4, 5].forEach((v, i) => rows.push([s.heading, level.levelName, cell.title, st.text, `${s.value(v)}`, st.distribution?.[i] ?? null]));
        rows.push([s.heading, level.levelName, cell.title, st.text, s.median, st.median]);
        if (st.change !== null) rows.push([s.heading, level.levelName, cell.title, st.text, s.change, st.change]);
      }
    }
  }
  const groups = view.groups;
  for (const [label, value] of [[g.groups, groups?.groups], [g.meetings, groups?.meetings], [g.agreements, groups?.agreements], [g.due, groups?.due], [g.done, groups?.done]] as const) {
    rows.push([g.heading, "", "", "", label, value ?? null]);
  }
  for (const pulse of view.pulses) {
    rows.push([p.heading, "", pulse.title, "", "Pulser", pulse.numbers?.pulses ?? null]);
    rows.push([p.heading, "", pulse.title, "", "Svar", pulse.numbers?.answers ?? null]);
    for (const st of pulse.numbers?.statements ?? []) {
      st.distribution.forEach((c, i) => rows.push([p.heading, "", pulse.title, st.text, `${i + 1}`, c]));
      rows.push([p.heading, "", pulse.title, st.text, p.mean, Math.round(st.mean * 10) / 10]);
    }
  }
  const lines = [texts.insightPage.csvHeader.map(cell).join(";"), ...rows.map(([a, b, c, d, e, n]) => [a, b, c, d, e].map(cell).concat(n === null ? "" : String(n).replace(".", ",")).join(";"))];
  return `\uFEFF${view.quarter};${texts.insightPage.title}\r\n${lines.join("\r\n")}\r\n`;
}

/** A CSV cell: quoted when it needs to be, and never read as a formula by a spreadsheet. */
function cell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
