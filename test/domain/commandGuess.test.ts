import assert from "node:assert/strict";
import { guessCommand } from "../../src/domain/commandGuess";

describe("guessing what a typed text meant", () => {
  const table: Array<[string, string | undefined]> = [
    ["hjaelp", "help"],
    ["hjælpp", "help"],
    ["hjlæp", "help"],
    ["Hvad kan du?", "help"],
    ["ny refleksion", "start"],
    ["Hej, jeg har 10 minutter", "start"],
    ["jeg har lidt tid nu", "start"],
    ["stat", "start"],
    ["refleksoin", "start"],
    ["histrik", "history"],
    ["mine refleksioner", "history"],
    ["min udviklnig", "progress"],
    ["paamindelser", "reminders"],
    ["mind mig om det i morgen", "reminders"],
    ["sæt på pause", "pauseReminders"],
    ["eksportér", "export"],
    ["skift role", "changeRole"],
    ["anuller", "cancel"],
    // Unrelated text gives no guess, and nothing destructive is ever guessed.
    ["Hvordan får jeg mit team til at tage ansvar?", undefined],
    ["budget 2027", undefined],
    ["ok", undefined],
    ["slet mine dat", undefined],
    ["", undefined],
    ["x".repeat(500), undefined],
  ];
  for (const [typed, expected] of table) {
    it(`"${typed.slice(0, 40)}" → ${expected ?? "no guess"}`, () => {
      assert.equal(guessCommand(typed), expected);
    });
  }
});
