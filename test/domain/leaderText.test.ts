import assert from "node:assert/strict";
import { daysAhead, understandLeaderText, type Understood } from "../../src/domain/leaderText";

describe("what a leader writes as to a colleague (domain/leaderText)", () => {
  const cases: Array<[string, Understood | undefined]> = [
    ["hej", { kind: "smallTalk", talk: "greeting", greeting: "hej" }],
    ["Hejsa!", { kind: "smallTalk", talk: "greeting", greeting: "hej" }],
    ["Godmorgen", { kind: "smallTalk", talk: "greeting", greeting: "godmorgen" }],
    ["hej Lederrefleksion", { kind: "smallTalk", talk: "greeting", greeting: "hej" }],
    ["Hej hej", { kind: "smallTalk", talk: "goodbye" }],
    ["tak", { kind: "smallTalk", talk: "thanks" }],
    ["Tak for i dag", { kind: "smallTalk", talk: "thanks" }],
    ["farvel", { kind: "smallTalk", talk: "goodbye" }],
    ["hvad kan du?", { kind: "smallTalk", talk: "whatCanYouDo" }],
    ["Hej, hvem er du?", { kind: "smallTalk", talk: "whoAreYou", greeting: "hej" }],
    ["jeg har 10 minutter", { kind: "time", fits: "short" }],
    ["kun 5 minutter", { kind: "time", fits: "short" }],
    ["jeg har 20 min", { kind: "time", fits: "full" }],
    ["Jeg har god tid", { kind: "time", fits: "full" }],
    ["Hej, jeg har 10 minutter", { kind: "time", fits: "short", greeting: "hej" }],
    ["kan du minde mig om det på fredag?", { kind: "remindLater", day: { kind: "weekday", weekday: 5 } }],
    ["mind mig om det i morgen", { kind: "remindLater", day: { kind: "tomorrow" } }],
    ["mind mig om det om en uge", { kind: "remindLater", day: { kind: "inAWeek" } }],
    ["mind mig senere", { kind: "command", command: "reminders" }],
    ["hjlæp", { kind: "command", command: "help" }],
    ["histrik", { kind: "command", command: "history" }],
    ["udvilking", { kind: "command", command: "progress" }],
    // A deleting command is never guessed, however close.
    ["slet mine dta", undefined],
    ["slet mine data!", undefined],
    ["hvad er klokken", undefined],
    ["", undefined],
  ];
  for (const [text, understood] of cases) {
    it(`reads "${text}" as ${understood ? JSON.stringify(understood) : "nothing it knows"}`, () => {
      assert.deepEqual(understandLeaderText(text), understood);
    });
  }

  it("reads nothing into a long text: a message about something else", () => {
    assert.equal(understandLeaderText(`hej ${"x".repeat(200)}`), undefined);
  });

  it("counts a reminder day ahead from today: tomorrow 1, a week 7, a weekday its next coming one", () => {
    assert.equal(daysAhead({ kind: "tomorrow" }, 1), 1);
    assert.equal(daysAhead({ kind: "inAWeek" }, 3), 7);
    assert.equal(daysAhead({ kind: "weekday", weekday: 5 }, 1), 4);
    assert.equal(daysAhead({ kind: "weekday", weekday: 1 }, 5), 3);
    // Friday said on a Friday: the next one, not today.
    assert.equal(daysAhead({ kind: "weekday", weekday: 5 }, 5), 7);
  });
});
