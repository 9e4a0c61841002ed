import type { Activity } from "botbuilder";
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
