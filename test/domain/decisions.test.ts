import assert from "node:assert/strict";
import { trusted } from "../../src/kernel/shown";
import { parseCardSubmit } from "../../src/domain/cardSubmit";
import { parseCommand } from "../../src/domain/commands";
import { asThemeId } from "../../src/domain/ids";
import { suggestTheme } from "../../src/domain/themeSuggestion";

const themes = (["drift", "resultater", "loesninger", "baeredygtig"] as const).map((id) => ({ id: asThemeId(id), title: trusted(id) }));

describe("theme suggestion", () => {
  it("suggests the first theme never reflected on", () => {
    assert.equal(suggestTheme(themes, { drift: "2026-11-01T00:00:00Z" }), "resultater");
  });

  it("suggests the theme reflected on longest ago when all have been", () => {
    const last = { drift: "2026-11-01T00:00:00Z", resultater: "2026-09-01T00:00:00Z", loesninger: "2026-10-01T00:00:00Z", baeredygtig: "2026-11-20T00:00:00Z" };
    assert.equal(suggestTheme(themes, last), "resultater");
  });
});

describe("typed commands", () => {
  const cases: Array<[string, string]> = [
    ["hjælp", "help"],
    ["  Hjælp! ", "help"],
    ["<at>Lederrefleksion</at> hjælp", "help"],
    ["START", "start"],
    ["refleksion", "start"],
    ["annuller", "cancel"],
    ["Skift rolle", "changeRole"],
    ["?", "help"],
    ["hvad så", "unknown"],
  ];
  for (const [text, kind] of cases) {
    it(`reads ${JSON.stringify(text)} as ${kind}`, () => assert.equal(parseCommand(text).kind, kind));
  }
});

describe("card submits", () => {
  it("separates the action's control fields from the inputs", () => {
    const parsed = parseCardSubmit({ verb: "next", token: "abc", step: "question-1", questionIndex: "1", answer: "svar" });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.questionIndex, 1);
    assert.deepEqual(parsed.value.inputs, { answer: "svar" });
  });

  const refused: Array<[unknown, string]> = [
    [undefined, "not-a-card"],
    ["next", "not-a-card"],
    [[{ verb: "next" }], "not-a-card"],
    [{ verb: "dropTables" }, "unknown-verb"],
    [{ verb: "next", token: { $ne: "" } }, "malformed"],
    [{ verb: "next", themeId: "../../etc" }, "malformed"],
    [{ verb: "next", questionIndex: 1.5 }, "malformed"],
    [{ verb: "next", questionIndex: -1 }, "malformed"],
  ];
  for (const [value, problem] of refused) {
    it(`refuses ${JSON.stringify(value)} as ${problem}`, () => {
      const parsed = parseCardSubmit(value);
      assert.equal(parsed.ok ? undefined : parsed.error, problem);
    });
  }
});
