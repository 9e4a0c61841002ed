/** How the Bot Connector answered a send that did not succeed. */
export interface DeliveryFailure {
  /** HTTP status; 0 for a network error (no connection, a reset, a timeout). */
  readonly status: number;
  /** The Connector's error code, e.g. ConversationBlockedByUser. */
  readonly connectorCode?: string | undefined;
  readonly retryAfterMs?: number;
}

export type RetryDecision =
  | { readonly kind: "retry"; readonly delayMs: number }
  | { readonly kind: "gone"; readonly reason: string }
  | { readonly kind: "failed"; readonly reason: string };

/** Tries that failed for the message's own sake (5xx, no connection) before it is given up. */
export const MAX_ATTEMPTS = 5;
/**
 * Throttles (429) a message may meet before it is given up. A 429 is Teams' pace, not the
 * message's fault, and the whole tenant slows down after one (rateLimiter.slowDown), so a
 * message meets few; this bound only ends a message that Teams throttles for hours.
 */
export const MAX_THROTTLES = 30;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;
/** Answers worth another try: no connection (0), a precondition race (412), throttling, and any server error. */
const isRetryable = (status: number) => status === 0 || status === 412 || status === 429 || (status >= 500 && status <= 599);
/** Answers that mean the conversation is gone for good: stop, and stop using it. */
const GONE: ReadonlyArray<readonly [number, string]> = [
  [403, "ConversationBlockedByUser"],
  [403, "BotNotInConversationRoster"],
  [403, "MessageWritesBlocked"],
  [404, "ConversationNotFound"],
];

/** What a message met on its earlier tries, counted apart: throttles have their own budget. */
export interface EarlierTries {
  readonly attempts: number;
  readonly throttles?: number;
}

/** Which try of its kind this failure is: the n-th throttle, or the n-th other failure. */
export function attemptOfKind(failure: DeliveryFailure, earlier: EarlierTries): number {
  const throttles = earlier.throttles ?? 0;
  return failure.status === 429 ? throttles + 1 : earlier.attempts - throttles + 1;
}

/**
 * Retry 429 after its Retry-After; retry 412, 5xx and network errors with exponential backoff
 * and jitter; each a bounded number of times (`attempt` is the try's number of its kind, see
 * attemptOfKind). 403 and 404 are final: the conversation is gone (GONE), or Teams will not
 * take this message; anything else is final too.
 */
export function decideRetry(failure: DeliveryFailure, attempt: number, random: () => number = Math.random): RetryDecision {
  const gone = GONE.find(([status, code]) => status === failure.status && code === failure.connectorCode);
  if (gone) return { kind: "gone", reason: `${gone[0]} ${gone[1]}` };
  const reason = `${failure.status}${failure.connectorCode ? ` ${failure.connectorCode}` : ""}`;
  if (!isRetryable(failure.status)) return { kind: "failed", reason };
  const budget = failure.status === 429 ? MAX_THROTTLES : MAX_ATTEMPTS;
  if (attempt >= budget) return { kind: "failed", reason: `${reason} after ${attempt} ${failure.status === 429 ? "throttles" : "attempts"}` };
  if (failure.retryAfterMs !== undefined && failure.retryAfterMs >= 0) return { kind: "retry", delayMs: Math.min(failure.retryAfterMs, 10 * MAX_DELAY_MS) };
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  // "Equal jitter": at least half the backoff, so retries from many senders spread out without collapsing to zero.
  return { kind: "retry", delayMs: Math.round(ceiling / 2 + random() * (ceiling / 2)) };
}

/** Whether Teams has refused this message for good (403, 404), as opposed to failing it. */
export function isRefusal(failure: DeliveryFailure): boolean {
  return failure.status === 403 || failure.status === 404;
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
