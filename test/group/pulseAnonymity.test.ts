import assert from "node:assert/strict";
import fc from "fast-check";
import { mayOpen, overlapsShown, pulseResult, tally, PULSE_WINDOW_DAYS, PULSE_WINDOW_SECONDS, type PulseRosterRecord } from "../../src/domain/group/pulse";
import { showIfDisjoint, type LedgerAccess } from "../../src/group/pulseLedger";

const K = 5;
const DAY = 86_400_000;
const START = Date.parse("2026-01-05T09:00:00.000Z");
const STATEMENTS = ["s1", "s2", "s3"];

/** One pulse somebody asks for: in a conversation, on a theme, on a day, to a roster, of whom some answer. */
const pulseArbitrary = fc.record({
  conversation: fc.integer({ min: 0, max: 2 }),
  theme: fc.constantFrom("drift", "resultater"),
  // Half of them on the first two days, so pulses closing at the same moment are common.
  day: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 1 })),
  roster: fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { minLength: 0, maxLength: 12 }),
  // Three in four answer, so rosters reach k often enough for results to meet.
  answersFrom: fc.array(fc.integer({ min: 0, max: 3 }).map((n) => n > 0), { minLength: 12, maxLength: 12 }),
  ratings: fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 3, maxLength: 3 }), { minLength: 12, maxLength: 12 }),
});

interface Shown {
  readonly theme: string;
  readonly at: number;
  readonly respondents: ReadonlySet<number>;
}

type Pulse = typeof pulseArbitrary extends fc.Arbitrary<infer T> ? T : never;

/**
 * The ledgers of a simulation, one per theme, in memory: a version stands for the head's eTag, and
 * every read and write reaches the "server" at a moment fast-check's scheduler picks, so closes
 * interleave in every order. With `atomic` false a write ignores the guard (it reads, then records
 * regardless, as closes did before the check and the record were one step).
 */
function memoryLedgers(scheduler: fc.Scheduler, atomic: boolean): (theme: string) => LedgerAccess {
  const ledgers = new Map<string, { version: number; rosters: PulseRosterRecord[] }>();
  const atServer = async <T>(act: () => T): Promise<T> => {
    await scheduler.schedule(Promise.resolve());
    const answer = act();
    await scheduler.schedule(Promise.resolve());
    return answer;
  };
  return (theme) => {
    const ledger = ledgers.get(theme) ?? { version: 0, rosters: [] };
    ledgers.set(theme, ledger);
    return {
      read: () => atServer(() => ({ guard: { id: "head", _etag: String(ledger.version) }, shown: [...ledger.rosters] })),
      record: (seen, roster) =>
        atServer(() => {
          if (atomic && seen.guard?._etag !== String(ledger.version)) return false;
          ledger.rosters.push(roster);
          ledger.version += 1;
          return true;
        }),
    };
  };
}

/**
 * Runs pulses through the rules as the app does (one per conversation and theme per 30 days; a
 * result shown only from K answers, and only when the ledger's step finds no roster overlapping
 * a shown one on the theme in the window) and returns what was shown, and every shown
 * statement's numbers. The pulses of a day close at the same moment, interleaved.
 */
async function simulate(pulses: readonly Pulse[], scheduler: fc.Scheduler, ledgerOf: (theme: string) => LedgerAccess) {
  const opened: Array<{ conversation: number; themeId: string; openedAt: string }> = [];
  const shown: Shown[] = [];
  const numbers: Array<{ rated: number; dontKnow: number; distribution: readonly number[] }> = [];
  const close = async (pulse: Pulse, id: string, now: Date) => {
    const respondents = pulse.roster.filter((p) => pulse.answersFrom[p]);
    const answers = respondents.map((p) => Object.fromEntries(STATEMENTS.map((s, i) => [s, pulse.ratings[p]![i]!])));
    const mine: PulseRosterRecord = { id, pk: pulse.theme, type: "pulseRoster", members: pulse.roster.map(String), shownAt: now.toISOString(), ttl: PULSE_WINDOW_SECONDS };
    const overlap = respondents.length >= K && (await showIfDisjoint(ledgerOf(pulse.theme), mine, now)) === "overlap";
    const result = pulseResult(tally(answers, STATEMENTS), STATEMENTS, respondents.length, K, overlap);
    if (result.kind !== "shown") {
      assert.equal("statements" in result, false, "a hidden result carries no numbers");
      return;
    }
    shown.push({ theme: pulse.theme, at: now.getTime(), respondents: new Set(respondents) });
    numbers.push(...result.statements);
  };
  for (const day of [...new Set(pulses.map((p) => p.day))].sort((a, b) => a - b)) {
    const now = new Date(START + day * DAY);
    const closing: Array<Promise<void>> = [];
    for (const pulse of pulses.filter((p) => p.day === day)) {
      if (!mayOpen(opened.filter((o) => o.conversation === pulse.conversation), pulse.theme, now).ok) continue;
      opened.push({ conversation: pulse.conversation, themeId: pulse.theme, openedAt: now.toISOString() });
      closing.push(close(pulse, String(opened.length), now));
    }
    await scheduler.waitFor(Promise.all(closing));
  }
  return { shown, numbers };
}

/** The people a signed combination of results' respondent sets leaves non-zero: what a difference of shown numbers describes. */
function support(sets: ReadonlyArray<ReadonlySet<number>>, signs: readonly number[]): number {
  const weight = new Map<number, number>();
  sets.forEach((set, i) => set.forEach((p) => weight.set(p, (weight.get(p) ?? 0) + signs[i]!)));
  return [...weight.values()].filter((w) => w !== 0).length;
}

/** No sum or difference of results shown on a theme within 30 days describes between 1 and 4 people. */
function assertNoCombinationSinglesOut(shown: readonly Shown[]): void {
  for (const theme of ["drift", "resultater"]) {
    const onTheme = shown.filter((s) => s.theme === theme);
    for (const anchor of onTheme) {
      // Every result shown within the window after this one (or at the same moment), with this one.
      const window = onTheme.filter((s) => s !== anchor && s.at >= anchor.at && s.at - anchor.at < PULSE_WINDOW_DAYS * DAY).slice(0, 4);
      const sets = [anchor, ...window].map((s) => s.respondents);
      for (let mask = 1; mask < 3 ** sets.length; mask += 1) {
        const signs = sets.map((_, i) => (Math.floor(mask / 3 ** i) % 3) - 1);
        if (signs.every((sign) => sign === 0)) continue;
        const people = support(sets, signs);
        assert.ok(people === 0 || people >= K, `a combination ${JSON.stringify(signs)} of shown results singles out ${people} people`);
      }
    }
  }
}

/** The differencing property over generated pulses whose closes interleave, with the ledger's step atomic or not. */
const differencingHolds = (atomic: boolean) =>
  fc.asyncProperty(fc.scheduler(), fc.array(pulseArbitrary, { maxLength: 12 }), async (scheduler, pulses) => {
    const { shown } = await simulate(pulses, scheduler, memoryLedgers(scheduler, atomic));
    assertNoCombinationSinglesOut(shown);
  });

describe("Vi-pulsen's anonymity, as arithmetic (fast-check over sequences of pulses and rosters, closes interleaved)", () => {
  it("shows no result, and no statement's numbers, describing fewer than 5 people", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(pulseArbitrary, { maxLength: 12 }), async (scheduler, pulses) => {
        const { shown, numbers } = await simulate(pulses, scheduler, memoryLedgers(scheduler, true));
        for (const s of shown) assert.ok(s.respondents.size >= K);
        for (const n of numbers) assert.ok(n.rated >= K, `a statement shown from ${n.rated} ratings`);
      }),
      { numRuns: 400 },
    );
  });

  it("lets no sum or difference of results shown on a theme within 30 days single out fewer than 5 people, however the closes interleave", async () => {
    // About one run in 160 meets the race that breaks the rule without the atomic step (see below): 1,000 runs meet it several times.
    await fc.assert(differencingHolds(true), { numRuns: 1000 });
  });

  it("would find results that single someone out if the ledger's check and record were two steps (the atomic step switched off)", async () => {
    // Found after about 160 runs on average (at most 794 in 30 searches); missed in 3,000 with odds below one in a million.
    const outcome = await fc.check(differencingHolds(false), { numRuns: 3000, endOnFailure: true });
    assert.equal(outcome.failed, true, "with the guard ignored, two overlapping pulses closing at once both show");
    assert.match(String(outcome.errorInstance), /singles out [1-4] people/);
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

