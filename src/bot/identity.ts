import type { Activity } from "botbuilder";
import type { StoredConversation } from "../domain/conversation";
import { asTenantId, asUserId } from "../domain/ids";
import type { UserKey } from "../domain/identity";

/**
 * The speaker as the channel vouches for it. In Teams that is the Entra object id and the
 * tenant; card data is never consulted. Other channels (the Emulator, Web Chat) have no
 * aadObjectId, so their channel-scoped user id stands in.
 */
export function userKeyOf(activity: Partial<Activity>): UserKey | undefined {
  const userId = activity.from?.aadObjectId ?? (activity.from?.id ? `${activity.channelId ?? "unknown"}:${activity.from.id}` : undefined);
  if (!userId) return undefined;
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  const tenantId = activity.conversation?.tenantId ?? channelData?.tenant?.id ?? "no-tenant";
  return { tenantId: asTenantId(tenantId), userId: asUserId(userId) };
}

export function isPersonalConversation(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  return type === undefined || type === "personal";
}

/** A Teams deep link that opens the 1:1 chat with this bot. */
export function personalChatLink(activity: Partial<Activity>): string {
  const botId = activity.recipient?.id;
  return botId ? `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(botId)}` : "";
}

/** What this activity tells us about reaching its conversation later (see StoredConversation). */
export function conversationOf(activity: Partial<Activity>, now: Date): StoredConversation | undefined {
  const conversation = activity.conversation;
  if (!conversation?.id || !activity.serviceUrl || !activity.recipient?.id) return undefined;
  const channelData = activity.channelData as { tenant?: { id?: string }; team?: { id?: string }; channel?: { id?: string } } | undefined;
  const type = conversation.conversationType === "channel" ? "channel" : conversation.conversationType === "groupChat" ? "groupChat" : "personal";
  return {
    channelId: activity.channelId ?? "msteams",
    serviceUrl: activity.serviceUrl,
    conversationId: type === "channel" ? conversation.id.split(";")[0]! : conversation.id,
    conversationType: type,
    tenantId: conversation.tenantId ?? channelData?.tenant?.id ?? "no-tenant",
    botId: activity.recipient.id,
    botName: activity.recipient.name,
    ...(type === "personal" && activity.from ? { userId: activity.from.id, aadObjectId: activity.from.aadObjectId } : {}),
    ...(channelData?.team?.id ? { teamId: channelData.team.id } : {}),
    ...(channelData?.channel?.id ? { channelIdInTeam: channelData.channel.id } : {}),
    ...(type !== "personal" && conversation.name ? { name: conversation.name } : {}),
    active: true,
    updatedAt: now.toISOString(),
  };
}
