import type { Container } from "@azure/cosmos";
import { sameDestination, type StoredConversation } from "../domain/conversation";
import type { UserKey } from "../domain/identity";
import { asTenantId, asUserId } from "../domain/ids";
import { replaceIfUnchanged } from "../storage/conditionalWrites";
import { isNotFound } from "../storage/cosmosErrors";
import { ETagConflictError } from "../storage/cosmosErrors";
import type { SessionStore } from "../storage/userSessions";

interface ChannelDocument {
  id: "channel";
  pk: string;
  type: "channel";
  conversation: StoredConversation;
  settings?: Record<string, unknown>;
  _etag?: string;
}

/** The partition of a team channel or group chat: its conversation id without a thread's message id. */
export function channelPartition(conversationId: string): string {
  return `channel|${conversationId.split(";")[0]}`;
}

/**
 * Where stored conversations live: a personal one in the user's session, a channel's or group
 * chat's in its own document. Knows how to refresh one and how to retire one that is gone.
 */
export class ConversationDirectory {
  constructor(
    private readonly sessions: SessionStore,
    private readonly channels: Container,
  ) {}

  /** Keeps a channel's or group chat's reference current; writes only when it changed. */
  async rememberShared(conversation: StoredConversation): Promise<void> {
    const pk = channelPartition(conversation.conversationId);
    const existing = await this.readChannel(pk);
    if (existing && sameDestination(existing.conversation, conversation)) return;
    await this.channels.items.upsert({ ...(existing ?? { id: "channel", pk, type: "channel" }), conversation });
  }

  async sharedConversation(conversationId: string): Promise<StoredConversation | undefined> {
    return (await this.readChannel(channelPartition(conversationId)))?.conversation;
  }

  /** Marks a conversation unusable (uninstalled, blocked, removed), with the reason. */
  async deactivate(conversation: StoredConversation, reason: string, at: Date): Promise<void> {
    const retired = { ...conversation, active: false, inactiveReason: reason, updatedAt: at.toISOString() };
    if (conversation.conversationType === "personal") {
      const user = personalOwner(conversation);
      if (user) await this.deactivatePersonal(user, retired);
      return;
    }
    const pk = channelPartition(conversation.conversationId);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const existing = await this.readChannel(pk);
      if (!existing || (await replaceIfUnchanged(this.channels, existing, pk, { ...existing, conversation: retired }))) return;
    }
  }

  private async deactivatePersonal(user: UserKey, retired: StoredConversation): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { session, eTag } = await this.sessions.load(user);
      if (eTag === undefined || !session.conversation) return;
      try {
        await this.sessions.save(user, { ...session, conversation: retired }, eTag);
        return;
      } catch (error) {
        if (!(error instanceof ETagConflictError)) throw error;
      }
    }
  }

  private async readChannel(pk: string): Promise<ChannelDocument | undefined> {
    try {
      const { resource } = await this.channels.item("channel", pk).read<ChannelDocument>();
      return resource;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

function personalOwner(conversation: StoredConversation): UserKey | undefined {
  return conversation.aadObjectId ? { tenantId: asTenantId(conversation.tenantId), userId: asUserId(conversation.aadObjectId) } : undefined;
}

