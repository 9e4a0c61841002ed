export interface RateLimit {
  readonly max: number;
  readonly perMs: number;
}

/**
 * Windows a little longer than the limit they keep. Network jitter is covered already (a send
 * counts until its answer is back); this covers the edges of Teams' own windows, as a 429
 * costs a whole Retry-After.
 */
export function withHeadroom(limits: readonly RateLimit[], factor = 1.01): RateLimit[] {
  return limits.map((l) => ({ max: l.max, perMs: Math.ceil(l.perMs * factor) }));
}

/** Teams' documented limits for one bot in one conversation. */
export const TEAMS_CONVERSATION_LIMITS: readonly RateLimit[] = [
  { max: 7, perMs: 1_000 },
  { max: 8, perMs: 2_000 },
  { max: 60, perMs: 30_000 },
];

/** A send booked by `tryTake`: tell the limiter when it is over, sent or refused. */
export interface Turn {
  done(at: number): void;
}

interface Booking {
  at: number;
  /** Still on its way: it may reach Teams at any moment until it is done. */
  open: boolean;
}

/**
 * Sliding-window limits per key. A send is booked the moment it goes out, and counts in its
 * windows from then until its answer comes back: Teams counts it when it arrives, somewhere in
 * between, and network jitter must not squeeze two windows' sends into one. Concurrent senders
 * in one process therefore never exceed a limit between them; across processes, a tenant lease
 * gives a tenant to one process at a time.
 */
export class SlidingWindowLimiter {
  private readonly booked = new Map<string, Booking[]>();

  constructor(private readonly limitsFor: (key: string) => readonly RateLimit[]) {}

  /**
   * Books a send at `now` if every window of every key has room for it; else books nothing and
   * says how long to wait before asking again (a lower bound, while other sends are open).
   */
  tryTake(keys: readonly string[], now: number): { readonly wait: number } | { readonly turn: Turn } {
    let at = now;
    for (const key of keys) at = Math.max(at, this.earliestFor(key, now));
    if (at > now) return { wait: at - now };
    const bookings = keys.map((key) => this.book(key, now));
    return {
      turn: {
        done: (doneAt) => {
          for (const booking of bookings) {
            booking.at = Math.max(booking.at, doneAt);
            booking.open = false;
          }
        },
      },
    };
  }

  private earliestFor(key: string, now: number): number {
    // An open send counts as arriving now: the latest it can have arrived so far.
    const times = (this.booked.get(key) ?? []).map((b) => (b.open ? Math.max(b.at, now) : b.at)).sort((a, b) => a - b);
    let earliest = now;
    for (const { max, perMs } of this.limitsFor(key)) {
      const before = times.filter((t) => t > earliest - perMs);
      if (before.length >= max) earliest = Math.max(earliest, before[before.length - max]! + perMs);
    }
    return earliest;
  }

  private book(key: string, now: number): Booking {
    const longest = Math.max(...this.limitsFor(key).map((l) => l.perMs));
    const bookings = (this.booked.get(key) ?? []).filter((b) => b.open || b.at > now - longest);
    const booking = { at: now, open: true };
    bookings.push(booking);
    this.booked.set(key, bookings);
    return booking;
  }
}
