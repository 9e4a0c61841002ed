import type { Decision } from "../result";
/**
 * One person taken out of a meeting's record, and what they did there, for their export.
 */
import { withIndexes } from "./meetings";
import { type AgreementStatus, FORMER_MEMBER, type GroupDocument, type GroupMeeting, type Person } from "./model";
import { groupIdOf } from "./partition";

/**
 * A meeting's document with one person taken out: their name becomes "en tidligere deltager"
 * wherever they saved, changed or edited something, and points shared in their name go. The
 * agreements themselves stay: they are the group's. Counts the names replaced and the points
 * removed apart, so the receipt says what really happened.
 */
export function withoutPerson(meeting: GroupMeeting, aadObjectId: string, authorKey?: string): { meeting: GroupMeeting; replaced: number; pointsRemoved: number } {
  let replaced = 0;
  const swap = (p: Person): Person => {
    if (p.aadObjectId !== aadObjectId) return p;
    replaced += 1;
    return FORMER_MEMBER;
  };
  const agreements = meeting.agreements.map((a) => ({ ...a, createdBy: swap(a.createdBy), changes: a.changes.map((c) => ({ ...c, by: swap(c.by) })) }));
  const savedBy = meeting.agreementsSavedBy ? swap(meeting.agreementsSavedBy) : undefined;
  // A point with their name is theirs: it goes (anonymous ones are found from their own record).
  const points = (meeting.points ?? []).filter((p) => p.by?.aadObjectId !== aadObjectId && (authorKey === undefined || p.authorKey !== authorKey));
  const next: GroupMeeting = { ...meeting, agreements, points, ...(savedBy ? { agreementsSavedBy: savedBy } : {}) };
  return { meeting: withIndexes(next), replaced, pointsRemoved: (meeting.points ?? []).length - points.length };
}

/** Taking a person out of one meeting, as a decision: what to write (nothing when they are not in it), and what went. */
export function erasureOf(meeting: GroupMeeting, aadObjectId: string, authorKey?: string): Decision<GroupMeeting, { readonly pointsRemoved: number; readonly namesReplaced: number }> {
  const without = withoutPerson(meeting, aadObjectId, authorKey);
  const outcome = { pointsRemoved: without.pointsRemoved, namesReplaced: without.replaced };
  return without.pointsRemoved + without.replaced > 0 ? { write: without.meeting, outcome } : { outcome };
}

/**
 * A group's document with one person taken out, as a decision (nothing to write when it does not
 * name them): as the last to change the settings they become "en tidligere deltager" (the time
 * stays); they leave the stewards (a chat whose only steward erased is set up again by whoever
 * does it first, as a new one is); and they leave the stored roster, so no invitation or reminder
 * finds them. Teams' roster, asked again at the group's next save or meeting, lists them again
 * only while they are still in the group.
 */
export function groupErasureOf(group: GroupDocument, aadObjectId: string): Decision<GroupDocument, { readonly namesReplaced: number } | undefined> {
  const same = (id: string | undefined) => id !== undefined && id.toLowerCase() === aadObjectId.toLowerCase();
  const lastChange = same(group.lastChange?.aadObjectId) ? { name: FORMER_MEMBER.name, aadObjectId: undefined, at: group.lastChange!.at } : group.lastChange;
  const stewards = group.stewards?.filter((id) => !same(id));
  const members = group.members?.filter((m) => !same(m.aadObjectId));
  const changed = lastChange !== group.lastChange || stewards?.length !== group.stewards?.length || members?.length !== group.members?.length;
  if (!changed) return { outcome: undefined };
  const { lastChange: _last, stewards: _stewards, members: _members, ...rest } = group;
  return {
    write: { ...rest, ...(lastChange ? { lastChange } : {}), ...(stewards && stewards.length > 0 ? { stewards } : {}), ...(members ? { members } : {}) },
    outcome: { namesReplaced: lastChange !== group.lastChange ? 1 : 0 },
  };
}

/** One thing a person did in a group, for their export. */
export interface GroupContribution {
  /** The group's chat or channel, as Teams names it. */
  readonly group: string;
  readonly meetingStart: string;
  readonly agreement: string;
  readonly what: "saved" | "status" | "edited";
  readonly status?: AgreementStatus;
  readonly at: string;
}

/** What this person saved, set or edited in a meeting's agreements. */
export function contributionsOf(meeting: GroupMeeting, aadObjectId: string): GroupContribution[] {
  const group = groupIdOf(meeting.pk) ?? "";
  const found: GroupContribution[] = [];
  for (const a of meeting.agreements) {
    const base = { group, meetingStart: meeting.start, agreement: a.text };
    if (a.createdBy.aadObjectId === aadObjectId) found.push({ ...base, what: "saved", at: a.createdAt });
    for (const c of a.changes) {
      if (c.by.aadObjectId !== aadObjectId) continue;
      found.push(c.status ? { ...base, what: "status", status: c.status, at: c.at } : { ...base, what: "edited", at: c.at });
    }
  }
  return found;
}
