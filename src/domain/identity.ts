import type { TenantId, UserId } from "./ids";
import { isGroupPartition } from "./group/partition";

/**
 * Who is speaking, as Teams vouches for it (the activity's aadObjectId and tenant), never as a
 * card claims. Every read and write of a user's data is scoped by this key.
 */
export interface UserKey {
  readonly tenantId: TenantId;
  readonly userId: UserId;
}

/** The Cosmos partition that holds everything of one user; ids are GUIDs, so `|` cannot clash. */
export function partitionKeyOf(user: UserKey): string {
  return `${user.tenantId}|${user.userId}`;
}

/** The reverse of partitionKeyOf, for work that starts from a stored document (the scheduler). */
export function userKeyFromPartition(pk: string): UserKey | undefined {
  const at = pk.indexOf("|");
  if (at <= 0 || isGroupPartition(pk)) return undefined;
  return { tenantId: pk.slice(0, at) as UserKey["tenantId"], userId: pk.slice(at + 1) as UserKey["userId"] };
}
