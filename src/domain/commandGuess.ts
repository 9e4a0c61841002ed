/**
 * What a leader probably meant by a text that is not a command: typos ("hjaelp", "histrik"),
 * other words for the same thing ("ny refleksion", "jeg har 10 minutter") and Danish letters
 * typed as two ("paamindelser"). Only a guess: the bot offers it as a button and runs nothing
 * until it is clicked. A small, tested matcher (edit distance over a few known phrases) rather
 * than a library: the vocabulary is a dozen commands, and every decision must be explainable.
 */

import { COMMANDS, type CommandEntry, type GuessableCommand } from "./commands";

/** The commands a guess can lead to: those the command table lets be guessed, never one that deletes anything. */
export type GuessedCommand = GuessableCommand;

const GUESSABLE = (COMMANDS as readonly CommandEntry[]).filter((c) => c.guess !== undefined);

/** The text the button sends (as if typed), per command: the table's first word. */
export const GUESS_COMMAND_TEXT = Object.fromEntries(GUESSABLE.map((c) => [c.kind, c.words[0]])) as Readonly<Record<GuessedCommand, string>>;

/** Every phrase a guess is measured against: a command's words and the other phrases the table gives it. */
const PHRASES: ReadonlyArray<readonly [GuessedCommand, readonly string[]]> = GUESSABLE.map((c) => [c.kind as GuessedCommand, [...c.words, ...c.guess!.phrases]]);

/** Lower case, Danish letters typed as two folded back ("aa" → "å", "ae" → "æ", "oe" → "ø"), punctuation and digits out. */
export function foldDanish(text: string): string {
  return text
    .toLocaleLowerCase("da-DK")
    .replace(/aa/g, "å")
    .replace(/ae/g, "æ")
    .replace(/oe/g, "ø")
    .replace(/[^a-zæøå ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Optimal string alignment distance (Levenshtein plus one transposition), bounded by `max` for speed. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** How many typos a phrase of this length tolerates: none for very short words, one, then two. */
const tolerance = (length: number) => (length <= 3 ? 0 : length <= 7 ? 1 : 2);

/**
 * The command a text most likely means, or undefined when nothing is close. Texts about having
 * a few minutes mean a reflection; otherwise the nearest known phrase within its tolerance wins,
 * a phrase found whole inside a longer text counts as exact.
 */
export function guessCommand(text: string): GuessedCommand | undefined {
  const folded = foldDanish(text);
  if (folded === "" || folded.length > 80) return undefined;
  if (/\b(minut|minutter|min|tid)\b/.test(folded) && /\b(har|et par|lidt)\b/.test(folded)) return "start";
  let best: { command: GuessedCommand; distance: number } | undefined;
  for (const [command, phrases] of PHRASES) {
    for (const phrase of phrases) {
      const candidate = foldDanish(phrase);
      const whole = ` ${folded} `.includes(` ${candidate} `) && candidate.length >= 4;
      const distance = whole ? 0 : editDistance(folded, candidate, 2);
      if (distance <= (whole ? 0 : tolerance(candidate.length)) && (!best || distance < best.distance)) best = { command, distance };
    }
  }
  return best?.command;
}
