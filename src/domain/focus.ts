/**
 * Which statement a reflection goes deeper on, and which strength it asks about: a decision on
 * the ratings alone, so it is the same in the dialog, the summary and a test.
 */
import type { Shown } from "../kernel/shown";

/** The statement to go deeper on (the lowest rated) and the one to ask about as a strength (the highest of the rest). */
export interface FocusChoice {
  readonly deeper: string;
  readonly strength?: string;
}

/**
 * The lowest rated statement; ties go to the one with a note (the leader had something to say),
 * then to the biggest drop since the last reflection on the theme, then to the order of the
 * framework. The strength is the highest rated of the others (ties in framework order); a
 * reflection with one statement asks about no strength.
 */
export function chooseFocus(
  order: readonly string[],
  ratings: Readonly<Record<string, number>>,
  notes: Readonly<Record<string, string>> = {},
  last: Readonly<Record<string, number>> = {},
): FocusChoice | undefined {
  const rated = order.filter((id) => ratings[id] !== undefined);
  if (rated.length === 0) return undefined;
  const drop = (id: string) => (last[id] !== undefined ? last[id]! - ratings[id]! : 0);
  const hasNote = (id: string) => ((notes[id] ?? "").trim() ? 1 : 0);
  const deeper = [...rated].sort((a, b) => ratings[a]! - ratings[b]! || hasNote(b) - hasNote(a) || drop(b) - drop(a) || rated.indexOf(a) - rated.indexOf(b))[0]!;
  const others = rated.filter((id) => id !== deeper);
  const strength = [...others].sort((a, b) => ratings[b]! - ratings[a]! || rated.indexOf(a) - rated.indexOf(b))[0];
  return { deeper, ...(strength !== undefined ? { strength } : {}) };
}

/** A framework prompt with the statement and the rating filled in. */
export function fillPrompt(template: Shown, statement: Shown, rating: number): Shown {
  // The prompt quotes the statement and goes on: its own full stop would double the one after the quote.
  const filled = template.replaceAll("{statement}", statement.replace(/\.\s*$/, "")).replaceAll("{rating}", String(rating));
  // Still Shown: the editors' prompt with the editors' statement (less its full stop) and a number in it.
  return filled as Shown;
}
