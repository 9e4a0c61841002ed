import type { Container } from "@azure/cosmos";
import { partitionKeyOf, type UserKey } from "../domain/identity";
import { isNotFound } from "./cosmosErrors";

export interface DeletionCounts {
  /** Documents deleted, by type: session (profile, draft, dialog state), reflection, … */
  readonly byType: Readonly<Record<string, number>>;
  readonly total: number;
}

/**
 * The whole of one user's partition. Everything the app keeps about a user lives there, so
 * "slet mine data" is one partition emptied, and nothing else needs to know about it.
 */
export class UserDataStore {
  constructor(private readonly container: Container) {}

  async countByType(user: UserKey): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const { type } of await this.listIds(user)) counts[type] = (counts[type] ?? 0) + 1;
    return counts;
  }

  async deleteAll(user: UserKey): Promise<DeletionCounts> {
    const byType: Record<string, number> = {};
    let total = 0;
    for (const { id, type } of await this.listIds(user)) {
      try {
        await this.container.item(id, partitionKeyOf(user)).delete();
        byType[type] = (byType[type] ?? 0) + 1;
        total += 1;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
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
