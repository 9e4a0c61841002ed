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
  /** When the send was booked. */
  readonly at: number;
  done(at: number): void;
}

/**
 * A key's pace after Teams throttled it (429), below the limits it was thought to have: no send
 * before `pausedUntil` (the Retry-After), then `share` of its limits, growing back by
 * RECOVERY_PER_MS from `since`. Plain data, so another instance can take it over (tenantLeases).
 */
export interface Slowdown {
  /** ms since the epoch */
  readonly pausedUntil: number;
  readonly share: number;
  /** ms since the epoch: when `share` was set. */
  readonly since: number;
}

/** The least share of a key's limits a slowdown goes down to: 50 per second becomes one in 1.3 s. */
const MIN_SHARE = 1 / 64;
/** A slowed key's share grows back by this much per ms: from nothing to its full limits in a minute without a 429. */
const RECOVERY_PER_MS = 1 / 60_000;

/** The share of its limits a key has at `now` under `slowdown`. */
function shareAt(slowdown: Slowdown | undefined, now: number): number {
  return slowdown ? Math.min(1, slowdown.share + Math.max(0, now - slowdown.since) * RECOVERY_PER_MS) : 1;
}

/** Limits cut to a share: fewer per window while at least one fits, then longer windows for one. */
function scaled(limits: readonly RateLimit[], share: number): readonly RateLimit[] {
  if (share >= 1) return limits;
  return limits.map(({ max, perMs }) => (max * share >= 1 ? { max: Math.floor(max * share), perMs } : { max: 1, perMs: Math.ceil(perMs / (max * share)) }));
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
  private readonly slowed = new Map<string, Slowdown>();

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
        at: now,
        done: (doneAt) => {
          for (const booking of bookings) {
            booking.at = Math.max(booking.at, doneAt);
            booking.open = false;
          }
        },
      },
    };
  }

  /**
   * Teams throttled a send of `key` booked at `bookedAt`: nothing more goes for the key until
   * `retryAfterMs` from now, and then at half the pace it had. Sends booked before the last
   * halving were paced by the old share and halve nothing more (one halving per round, as TCP
   * does): the 429s of one burst in flight must not drive the pace to its floor.
   * Returns the key's slowdown now, for other instances to take over.
   */
  slowDown(key: string, refused: { readonly bookedAt: number; readonly retryAfterMs: number }, now: number): Slowdown {
    const current = this.slowdownOf(key, now);
    const halve = !current || refused.bookedAt > current.since;
    const next: Slowdown = {
      pausedUntil: Math.max(current?.pausedUntil ?? 0, now + refused.retryAfterMs),
      share: halve ? Math.max(MIN_SHARE, shareAt(current, now) / 2) : current.share,
      since: halve ? now : current.since,
    };
    this.slowed.set(key, next);
    return next;
  }

  /** Takes over a slowdown another instance saw, unless this one's is newer; the longer pause holds either way. */
  adopt(key: string, slowdown: Slowdown, now: number): void {
    const current = this.slowdownOf(key, now);
    const newer = !current || slowdown.since > current.since ? slowdown : current;
    this.slowed.set(key, { ...newer, pausedUntil: Math.max(current?.pausedUntil ?? 0, slowdown.pausedUntil) });
    this.slowdownOf(key, now); // forgets it at once if it holds nothing back any more
  }

  /** The key's slowdown, while it still holds it back. */
  slowdownOf(key: string, now: number): Slowdown | undefined {
    const slowdown = this.slowed.get(key);
    if (slowdown && slowdown.pausedUntil <= now && shareAt(slowdown, now) >= 1) {
      this.slowed.delete(key);
      return undefined;
    }
    return slowdown;
  }

  /** The share of its limits the key has at `now`: 1, or less while it recovers from a slowdown. */
  shareOf(key: string, now: number): number {
    return shareAt(this.slowdownOf(key, now), now);
  }

  /** How long the key is paused for from `now` (0 when it is not). */
  pausedFor(key: string, now: number): number {
    return Math.max(0, (this.slowdownOf(key, now)?.pausedUntil ?? now) - now);
  }

  private earliestFor(key: string, now: number): number {
    // An open send counts as arriving now: the latest it can have arrived so far.
    const times = (this.booked.get(key) ?? []).map((b) => (b.open ? Math.max(b.at, now) : b.at)).sort((a, b) => a - b);
    const slowdown = this.slowdownOf(key, now);
    let earliest = Math.max(now, slowdown?.pausedUntil ?? now);
    for (const { max, perMs } of scaled(this.limitsFor(key), shareAt(slowdown, now))) {
      const before = times.filter((t) => t > earliest - perMs);
      if (before.length >= max) earliest = Math.max(earliest, before[before.length - max]! + perMs);
    }
    return earliest;
  }

  private book(key: string, now: number): Booking {
    const longest = Math.max(...scaled(this.limitsFor(key), shareAt(this.slowed.get(key), now)).map((l) => l.perMs));
    const bookings = (this.booked.get(key) ?? []).filter((b) => b.open || b.at > now - longest);
    const booking = { at: now, open: true };
    bookings.push(booking);
    this.booked.set(key, bookings);
    return booking;
  }
}
