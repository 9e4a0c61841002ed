/**
 * What a leader means by a typed sentence that is not a command: small talk ("hej", "tak for i
 * dag"), how much time they have ("jeg har 10 minutter"), a wish to be reminded ("mind mig om
 * det på fredag"), or a typo of a command (commandGuess). Leaders write to the bot as to a
 * colleague; answering those like a form is what made it feel like one.
 *
 * A small matcher over a few fixed phrases, in our own code: nothing a leader writes leaves the
 * tenant, every decision can be explained from this file, and the tests list every phrase.
 */

import { guessCommand, type GuessedCommand } from "./commandGuess";

export type SmallTalk = "greeting" | "thanks" | "goodbye" | "whatCanYouDo" | "whoAreYou";

/** How a greeting is answered in kind: "godmorgen" gets "Godmorgen". */
export type Greeting = "hej" | "godmorgen" | "goddag" | "godaften";

/** A day to be reminded on, as the leader said it. */
export type RemindDay = { readonly kind: "tomorrow" } | { readonly kind: "inAWeek" } | { readonly kind: "weekday"; readonly weekday: number };

export type Understood =
  | { readonly kind: "smallTalk"; readonly talk: SmallTalk; readonly greeting?: Greeting }
  /** "jeg har 10 minutter": which reflection fits the time they have (both are offered). */
  | { readonly kind: "time"; readonly fits: "short" | "full"; readonly greeting?: Greeting }
  | { readonly kind: "remindLater"; readonly day: RemindDay; readonly greeting?: Greeting }
  /** A typo or another phrase of a command that may be guessed (never one that deletes). */
  | { readonly kind: "command"; readonly command: GuessedCommand };

/** No sentence here is longer; a longer text is a message about something else. */
const MAX_TEXT = 120;

/** Opening words answered in kind; the rest of the text is then read on its own ("Hej, jeg har 10 minutter"). */
const GREETINGS: ReadonlyArray<readonly [string, Greeting]> = [
  ["god morgen", "godmorgen"],
  ["godmorgen", "godmorgen"],
  ["morn", "godmorgen"],
  ["goddag", "goddag"],
  ["god dag", "goddag"],
  ["god eftermiddag", "goddag"],
  ["godeftermiddag", "goddag"],
  ["god aften", "godaften"],
  ["godaften", "godaften"],
  ["hejsa", "hej"],
  ["hejhej", "hej"],
  ["halløj", "hej"],
  ["hallo", "hej"],
  ["davs", "hej"],
  ["dav", "hej"],
  ["hey", "hej"],
  ["hi", "hej"],
  ["hello", "hej"],
  ["hej", "hej"],
];

/** Whole sentences of small talk (after a greeting, the bot's name and punctuation are taken off). */
const SMALL_TALK: ReadonlyArray<readonly [SmallTalk, readonly string[]]> = [
  ["thanks", ["tak", "mange tak", "tusind tak", "tak tak", "takker", "tak for i dag", "tak for hjælpen", "tak for nu", "tak skal du have", "super tak", "godt tak"]],
  ["goodbye", ["farvel", "hej hej", "vi ses", "ses", "god weekend", "hav en god dag", "hav en god weekend", "godnat", "god nat", "bye", "på gensyn"]],
  ["whatCanYouDo", ["hvad kan du", "hvad kan du hjælpe med", "hvad kan du hjælpe mig med", "hvad kan jeg bruge dig til", "hvad gør du"]],
  ["whoAreYou", ["hvem er du", "hvad er du", "hvad er det her", "hvem taler jeg med"]],
];

/** Words for "you" that add nothing: "hej lederrefleksion", "tak bot". */
const ADDRESSED = new Set(["lederrefleksion", "bot", "botten"]);

const WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"];

export function understandLeaderText(text: string): Understood | undefined {
  if (text.length > MAX_TEXT) return undefined;
  const words = normalise(text);
  if (words === "") return undefined;
  const { greeting, rest } = splitGreeting(words);
  const withGreeting = greeting ? { greeting } : {};
  const remind = remindDay(rest);
  if (remind) return { kind: "remindLater", day: remind, ...withGreeting };
  const fits = timeFits(rest);
  if (fits) return { kind: "time", fits, ...withGreeting };
  const talk = smallTalk(rest);
  if (talk) return { kind: "smallTalk", talk, ...withGreeting };
  if (rest === "" && greeting) return { kind: "smallTalk", talk: "greeting", greeting };
  // "hjlæp", "histrik": the command guesser, after the greeting ("hej, historik").
  const command = guessCommand(rest === "" ? words : rest);
  return command ? { kind: "command", command } : undefined;
}

/** Lower case, Danish letters typed as two folded back, digits kept, punctuation and emoji out. */
function normalise(text: string): string {
  return text
    .toLocaleLowerCase("da-DK")
    .replace(/<at>[^<]*<\/at>/g, " ")
    .replace(/aa/g, "å")
    .replace(/ae/g, "æ")
    .replace(/oe/g, "ø")
    .replace(/[^a-zæøå0-9 ]+/g, " ")
    .split(" ")
    .filter((w) => w !== "")
    .join(" ");
}

function splitGreeting(words: string): { greeting?: Greeting; rest: string } {
  for (const [phrase, greeting] of GREETINGS) {
    // "hej hej" is a goodbye, said whole; the greeting is the first word only when more follows.
    if (words === phrase || (words.startsWith(`${phrase} `) && !words.startsWith("hej hej"))) {
      return { greeting, rest: withoutAddress(words.slice(phrase.length).trim()) };
    }
  }
  return { rest: withoutAddress(words) };
}

function withoutAddress(words: string): string {
  const list = words.split(" ").filter((w) => w !== "");
  while (list.length > 0 && ADDRESSED.has(list[0]!)) list.shift();
  while (list.length > 0 && ADDRESSED.has(list[list.length - 1]!) && list.length > 1) list.pop();
  return list.join(" ");
}

function smallTalk(rest: string): SmallTalk | undefined {
  return SMALL_TALK.find(([, phrases]) => phrases.includes(rest))?.[0];
}

/**
 * "jeg har 10 minutter", "kun 5 minutter", "god tid", "jeg har travlt": ten minutes or less, or a
 * hurry, fits the short reflection (about three minutes); more, or plenty of time, the whole one.
 */
function timeFits(rest: string): "short" | "full" | undefined {
  const minutes = /(?:^| )(\d{1,3}) ?(?:min|minut|minutter|mins)(?: |$)/.exec(rest);
  if (minutes) return Number(minutes[1]) <= 10 ? "short" : "full";
  if (/(?:^| )(?:et par|få|fem|ti|lidt|kort) (?:minutter|min|tid)(?: |$)/.test(rest) || /(?:^| )(?:travlt|kort tid)(?: |$)/.test(rest)) return "short";
  if (/(?:^| )(?:god tid|masser af tid|tid nok|en halv time|et kvarter)(?: |$)/.test(rest)) return "full";
  return undefined;
}

/** "mind mig om det på fredag / i morgen / om en uge": only with a day said; "mind mig senere" is the påmindelser guess. */
function remindDay(rest: string): RemindDay | undefined {
  if (!/(?:^| )(?:mind|minde|påmind|påminde) mig(?: |$)/.test(rest)) return undefined;
  if (/(?:^| )i morgen(?: |$)/.test(rest)) return { kind: "tomorrow" };
  if (/(?:^| )(?:om en uge|om 1 uge|næste uge|om syv dage|om 7 dage)(?: |$)/.test(rest)) return { kind: "inAWeek" };
  const weekday = WEEKDAYS.findIndex((day) => new RegExp(`(?:^| )${day}(?: |$)`).test(rest));
  return weekday >= 0 ? { kind: "weekday", weekday: weekday + 1 } : undefined;
}

/**
 * How many days ahead a reminder day is, from today's ISO weekday (1 = Monday): "i morgen" is 1,
 * "om en uge" 7, and a weekday its next coming one (today's own weekday means a week from now).
 */
export function daysAhead(day: RemindDay, todayWeekday: number): number {
  switch (day.kind) {
    case "tomorrow":
      return 1;
    case "inAWeek":
      return 7;
    case "weekday":
      return ((day.weekday - todayWeekday + 6) % 7) + 1;
  }
}
