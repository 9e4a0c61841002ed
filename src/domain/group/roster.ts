/**
 * Who in a group's roster may do what, and whom an agreement's free-text "Ansvarlig" names.
 */
import { type GroupMember } from "./model";
import type { StoredConversation } from "../conversation";

/** Whether someone may write to the group's record (points, agreements, status): not a guest on Teams' roster. */
export function mayWriteToGroup(members: readonly GroupMember[] | undefined, aadObjectId: string | undefined): boolean {
  const member = (members ?? []).find((m) => m.aadObjectId === aadObjectId?.toLowerCase());
  return member?.guest !== true;
}

/** Whether someone is on the group's roster now, and not a guest: who may answer its Vi-pulse. */
export function isMemberNow(members: readonly GroupMember[] | undefined, aadObjectId: string | undefined): boolean {
  const member = (members ?? []).find((m) => m.aadObjectId === aadObjectId?.toLowerCase());
  return member !== undefined && member.guest !== true;
}

/**
 * Who an agreement's free-text "responsible" names among the group's members: each part ("Mette
 * og Jonas", "Mette, Sara") that is a member's full name or a first name only one member has.
 * Names that fit nobody, or several, are left out: a reminder must not go to the wrong person.
 */
export function namedMembers(responsible: string, members: readonly GroupMember[]): GroupMember[] {
  const norm = (s: string) => s.toLocaleLowerCase("da-DK").replace(/\s+/g, " ").trim();
  const found = new Map<string, GroupMember>();
  for (const part of responsible.split(/,|\bog\b|&|\//i).map(norm).filter(Boolean)) {
    const full = members.filter((m) => norm(m.name) === part);
    const first = members.filter((m) => norm(m.name).split(" ")[0] === part);
    const match = full.length === 1 ? full : first.length === 1 ? first : [];
    for (const m of match) found.set(m.aadObjectId, m);
  }
  return [...found.values()];
}

/** Teams' own answer to "is this person in the group now?": true, false, or undefined when Teams cannot say. */
export interface GroupMembership {
  isMember(group: StoredConversation, aadObjectId: string): Promise<boolean | undefined>;
}

/**
 * What someone signed in to the meeting's side panel may do there: a member reads and writes, a
 * guest reads (as in the chat), and anyone not on the group's roster as Teams last reported it,
 * or from another tenant, gets nothing. The chat id the page sends is only where to look: it is
 * this check, not the id, that lets the caller in.
 */
export function panelRole(group: { readonly conversation: Pick<StoredConversation, "tenantId">; readonly members?: readonly GroupMember[] } | undefined, tenantId: string, userId: string): "member" | "guest" | undefined {
  if (!group || group.conversation.tenantId.toLowerCase() !== tenantId.toLowerCase()) return undefined;
  const member = (group.members ?? []).find((m) => m.aadObjectId === userId.toLowerCase());
  if (!member) return undefined;
  return member.guest ? "guest" : "member";
}
