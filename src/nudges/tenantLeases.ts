import type { Container } from "@azure/cosmos";
import { createIfAbsent, replaceIfUnchanged } from "../storage/conditionalWrites";
import { withoutSystemFields } from "../storage/systemFields";
import type { Slowdown } from "./rateLimiter";

/**
 * Who sends for a tenant now. Teams limits a bot to 50 requests per second per tenant, across
 * all of its instances; each instance keeps the limit with its own limiter, so only one
 * instance at a time may send for a tenant. The others take other tenants.
 */
export interface TenantLease {
  readonly id: string;
  readonly type: "tenant-lease";
  readonly tenantId: string;
  readonly holder: string;
  readonly until: string;
  /** Left alone for a day, it goes by itself (seconds). */
  readonly ttl: number;
  /**
   * The pace Teams last allowed the tenant, when it throttled (a 429): the next holder starts
   * from it, so a throttled tenant stays slow across instances, not only in the one that was told.
   */
  readonly slowdown?: Slowdown;
}

type StoredLease = TenantLease & { _etag?: string };

export interface TenantLeaseOptions {
  readonly holder: string;
  /** How long a lease lasts unrenewed: what a crashed instance costs its tenants, at most. */
  readonly leaseMs: number;
  /**
   * A holder sends only while this much of its lease is left. A new holder starts when the
   * lease has run out, so the last send of the old one is at least this long before the first
   * of the new one: longer than the tenant's window (1 s), and than clock skew between hosts.
   */
  readonly sendMarginMs: number;
  readonly clock: () => Date;
}

export const TENANT_LEASE_MS = 10_000;
export const TENANT_SEND_MARGIN_MS = 2_000;
const BUSY_CACHE_MS = 1_000;

/** Tenant leases, kept in the outbox container (partitioned by id: one partition per lease). */
export class TenantLeases {
  private readonly held = new Map<string, StoredLease>();
  private readonly renewals = new Map<string, Promise<boolean>>();
  /** Slowdowns not yet written to their lease; the next mayStillSend writes them. */
  private readonly slowdowns = new Map<string, Slowdown>();
  /** Every tenant's lease as the last listing found them (a second old at most), by tenant. */
  private listing: { at: number; leases: Map<string, StoredLease> } | undefined;

  constructor(
    private readonly container: Container,
    private readonly options: TenantLeaseOptions,
  ) {}

  static idOf(tenantId: string): string {
    return `tenant-lease~${tenantId}`.replace(/[/\\?#]/g, "_");
  }

  /** Tenants another instance is sending for now: this one leaves their records alone. */
  async heldByOthers(): Promise<string[]> {
    const now = this.now();
    const leases = await this.leases();
    return [...leases.values()].filter((l) => l.holder !== this.options.holder && new Date(l.until) > now).map((l) => l.tenantId);
  }

  /**
   * Every tenant's lease, listed at most once a second: asked at every refill, and what acquire
   * starts from. A second-old answer only means trying a tenant that is taken (the conditional
   * write fails) or waiting a second longer for one that came free. Leases are small and there
   * is one per tenant that has had a message, so the listing stays small.
   */
  private async leases(): Promise<Map<string, StoredLease>> {
    const now = this.now().getTime();
    if (this.listing && now - this.listing.at < BUSY_CACHE_MS) return this.listing.leases;
    const { resources } = await this.container.items.query<StoredLease>({ query: "SELECT * FROM c WHERE c.type = 'tenant-lease'" }).fetchAll();
    this.listing = { at: now, leases: new Map(resources.map((l) => [l.tenantId, l])) };
    return this.listing.leases;
  }

  /**
   * Takes the tenant if nobody holds it (or the holder's lease ran out), or renews it if this
   * instance does: one conditional write, from the lease as this instance last wrote it or as
   * the listing found it.
   */
  async acquire(tenantId: string): Promise<boolean> {
    const id = TenantLeases.idOf(tenantId);
    const next = (): TenantLease => ({ id, type: "tenant-lease", tenantId, holder: this.options.holder, until: new Date(this.now().getTime() + this.options.leaseMs).toISOString(), ttl: 86_400 });
    const current = this.held.get(tenantId) ?? (await this.leases()).get(tenantId);
    if (current && current.holder !== this.options.holder && new Date(current.until) > this.now()) return false;
    const written = current ? await replaceIfUnchanged(this.container, current, id, { ...withoutSystemFields<TenantLease>(current), ...next() }) : await createIfAbsent(this.container, next());
    // Lost to another instance since this one last looked: the next listing shows who has it.
    if (!written) this.held.delete(tenantId);
    return this.remember(written);
  }

  /** The slowdown the tenant's lease carries: what the last holder knew of Teams' pace. */
  slowdownOf(tenantId: string): Slowdown | undefined {
    return this.slowdowns.get(tenantId) ?? this.held.get(tenantId)?.slowdown;
  }

  /**
   * Writes a new slowdown to the tenant's lease (with a renewal), so that whichever instance
   * sends for the tenant next starts from it. One write per halving: the other 429s of a round
   * change only the pause. A lease lost meanwhile is found by the next mayStillSend.
   */
  async noteSlowdown(tenantId: string, slowdown: Slowdown): Promise<void> {
    if (!this.held.has(tenantId) || this.slowdownOf(tenantId)?.since === slowdown.since) return;
    this.slowdowns.set(tenantId, slowdown);
    await this.mayStillSend(tenantId);
  }

  /**
   * Whether this instance may send for the tenant now. It renews the lease when half of it is
   * gone, so a busy tenant stays with one instance, and when it has a slowdown to write; false
   * once another instance has it.
   */
  async mayStillSend(tenantId: string): Promise<boolean> {
    const lease = this.held.get(tenantId);
    if (!lease) return false;
    const left = new Date(lease.until).getTime() - this.now().getTime();
    if (left > this.options.leaseMs / 2 && !this.slowdowns.has(tenantId)) return true;
    // One renewal at a time: a tenant's senders all reach this point together, and all but one
    // of their conditional writes would fail against the eTag the first one changed.
    let renewal = this.renewals.get(tenantId);
    if (!renewal) {
      renewal = this.renew(lease).finally(() => this.renewals.delete(tenantId));
      this.renewals.set(tenantId, renewal);
    }
    return renewal;
  }

  private async renew(lease: StoredLease): Promise<boolean> {
    const slowdown = this.slowdowns.get(lease.tenantId);
    const renewed = await replaceIfUnchanged(this.container, lease, lease.id, {
      ...withoutSystemFields<TenantLease>(lease),
      until: new Date(this.now().getTime() + this.options.leaseMs).toISOString(),
      ...(slowdown ? { slowdown } : {}),
    });
    // Only the slowdown written is done with: one noted meanwhile waits for the next renewal.
    if (slowdown && this.slowdowns.get(lease.tenantId) === slowdown) this.slowdowns.delete(lease.tenantId);
    if (renewed) return this.remember(renewed);
    this.held.delete(lease.tenantId);
    return false;
  }

  /** Whether the lease this instance holds leaves room to send now (no I/O: just before a send). */
  holds(tenantId: string): boolean {
    const lease = this.held.get(tenantId);
    return lease !== undefined && new Date(lease.until).getTime() - this.now().getTime() > this.options.sendMarginMs;
  }

  private remember(lease: StoredLease | undefined): boolean {
    if (!lease) return false;
    this.held.set(lease.tenantId, lease);
    return true;
  }

  private now(): Date {
    return this.options.clock();
  }
}
