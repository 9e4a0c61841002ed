import type { Container } from "@azure/cosmos";
import { questionsCooldownLeft, cooldownLeft, ALL_MINUTES_COOLDOWN_MS, validTimeZone } from "../domain/group/groupSettings";
import type { StoredConversation } from "../domain/conversation";
import type { GroupDocument, GroupMember } from "../domain/group/model";
import { isConflict, isNotFound, isPreconditionFailed } from "./cosmosErrors";
import { decideWithRetry, ifMatch, updateWithRetry, readIfPresent } from "./conditionalWrites";
import type { Decision } from "../domain/result";
import { groupPartition } from "../domain/group/partition";

/**
 * The only writer of group documents (stored as id and type "channel", their first name): every write is conditional (If-Match on the eTag it
 * read, or create-if-absent), so two instances, or a scheduler and a person, never overwrite
 * each other's fields.
 */
export class GroupDocuments {
  constructor(private readonly container: Container) {}

  async read(pk: string): Promise<GroupDocument | undefined> {
    return readIfPresent<GroupDocument>(this.container, "channel", pk);
  }

  /**
   * Applies `change` to the document as stored now and writes it conditionally, reading again
   * and re-applying when another writer got there first. `change` returns undefined to leave
   * the document as it is. Returns the document as stored afterwards.
   */
  async update(pk: string, change: (current: GroupDocument | undefined) => GroupDocument | undefined): Promise<GroupDocument | undefined> {
    const { stored } = await updateWithRetry(`Group document ${pk}`, () => this.read(pk), change, (current, next) => this.writeIfUnchanged(current, next));
    return stored;
  }

  /** `update` with a decision that also says what it came to (the outcome of the last decision, on the document as written or left). */
  async decide<O>(pk: string, decide: (current: GroupDocument | undefined) => Decision<GroupDocument, O>): Promise<O> {
    const { outcome } = await decideWithRetry(`Group document ${pk}`, () => this.read(pk), decide, (current, next) => this.writeIfUnchanged(current, next));
    return outcome;
  }

  /** The document, with a stored zone that no longer works repaired (and written back). */
  async readRepaired(pk: string): Promise<GroupDocument | undefined> {
    const document = await this.read(pk);
    const settings = document?.settings;
    if (!document || !settings || validTimeZone(settings.timezone) === settings.timezone) return document;
    const repaired = { ...document, settings: { ...settings, timezone: validTimeZone(settings.timezone) } };
    return (await this.writeIfUnchanged(document, repaired)) ?? repaired;
  }

  /** Keeps a new settings card's one-time token (and the newest few before it) on the document. */
  async issueSettingsCardToken(conversation: StoredConversation, token: string, keep: number): Promise<GroupDocument | undefined> {
    const pk = groupPartition(conversation.conversationId);
    return this.update(pk, (current) => ({
      ...(current ?? { id: "channel", pk, type: "channel", conversation }),
      settingsCardTokens: [...(current?.settingsCardTokens ?? []), token].slice(-keep),
    }));
  }

  /**
   * Records an on-demand post of a theme's questions, checking the cool-down again on the
   * document as stored: false when another post of the theme (another person, another
   * instance) came first.
   */
  async recordQuestionsPosted(conversation: StoredConversation, themeId: string, now: Date): Promise<boolean> {
    const pk = groupPartition(conversation.conversationId);
    return this.decide(pk, (current) =>
      questionsCooldownLeft(current?.questionsPostedAt?.[themeId], now) > 0
        ? { outcome: false }
        : { write: { ...(current ?? { id: "channel", pk, type: "channel", conversation }), questionsPostedAt: { ...(current?.questionsPostedAt ?? {}), [themeId]: now.toISOString() } }, outcome: true },
    );
  }

  /** Records a "referat alle" unless one ran within the cool-down; false when it did (nothing is recorded). */
  async recordAllMinutes(conversation: StoredConversation, now: Date): Promise<boolean> {
    const pk = groupPartition(conversation.conversationId);
    return this.decide(pk, (current) =>
      cooldownLeft(current?.allMinutesAt, now, ALL_MINUTES_COOLDOWN_MS) > 0
        ? { outcome: false }
        : { write: { ...(current ?? { id: "channel", pk, type: "channel", conversation }), allMinutesAt: now.toISOString() }, outcome: true },
    );
  }

  /**
   * Groups whose document names this person: as the last to change the settings, as a steward,
   * or in the stored roster. Across partitions: for their erasure only.
   */
  async naming(aadObjectId: string): Promise<GroupDocument[]> {
    const { resources } = await this.container.items
      .query<GroupDocument>({
        query:
          "SELECT * FROM c WHERE c.type = 'channel' AND (LOWER(c.lastChange.aadObjectId) = @id OR ARRAY_CONTAINS(c.stewards, @id) OR ARRAY_CONTAINS(c.members, { aadObjectId: @id }, true))",
        parameters: [{ name: "@id", value: aadObjectId.toLowerCase() }],
      })
      .fetchAll();
    return resources;
  }

  /** Keeps the roster Teams gave, with when. */
  async rememberMembers(pk: string, members: readonly GroupMember[], now: Date): Promise<void> {
    await this.update(pk, (doc) => (doc ? { ...doc, members, membersAt: now.toISOString() } : undefined));
  }

  /** Takes members out of the stored roster by Teams id or object id; the rest stays as it was. */
  async forgetMembers(pk: string, ids: readonly string[], now: Date): Promise<void> {
    const gone = new Set(ids.map((id) => id.toLowerCase()));
    await this.update(pk, (doc) => {
      const members = (doc?.members ?? []).filter((m) => !gone.has(m.id.toLowerCase()) && !gone.has(m.aadObjectId));
      return doc && members.length !== (doc.members ?? []).length ? { ...doc, members, membersAt: now.toISOString() } : undefined;
    });
  }

  /** Writes `next` only if the document still has the eTag `current` was read with (or is still absent). */
  async writeIfUnchanged(current: GroupDocument | undefined, next: GroupDocument): Promise<GroupDocument | undefined> {
    const { _etag: _ignored, ...body } = next;
    try {
      if (!current) return (await this.container.items.create<GroupDocument>(body)).resource;
      const { resource } = await this.container
        .item("channel", next.pk)
        .replace<GroupDocument>(body, ifMatch(current));
      return resource;
    } catch (error) {
      if (isConflict(error) || isPreconditionFailed(error) || isNotFound(error)) return undefined;
      throw error;
    }
  }
}
