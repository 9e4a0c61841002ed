/**
 * Indsigt's anonymity as arithmetic: which cells of a table (level × theme, for one quarter)
 * may be shown. A cell shows only when at least k distinct leaders stand behind it, and the
 * suppression is complementary: in every row and column whose total is shown, what is hidden
 * adds up to nothing or to at least k leaders, so "total minus the shown cells" never reveals a
 * group of fewer than k. Pure: the page, the CSV and the tests all ask this one function.
 */

export interface CellInput {
  readonly row: string;
  readonly col: string;
  /** Distinct leaders behind the cell's numbers (each leader counts once per cell). */
  readonly leaders: number;
  /**
   * Everyone the cell's numbers are about, when that is more than `leaders` (Brug: leaders who
   * were only reminded). A hidden part of a total must be nobody or at least k of these too.
   */
  readonly people?: number;
}

export interface Suppressed {
  /** Keys `row\u0000col` of the cells that may be shown. */
  readonly shown: ReadonlySet<string>;
  /** Rows and columns whose totals may be shown. */
  readonly rowTotals: ReadonlySet<string>;
  readonly colTotals: ReadonlySet<string>;
  readonly grandTotal: boolean;
}

export const cellKey = (row: string, col: string) => `${row}\u0000${col}`;

/**
 * Primary suppression (fewer than k leaders), then complementary suppression until stable: a
 * line (row or column) whose total is shown and whose hidden cells hold between 1 and k−1
 * leaders loses its smallest shown cell too; a total over fewer than k leaders is not shown.
 * Leaders are treated as additive across a line's cells, which over-counts a leader present in
 * two cells: the check errs on the side of hiding.
 */
export function suppress(cells: readonly CellInput[], k: number): Suppressed {
  const shown = new Set(cells.filter((c) => c.leaders >= k).map((c) => cellKey(c.row, c.col)));
  const rows = [...new Set(cells.map((c) => c.row))];
  const cols = [...new Set(cells.map((c) => c.col))];
  const line = (kind: "row" | "col", id: string) => cells.filter((c) => (kind === "row" ? c.row : c.col) === id);
  const total = (lineCells: readonly CellInput[]) => lineCells.reduce((sum, c) => sum + c.leaders, 0);
  const hiddenOf = (lineCells: readonly CellInput[]) => lineCells.filter((c) => !shown.has(cellKey(c.row, c.col)));
  const hiddenSum = (lineCells: readonly CellInput[]) => hiddenOf(lineCells).reduce((sum, c) => sum + c.leaders, 0);
  const hiddenPeople = (lineCells: readonly CellInput[]) => hiddenOf(lineCells).reduce((sum, c) => sum + (c.people ?? c.leaders), 0);
  /** What a shown total minus its shown cells gives away: nobody, or at least k, by both counts. */
  const safe = (lineCells: readonly CellInput[]) => {
    const hidden = hiddenSum(lineCells);
    const people = hiddenPeople(lineCells);
    return (hidden === 0 || hidden >= k) && (people === 0 || people >= k);
  };

  for (let changed = true; changed; ) {
    changed = false;
    for (const [kind, ids] of [["row", rows], ["col", cols]] as const) {
      for (const id of ids) {
        const lineCells = line(kind, id);
        if (total(lineCells) < k) continue; // its total is not shown, so it reveals nothing by difference
        if (safe(lineCells)) continue;
        const smallest = lineCells.filter((c) => shown.has(cellKey(c.row, c.col))).sort((a, b) => a.leaders - b.leaders)[0];
        if (smallest) {
          shown.delete(cellKey(smallest.row, smallest.col));
          changed = true;
        }
      }
    }
  }
  const lineTotalShown = (lineCells: readonly CellInput[]) => total(lineCells) >= k && safe(lineCells);
  return {
    shown,
    rowTotals: new Set(rows.filter((r) => lineTotalShown(line("row", r)))),
    colTotals: new Set(cols.filter((c) => lineTotalShown(line("col", c)))),
    grandTotal: lineTotalShown(cells),
  };
}
