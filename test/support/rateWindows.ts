import type { RateLimit } from "../../src/nudges/rateLimiter";

/** The places where times (ms) break a limit: more than `max` inside any `perMs`. Empty when they keep it. */
export function windowBreaches(times: readonly number[], { max, perMs }: RateLimit, origin = 0): string[] {
  const sorted = [...times].sort((a, b) => a - b);
  const breaches: string[] = [];
  for (let i = 0; i + max < sorted.length; i += 1) {
    if (sorted[i + max]! - sorted[i]! < perMs) breaches.push(`${max + 1} sends within ${sorted[i + max]! - sorted[i]!} ms from ${sorted[i]! - origin} ms`);
  }
  return breaches;
}
