import type { Container } from "@azure/cosmos";
import { partitionKeyOf, type UserKey } from "../domain/identity";
import { deleteIfPresent } from "./conditionalWrites";
import type { ErasureStart } from "./userSessions";

export interface DeletionCounts {
  /** Documents deleted, by type: session (profile, draft, dialog state), reflection, … */
  readonly byType: Readonly<Record<string, number>>;
  readonly total: number;
}

/**
 * The whole of one user's partition: everything the app keeps about a user lives there, except
 * messages waiting in (or kept by) the outbox, which are deleted alongside.
 */
export class UserDataStore {
  /**
   * @param alsoOwnedElsewhere deletes a user's documents kept outside their partition (the
   * outbox), returning how many; counted as "outbox".
   */
  constructor(
    private readonly container: Container,
    private readonly alsoOwnedElsewhere: (pk: string) => Promise<number> = async () => 0,
    /** Makes every turn in flight for the user fail its write before anything is listed. */
    private readonly beginErasure: (user: UserKey) => Promise<ErasureStart | void> = async () => undefined,
    /** Takes the person's numbers out of Indsigt's counts, before their partition goes (its waiting changes with it). */
    private readonly withdrawInsight: (user: UserKey, start: ErasureStart) => Promise<void> = async () => undefined,
  ) {}

  async countByType(user: UserKey): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const { type } of await this.listIds(user)) counts[type] = (counts[type] ?? 0) + 1;
    return counts;
  }

  async deleteAll(user: UserKey): Promise<DeletionCounts> {
    // First the tombstone: a save in flight (a reflection, its follow-up) was read before it, so
    // its transaction fails instead of writing after the list below was taken.
    const start = await this.beginErasure(user);
    if (start) await this.withdrawInsight(user, start);
    const byType: Record<string, number> = {};
    let total = 0;
    const elsewhere = await this.alsoOwnedElsewhere(partitionKeyOf(user));
    if (elsewhere > 0) {
      byType.outbox = elsewhere;
      total += elsewhere;
    }
    for (const { id, type } of await this.listIds(user)) {
      if (!(await deleteIfPresent(this.container, id, partitionKeyOf(user)))) continue;
      byType[type] = (byType[type] ?? 0) + 1;
      total += 1;
    }
    return { byType, total };
  }

  private async listIds(user: UserKey): Promise<Array<{ id: string; type: string }>> {
    const { resources } = await this.container.items
      .query<{ id: string; type?: string }>(
        { query: "SELECT c.id, c.type FROM c WHERE c.pk = @pk", parameters: [{ name: "@pk", value: partitionKeyOf(user) }] },
        { partitionKey: partitionKeyOf(user) },
      )
      .fetchAll();
    return resources.map((r) => ({ id: r.id, type: r.type ?? "other" }));
  }
}
