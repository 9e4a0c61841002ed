import type { Container } from "@azure/cosmos";
import { createIfAbsent, decideWithRetry, replaceIfUnchanged, replaceWithIfUnchanged, readIfPresent } from "../storage/conditionalWrites";
import { withoutSystemFields } from "../storage/systemFields";
import { differencing, pulseLedgerPartition, PULSE_LEDGER_HEAD_ID, PULSE_WINDOW_SECONDS, type PulseLedgerHead, type PulseRosterRecord } from "../domain/group/pulse";

/** The ledger of one tenant and theme as read: the rosters shown, and the guard a change is written against. */
export interface LedgerSnapshot {
  readonly guard: { readonly id: string; readonly _etag?: string } | undefined;
  readonly shown: readonly PulseRosterRecord[];
}

/** How the differencing step reads and writes one ledger. */
export interface LedgerAccess {
  read(): Promise<LedgerSnapshot>;
  /** Adds `roster` only if the guard is still as `seen` had it; false when someone changed the ledger since. */
  record(seen: LedgerSnapshot, roster: PulseRosterRecord): Promise<boolean>;
}

/**
 * "Check the rosters already shown, and record mine" as one step: decided on the ledger as read,
 * written only if nobody recorded in between, and decided again on the ledger as it is then.
 * Two closes of overlapping pulses, on any two instances, can therefore never both show: the
 * second to write finds the first's roster. Safe to repeat for the same pulse.
 */
export async function showIfDisjoint(ledger: LedgerAccess, mine: PulseRosterRecord, now: Date): Promise<"shown" | "overlap"> {
  const { outcome } = await decideWithRetry<LedgerSnapshot, "shown" | "overlap">(
    `Pulse ledger, recording ${mine.id}`,
    () => ledger.read(),
    (current) => {
      const step = differencing(current?.shown ?? [], mine, now);
      return step === "record" ? { write: { guard: current?.guard, shown: [...(current?.shown ?? []), mine] }, outcome: "shown" } : { outcome: step };
    },
    async (current, next) => (current && (await ledger.record(current, mine)) ? next : undefined),
  );
  return outcome;
}

/**
 * The differencing ledger in Cosmos: per tenant and theme, one partition holding a roster record
 * per result shown in the window (at most PULSE_MAX_ROSTER marks, about 25 kB, each leaving by its
 * ttl) and the head, a fixed-size document every record rewrites in the same transactional batch
 * with If-Match on its eTag. Every read names the partition; no document grows.
 */
export class PulseLedger {
  constructor(private readonly container: Container) {}

  /** The differencing rule for a result about to show, checked and recorded in one step. */
  showIfDisjoint(tenantId: string, themeId: string, pulseId: string, members: readonly string[], now: Date): Promise<"shown" | "overlap"> {
    const pk = pulseLedgerPartition(tenantId, themeId);
    const mine: PulseRosterRecord = { id: pulseId, pk, type: "pulseRoster", members, shownAt: now.toISOString(), ttl: PULSE_WINDOW_SECONDS };
    return showIfDisjoint(this.access(pk, now), mine, now);
  }

  /** "slet mine data": the person's mark leaves the rosters of shown results. */
  async forget(authorKey: string): Promise<void> {
    const { resources: marked } = await this.container.items
      .query<{ id: string; pk: string }>({ query: "SELECT c.id, c.pk FROM c WHERE c.type = 'pulseRoster' AND ARRAY_CONTAINS(c.members, @k)", parameters: [{ name: "@k", value: authorKey }] })
      .fetchAll();
    // Only a shrinking roster, so without the head: a close that read the mark still sees less overlap than before, never more.
    for (const { id, pk } of marked) {
      await decideWithRetry<PulseRosterRecord & { _etag?: string }, undefined>(
        `Pulse roster ${id}`,
        () => this.readItem<PulseRosterRecord>(id, pk),
        (current) => (current ? { write: { ...current, members: current.members.filter((m) => m !== authorKey) }, outcome: undefined } : { outcome: undefined }),
        (current, next) => (current ? replaceIfUnchanged(this.container, current, pk, withoutSystemFields(next)) : Promise.resolve(undefined)),
      );
    }
  }

  private access(pk: string, now: Date): LedgerAccess {
    const head: PulseLedgerHead = { id: PULSE_LEDGER_HEAD_ID, pk, type: "pulseLedgerHead", changedAt: now.toISOString(), ttl: PULSE_WINDOW_SECONDS };
    return {
      read: async () => {
        // The head first: a roster recorded after this read changed the head, so the write below fails and reads again.
        const guard = (await this.readItem<PulseLedgerHead>(head.id, pk)) ?? (await createIfAbsent(this.container, head)) ?? (await this.readItem<PulseLedgerHead>(head.id, pk));
        const { resources: shown } = await this.container.items
          .query<PulseRosterRecord>({ query: "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'pulseRoster'", parameters: [{ name: "@pk", value: pk }] }, { partitionKey: pk })
          .fetchAll();
        return { guard, shown };
      },
      record: async (seen, roster) => seen.guard !== undefined && (await replaceWithIfUnchanged(this.container, seen.guard, pk, head, [roster])) !== undefined,
    };
  }

  private async readItem<T>(id: string, pk: string): Promise<(T & { _etag?: string }) | undefined> {
    return readIfPresent<T>(this.container, id, pk);
  }
}
