/**
 * Where the bot can write later (a proactive message): what Teams told us about a conversation
 * the last time it spoke to us there. Plain data; the bot edge turns it into a botbuilder
 * ConversationReference.
 */
export interface StoredConversation {
  readonly channelId: string;
  readonly serviceUrl: string;
  readonly conversationId: string;
  readonly conversationType: "personal" | "channel" | "groupChat";
  readonly tenantId: string;
  readonly botId: string;
  readonly botName?: string;
  /** The user's channel account id (29:…), for personal conversations. */
  readonly userId?: string;
  readonly aadObjectId?: string;
  readonly teamId?: string;
  /** The channel this conversation is (for team channels): the team's General channel id equals the team id. */
  readonly channelIdInTeam?: string;
  /** A group chat's or channel's name as Teams gave it, if it did: what members are told a point goes to. */
  readonly name?: string;
  readonly active: boolean;
  readonly inactiveReason?: string;
  readonly updatedAt: string;
}

/** The fields that matter for sending; a refresh that changes none of them is not worth a write. */
export function sameDestination(a: StoredConversation | undefined, b: StoredConversation): boolean {
  return (
    a !== undefined &&
    a.active === b.active &&
    a.serviceUrl === b.serviceUrl &&
    a.conversationId === b.conversationId &&
    a.tenantId === b.tenantId &&
    a.botId === b.botId &&
    a.teamId === b.teamId
  );
}
