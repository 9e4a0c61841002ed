import { cleanText } from "../domain/cleanText";
import { SHARE_LIMITS } from "../domain/sharing/content";
import type { SharedReflection } from "../domain/sharing/content";
import type { Share, ShareQuestion } from "../domain/sharing/share";
import type { Shown } from "../kernel/shown";
import { texts } from "../kernel/texts";
import { danishDate } from "./format";
import { escapeHtml } from "./insightPage";
import { lastReadableDay } from "./shareCards";

/**
 * Til min leder's page, rendered on the server, as Indsigt's is: no script or style inline.
 * Texts are escaped by their kind:
 * - what the leader wrote (notes, answers, the plan, names) is a plain string: cleaned and
 *   escaped for HTML (`typed`), with its line breaks kept by the stylesheet;
 * - the framework's texts are `Shown` (the editors' Markdown, or a person's text escaped for
 *   Markdown): their Markdown escapes are undone, then the text is escaped for HTML (`framework`),
 *   so `\*` reads `*` and a `<` stays a `<`.
 */

const t = texts.shareReaderPage;

/** A person's text, as typed, safe in HTML. */
const typed = (text: string) => escapeHtml(cleanText(text));
/** A framework text (Markdown-escaped), as its reader should see it, safe in HTML. */
const framework = (text: Shown) => escapeHtml(text.replace(/\\([^A-Za-z0-9\s])/g, "$1"));
const date = (iso: string) => escapeHtml(danishDate(iso, "Europe/Copenhagen").replace(/\u00a0/g, " "));

/** The page Teams loads: the list or a share comes into <main> by script, with the token. */
export function shareShell(args: { readonly localMode: boolean; readonly shareId: string; readonly localUser: string }): string {
  return (
    `<!doctype html><html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(t.title)}</title>` +
    `<link rel="stylesheet" href="/til-min-leder/tab-theme.css"><link rel="stylesheet" href="/til-min-leder/indsigt.css"><link rel="stylesheet" href="/til-min-leder/til-min-leder.css">` +
    `<script src="/til-min-leder/tab-signin.js" defer></script><script src="/til-min-leder/til-min-leder.js" defer></script></head>` +
    `<body><a class="skip" href="#indhold">${escapeHtml(t.skip)}</a>` +
    (args.localMode ? `<p class="banner" role="note">${escapeHtml(t.localBanner)}</p>` : "") +
    `<header><h1>${escapeHtml(t.title)}</h1></header><p class="lead">${escapeHtml(t.lead)}</p>` +
    `<p id="status" class="visually-hidden" role="status"></p>` +
    `<main id="indhold" tabindex="-1" data-share="${escapeHtml(args.shareId)}" data-user="${escapeHtml(args.localUser)}" data-failed="${escapeHtml(`${t.failed.title}. ${t.failed.text}`)}">` +
    `<p>${escapeHtml(t.loading)}</p></main></body></html>`
  );
}

/** A message in place of a share: not found (whatever the reason), not signed in, failed. */
export function shareMessage(message: { readonly title: string; readonly text: string }): string {
  return `<section class="message" aria-labelledby="besked"><h2 id="besked">${escapeHtml(message.title)}</h2><p>${escapeHtml(message.text)}</p></section>`;
}

/** The shares the signed-in person can read now. */
export function shareListFragment(shares: readonly Share[]): string {
  if (shares.length === 0) return `<section aria-labelledby="liste"><h2 id="liste">${escapeHtml(t.listHeading)}</h2><p class="muted">${escapeHtml(t.none)}</p></section>`;
  const items = shares
    .map(
      (s) =>
        `<li><a class="share-link" href="/til-min-leder?share=${encodeURIComponent(s.id)}" data-share-id="${escapeHtml(s.id)}">${escapeHtml(t.sharedBy(cleanText(s.sharer.name)))}</a>` +
        ` <span class="muted">${escapeHtml(t.until(lastReadableDay(s.expiresAt).replace(/\u00a0/g, " ")))}</span></li>`,
    )
    .join("");
  return `<section aria-labelledby="liste"><h2 id="liste">${escapeHtml(t.listHeading)}</h2><ul class="shares">${items}</ul></section>`;
}

/** One share, as its reader reads it, with the form for questions back. */
export function shareFragment(share: Share, note?: { readonly kind: "sent" | "error"; readonly text: string }): string {
  const content = share.content;
  if (!content) return shareMessage(t.notFound);
  const head =
    `<p><a class="back" href="/til-min-leder">${escapeHtml(t.back)}</a></p>` +
    `<h2 id="delt">${escapeHtml(t.sharedBy(cleanText(share.sharer.name)))}</h2>` +
    `<p class="muted">${escapeHtml(t.until(lastReadableDay(share.expiresAt).replace(/\u00a0/g, " ")))}</p>`;
  const reflections = content.reflections.length
    ? `<section aria-labelledby="refleksioner"><h2 id="refleksioner">${escapeHtml(t.reflectionsHeading)}</h2>${content.reflections.map(reflectionSection).join("")}</section>`
    : "";
  const change = content.change
    ? `<section aria-labelledby="udvikling"><h2 id="udvikling">${escapeHtml(t.changeHeading(danishDate(content.change.from).replace(/\u00a0/g, " "), danishDate(content.change.to).replace(/\u00a0/g, " ")))}</h2>` +
      `<div class="scroll" tabindex="0" role="region" aria-labelledby="udvikling"><table><thead><tr>` +
      [t.changeColumns.statement, t.changeColumns.first, t.changeColumns.last, t.changeColumns.reflections].map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("") +
      `</tr></thead><tbody>` +
      content.change.statements.map((s) => `<tr><th scope="row">${framework(s.text)} <span class="muted">(${framework(s.themeTitle)})</span></th><td>${s.first}</td><td>${s.last}</td><td>${s.reflections}</td></tr>`).join("") +
      `</tbody></table></div></section>`
    : "";
  const pulses = content.pulses?.length
    ? `<section aria-labelledby="puls"><h2 id="puls">${escapeHtml(t.pulseHeading)}</h2>` +
      content.pulses
        .map((p, i) => {
          const heading = `<h3 id="puls-${i}">${framework(p.themeTitle)} <span class="muted">${date(p.closedAt)} · ${escapeHtml(t.pulseAnswered(p.answered))}</span></h3>`;
          if (!p.shown) return `${heading}<p class="muted">${escapeHtml(t.pulseHidden)}</p>`;
          return (
            `${heading}<div class="scroll" tabindex="0" role="region" aria-labelledby="puls-${i}"><table><thead><tr>` +
            [t.pulseColumns.statement, t.pulseColumns.team, t.pulseColumns.self].map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("") +
            `</tr></thead><tbody>` +
            p.statements.map((s) => `<tr><th scope="row">${framework(s.text)}</th><td>${s.team === undefined ? "–" : decimal(s.team)}</td><td>${s.self === undefined ? "–" : decimal(s.self)}</td></tr>`).join("") +
            `</tbody></table></div>`
          );
        })
        .join("") +
      `</section>`
    : "";
  return `<article aria-labelledby="delt">${head}${reflections}${change}${pulses}${questionsSection(share, note)}</article>`;
}

const decimal = (n: number) => escapeHtml(Number.isInteger(n) ? String(n) : n.toFixed(1).replace(".", ","));

function reflectionSection(r: SharedReflection, i: number): string {
  const id = `refleksion-${i}`;
  const heading = `<h3 id="${id}">${framework(r.themeTitle)} <span class="muted">${date(r.completedAt)}${r.short ? ` · ${escapeHtml(t.short)}` : ""}</span></h3><p class="muted">${framework(r.roleName)}</p>`;
  const whole = r.questions !== undefined || r.statements.some((s) => s.note !== undefined);
  const statements =
    `<ul class="statements">` +
    r.statements
      .map(
        (s) =>
          `<li><p class="statement">${framework(s.text)}</p><p><strong>${s.rating}</strong> – ${framework(s.ratingLabel)}</p>` +
          (s.note ? `<p class="typed"><span class="muted">${escapeHtml(t.note)}:</span> ${typed(s.note)}</p>` : "") +
          `</li>`,
      )
      .join("") +
    `</ul>`;
  const answer = (a: string | null) => (a ? `<p class="typed">${typed(a)}</p>` : `<p class="muted">${escapeHtml(t.answerMissing)}</p>`);
  const questions = r.questions?.length ? `<dl class="answers">${r.questions.map((q) => `<dt>${framework(q.text)}</dt><dd>${answer(q.answer)}</dd>`).join("")}</dl>` : "";
  const focus = r.focus
    ? `<h4>${escapeHtml(t.focusHeading)}</h4><dl class="answers"><dt>${framework(r.focus.deeper.statement)}: ${framework(r.focus.deeper.prompt)}</dt><dd>${answer(r.focus.deeper.answer)}</dd>` +
      (r.focus.strength ? `<dt>${escapeHtml(t.strengthHeading)}: ${framework(r.focus.strength.statement)}: ${framework(r.focus.strength.prompt)}</dt><dd>${answer(r.focus.strength.answer)}</dd>` : "") +
      `</dl>`
    : "";
  const plan = r.plan
    ? `<h4>${escapeHtml(t.planHeading)}</h4><dl class="answers"><dt>${escapeHtml(t.commitment)}</dt><dd>${answer(r.plan.commitment)}</dd>` +
      (r.plan.followUps.length ? `<dt>${escapeHtml(t.followUps)}</dt><dd><ul>${r.plan.followUps.map((f) => `<li><span class="muted">${date(f.at)}:</span> <span class="typed">${typed(f.text)}</span></li>`).join("")}</ul></dd>` : "") +
      `</dl>`
    : "";
  return `<section class="reflection" aria-labelledby="${id}">${heading}${whole ? "" : `<p class="muted">${escapeHtml(t.ratingsOnly)}</p>`}${statements}${questions}${focus}${plan}</section>`;
}

function questionsSection(share: Share, note?: { readonly kind: "sent" | "error"; readonly text: string }): string {
  const left = SHARE_LIMITS.questions - share.questions.length;
  const noteHtml = note ? `<p class="note ${note.kind}" tabindex="-1" role="${note.kind === "error" ? "alert" : "status"}">${escapeHtml(note.text)}</p>` : "";
  const before = share.questions.length
    ? `<h3 id="spurgt">${escapeHtml(t.questionsSentBefore)}</h3><ul class="asked">${share.questions.map((q: ShareQuestion) => `<li class="typed">${typed(q.text)}</li>`).join("")}</ul>`
    : "";
  const form =
    left > 0
      ? `<form id="spoergsmaal" class="questions" method="post" action="/til-min-leder/delt/${encodeURIComponent(share.id)}/spoergsmaal" data-share-id="${escapeHtml(share.id)}">` +
        `<p>${escapeHtml(t.questionsLead(left, SHARE_LIMITS.questionLength))}</p>` +
        Array.from({ length: left }, (_, i) => `<label for="q${i}">${escapeHtml(t.questionLabel(i + 1))}</label><textarea id="q${i}" name="q" rows="2" maxlength="${SHARE_LIMITS.questionLength}"></textarea>`).join("") +
        `<button type="submit">${escapeHtml(t.send)}</button></form>`
      : `<p class="muted">${escapeHtml(t.questionsFull(SHARE_LIMITS.questions))}</p>`;
  return `<section aria-labelledby="spoergsmaal-overskrift"><h2 id="spoergsmaal-overskrift">${escapeHtml(t.questionsHeading)}</h2>${noteHtml}${before}${form}</section>`;
}
