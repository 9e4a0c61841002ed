/**
 * When documents expire (Cosmos' per-item `ttl`, in seconds after the item's last write), so
 * history leaves by itself instead of by cleanup jobs that walk it.
 */
const DAY_SECONDS = 86_400;

/** A retired one-off schedule stays a week, for "status" and the export, then goes. */
export const RETIRED_SCHEDULE_TTL_SECONDS = 7 * DAY_SECONDS;

/** A sent or failed outbox record is kept this long (OUTBOX_KEEP_DAYS), for "status". */
export function settledRecordTtl(keepDays: number): number {
  return keepDays * DAY_SECONDS;
}

/**
 * A reflection expires `retentionDays` after it was completed. TTL counts from the last write,
 * so every write (a follow-up note) sets it again from `now`; never less than a minute.
 */
export function reflectionTtl(completedAt: string, retentionDays: number, now: Date): number {
  const expiresAt = Date.parse(completedAt) + retentionDays * DAY_SECONDS * 1000;
  return Math.max(60, Math.ceil((expiresAt - now.getTime()) / 1000));
}
