import type { Container } from "@azure/cosmos";
import type { ReflectionId } from "../domain/ids";
import { partitionKeyOf, type UserKey } from "../domain/identity";
import type { Reflection } from "../domain/reflection";
import { isConflict, isNotFound } from "./cosmosErrors";

interface ReflectionDocument extends Reflection {
  pk: string;
  type: "reflection";
}

const SYSTEM_FIELDS = ["_rid", "_self", "_etag", "_ts", "_attachments", "pk", "type"] as const;

/**
 * Completed reflections, each in its owner's partition. Every method takes the UserKey from the
 * turn, so there is no way to address another user's reflection through this class.
 */
export class ReflectionRepository {
  constructor(private readonly container: Container) {}

  /**
   * Stores a completed reflection once. Its id is the draft's id, so a double click or a retried
   * turn finds it already there and stores nothing twice.
   */
  async saveCompleted(reflection: Reflection): Promise<"created" | "already-saved"> {
    const document: ReflectionDocument = {
      ...reflection,
      pk: partitionKeyOf(reflection),
      type: "reflection",
    };
    try {
      await this.container.items.create(document);
      return "created";
    } catch (error) {
      if (isConflict(error)) return "already-saved";
      throw error;
    }
  }

  async get(user: UserKey, id: ReflectionId): Promise<Reflection | undefined> {
    try {
      const { resource } = await this.container.item(id, partitionKeyOf(user)).read<ReflectionDocument>();
      return resource?.type === "reflection" ? toReflection(resource) : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Newest first. The partition filter is in the query itself: the embedded server ignores the header. */
  async listNewestFirst(user: UserKey, max = 100): Promise<Reflection[]> {
    const { resources } = await this.container.items
      .query<ReflectionDocument>(
        {
          query: "SELECT TOP @max * FROM c WHERE c.pk = @pk AND c.type = 'reflection' ORDER BY c.completedAt DESC",
          parameters: [
            { name: "@pk", value: partitionKeyOf(user) },
            { name: "@max", value: max },
          ],
        },
        { partitionKey: partitionKeyOf(user) },
      )
      .fetchAll();
    return resources.map(toReflection);
  }
}

function toReflection(document: ReflectionDocument): Reflection {
  const copy: Record<string, unknown> = { ...document };
  for (const field of SYSTEM_FIELDS) delete copy[field];
  return copy as unknown as Reflection;
}
