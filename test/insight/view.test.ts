import assert from "node:assert/strict";
import path from "node:path";
import fc from "fast-check";
import { loadFramework } from "../../src/content/loadContent";
import { projectRoot } from "../../src/kernel/paths";
import { key, type Counts } from "../../src/domain/insight/aggregate";
import { insightView, medianOf, type InsightView } from "../../src/domain/insight/insightView";
import { insightCsv } from "../../src/cards/insightCsv";
import { insightFragment } from "../../src/cards/insightPage";
import { bucketsFrom, interleaved, random, simulateLeader } from "../support/insightSeed";

const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));
const K = 5;
const NOW = new Date("2026-12-06T10:00:00.000Z");
const LEVELS = ["leder-af-medarbejder", "leder-af-leder", "chef", "direktoer"];

/** The shown counts of this quarter and the one before, for some leaders per level. */
function shownFor(perLevel: readonly number[], seed: number, everyDays?: number): { now: Counts; before: Counts } {
  const next = random(seed);
  const leaders = LEVELS.flatMap((level, i) => Array.from({ length: perLevel[i] ?? 0 }, () => simulateLeader(framework, level, new Date("2026-07-01T08:00:00Z"), NOW, everyDays ?? 12 + next() * 20, next)));
  const buckets = bucketsFrom(interleaved(leaders), "t", K, NOW);
  return { now: buckets.find((b) => b.quarter === "2026-Q4")?.shown ?? {}, before: buckets.find((b) => b.quarter === "2026-Q3")?.shown ?? {} };
}

/** Every number the view shows about leaders, and what a total minus its shown parts gives away. */
function check(view: InsightView, counts: Counts): void {
  for (const row of view.usage.rows) if (row.numbers) assert.ok(row.numbers.leaders >= K, `${row.levelId} shown for ${row.numbers.leaders}`);
  if (view.usage.total) {
    const hidden = view.usage.rows.filter((r) => !r.numbers);
    const leaders = hidden.reduce((s, r) => s + (counts[key.active(r.levelId)] ?? 0), 0);
    const people = hidden.reduce((s, r) => s + (counts[key.people(r.levelId)] ?? 0), 0);
    assert.ok(leaders === 0 || leaders >= K, `the usage total gives away ${leaders} leaders`);
    assert.ok(people === 0 || people >= K, `the usage total gives away ${people} people reminded`);
  }
  for (const level of view.levels) {
    for (const cell of level.cells) {
      if (cell.leaders !== null) assert.ok(cell.leaders >= K);
      for (const s of cell.statements) if (s.distribution) assert.ok(s.distribution.reduce((a, b) => a + b, 0) >= K, `${s.id} shown for fewer than ${K}`);
      if (cell.leaders === null) assert.ok(cell.statements.every((s) => s.distribution === null && s.median === null && s.change === null), "a hidden cell shows no statement");
    }
  }
  for (const total of view.themeTotals) {
    if (total.leaders === null) continue;
    const hidden = view.levels.flatMap((l) => l.cells.filter((c) => c.themeId === total.themeId && c.leaders === null).map(() => counts[key.themeLeaders(l.levelId, total.themeId)] ?? 0));
    const sum = hidden.reduce((a, b) => a + b, 0);
    assert.ok(sum === 0 || sum >= K, `the theme total of ${total.themeId} gives away ${sum} leaders`);
  }
}

describe("Indsigt's view of a quarter (pure, fast-check over leaders per level)", () => {
  it("shows no number about fewer than 5 leaders, and no total gives a hidden group of 1–4 away", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: LEVELS.length, maxLength: LEVELS.length }), fc.integer(), (perLevel, seed) => {
        const { now, before } = shownFor(perLevel, seed);
        check(insightView(framework, "2026-Q4", now, before, K), now);
      }),
      { numRuns: 60 },
    );
  });

  it("with 4 leaders at a level says nothing about them on the page or in the CSV, and with 5 it does", () => {
    const four = insightView(framework, "2026-Q4", shownFor([0, 4, 0, 0], 3, 7).now, {}, K);
    const row = four.usage.rows.find((r) => r.levelId === "leder-af-leder")!;
    assert.equal(row.numbers, null);
    assert.equal(four.usage.total, null, "the total would be theirs alone");
    assert.ok(four.levels.find((l) => l.levelId === "leder-af-leder")!.cells.every((c) => c.leaders === null));
    assert.match(insightCsv(four), /Brug;Leder af leder;;;Refleksioner;\r\n/);
    assert.doesNotMatch(insightFragment(four), /<svg/);
    const five = insightView(framework, "2026-Q4", shownFor([0, 5, 0, 0], 3, 7).now, {}, K);
    assert.equal(five.usage.rows.find((r) => r.levelId === "leder-af-leder")!.numbers?.leaders, 5);
  });

  it("names a level's three lowest statements by median, and the change since last quarter", () => {
    const counts: Record<string, number> = {};
    const statements = framework.statements("drift" as never, "chef" as never);
    const set = (c: Record<string, number>, statement: string, values: number[]) => values.forEach((v) => (c[key.rating("chef", "drift", statement, v)] = (c[key.rating("chef", "drift", statement, v)] ?? 0) + 1));
    counts[key.themeLeaders("chef", "drift")] = 5;
    set(counts, statements[0]!.id, [1, 2, 2, 3, 4]);
    set(counts, statements[1]!.id, [3, 3, 3, 4, 5]);
    set(counts, statements[2]!.id, [2, 2, 3, 3, 3]);
    set(counts, statements[3]!.id, [4, 4, 5, 5, 5]);
    const before: Record<string, number> = { [key.themeLeaders("chef", "drift")]: 5 };
    set(before, statements[0]!.id, [3, 3, 3, 3, 3]);
    const view = insightView(framework, "2026-Q4", counts, before, K);
    const chef = view.levels.find((l) => l.levelId === "chef")!;
    assert.deepEqual(chef.lowest.map((l) => [l.text, l.median]), [[statements[0]!.text, 2], [statements[2]!.text, 3], [statements[1]!.text, 3]]);
    const first = chef.cells.find((c) => c.themeId === "drift")!.statements[0]!;
    assert.deepEqual([first.median, first.change], [2, -1]);
    assert.match(insightFragment(view), /Median 2 · siden sidste kvartal: 1 ned/);
  });

  it("takes the median of a distribution", () => {
    assert.equal(medianOf([0, 1, 1, 0, 0]), 2.5);
    assert.equal(medianOf([1, 0, 3, 0, 1]), 3);
  });

  it("escapes the framework's texts and defuses formulas in the CSV", () => {
    const view = insightView(framework, "2026-Q4", {}, {}, K);
    const hostile: InsightView = { ...view, levels: [{ levelId: "chef", levelName: "=HYPERLINK(\"x\")", cells: [], lowest: [{ themeTitle: "<img src=x onerror=alert(1)>", text: "+SUM(A1)", median: 2 }] }] };
    assert.doesNotMatch(insightFragment(hostile), /<img/);
    assert.match(insightCsv(hostile), /;"'=HYPERLINK\(""x""\)";/);
    assert.match(insightCsv(hostile), /;'\+SUM\(A1\);/);
  });
});
