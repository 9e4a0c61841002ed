import type { Container } from "@azure/cosmos";
import type { ReflectionId } from "../domain/ids";
import { partitionKeyOf, type UserKey } from "../domain/identity";
import type { Reflection } from "../domain/reflection";
import { reflectionTtl } from "../domain/expiry";
import { createIfAbsent, deleteIfPresent, replaceIfUnchanged, updateWithRetry } from "./conditionalWrites";
import { isNotFound } from "./cosmosErrors";
import { withoutSystemFields } from "./systemFields";

export interface ReflectionPage {
  readonly reflections: readonly Reflection[];
  /** Pass back to get the next page; undefined on the last page. */
  readonly continuationToken: string | undefined;
}

/** Longest continuation token we accept back from a card; real ones are a few hundred bytes. */
export const MAX_CONTINUATION_LENGTH = 4096;

interface ReflectionDocument extends Reflection {
  pk: string;
  type: "reflection";
  _etag?: string;
}


/**
 * Completed reflections, each in its owner's partition. Every method takes the UserKey from the
 * turn, so there is no way to address another user's reflection through this class.
 */
export class ReflectionRepository {
  constructor(
    private readonly container: Container,
    /** With RETENTION_DAYS, reflections carry a ttl, so Cosmos deletes them on time by itself. */
    private readonly retention: { readonly days: number | undefined; readonly clock: () => Date } = { days: undefined, clock: () => new Date() },
  ) {}

  private expiry(completedAt: string): { ttl?: number } {
    return this.retention.days === undefined ? {} : { ttl: reflectionTtl(completedAt, this.retention.days, this.retention.clock()) };
  }

  /**
   * Stores a completed reflection once. Its id is the draft's id, so a double click or a retried
   * turn finds it already there and stores nothing twice.
   */
  /** The document a completed reflection is stored as (with its ttl under RETENTION_DAYS). */
  documentOf(reflection: Reflection): ReflectionDocument {
    return { ...reflection, pk: partitionKeyOf(reflection), type: "reflection", ...this.expiry(reflection.completedAt) };
  }

  /** Stores a completed reflection once, on its own (imports, tests); the chat writes it with the session. */
  async saveCompleted(reflection: Reflection): Promise<"created" | "already-saved"> {
    return (await createIfAbsent(this.container, this.documentOf(reflection))) ? "created" : "already-saved";
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

  /**
   * One page, newest first, continuing from `continuationToken` (Cosmos' own; never OFFSET).
   * The query is scoped to the user's partition, so a token from elsewhere cannot reach past it.
   */
  async listPage(user: UserKey, pageSize: number, continuationToken?: string): Promise<ReflectionPage> {
    const pk = partitionKeyOf(user);
    const found: ReflectionDocument[] = [];
    let token = continuationToken;
    // Cosmos may end a page early, or send an empty one that says "there is more": fetch on
    // from where it stopped, asking only for what is missing, until the page is full.
    for (let fetches = 0; fetches < 20 && found.length < pageSize; fetches += 1) {
      const response = await this.container.items
        .query<ReflectionDocument>(
          { query: "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'reflection' ORDER BY c.completedAt DESC", parameters: [{ name: "@pk", value: pk }] },
          { partitionKey: pk, maxItemCount: pageSize - found.length, continuationToken: token },
        )
        .fetchNext();
      found.push(...response.resources);
      token = response.hasMoreResults ? response.continuationToken : undefined;
      if (!token) break;
    }
    return { reflections: found.map(toReflection), continuationToken: token };
  }

  /** Appends a follow-up note, retrying when another write got there first. */
  async addFollowUp(user: UserKey, id: ReflectionId, note: { text: string; at: string }): Promise<Reflection | undefined> {
    const pk = partitionKeyOf(user);
    const read = async () => {
      try {
        return (await this.container.item(id, pk).read<ReflectionDocument>()).resource;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    };
    const { stored, changed } = await updateWithRetry(
      `the follow-up of reflection ${id}`,
      read,
      // The write restarts Cosmos' TTL clock, so the ttl is computed again to keep the same end.
      (document) => (document?.type === "reflection" ? { ...document, followUps: [...(document.followUps ?? []), note], ...this.expiry(document.completedAt) } : undefined),
      (current, next) => replaceIfUnchanged(this.container, current!, pk, next),
    );
    return changed && stored ? toReflection(stored) : undefined;
  }

  /**
   * Deletes every reflection completed before `cutoff`, across all users; for the retention job.
   * Returns how many; never logs or returns content.
   */
  async deleteCompletedBefore(cutoff: Date): Promise<number> {
    const { resources } = await this.container.items
      .query<{ id: string; pk: string }>(
        {
          query: "SELECT c.id, c.pk FROM c WHERE c.type = 'reflection' AND c.completedAt < @cutoff",
          parameters: [{ name: "@cutoff", value: cutoff.toISOString() }],
        },
        { maxItemCount: 500 },
      )
      .fetchAll();
    let deleted = 0;
    for (const { id, pk } of resources) if (await deleteIfPresent(this.container, id, pk)) deleted += 1;
    return deleted;
  }

  /**
   * The newest reflection on a theme: what the next one on it opens with. The session knows its
   * id (`lastReflectionIds`, kept since it was saved), so this is a point read; a query, which
   * costs a query plan and a page, only for a session from before that, or when it is gone.
   */
  async lastOnTheme(user: UserKey, themeId: string, knownId?: ReflectionId): Promise<Reflection | undefined> {
    if (knownId) {
      const known = await this.get(user, knownId);
      if (known?.themeId === themeId) return known;
    }
    const { resources } = await this.container.items
      .query<ReflectionDocument>(
        {
          query: "SELECT TOP 1 * FROM c WHERE c.pk = @pk AND c.type = 'reflection' AND c.themeId = @theme ORDER BY c.completedAt DESC",
          parameters: [
            { name: "@pk", value: partitionKeyOf(user) },
            { name: "@theme", value: themeId },
          ],
        },
        { partitionKey: partitionKeyOf(user) },
      )
      .fetchAll();
    return resources[0] ? toReflection(resources[0]) : undefined;
  }

  /** Newest first. The partition filter is in the query itself: the embedded server ignores the header. */
  async listNewestFirst(user: UserKey, max = 1000): Promise<Reflection[]> {
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
  const { pk: _pk, type: _type, ...reflection } = withoutSystemFields(document);
  return reflection;
}
