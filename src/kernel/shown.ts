/**
 * Text that may be shown on a Markdown surface (a card's TextBlock or FactSet, a message's text,
 * the minutes): every character in it shows as typed or was written by us on purpose. Teams
 * renders Markdown in all of these, so a member's "[mødeplanen](https://evil.example)" would
 * become a link if it got there raw.
 *
 * `Shown` is a brand, not a wrapper: a plain string at run time, but the compiler accepts only
 * what one of these produced:
 * - `escapeMarkdown` (domain/cleanText.ts), for anything a person or Teams typed;
 * - the catalogue of our own sentences (`trustedTexts`, for kernel/texts.ts), whose functions take
 *   `Shown` in turn, so a member's text cannot ride into a trusted sentence unescaped;
 * - `shown\`…\``, where the literal parts are ours and every hole must already be `Shown` (or a number);
 * - `trusted("…")` for a literal written in code (a `string` variable does not type-check).
 * A view model field that lands in Markdown is `Shown`, so a forgotten escape fails the typecheck.
 */
declare const shownBrand: unique symbol;
export type Shown = string & { readonly [shownBrand]: "Markdown" };

/** A literal written in our code: `string extends T` refuses any value that is not a literal type. */
export function trusted<T extends string>(text: string extends T ? never : T): Shown {
  return brand(text);
}

/** Nothing to show: a template hides a field that is "". */
export const EMPTY: Shown = trusted("");

/** A sentence of ours with holes that are already safe: `shown\`**${label}:** ${value}\``. */
export function shown(literals: TemplateStringsArray, ...holes: ReadonlyArray<Shown | number>): Shown {
  return brand(literals.reduce((text, literal, i) => text + literal + (i < holes.length ? String(holes[i]) : ""), ""));
}

/** In lower case, mid-sentence ("leder af ledere"): the case of a letter never makes Markdown. */
export function lowerCased(text: Shown): Shown {
  return brand(text.toLocaleLowerCase("da-DK"));
}

/** Safe parts joined by a safe separator stay safe. */
export function joinShown(parts: readonly Shown[], separator: Shown): Shown {
  return brand(parts.join(separator));
}

/** Our catalogue with every string typed `Shown`, and every function taking `Shown` for its string arguments. */
export type TrustedTexts<T> = T extends string
  ? Shown
  : T extends (...args: infer A) => infer R
    ? (...args: { [K in keyof A]: ShownArgument<A[K]> }) => TrustedTexts<R>
    : T extends ReadonlyArray<infer E>
      ? ReadonlyArray<TrustedTexts<E>>
      : T extends object
        ? { readonly [K in keyof T]: TrustedTexts<T[K]> }
        : T;

/**
 * A catalogue argument: a free `string` (or list of them) must be `Shown`, as it is put into a
 * sentence shown as Markdown; literal unions ("done" | "partly") and numbers are choices of ours
 * and stay as they are. An object argument keeps its own type: it says `Shown` where its text is
 * shown (InputProblem's statement, deletionFacts' names).
 */
type ShownArgument<T> = string extends T ? Exclude<T, string> | Shown : T extends ReadonlyArray<infer E> ? (string extends E ? readonly Shown[] : T) : T;

/**
 * kernel/texts.ts as `Shown`: every sentence in it is ours, written in this repository and
 * reviewed like code, and whatever a person typed can only enter it through a `Shown` argument.
 * `pages` name the sections for HTML pages: they stay plain strings, as a page escapes every
 * text it puts in HTML (escapeHtml in cards/insightPage.ts), and Markdown escapes mean nothing there.
 */
export function trustedTexts<T extends object, P extends keyof T = never>(catalogue: T, _pages: readonly P[] = []): TrustedTexts<Omit<T, P>> & Pick<T, P> {
  // The one cast of the catalogue: its strings are ours by construction (a literal object in
  // texts.ts), and its functions' arguments are narrowed to `Shown` by the type above.
  return catalogue as unknown as TrustedTexts<Omit<T, P>> & Pick<T, P>;
}

/** The one place that makes a string `Shown`: callers above vouch for what they pass. */
function brand(text: string): Shown {
  // Private to this module: only trusted literals, templates of Shown parts and joins of Shown parts reach it.
  return text as Shown;
}

/**
 * For the framework's loader alone (content/loadContent.ts): the statements, questions, themes
 * and roles of content/*.json are written by the municipality's editors, reviewed like code and
 * validated at start-up, and are shown as they wrote them.
 */
export function editorsText(text: string): Shown {
  return brand(text);
}

/**
 * For the escaper alone (domain/cleanText.ts): a string whose Markdown has been neutralised.
 * Anything else that calls this is an escaper and belongs beside escapeMarkdown.
 */
export function markdownEscaped(text: string): Shown {
  return brand(text);
}
