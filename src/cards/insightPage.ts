import type { CellView, InsightView, StatementView, UsageNumbers } from "../domain/insight/insightView";
import { texts } from "../kernel/texts";

/**
 * Indsigt's page, rendered on the server: plain HTML with small SVG bars, every number also as
 * text and in a table, no script or style inline (the CSP allows none). What it renders is the
 * InsightView, which holds only counts and the framework's own texts; everything is escaped
 * anyway, because a framework file is another municipality's too.
 */

const t = texts.insightPage;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const withK = (text: string, k: number) => text.replaceAll("{k}", String(k));
const decimal = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1).replace(".", ","));

/** The page around the numbers: the shell Teams loads; the numbers come into <main> by script (with the token). */
export function insightShell(args: { readonly localMode: boolean; readonly quarters: readonly string[]; readonly quarter: string }): string {
  const options = args.quarters.map((q) => `<option value="${escapeHtml(q)}"${q === args.quarter ? " selected" : ""}>${escapeHtml(q)}</option>`).join("");
  return (
    `<!doctype html><html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(t.title)}</title><link rel="stylesheet" href="/indsigt/tab-theme.css"><link rel="stylesheet" href="/indsigt/indsigt.css">` +
    `<script src="/indsigt/tab-signin.js" defer></script><script src="/indsigt/indsigt.js" defer></script></head>` +
    `<body><a class="skip" href="#tal">${escapeHtml(t.skip)}</a>` +
    (args.localMode ? `<p class="banner" role="note">${escapeHtml(t.localBanner)}</p>` : "") +
    `<header><h1>${escapeHtml(t.title)}</h1>` +
    `<form class="controls" method="get" action="/indsigt"><label for="kvartal">${escapeHtml(t.quarterLabel)}</label> ` +
    `<select id="kvartal" name="kvartal">${options}</select> <button type="submit">${escapeHtml(t.show)}</button> ` +
    `<a id="csv" class="button" href="/indsigt/tal.csv?kvartal=${encodeURIComponent(args.quarter)}" download>${escapeHtml(t.download)}</a> ` +
    `<button type="button" id="print">${escapeHtml(t.print)}</button></form></header>` +
    `<p id="status" class="visually-hidden" role="status" data-shown="${escapeHtml(t.shown("{quarter}"))}"></p>` +
    `<main id="tal" tabindex="-1" data-quarter="${escapeHtml(args.quarter)}" data-failed="${escapeHtml(`${t.failed.title}. ${t.failed.text}`)}"><p>${escapeHtml(t.loading)}</p></main></body></html>`
  );
}

/** A message in place of the numbers (no access, not signed in, …). */
export function insightMessage(message: { readonly title: string; readonly text: string }): string {
  return `<section class="message"><h2>${escapeHtml(message.title)}</h2><p>${escapeHtml(message.text)}</p></section>`;
}

/** The numbers of one quarter: what goes into <main>. */
export function insightFragment(view: InsightView): string {
  const k = view.k;
  const hidden = `<span class="hidden-value">${escapeHtml(t.hidden(k))}</span>`;
  const num = (n: number | null | undefined) => (n === null || n === undefined ? hidden : escapeHtml(decimal(n)));
  return [
    `<p class="lead">${escapeHtml(withK(t.lead, k))}</p>`,
    usageSection(view, num),
    selfSection(view, num),
    groupsSection(view, num),
    pulsesSection(view),
  ].join("");
}

function usageSection(view: InsightView, num: (n: number | null | undefined) => string): string {
  const u = t.usage;
  const cells = (n: UsageNumbers | null) => [n?.leaders, n?.reflections, n?.short, n?.reminders, n?.followed].map((v) => `<td>${n ? num(v) : num(null)}</td>`).join("");
  const rows = view.usage.rows.map((r) => `<tr><th scope="row">${escapeHtml(r.levelName)}</th>${cells(r.numbers)}</tr>`).join("");
  const total = `<tr class="total"><th scope="row">${escapeHtml(u.total)}</th>${cells(view.usage.total)}</tr>`;
  return (
    `<section aria-labelledby="brug"><h2 id="brug">${escapeHtml(u.heading)}</h2><div class="scroll" tabindex="0" role="region" aria-labelledby="brug-caption">` +
    `<table><caption id="brug-caption">${escapeHtml(u.caption(view.quarter))}</caption><thead><tr><th scope="col">${escapeHtml(u.level)}</th>` +
    [u.leaders, u.reflections, u.short, u.reminders, u.followed].map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("") +
    `</tr></thead><tbody>${rows}${total}</tbody></table></div></section>`
  );
}

function selfSection(view: InsightView, num: (n: number | null | undefined) => string): string {
  const s = t.self;
  const levels = view.levels
    .map((level) => {
      const heading = `<h3 id="niveau-${escapeHtml(level.levelId)}">${escapeHtml(level.levelName)}</h3>`;
      // A level with nothing to show says so once, rather than "færre end k" under every theme.
      if (level.cells.every((c) => c.leaders === null)) return `<section class="level" aria-labelledby="niveau-${escapeHtml(level.levelId)}">${heading}<p class="muted">${escapeHtml(withK(s.levelHidden, view.k))}</p></section>`;
      const lowest = level.lowest.length
        ? `<ol>${level.lowest.map((l) => `<li>${escapeHtml(l.text)} <span class="muted">(${escapeHtml(l.themeTitle)}, ${escapeHtml(s.median.toLowerCase())} ${escapeHtml(decimal(l.median))})</span></li>`).join("")}</ol>`
        : `<p class="muted">${escapeHtml(withK(s.noLowest, view.k))}</p>`;
      const cells = level.cells.map((cell) => cellFigure(level.levelId, cell, view.k, num)).join("");
      return `<section class="level" aria-labelledby="niveau-${escapeHtml(level.levelId)}">${heading}<h4>${escapeHtml(s.lowest)}</h4>${lowest}${cells}</section>`;
    })
    .join("");
  const totals =
    `<table class="compact"><caption>${escapeHtml(s.themeTotals)}</caption><tbody>` +
    view.themeTotals.map((tt) => `<tr><th scope="row">${escapeHtml(tt.title)}</th><td>${num(tt.leaders)}</td></tr>`).join("") +
    `</tbody></table>`;
  return `<section aria-labelledby="selv"><h2 id="selv">${escapeHtml(s.heading)}</h2><p>${escapeHtml(s.intro)}</p>${totals}${levels}</section>`;
}

function cellFigure(levelId: string, cell: CellView, k: number, num: (n: number | null | undefined) => string): string {
  const s = t.self;
  const id = `${levelId}-${cell.themeId}`;
  const heading = `<h5 id="tema-${escapeHtml(id)}">${escapeHtml(s.theme(cell.title, cell.leaders === null ? t.hidden(k) : String(cell.leaders)))}</h5>`;
  if (cell.leaders === null) return `<div class="cell">${heading}</div>`;
  const rows = cell.statements
    .map((st) => `<li><p class="statement">${escapeHtml(st.text)}</p>${st.distribution ? bar(st) : `<p>${num(null)}</p>`}</li>`)
    .join("");
  const table =
    `<details><summary>${escapeHtml(s.asTable)}</summary><div class="scroll" tabindex="0" role="region" aria-label="${escapeHtml(cell.title)}"><table><thead><tr><th scope="col">${escapeHtml(s.statement)}</th>` +
    [1, 2, 3, 4, 5].map((v) => `<th scope="col">${v}</th>`).join("") +
    `<th scope="col">${escapeHtml(s.median)}</th><th scope="col">${escapeHtml(s.change)}</th></tr></thead><tbody>` +
    cell.statements
      .map((st) => `<tr><th scope="row">${escapeHtml(st.text)}</th>${[0, 1, 2, 3, 4].map((i) => `<td>${num(st.distribution?.[i] ?? null)}</td>`).join("")}<td>${num(st.median)}</td><td>${st.change === null ? "" : escapeHtml(changeText(st.change))}</td></tr>`)
      .join("") +
    `</tbody></table></div></details>`;
  return `<div class="cell" role="group" aria-labelledby="tema-${escapeHtml(id)}">${heading}<ul class="bars">${rows}</ul>${table}</div>`;
}

function changeText(change: number): string {
  return change === 0 ? t.self.noChange : change > 0 ? t.self.up(change) : t.self.down(-change);
}

/** One statement's distribution as a 100 % bar of five parts, with each count printed in its part. */
function bar(st: StatementView): string {
  const counts = st.distribution!;
  const total = counts.reduce((a, b) => a + b, 0);
  const width = 300;
  let x = 0;
  const parts = counts
    .map((count, i) => {
      const w = (count / total) * width;
      const part = `<rect class="r${i + 1}" x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="22"></rect>` + (w >= 14 ? `<text class="t${i + 1}" x="${(x + w / 2).toFixed(1)}" y="15" text-anchor="middle">${count}</text>` : "");
      x += w;
      return part;
    })
    .join("");
  const label = t.self.chartLabel(counts, st.median ?? 0);
  const change = st.change === null ? "" : ` · ${t.self.change.toLowerCase()}: ${changeText(st.change)}`;
  return (
    `<div class="bar"><svg role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${width} 22" width="${width}" height="22" focusable="false">${parts}</svg>` +
    `<span class="median">${escapeHtml(t.self.median)} ${escapeHtml(decimal(st.median ?? 0))}${escapeHtml(change)}</span></div>`
  );
}

function groupsSection(view: InsightView, num: (n: number | null | undefined) => string): string {
  const g = t.groups;
  const body = view.groups
    ? `<table class="compact"><tbody>` +
      ([
        [g.groups, view.groups.groups],
        [g.meetings, view.groups.meetings],
        [g.agreements, view.groups.agreements],
        [g.due, view.groups.due],
        [g.done, view.groups.done],
      ] as const)
        .map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${num(value)}</td></tr>`)
        .join("") +
      `</tbody></table>`
    : `<p class="muted">${escapeHtml(withK(g.hidden, view.k))}</p>`;
  return `<section aria-labelledby="grupper"><h2 id="grupper">${escapeHtml(g.heading)}</h2>${body}</section>`;
}

function pulsesSection(view: InsightView): string {
  const p = t.pulses;
  const themes = view.pulses
    .map((pulse) => {
      if (!pulse.numbers) return `<h3>${escapeHtml(pulse.title)}</h3><p class="muted">${escapeHtml(p.hidden)}</p>`;
      const rows = pulse.numbers.statements
        .map((s) => `<tr><th scope="row">${escapeHtml(s.text)}</th>${s.distribution.map((c) => `<td>${c}</td>`).join("")}<td>${escapeHtml(decimal(s.mean))}</td></tr>`)
        .join("");
      return (
        `<h3>${escapeHtml(pulse.title)}</h3><p>${escapeHtml(p.numbers(pulse.numbers.pulses, pulse.numbers.answers))}</p>` +
        `<div class="scroll" tabindex="0" role="region" aria-label="${escapeHtml(pulse.title)}"><table><thead><tr><th scope="col">${escapeHtml(t.self.statement)}</th>${[1, 2, 3, 4, 5].map((v) => `<th scope="col">${v}</th>`).join("")}<th scope="col">${escapeHtml(p.mean)}</th></tr></thead><tbody>${rows}</tbody></table></div>`
      );
    })
    .join("");
  return `<section aria-labelledby="puls"><h2 id="puls">${escapeHtml(p.heading)}</h2><p>${escapeHtml(p.intro)}</p>${themes}</section>`;
}
