export interface RateLimit {
  readonly max: number;
  readonly perMs: number;
}

/**
 * Windows a little longer than the limit they keep: requests reserved exactly at the limit
 * reach Teams with network jitter, and a 429 costs a whole Retry-After.
 */
export function withHeadroom(limits: readonly RateLimit[], factor = 1.05): RateLimit[] {
  return limits.map((l) => ({ max: l.max, perMs: Math.ceil(l.perMs * factor) }));
}

/** Teams' documented limits for one bot in one conversation. */
export const TEAMS_CONVERSATION_LIMITS: readonly RateLimit[] = [
  { max: 7, perMs: 1_000 },
  { max: 8, perMs: 2_000 },
  { max: 60, perMs: 30_000 },
];

/**
 * Sliding-window limits per key, by reservation: `reserve` returns the earliest moment a send
 * may go out under every window of every key given, and books it. Concurrent senders therefore
 * never exceed a limit between them, and nobody polls.
 */
export class SlidingWindowLimiter {
  private readonly booked = new Map<string, number[]>();

  constructor(private readonly limitsFor: (key: string) => readonly RateLimit[]) {}

  reserve(keys: readonly string[], now: number): number {
    let at = now;
    for (let changed = true; changed; ) {
      changed = false;
      for (const key of keys) {
        const next = this.earliestFor(key, at);
        if (next > at) {
          at = next;
          changed = true;
        }
      }
    }
    for (const key of keys) this.book(key, at, now);
    return at;
  }

  private earliestFor(key: string, at: number): number {
    const times = this.booked.get(key) ?? [];
    // Never before this key's last booking: with bookings in time order, looking back from
    // `earliest` sees every window the new send could fall in.
    let earliest = Math.max(at, times[times.length - 1] ?? at);
    for (const { max, perMs } of this.limitsFor(key)) {
      // Bookings already in the window (earliest - perMs, earliest]; one more must fit under max.
      const before = times.filter((t) => t <= earliest && t > earliest - perMs);
      if (before.length >= max) earliest = Math.max(earliest, before[before.length - max]! + perMs);
    }
    return earliest;
  }

  private book(key: string, at: number, now: number): void {
    const longest = Math.max(...this.limitsFor(key).map((l) => l.perMs));
    const times = (this.booked.get(key) ?? []).filter((t) => t > now - longest);
    times.push(at);
    times.sort((a, b) => a - b);
    this.booked.set(key, times);
  }
}
