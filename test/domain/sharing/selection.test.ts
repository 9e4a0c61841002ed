import assert from "node:assert/strict";
import fc from "fast-check";
import { SHARE_LIMITS, type ShareSelection } from "../../../src/domain/sharing/content";
import { CONTENT_MAX_BYTES, SHARED_FOLLOW_UPS, shareContentOf } from "../../../src/domain/sharing/selection";
import { closedPulse, framework, storedReflection } from "../../support/shareFixtures";

const zone = "Europe/Copenhagen";
const now = new Date("2026-12-07T10:00:00Z");
const nothing: ShareSelection = { reflectionIds: [], reflectionDetail: "ratings", focus: false, plan: false, pulse: false };

// Newest first, as the repository lists them: six reflections over two themes, a month apart.
const reflections = Array.from({ length: 6 }, (_, i) =>
  storedReflection({ id: `r${i}`, themeIndex: i % 2, completedAt: new Date(Date.UTC(2026, 10 - i, 3, 9)).toISOString(), rating: (s) => 1 + ((i + s) % 5), followUps: 5 }),
);
const pulses = [closedPulse({ pulseId: "p-hidden", shown: false, closedAt: "2026-10-01T09:00:00.000Z" }), closedPulse({ pulseId: "p-shown", themeIndex: 1, shown: true })];
const data = { reflections, pulses };

const selections = fc.record({
  reflectionIds: fc.subarray(reflections.map((r) => r.id as string)),
  reflectionDetail: fc.constantFrom("whole" as const, "ratings" as const),
  focus: fc.boolean(),
  plan: fc.boolean(),
  change: fc.option(fc.constant({ from: "2026-01-01", to: "2026-12-07" }), { nil: undefined }),
  pulse: fc.boolean(),
});

const keysIn = (value: unknown): Set<string> => {
  const keys = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== "object") return;
    for (const [k, x] of Object.entries(v)) {
      keys.add(k);
      walk(x);
    }
  };
  walk(value);
  return keys;
};

describe("Til min leder: what a selection shares", () => {
  it("shares nothing when nothing is ticked, and says so", () => {
    assert.deepEqual(shareContentOf(nothing, data, framework, now, zone), { ok: false, error: "empty" });
  });

  it("refuses a reflection id that is not one of the leader's own, instead of leaving it out", () => {
    const result = shareContentOf({ ...nothing, reflectionIds: ["r0", "someone-elses"] }, data, framework, now, zone);
    assert.deepEqual(result, { ok: false, error: "unknownReflection" });
  });

  it("refuses more reflections than one share may carry", () => {
    const many = Array.from({ length: SHARE_LIMITS.reflections + 1 }, (_, i) => storedReflection({ id: `m${i}`, completedAt: new Date(Date.UTC(2026, 0, i + 1)).toISOString() }));
    const result = shareContentOf({ ...nothing, reflectionIds: many.map((r) => r.id) }, { reflections: many, pulses: [] }, framework, now, zone);
    assert.deepEqual(result, { ok: false, error: "tooManyReflections" });
  });

  it("never carries anything that was not ticked (property)", () => {
    fc.assert(
      fc.property(selections, (selection) => {
        const result = shareContentOf(selection, data, framework, now, zone);
        if (!result.ok) return ["empty", "noChange"].includes(result.error);
        const content = result.value;
        const keys = keysIn(content.reflections);
        assert.deepEqual(content.reflections.map((r) => r.completedAt), reflections.filter((r) => selection.reflectionIds.includes(r.id)).map((r) => r.completedAt));
        assert.equal(keys.has("focus"), selection.focus && content.reflections.length > 0);
        assert.equal(keys.has("plan"), selection.plan && content.reflections.length > 0);
        assert.equal(content.change !== undefined, selection.change !== undefined);
        assert.equal(content.pulses !== undefined, selection.pulse);
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it("with »only the ratings«, never carries a note or an answer to the framework's questions (property)", () => {
    fc.assert(
      fc.property(selections, (selection) => {
        const result = shareContentOf({ ...selection, reflectionDetail: "ratings" }, data, framework, now, zone);
        if (!result.ok) return true;
        for (const r of result.value.reflections) {
          assert.equal(r.questions, undefined);
          for (const s of r.statements) assert.equal("note" in s, false);
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it("with the whole reflection, carries the notes and the answers as the leader wrote them", () => {
    const result = shareContentOf({ ...nothing, reflectionIds: ["r1"], reflectionDetail: "whole" }, data, framework, now, zone);
    assert.ok(result.ok);
    const shared = result.value.reflections[0]!;
    assert.deepEqual(shared.statements.map((s) => s.note), reflections[1]!.statements.map((s) => s.note));
    assert.deepEqual(shared.questions?.map((q) => q.answer), reflections[1]!.questions.map((q) => q.answer));
  });

  it("carries the plan with only its newest follow-ups", () => {
    const result = shareContentOf({ ...nothing, reflectionIds: ["r0"], reflectionDetail: "ratings", plan: true }, data, framework, now, zone);
    assert.ok(result.ok);
    const plan = result.value.reflections[0]!.plan!;
    assert.equal(plan.commitment, reflections[0]!.commitment);
    assert.deepEqual(plan.followUps.map((f) => f.at), reflections[0]!.followUps!.slice(-SHARED_FOLLOW_UPS).map((f) => f.at));
  });

  it("computes the change per statement from the first and the last reflection on its theme within the period", () => {
    // Theme 0 has r0 (November), r2 (September) and r4 (July); the period holds r2 and r0 only.
    const result = shareContentOf({ ...nothing, change: { from: "2026-08-01", to: "2026-11-30" } }, data, framework, now, zone);
    assert.ok(result.ok);
    const change = result.value.change!;
    const first = reflections[2]!;
    const last = reflections[0]!;
    const theme0 = change.statements.filter((s) => s.themeTitle === last.themeTitle);
    assert.deepEqual(
      theme0.map((s) => [s.text, s.first, s.last, s.reflections]),
      last.statements.map((s) => [s.text, first.statements.find((f) => f.id === s.id)!.rating, s.rating, 2]),
    );
  });

  it("refuses a period that ends before it starts, and one with no two reflections on a theme", () => {
    assert.deepEqual(shareContentOf({ ...nothing, change: { from: "2026-11-30", to: "2026-08-01" } }, data, framework, now, zone), { ok: false, error: "badPeriod" });
    assert.deepEqual(shareContentOf({ ...nothing, change: { from: "2026-11-01", to: "2026-11-30" } }, data, framework, now, zone), { ok: false, error: "noChange" });
  });

  it("carries a Vi-pulse's team averages only where its result was shown, and the leader's own rating beside them", () => {
    const result = shareContentOf({ ...nothing, pulse: true }, data, framework, now, zone);
    assert.ok(result.ok);
    const [shown, hidden] = result.value.pulses!;
    assert.equal(shown!.shown, true);
    assert.ok(shown!.statements.every((s) => typeof s.team === "number" && s.self === 4));
    assert.equal(hidden!.shown, false);
    assert.ok(hidden!.statements.every((s) => s.team === undefined && s.self === 4));
    // Counts of a pulse never leave as such, and no answer exists to leave.
    assert.ok(!JSON.stringify(result.value).includes("distributions"));
  });

  it("refuses the Vi-pulse when none of the leader's pulses has closed", () => {
    assert.deepEqual(shareContentOf({ ...nothing, pulse: true }, { reflections, pulses: [] }, framework, now, zone), { ok: false, error: "noPulses" });
  });

  it("refuses a copy bigger than a share may hold, and keeps every copy it makes within it", () => {
    const long = Array.from({ length: SHARE_LIMITS.reflections }, (_, i) => storedReflection({ id: `l${i}`, themeIndex: i % 4, completedAt: new Date(Date.UTC(2026, 0, i + 1)).toISOString(), length: 5000, followUps: 10 }));
    const all = { ...nothing, reflectionIds: long.map((r) => r.id), reflectionDetail: "whole" as const, focus: true, plan: true };
    assert.deepEqual(shareContentOf(all, { reflections: long, pulses: [] }, framework, now, zone), { ok: false, error: "tooLarge" });
    const fewer = shareContentOf({ ...all, reflectionIds: long.slice(0, 3).map((r) => r.id) }, { reflections: long, pulses: [] }, framework, now, zone);
    assert.ok(fewer.ok);
    assert.ok(Buffer.byteLength(JSON.stringify(fewer.value)) <= CONTENT_MAX_BYTES);
  });
});
