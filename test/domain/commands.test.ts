import assert from "node:assert/strict";
import { COMMANDS, helpCommands, parseCommand, typedCommand, type CommandEntry } from "../../src/domain/commands";
import { GUESS_COMMAND_TEXT, guessCommand } from "../../src/domain/commandGuess";
import { texts } from "../../src/kernel/texts";

const table = COMMANDS as readonly CommandEntry[];

describe("the command table: one list that the parser, the guesser and the help card read", () => {
  it("parses every word of every command in the table as that command", () => {
    for (const entry of table) {
      for (const word of entry.words) {
        const parsed = parseCommand(word);
        assert.equal(parsed.kind, entry.kind, `»${word}«`);
      }
    }
  });

  it("gives no word to two commands", () => {
    const seen = new Map<string, string>();
    for (const entry of table) {
      for (const word of entry.words) {
        assert.equal(seen.get(word), undefined, `»${word}« is both ${seen.get(word)} and ${entry.kind}`);
        seen.set(word, entry.kind);
      }
    }
  });

  it("reads a theme after a command that takes one, and closes a pulse before it reads »luk« as a theme", () => {
    assert.deepEqual(parseCommand("Spørgsmål 2"), { kind: "groupQuestions", theme: "2" });
    assert.deepEqual(parseCommand("vi-pulsen resultater"), { kind: "pulse", theme: "resultater" });
    assert.deepEqual(parseCommand("puls"), { kind: "pulse", theme: "" });
    assert.deepEqual(parseCommand("puls luk"), { kind: "closePulse" });
  });

  it("never lets a deleting command be guessed, however close the typo", () => {
    assert.equal(table.find((c) => c.kind === "deleteData")?.guess, undefined);
    assert.equal(guessCommand("slet mine dta"), undefined);
    assert.equal(guessCommand("slet mine data!!"), undefined);
  });

  it("sends the table's first word from a guess's button", () => {
    for (const entry of table.filter((c) => c.guess)) assert.equal(GUESS_COMMAND_TEXT[entry.kind as keyof typeof GUESS_COMMAND_TEXT], entry.words[0]);
  });

  it("shows every command of a help card with its meaning, and the theme it takes", () => {
    for (const surface of ["personal", "group"] as const) {
      for (const entry of helpCommands(surface)) assert.ok(texts.commandHelp[entry.kind], `${entry.kind} has no meaning on the ${surface} help card`);
    }
    assert.deepEqual(helpCommands("group").map((c) => typedCommand(c, true)), ["opsæt", "spørgsmål [tema]", "status", "aftaler", "referat", "referat alle", "puls [tema]", "puls luk", "hjælp"]);
    assert.deepEqual(helpCommands("personal").map((c) => typedCommand(c, true)), [
      "start",
      "kort refleksion",
      "historik",
      "udvikling",
      "påmindelser",
      "pause påmindelser",
      "genoptag påmindelser",
      "skift rolle",
      "annuller",
      "del med min leder",
      "mine delinger",
      "eksport",
      "slet mine data",
      "mine tal tæller ikke med",
      "hjælp",
    ]);
  });
});

describe("Til min leder's commands", () => {
  it("reads »del med min leder« and »mine delinger«, and guesses them from a typo or another phrase", () => {
    assert.deepEqual(parseCommand("Del med min leder!"), { kind: "shareWithLeader" });
    assert.deepEqual(parseCommand("mine delinger"), { kind: "myShares" });
    assert.equal(guessCommand("del med min lder"), "shareWithLeader");
    assert.equal(guessCommand("hvad har jeg delt"), "myShares");
    assert.equal(GUESS_COMMAND_TEXT.shareWithLeader, "del med min leder");
  });
});
