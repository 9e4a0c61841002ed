import assert from "node:assert/strict";
import fc from "fast-check";
import { cellKey, suppress, type CellInput } from "../../src/domain/insight/suppression";

const K = 5;
const LEVELS = ["leder-af-medarbejder", "leder-af-leder", "chef"];
const THEMES = ["drift", "resultater", "loesninger", "baeredygtig"];

const table = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: LEVELS.length * THEMES.length, maxLength: LEVELS.length * THEMES.length }).map((counts) =>
  LEVELS.flatMap((row, r) => THEMES.map((col, c) => ({ row, col, leaders: counts[r * THEMES.length + c]! }))).filter((cell) => cell.leaders > 0),
);

/** Brug's column: leaders who reflected, and everyone reminded (at least as many). */
const usage = fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 6 })), { minLength: LEVELS.length, maxLength: LEVELS.length }).map((pairs) =>
  LEVELS.map((row, r) => ({ row, col: "brug", leaders: pairs[r]![0], people: pairs[r]![0] + pairs[r]![1] })).filter((c) => c.people > 0),
);

describe("Indsigt's suppression (fast-check over level × theme tables)", () => {
  it("shows no cell with fewer than 5 leaders", () => {
    fc.assert(
      fc.property(table, (cells) => {
        const { shown } = suppress(cells, K);
        for (const c of cells) if (shown.has(cellKey(c.row, c.col))) assert.ok(c.leaders >= K);
      }),
      { numRuns: 500 },
    );
  });

  it("lets no shown total minus its shown cells reveal a group of 1 to 4 leaders", () => {
    fc.assert(
      fc.property(table, (cells: CellInput[]) => {
        const result = suppress(cells, K);
        const check = (lineCells: readonly CellInput[], totalShown: boolean) => {
          if (!totalShown) return;
          const total = lineCells.reduce((s, c) => s + c.leaders, 0);
          const shownSum = lineCells.filter((c) => result.shown.has(cellKey(c.row, c.col))).reduce((s, c) => s + c.leaders, 0);
          const revealed = total - shownSum;
          assert.ok(revealed === 0 || revealed >= K, `a shown total reveals ${revealed} leaders`);
        };
        for (const row of LEVELS) check(cells.filter((c) => c.row === row), result.rowTotals.has(row));
        for (const col of THEMES) check(cells.filter((c) => c.col === col), result.colTotals.has(col));
        check(cells, result.grandTotal);
      }),
      { numRuns: 500 },
    );
  });

  it("lets no shown total reveal 1 to 4 leaders who reflected, nor 1 to 4 who were only reminded", () => {
    fc.assert(
      fc.property(usage, (cells: CellInput[]) => {
        const result = suppress(cells, K);
        if (!result.colTotals.has("brug")) return;
        const hidden = cells.filter((c) => !result.shown.has(cellKey(c.row, c.col)));
        const leaders = hidden.reduce((s, c) => s + c.leaders, 0);
        const people = hidden.reduce((s, c) => s + (c.people ?? c.leaders), 0);
        assert.ok(leaders === 0 || leaders >= K, `the total reveals ${leaders} leaders`);
        assert.ok(people === 0 || people >= K, `the total reveals ${people} people reminded`);
      }),
      { numRuns: 500 },
    );
  });

  it("with 4 leaders in a cell shows nothing about them, and with 5 it does", () => {
    const four = suppress([{ row: "chef", col: "drift", leaders: 4 }, { row: "chef", col: "resultater", leaders: 9 }], K);
    assert.equal(four.shown.has(cellKey("chef", "drift")), false);
    // The row's total would be 13 − 9 = 4 by difference: its other cell goes too, and the row total with it.
    assert.equal(four.shown.has(cellKey("chef", "resultater")), false);
    assert.equal(four.rowTotals.has("chef"), true, "13 leaders, of whom 13 are hidden: the total alone reveals no one");
    const five = suppress([{ row: "chef", col: "drift", leaders: 5 }, { row: "chef", col: "resultater", leaders: 9 }], K);
    assert.deepEqual([...five.shown].sort(), [cellKey("chef", "drift"), cellKey("chef", "resultater")].sort());
  });
});
