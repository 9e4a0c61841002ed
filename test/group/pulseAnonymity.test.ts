import assert from "node:assert/strict";
import fc from "fast-check";
import { mayOpen, overlapsShown, pulseResult, tally, PULSE_WINDOW_DAYS, type PulseRosterRecord } from "../../src/domain/group/pulse";

const K = 5;
const DAY = 86_400_000;
const START = Date.parse("2026-01-05T09:00:00.000Z");
const STATEMENTS = ["s1", "s2", "s3"];

/** One pulse somebody asks for: in a conversation, on a theme, on a day, to a roster, of whom some answer. */
const pulseArbitrary = fc.record({
  conversation: fc.integer({ min: 0, max: 2 }),
  theme: fc.constantFrom("drift", "resultater"),
  day: fc.integer({ min: 0, max: 120 }),
  roster: fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { minLength: 0, maxLength: 12 }),
  answersFrom: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  ratings: fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 3, maxLength: 3 }), { minLength: 12, maxLength: 12 }),
});

interface Shown {
  readonly theme: string;
  readonly at: number;
  readonly respondents: ReadonlySet<number>;
}

type Pulse = typeof pulseArbitrary extends fc.Arbitrary<infer T> ? T : never;

/**
 * Runs pulses through the rules as the app does (one per conversation and theme per 30 days; a
 * result shown only from K answers and with no roster overlapping a shown one on the theme in
 * the window) and returns what was shown, and every shown statement's numbers.
 */
function simulate(pulses: readonly Pulse[]) {
  const opened: Array<{ conversation: number; themeId: string; openedAt: string }> = [];
  const ledger: Record<string, PulseRosterRecord[]> = {};
  const shown: Shown[] = [];
  const numbers: Array<{ rated: number; dontKnow: number; distribution: readonly number[] }> = [];
  for (const pulse of [...pulses].sort((a, b) => a.day - b.day)) {
    const now = new Date(START + pulse.day * DAY);
    if (!mayOpen(opened.filter((o) => o.conversation === pulse.conversation), pulse.theme, now).ok) continue;
    opened.push({ conversation: pulse.conversation, themeId: pulse.theme, openedAt: now.toISOString() });
    const respondents = pulse.roster.filter((p) => pulse.answersFrom[p]);
    const answers = respondents.map((p) => Object.fromEntries(STATEMENTS.map((s, i) => [s, pulse.ratings[p]![i]!])));
    const roster = pulse.roster.map(String);
    const overlap = respondents.length >= K && overlapsShown(roster, ledger[pulse.theme] ?? [], now);
    const result = pulseResult(tally(answers, STATEMENTS), STATEMENTS, respondents.length, K, overlap);
    if (result.kind !== "shown") {
      assert.equal("statements" in result, false, "a hidden result carries no numbers");
      continue;
    }
    (ledger[pulse.theme] ??= []).push({ id: String(shown.length), pk: pulse.theme, type: "pulseRoster", members: roster, shownAt: now.toISOString(), ttl: PULSE_WINDOW_DAYS * 86_400 });
    shown.push({ theme: pulse.theme, at: now.getTime(), respondents: new Set(respondents) });
    numbers.push(...result.statements);
  }
  return { shown, numbers };
}

/** The people a signed combination of results' respondent sets leaves non-zero: what a difference of shown numbers describes. */
function support(sets: ReadonlyArray<ReadonlySet<number>>, signs: readonly number[]): number {
  const weight = new Map<number, number>();
  sets.forEach((set, i) => set.forEach((p) => weight.set(p, (weight.get(p) ?? 0) + signs[i]!)));
  return [...weight.values()].filter((w) => w !== 0).length;
}

describe("Vi-pulsen's anonymity, as arithmetic (fast-check over sequences of pulses and rosters)", () => {
  it("shows no result, and no statement's numbers, describing fewer than 5 people", () => {
    fc.assert(
      fc.property(fc.array(pulseArbitrary, { maxLength: 12 }), (pulses) => {
        const { shown, numbers } = simulate(pulses);
        for (const s of shown) assert.ok(s.respondents.size >= K);
        for (const n of numbers) assert.ok(n.rated >= K, `a statement shown from ${n.rated} ratings`);
      }),
      { numRuns: 400 },
    );
  });

  it("lets no sum or difference of results shown on a theme within 30 days single out fewer than 5 people", () => {
    fc.assert(
      fc.property(fc.array(pulseArbitrary, { maxLength: 12 }), (pulses) => {
        const { shown } = simulate(pulses);
        for (const theme of ["drift", "resultater"]) {
          const onTheme = shown.filter((s) => s.theme === theme);
          for (const anchor of onTheme) {
            // Every result shown within the window after this one, with this one.
            const window = onTheme.filter((s) => s.at >= anchor.at && s.at - anchor.at < PULSE_WINDOW_DAYS * DAY).slice(0, 5);
            const sets = window.map((s) => s.respondents);
            for (let mask = 1; mask < 3 ** sets.length; mask += 1) {
              const signs = sets.map((_, i) => (Math.floor(mask / 3 ** i) % 3) - 1);
              if (signs.every((sign) => sign === 0)) continue;
              const people = support(sets, signs);
              assert.ok(people === 0 || people >= K, `a combination ${JSON.stringify(signs)} of shown results singles out ${people} people`);
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("would catch the differencing attack the rules prevent: two overlapping rosters, one person apart", () => {
    // Without the overlap rule these two would both show, and their difference is one person.
    const a = new Set([0, 1, 2, 3, 4, 5]);
    const b = new Set([0, 1, 2, 3, 4]);
    assert.equal(support([a, b], [1, -1]), 1);
    assert.equal(overlapsShown(["0", "1", "2", "3", "4"], [{ members: ["0", "1", "2", "3", "4", "5"], shownAt: new Date(START).toISOString() }], new Date(START + 10 * DAY)), true);
    assert.equal(overlapsShown(["0", "1", "2", "3", "4"], [{ members: ["0", "1", "2", "3", "4", "5"], shownAt: new Date(START).toISOString() }], new Date(START + 31 * DAY)), false, "after the window it may show");
  });
});

