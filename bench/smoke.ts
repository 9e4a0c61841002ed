/**
 * Every benchmark has two sizes: the full one, run by hand (`npm run bench:*`), and a smoke size
 * of a few seconds that .ci/run runs (BENCH_SMOKE=1), so a bench that breaks fails CI instead of
 * rotting. The smoke numbers prove the bench runs; only the full sizes are worth quoting.
 */
export const SMOKE = process.env.BENCH_SMOKE === "1";

/** A size from the environment, else the smoke or the full default. */
export function benchSize(variable: string, full: number, smoke: number): number {
  const set = process.env[variable];
  return set !== undefined && set !== "" ? Number(set) : SMOKE ? smoke : full;
}

/** A bench that finds its own answers wrong (lost or duplicated work) fails, at any size. */
export function failBench(reason: string): void {
  process.stdout.write(`BENCH FAILED: ${reason}\n`);
  process.exitCode = 1;
}
