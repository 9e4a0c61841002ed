import assert from "node:assert/strict";
import { trusted } from "../../src/kernel/shown";
import { chooseFocus, fillPrompt } from "../../src/domain/focus";

const ORDER = ["s1", "s2", "s3", "s4"];

describe("the statement a reflection goes deeper on", () => {
  it("is the lowest rated, with the highest of the others as the strength", () => {
    assert.deepEqual(chooseFocus(ORDER, { s1: 4, s2: 2, s3: 5, s4: 3 }), { deeper: "s2", strength: "s3" });
  });

  it("breaks a tie for lowest by a note, then by the biggest drop since last time, then by the framework's order", () => {
    assert.deepEqual(chooseFocus(ORDER, { s1: 2, s2: 2, s3: 4, s4: 4 }, { s2: "Budgettet skrider" })?.deeper, "s2");
    assert.deepEqual(chooseFocus(ORDER, { s1: 2, s2: 2, s3: 4, s4: 4 }, {}, { s1: 2, s2: 4 })?.deeper, "s2", "s2 fell from 4");
    assert.deepEqual(chooseFocus(ORDER, { s1: 2, s2: 2, s3: 4, s4: 4 }, { s1: "note" }, { s2: 5 })?.deeper, "s1", "a note outweighs a drop");
    assert.deepEqual(chooseFocus(ORDER, { s1: 2, s2: 2, s3: 4, s4: 4 })?.deeper, "s1");
  });

  it("works on a first reflection with no history, and when all ratings are equal", () => {
    assert.deepEqual(chooseFocus(ORDER, { s1: 3, s2: 3, s3: 3, s4: 3 }), { deeper: "s1", strength: "s2" });
    assert.deepEqual(chooseFocus(["only"], { only: 4 }), { deeper: "only" }, "one statement: no strength question");
    assert.equal(chooseFocus(ORDER, {}), undefined);
  });

  it("fills the framework's prompt with the statement and the rating the leader gave", () => {
    assert.equal(fillPrompt(trusted("Du gav {rating} på »{statement}«."), trusted("Jeg sikrer, at budgettet overholdes"), 2), "Du gav 2 på »Jeg sikrer, at budgettet overholdes«.");
  });
});
