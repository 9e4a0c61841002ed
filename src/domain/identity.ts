import type { TenantId, UserId } from "./ids";

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
