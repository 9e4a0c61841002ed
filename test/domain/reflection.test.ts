import assert from "node:assert/strict";
import path from "node:path";
import { loadFramework } from "../../src/content/loadContent";
import { asRoleId, asTenantId, asThemeId, asUserId } from "../../src/domain/ids";
import {
  averageRating,
  completeDraft,
  createDraft,
  hasAnswers,
  recordAnswer,
  recordFocus, recordRatings,
  skipQuestion,
  stepBack,
  type ReflectionDraft,
} from "../../src/domain/reflection";
import { projectRoot } from "../../src/kernel/paths";

const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));
const now = new Date("2026-11-23T09:00:00Z");
const user = { tenantId: asTenantId("t1"), userId: asUserId("u1") };
const draftFor = (role = "leder-af-leder", theme = "drift") => createDraft(framework, asRoleId(role), asThemeId(theme), "draft-1", now);
const allRated = (draft: ReflectionDraft, value: unknown) => Object.fromEntries(draft.statements.map((s) => [`rating:${s.id}`, value]));

/** Rated, and past the focus card (left empty): at the first question. */
function rated(draft: ReflectionDraft): ReflectionDraft {
  const result = recordRatings(draft, allRated(draft, "3"), now);
  assert.ok(result.ok);
  assert.deepEqual(result.value.step, { kind: "focus" });
  const focused = recordFocus(result.value, {}, now);
  assert.ok(focused.ok);
  return focused.value;
}

describe("reflection drafts (pure domain)", () => {
  it("copies the statement and question texts it will show", () => {
    const draft = draftFor();
    assert.equal(draft.statements.length, 4);
    assert.equal(draft.sharedStatements.length, 3);
    assert.equal(draft.questions.length, 3);
    assert.ok(draft.questions.every((q) => !q.isFallback));
    assert.equal(draft.contentVersion, framework.contentVersion);
  });

  it("needs a rating for every statement", () => {
    const draft = draftFor();
    const inputs = allRated(draft, "3");
    delete inputs[`rating:${draft.statements[2]!.id}`];
    const result = recordRatings(draft, inputs, now);
    assert.deepEqual(result.ok ? undefined : result.error.code, "missing-rating");
  });

  for (const bad of ["0", "6", "9", "3.5", "tre", 7, null, ["3"]]) {
    it(`refuses the rating ${JSON.stringify(bad)}`, () => {
      const draft = draftFor();
      const result = recordRatings(draft, { ...allRated(draft, "3"), [`rating:${draft.statements[0]!.id}`]: bad }, now);
      assert.equal(result.ok, false);
    });
  }

  it("refuses ratings for statements that are not in the draft", () => {
    const draft = draftFor();
    const result = recordRatings(draft, { ...allRated(draft, "3"), "rating:drift.chef.1": "3" }, now);
    assert.deepEqual(result.ok ? undefined : result.error, { code: "unknown-statement", field: "rating:drift.chef.1" });
  });

  it("keeps optional notes, trimmed, and drops empty ones", () => {
    const draft = draftFor();
    const [a, b] = draft.statements;
    const result = recordRatings(draft, { ...allRated(draft, 4), [`note:${a!.id}`]: "  god note \r\n", [`note:${b!.id}`]: "   " }, now);
    assert.ok(result.ok);
    assert.deepEqual(result.value.notes, { [a!.id]: "god note" });
    assert.deepEqual(result.value.step, { kind: "focus" });
    assert.equal(result.value.focus?.deeper.statementId, a!.id, "all rated 4: the one with a note is the focus");
  });

  it("takes the card's one note for the statement the leader picked, and asks which when none is picked", () => {
    const draft = draftFor();
    const [, b] = draft.statements;
    const result = recordRatings(draft, { ...allRated(draft, 3), noteFor: b!.id, noteText: " Budgettet skrider " }, now);
    assert.ok(result.ok);
    assert.deepEqual(result.value.notes, { [b!.id]: "Budgettet skrider" });
    assert.equal(result.value.focus?.deeper.statementId, b!.id, "the noted one is the focus among equals");
    assert.deepEqual(recordRatings(draft, { ...allRated(draft, 3), noteText: "hvilket?" }, now), { ok: false, error: { code: "note-without-statement" } });
    assert.deepEqual(recordRatings(draft, { ...allRated(draft, 3), noteFor: "made.up", noteText: "x" }, now), { ok: false, error: { code: "unknown-statement", field: "noteFor" } });
    // Back on the card, the note is cleared: it goes.
    const back = recordRatings({ ...result.value, step: { kind: "statements" } }, { ...allRated(draft, 3), noteFor: b!.id, noteText: "" }, now);
    assert.ok(back.ok);
    assert.deepEqual(back.value.notes, {});
  });

  it("moves through the questions, treating an empty answer as skipped", () => {
    let draft = rated(draftFor());
    const first = recordAnswer(draft, 0, "svar", now);
    assert.ok(first.ok);
    draft = first.value;
    const second = skipQuestion(draft, 1, now);
    assert.ok(second.ok);
    const third = recordAnswer(second.value, 2, "   ", now);
    assert.ok(third.ok);
    assert.deepEqual(third.value.step, { kind: "summary" });
    assert.deepEqual(Object.values(third.value.answers), ["svar", null, null]);
  });

  it("refuses an answer for a question that is not the current one", () => {
    const result = recordAnswer(rated(draftFor()), 2, "for tidligt", now);
    assert.deepEqual(result.ok ? undefined : result.error.code, "wrong-step");
  });

  it("goes back from the summary to the last question, from the first question to the focus, and from the focus to the statements", () => {
    let draft = rated(draftFor());
    for (let i = 0; i < 3; i += 1) {
      const r = recordAnswer(draft, i, `a${i}`, now);
      assert.ok(r.ok);
      draft = r.value;
    }
    assert.deepEqual(stepBack(draft, now).step, { kind: "question", index: 2 });
    assert.deepEqual(stepBack({ ...draft, step: { kind: "question", index: 0 } }, now).step, { kind: "focus" });
    assert.deepEqual(stepBack({ ...draft, step: { kind: "focus" } }, now).step, { kind: "statements" });
  });

  it("knows whether there is anything worth keeping", () => {
    assert.equal(hasAnswers(draftFor()), false);
    assert.equal(hasAnswers(rated(draftFor())), true);
  });

  describe("completing", () => {
    function atSummary(): ReflectionDraft {
      return { ...rated(draftFor()), step: { kind: "summary" } };
    }

    it("makes a reflection with ratings, labels and the draft's id", () => {
      const result = completeDraft(atSummary(), user, { commitment: "Et skridt", followUpDate: "2027-01-10" }, now);
      assert.ok(result.ok);
      assert.equal(result.value.id, "draft-1");
      assert.equal(result.value.statements[0]?.ratingLabel, "I nogen grad");
      assert.equal(averageRating(result.value), 3);
      assert.equal(result.value.followUpDate, "2027-01-10");
    });

    const dates: Array<[unknown, string | undefined]> = [
      ["2026-02-30", "invalid-date"],
      ["23-11-2026", "invalid-date"],
      [20261201, "invalid-date"],
      ["2020-01-01", "date-out-of-range"],
      ["2030-01-01", "date-out-of-range"],
      ["2026-11-23", undefined],
      ["", undefined],
    ];
    for (const [date, code] of dates) {
      it(`${code ? "refuses" : "accepts"} the follow-up date ${JSON.stringify(date)}`, () => {
        const result = completeDraft(atSummary(), user, { commitment: "", followUpDate: date }, now);
        assert.equal(result.ok ? undefined : result.error.code, code);
      });
    }

    it("refuses a commitment over 1000 characters", () => {
      const result = completeDraft(atSummary(), user, { commitment: "x".repeat(1001), followUpDate: "" }, now);
      assert.deepEqual(result.ok ? undefined : result.error, { code: "too-long", field: "commitment", max: 1000 });
    });
  });
});
