/**
 * How long an instance holds a claimed schedule or outbox record. Short, so that when an
 * instance dies its claims are picked up by another within a minute; an instance that is still
 * working on a record renews its claim (see Delivery).
 */
export const SCHEDULE_LEASE_MS = 30_000;
export const DELIVERY_LEASE_MS = 30_000;
