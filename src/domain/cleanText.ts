/**
 * Free text from users, made safe once at the edge (`cleanText`) and again for the surface it
 * lands on (`escapeMarkdown`). Two different jobs: cleaning removes what no one can see but a
 * renderer obeys; escaping keeps what people typed visible as typed.
 */

import { markdownEscaped, type Shown } from "../kernel/shown";

/**
 * C0 controls but newline (U+0000–U+001F without U+000A), DEL and C1 controls (U+007F–U+009F),
 * and the bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
 * U+202A–U+202E, U+2066–U+2069): a U+202E can turn "– en leder" around so that a point appears
 * signed by someone else. The zero-width joiner and variation selectors stay, so emoji sequences
 * (👩‍💻, ❤️, 🏳️‍🌈) survive.
 */
const INVISIBLE_CONTROLS = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Text a user typed without invisible controls; a tab becomes a space, so words stay apart. */
export function cleanText(text: string): string {
  return text.replace(/\t/g, " ").replace(INVISIBLE_CONTROLS, "");
}

/**
 * The characters that make Markdown in a Teams card's TextBlock or a message: emphasis (`*`,
 * `_`, `~`), links and images (`[`, `]`, `!`, `(`, `)`), code (`` ` ``), headings and quotes
 * (`#`, `>`), HTML-ish `<`, tables (`|`) and the escape itself. A backslash before each keeps
 * it literal. Only these are escaped, not every punctuation mark: a client that shows an escape
 * it does not process shows a stray backslash, and "3. maj" or "Mette-Marie" need none.
 */
const MARKDOWN_SPECIAL = /[\\`*_~[\]()!#<>|]/g;

/** A line that would start a list ("- x", "+ x", "1. x") keeps its marker literal. */
const LIST_START = /^(\s*)([-+]|\d+[.)])(?=\s)/gm;

/**
 * Text shown as typed inside Markdown (a card's TextBlock, a message, the minutes): it cannot
 * become a link, a heading or emphasis. The only way to `Shown` (kernel/shown.ts) for text a
 * person typed.
 */
export function escapeMarkdown(text: string): Shown {
  return markdownEscaped(text.replace(MARKDOWN_SPECIAL, "\\$&").replace(LIST_START, (_, space: string, marker: string) => `${space}${marker.replace(/([-+.)])$/, "\\$1")}`));
}

/**
 * What a person typed (or Teams named), for a Markdown surface: cleaned, then escaped. A view
 * uses this rather than escapeMarkdown alone, so a name Teams gave us, which never passed an
 * input's cleaning, cannot turn a line around with a bidi override either.
 */
export function shownAsTyped(text: string): Shown {
  return escapeMarkdown(cleanText(text));
}
