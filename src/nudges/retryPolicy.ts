/** How the Bot Connector answered a send that did not succeed. */
export interface DeliveryFailure {
  /** HTTP status; 0 for a network error. */
  readonly status: number;
  /** The Connector's error code, e.g. ConversationBlockedByUser. */
  readonly connectorCode?: string | undefined;
  readonly retryAfterMs?: number;
}

export type RetryDecision =
  | { readonly kind: "retry"; readonly delayMs: number }
  | { readonly kind: "gone"; readonly reason: string }
  | { readonly kind: "failed"; readonly reason: string };

export const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;
const RETRYABLE = new Set([0, 412, 429, 502, 503, 504]);
/** Answers that mean the conversation is gone for good: stop, and stop using it. */
const GONE: ReadonlyArray<readonly [number, string]> = [
  [403, "ConversationBlockedByUser"],
  [403, "BotNotInConversationRoster"],
  [403, "MessageWritesBlocked"],
  [404, "ConversationNotFound"],
];

/**
 * Retry 429, 412 and 5xx gateway errors, waiting as the Connector says (Retry-After) or with
 * exponential backoff and jitter, a bounded number of times; anything else is permanent.
 */
export function decideRetry(failure: DeliveryFailure, attempt: number, random: () => number = Math.random): RetryDecision {
  const gone = GONE.find(([status, code]) => status === failure.status && code === failure.connectorCode);
  if (gone) return { kind: "gone", reason: `${gone[0]} ${gone[1]}` };
  const reason = `${failure.status}${failure.connectorCode ? ` ${failure.connectorCode}` : ""}`;
  if (!RETRYABLE.has(failure.status)) return { kind: "failed", reason };
  if (attempt >= MAX_ATTEMPTS) return { kind: "failed", reason: `${reason} after ${attempt} attempts` };
  if (failure.retryAfterMs !== undefined && failure.retryAfterMs >= 0) return { kind: "retry", delayMs: Math.min(failure.retryAfterMs, 10 * MAX_DELAY_MS) };
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  // "Equal jitter": at least half the backoff, so retries from many senders spread out without collapsing to zero.
  return { kind: "retry", delayMs: Math.round(ceiling / 2 + random() * (ceiling / 2)) };
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
