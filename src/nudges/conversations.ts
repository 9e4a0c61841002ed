import { sameDestination, type StoredConversation } from "../domain/conversation";
import { partitionKeyOf, type UserKey } from "../domain/identity";
import { asTenantId, asUserId } from "../domain/ids";
import type { GroupDocuments } from "../storage/groupDocuments";
import { groupPartition } from "../domain/group/partition";
import { unlessKeptChanging } from "../storage/conditionalWrites";
import { decideSession, type SessionStore } from "../storage/userSessions";


/**
 * Where stored conversations live: a personal one in the user's session, a channel's or group
 * chat's in its own document. Knows how to refresh one and how to retire one that is gone.
 */
export class ConversationDirectory {
  constructor(
    private readonly sessions: SessionStore,
    private readonly groups: GroupDocuments,
  ) {}

  /**
   * Keeps a channel's or group chat's reference current; writes only when it changed. True when
   * this call made it active (first seen, or back after an uninstall): of two events racing to
   * do so, the conditional write lets exactly one win.
   */
  async rememberShared(conversation: StoredConversation): Promise<boolean> {
    const pk = groupPartition(conversation.conversationId);
    return this.groups.decide(pk, (existing) => {
      const activated = !existing?.conversation.active && conversation.active;
      return existing && sameDestination(existing.conversation, conversation) ? { outcome: activated } : { write: { ...(existing ?? { id: "channel", pk, type: "channel" }), conversation }, outcome: activated };
    });
  }

  async sharedConversation(conversationId: string): Promise<StoredConversation | undefined> {
    return (await this.groups.read(groupPartition(conversationId)))?.conversation;
  }

  /** Marks a conversation unusable (uninstalled, blocked, removed), with the reason. */
  async deactivate(conversation: StoredConversation, reason: string, at: Date): Promise<void> {
    const retired = { ...conversation, active: false, inactiveReason: reason, updatedAt: at.toISOString() };
    if (conversation.conversationType === "personal") {
      const user = personalOwner(conversation);
      if (user) await this.deactivatePersonal(user, retired);
      return;
    }
    await this.groups.update(groupPartition(conversation.conversationId), (existing) => (existing ? { ...existing, conversation: retired } : undefined));
  }

  private async deactivatePersonal(user: UserKey, retired: StoredConversation): Promise<void> {
    // A session that keeps changing is left as it is: the next failed send retires it again.
    await unlessKeptChanging(
      decideSession(this.sessions, user, `the conversation of ${partitionKeyOf(user)}`, ({ session, eTag }) =>
        eTag === undefined || !session.conversation ? { outcome: undefined } : { write: { session: { ...session, conversation: retired } }, outcome: undefined },
      ),
      undefined,
    );
  }
}

function personalOwner(conversation: StoredConversation): UserKey | undefined {
  return conversation.aadObjectId ? { tenantId: asTenantId(conversation.tenantId), userId: asUserId(conversation.aadObjectId) } : undefined;
}
