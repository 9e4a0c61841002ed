import type { AgreementStatus } from "../domain/group/model";
import { AGREEMENT_LIMITS, AGREEMENT_STATUSES } from "../domain/group/model";
import { texts } from "../kernel/texts";
import { escapeHtml } from "./insightPage";

/**
 * The leader group's meeting side panel, rendered on the server as Indsigt is: plain HTML, no
 * script or style inline (the CSP allows none), every text escaped as HTML where it lands. The
 * view holds plain text: what members typed as typed, and the chat's own sentences made plain
 * (cards/format.ts plainText). The page's script only places fragments and posts clicks.
 */

const t = texts.meetingPanel;

/** An open agreement from an earlier meeting, with its status buttons. */
export interface PanelAgreement {
  readonly meetingId: string;
  readonly agreementId: string;
  readonly text: string;
  readonly line: string;
  readonly statusText: string;
  readonly status: AgreementStatus;
}

/** What the panel shows of today's meeting; a view of stored data, nothing more. */
export interface MeetingPanelView {
  /** A member writes; a guest reads (the buttons and the form are not there). */
  readonly canWrite: boolean;
  readonly meeting?: {
    readonly id: string;
    readonly heading: string;
    readonly themeTitle: string;
    readonly questionsLabel: string;
    readonly questions: readonly string[];
    readonly pointsLabel: string;
    /** Each point as typed, and its author's name only where they chose to show it. */
    readonly points: readonly { readonly text: string; readonly by: string }[];
    readonly noPoints: string;
    readonly morePoints?: string;
    readonly pulse?: {
      readonly heading: string;
      /** Why no result shows (yet): the chat card's words. */
      readonly waiting?: string;
      readonly statements: readonly { readonly text: string; readonly rows: readonly string[]; readonly mean: string }[];
      readonly widest?: string;
    };
    readonly openHeading: string;
    readonly noOpen: string;
    readonly open: readonly PanelAgreement[];
    readonly moreOpen?: string;
    readonly agreementsTitle: string;
    readonly agreements:
      | { readonly state: "open"; readonly token: string }
      | { readonly state: "saved"; readonly title: string; readonly savedBy: string; readonly items: readonly { readonly text: string; readonly responsible: string; readonly due?: string }[] };
    readonly guestNote?: string;
  };
}

/** The page Teams loads; the meeting comes into <main> by script, with the token. */
export function meetingPanelShell(args: { readonly localMode: boolean }): string {
  return (
    `<!doctype html><html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(t.title)}</title><link rel="stylesheet" href="/moede/tab-theme.css"><link rel="stylesheet" href="/moede/moede.css">` +
    `<script src="/moede/tab-signin.js" defer></script><script src="/moede/moede.js" defer></script></head><body>` +
    (args.localMode ? `<p class="banner" role="note">${escapeHtml(t.localBanner)}</p>` : "") +
    `<p id="svar" class="answer" role="status" aria-live="polite" tabindex="-1"></p>` +
    // Others' changes, said politely and apart from the answer to one's own click (which it would overwrite); focus stays where it is.
    `<p id="nyt" class="visually-hidden" role="status" aria-live="polite" data-updated="${escapeHtml(t.updated)}"></p>` +
    `<main id="panel" tabindex="-1" data-failed="${escapeHtml(`${t.failed.title}. ${t.failed.text}`)}"><p>${escapeHtml(t.loading)}</p></main>` +
    `<p class="muted live">${escapeHtml(t.live)}</p></body></html>`
  );
}

/** A message in place of the meeting (nothing to show, a failure). */
export function meetingPanelMessage(message: { readonly title: string; readonly text: string }): string {
  return `<section class="message"><h1>${escapeHtml(message.title)}</h1><p>${escapeHtml(message.text)}</p></section>`;
}

/** What goes into <main>: each section carries data-part, so the script replaces only those that changed. */
export function meetingPanelFragment(view: MeetingPanelView): string {
  const m = view.meeting;
  if (!m) return `<h1 data-part="heading">${escapeHtml(t.title)}</h1><p data-part="none">${escapeHtml(t.noMeetingToday)}</p>`;
  return [
    `<h1 data-part="heading" data-meeting-id="${escapeHtml(m.id)}">${escapeHtml(m.heading)}</h1>`,
    m.guestNote ? `<p class="note" data-part="guest">${escapeHtml(m.guestNote)}</p>` : "",
    `<section data-part="theme" aria-labelledby="tema"><h2 id="tema">${escapeHtml(m.themeTitle)}</h2><h3>${escapeHtml(m.questionsLabel)}</h3>` +
      `<ol>${m.questions.map((q) => `<li>${escapeHtml(q)}</li>`).join("")}</ol></section>`,
    `<section data-part="points" aria-labelledby="punkter"><h2 id="punkter">${escapeHtml(m.pointsLabel)}</h2>` +
      (m.points.length === 0
        ? `<p class="muted">${escapeHtml(m.noPoints)}</p>`
        : `<ul>${m.points.map((p) => `<li><p class="said">${escapeHtml(p.text)}</p><p class="muted">– ${escapeHtml(p.by)}</p></li>`).join("")}</ul>`) +
      (m.morePoints ? `<p class="muted">${escapeHtml(m.morePoints)}</p>` : "") +
      `</section>`,
    m.pulse ? pulseSection(m.pulse) : "",
    openSection(m, view.canWrite),
    agreementsSection(m, view.canWrite),
  ].join("");
}

function pulseSection(pulse: NonNullable<MeetingPanelView["meeting"]>["pulse"] & object): string {
  const statements = pulse.statements
    .map((s) => `<li><p class="said">${escapeHtml(s.text)}</p>${s.rows.map((r) => `<p>${escapeHtml(r)}</p>`).join("")}${s.mean ? `<p class="muted">${escapeHtml(s.mean)}</p>` : ""}</li>`)
    .join("");
  return (
    `<section data-part="pulse" aria-labelledby="puls"><h2 id="puls">${escapeHtml(pulse.heading)}</h2>` +
    (pulse.waiting ? `<p>${escapeHtml(pulse.waiting)}</p>` : "") +
    (statements ? `<ul>${statements}</ul>` : "") +
    (pulse.widest ? `<p>${escapeHtml(pulse.widest)}</p>` : "") +
    `</section>`
  );
}

function openSection(m: NonNullable<MeetingPanelView["meeting"]>, canWrite: boolean): string {
  const items = m.open
    .map((a) => {
      const label = t.statusGroup(a.text.length > 60 ? `${a.text.slice(0, 59)}…` : a.text);
      const buttons = canWrite
        ? `<div class="statuses" role="group" aria-label="${escapeHtml(label)}">` +
          AGREEMENT_STATUSES.map(
            (status) =>
              `<button type="button" data-meeting="${escapeHtml(a.meetingId)}" data-agreement="${escapeHtml(a.agreementId)}" data-status="${status}" aria-pressed="${a.status === status}">${escapeHtml(texts.meeting.status[status])}</button>`,
          ).join("") +
          `</div>`
        : "";
      return `<li><p class="said">${escapeHtml(a.text)}</p><p class="muted">${escapeHtml(a.line)}</p><p>${escapeHtml(t.statusLabel)}: ${escapeHtml(a.statusText)}</p>${buttons}</li>`;
    })
    .join("");
  return (
    `<section data-part="open" aria-labelledby="aabne"><h2 id="aabne">${escapeHtml(m.openHeading)}</h2>` +
    (items ? `<ul class="agreements">${items}</ul>` : `<p class="muted">${escapeHtml(m.noOpen)}</p>`) +
    (m.moreOpen ? `<p class="muted">${escapeHtml(m.moreOpen)}</p>` : "") +
    `</section>`
  );
}

function agreementsSection(m: NonNullable<MeetingPanelView["meeting"]>, canWrite: boolean): string {
  const a = m.agreements;
  const heading = `<h2 id="nye">${escapeHtml(m.agreementsTitle)}</h2>`;
  if (a.state === "saved") {
    const items = a.items
      .map((i) => `<li><p class="said">${escapeHtml(i.text)}</p><p class="muted">${escapeHtml(`${t.who}: ${i.responsible}`)}${i.due ? ` · ${escapeHtml(t.dueText(i.due))}` : ""}</p></li>`)
      .join("");
    return `<section data-part="agreements" data-state="saved" aria-labelledby="nye">${heading}<h3>${escapeHtml(a.title)}</h3><ul>${items}</ul><p class="muted">${escapeHtml(a.savedBy)}</p></section>`;
  }
  if (!canWrite) return `<section data-part="agreements" data-state="open" aria-labelledby="nye">${heading}<p class="muted">${escapeHtml(texts.meeting.noAgreementsYet)}</p></section>`;
  const rows = Array.from({ length: AGREEMENT_LIMITS.count }, (_, i) => {
    const n = i + 1;
    return (
      `<fieldset><legend>${escapeHtml(t.row(n))}</legend>` +
      `<label for="text${n}">${escapeHtml(t.what)}</label><textarea id="text${n}" name="text${n}" rows="2" maxlength="${AGREEMENT_LIMITS.text}"></textarea>` +
      `<div class="pair"><span><label for="who${n}">${escapeHtml(t.who)}</label><input id="who${n}" name="who${n}" maxlength="${AGREEMENT_LIMITS.responsible}" placeholder="${escapeHtml(t.whoHint)}" autocomplete="off"></span>` +
      `<span><label for="due${n}">${escapeHtml(t.due)}</label><input id="due${n}" name="due${n}" type="date"></span></div></fieldset>`
    );
  }).join("");
  return (
    `<section data-part="agreements" data-state="open" aria-labelledby="nye">${heading}<p>${escapeHtml(t.formIntro)}</p>` +
    `<form id="aftaler" data-meeting="${escapeHtml(m.id)}" data-token="${escapeHtml(a.token)}">${rows}<button type="submit" class="primary">${escapeHtml(t.save)}</button></form></section>`
  );
}

/** The configuration page Teams shows when the tab is added: one paragraph, and Teams' own Save button. */
export function meetingPanelConfig(): string {
  return (
    `<!doctype html><html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(t.configTitle)}</title><link rel="stylesheet" href="/moede/tab-theme.css"><link rel="stylesheet" href="/moede/moede.css">` +
    `<script src="/moede/tab-signin.js" defer></script><script src="/moede/moede-opsaet.js" defer></script></head><body><main><h1>${escapeHtml(t.configTitle)}</h1>` +
    `<p id="config-text" data-outside="${escapeHtml(t.configOutside)}">${escapeHtml(t.configText)}</p></main></body></html>`
  );
}
