import type { Container } from "@azure/cosmos";
import type { ChannelSettings, SettingsChange } from "../domain/channelSettings";
import type { StoredConversation } from "../domain/conversation";
import type { GroupMember } from "../domain/groupMeetings";
import { isConflict, isNotFound, isPreconditionFailed } from "./cosmosErrors";
import { ifMatch } from "./conditionalWrites";

/** One document per team channel or group chat, in its own partition. */
export interface ChannelDocument {
  readonly id: "channel";
  readonly pk: string;
  readonly type: "channel";
  readonly conversation: StoredConversation;
  readonly settings?: ChannelSettings;
  readonly lastChange?: SettingsChange;
  /** Chats only: who set the automation up and whom they named; they alone may change it. */
  readonly stewards?: readonly string[];
  /** One-time tokens of the settings cards now showing (newest last, a few at most). */
  readonly settingsCardTokens?: readonly string[];
  /** The group's members as Teams last told (for the invitations before a meeting), and when. */
  readonly members?: readonly GroupMember[];
  readonly membersAt?: string;
  /** Theme id → when its questions were last posted on demand here. */
  readonly questionsPostedAt?: Readonly<Record<string, string>>;
  readonly _etag?: string;
}

const ATTEMPTS = 8;

/** A short random pause before trying again, so two writers that collided don't collide again in step. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20 * attempt)));

/**
 * The only writer of channel documents: every write is conditional (If-Match on the eTag it
 * read, or create-if-absent), so two instances, or a scheduler and a person, never overwrite
 * each other's fields.
 */
export class ChannelDocuments {
  constructor(private readonly container: Container) {}

  async read(pk: string): Promise<ChannelDocument | undefined> {
    try {
      const { resource } = await this.container.item("channel", pk).read<ChannelDocument>();
      return resource;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Applies `change` to the document as stored now and writes it conditionally, reading again
   * and re-applying when another writer got there first. `change` returns undefined to leave
   * the document as it is. Returns the document as stored afterwards.
   */
  async update(pk: string, change: (current: ChannelDocument | undefined) => ChannelDocument | undefined): Promise<ChannelDocument | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.read(pk);
      const next = change(current);
      if (!next) return current;
      const written = await this.writeIfUnchanged(current, next);
      if (written) return written;
      if (attempt >= ATTEMPTS) throw new Error(`Channel document ${pk} kept changing under ${ATTEMPTS} attempts`);
      await backoff(attempt);
    }
  }

  /** Writes `next` only if the document still has the eTag `current` was read with (or is still absent). */
  async writeIfUnchanged(current: ChannelDocument | undefined, next: ChannelDocument): Promise<ChannelDocument | undefined> {
    const { _etag: _ignored, ...body } = next;
    try {
      if (!current) return (await this.container.items.create<ChannelDocument>(body)).resource;
      const { resource } = await this.container
        .item("channel", next.pk)
        .replace<ChannelDocument>(body, ifMatch(current));
      return resource;
    } catch (error) {
      if (isConflict(error) || isPreconditionFailed(error) || isNotFound(error)) return undefined;
      throw error;
    }
  }
}
