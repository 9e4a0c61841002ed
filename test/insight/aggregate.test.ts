import assert from "node:assert/strict";
import { cellsOf, lowestStatements, quarterOf, type ReflectionFact } from "../../src/insight/aggregate";

const fact = (leader: string, at: string, ratings: Record<string, number>, overrides: Partial<ReflectionFact> = {}): ReflectionFact => ({
  leader, completedAt: at, level: "leder-af-leder", themeId: "drift", short: false, ratings, ...overrides,
});

describe("Indsigt's numbers from reflections (pure)", () => {
  it("puts a reflection in its quarter", () => {
    assert.deepEqual(["2026-01-01T00:00:00Z", "2026-03-31T23:59:59Z", "2026-04-01T00:00:00Z", "2026-12-31T12:00:00Z"].map(quarterOf), ["2026-Q1", "2026-Q1", "2026-Q2", "2026-Q4"]);
  });

  it("counts a leader once per cell however often they reflect, with each statement's distribution and median", () => {
    const facts = [
      fact("a", "2026-10-02T09:00:00Z", { s1: 2, s2: 4 }),
      fact("a", "2026-11-02T09:00:00Z", { s1: 3, s2: 4 }, { short: true }),
      fact("b", "2026-10-05T09:00:00Z", { s1: 5, s2: 1 }),
      fact("c", "2026-07-05T09:00:00Z", { s1: 1, s2: 1 }), // another quarter
    ];
    const [cell] = cellsOf(facts, "2026-Q4");
    assert.deepEqual([cell?.leaders, cell?.reflections, cell?.short], [2, 3, 1]);
    assert.deepEqual(cell?.statements.s1, { distribution: [0, 1, 1, 0, 1], median: 3, leaders: 2 });
    assert.deepEqual(cell?.statements.s2, { distribution: [1, 0, 0, 2, 0], median: 4, leaders: 2 });
  });

  it("names a level's lowest statements only from those at least k leaders rated", () => {
    const leaders = ["a", "b", "c", "d", "e"];
    const facts = [
      ...leaders.map((l) => fact(l, "2026-10-02T09:00:00Z", { s1: 2, s2: 4, s3: 3 })),
      fact("f", "2026-10-02T09:00:00Z", { s4: 1 }, { themeId: "resultater" }),
    ];
    assert.deepEqual(lowestStatements(cellsOf(facts, "2026-Q4"), "leder-af-leder", 5), [{ statementId: "s1", median: 2 }, { statementId: "s3", median: 3 }, { statementId: "s2", median: 4 }]);
  });
});
