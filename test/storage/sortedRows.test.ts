import assert from "node:assert/strict";
import fc from "fast-check";
import { SortedRows } from "../../src/storage/sortedRows";

const byNumber = (a: number, b: number) => a - b;

describe("sorted rows in chunks (the ordered index views' store)", () => {
  it("hold the same rows in the same order as one sorted array, through any inserts and removals, with chunks small enough to split and empty often (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 30 }),
        fc.array(fc.record({ op: fc.constantFrom("insert" as const, "remove" as const), value: fc.integer({ min: 0, max: 60 }) }), { maxLength: 120 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 70 }),
        (start, steps, chunkSize, bound) => {
          const initial = [...new Set(start)];
          const rows = SortedRows.from(initial, byNumber, chunkSize);
          const reference = [...initial].sort(byNumber);
          for (const { op, value } of steps) {
            const at = reference.indexOf(value);
            if (op === "insert" && at < 0) {
              rows.insert(value);
              reference.push(value);
              reference.sort(byNumber);
            } else if (op === "remove") {
              assert.equal(rows.remove(value), at >= 0);
              if (at >= 0) reference.splice(at, 1);
            }
            assert.equal(rows.size, reference.length);
          }
          assert.deepEqual(rows.first(), reference);
          assert.deepEqual(rows.first(3), reference.slice(0, 3));
          assert.deepEqual(rows.first(Infinity, (v) => v > bound), reference.filter((v) => v <= bound));
        },
      ),
      { numRuns: 300 },
    );
  });
});
