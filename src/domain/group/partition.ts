/**
 * A leader group's partition key, made and read in one place: `channel|<conversation id>` (the
 * conversation's id without the ";messageid=…" of a channel thread). "channel" is the stored
 * prefix from before meeting chats were groups too; changing it would move every group's data.
 */
const GROUP_PREFIX = "channel|";

export function groupPartition(conversationId: string): string {
  return `${GROUP_PREFIX}${conversationId.split(";")[0]}`;
}

export function isGroupPartition(pk: string): boolean {
  return pk.startsWith(GROUP_PREFIX);
}

/** The group's conversation id from its partition key; undefined for any other partition. */
export function groupIdOf(pk: string): string | undefined {
  return isGroupPartition(pk) ? pk.slice(GROUP_PREFIX.length) : undefined;
}
