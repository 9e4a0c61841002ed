/**
 * Which meeting a moment belongs to, its document's id, and the lookup fields kept on it.
 */
import { createHash } from "node:crypto";
import { localDate } from "../time";
import { type GroupMeeting, type MeetingSlot, type Person } from "./model";

/** The id of a meeting's document: one per group and start, whoever creates it first. */
/** What meetingDocumentId makes: the only meeting ids a card may name. */
export const MEETING_ID = /^meeting\|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function meetingDocumentId(slot: MeetingSlot): string {
  return `meeting|${(slot.key ?? slot.start).toISOString()}`;
}

/**
 * An instant meeting (or one outside the group's series) is known by the Teams meeting id and
 * its day: the start and end events of one meeting map to the same document.
 */
export function instantMeetingKey(teamsMeetingId: string, at: Date, timezone: string): Date {
  const day = localDate(at, timezone);
  // Milliseconds from the meeting id keep two instant meetings on one day apart, and stable.
  const ms = parseInt(createHash("sha256").update(teamsMeetingId).digest("hex").slice(0, 6), 16) % 1000;
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + ms);
}

/**
 * Of the series' occurrences, the one a moment belongs to: the start closest to `at` within
 * `window` either side (an event can come early or late), measured from the start for a
 * start event and from the end for an end event.
 */
export function slotAround(occurrencesNear: (at: Date) => Date[], at: Date, durationMs: number, edge: "start" | "end", windowMs = 6 * 3_600_000): MeetingSlot | undefined {
  const reference = edge === "start" ? at.getTime() : at.getTime() - durationMs;
  let best: Date | undefined;
  for (const start of occurrencesNear(new Date(reference - windowMs))) {
    const distance = Math.abs(start.getTime() - reference);
    if (distance <= windowMs && (!best || distance < Math.abs(best.getTime() - reference))) best = start;
  }
  return best ? { start: best, end: new Date(best.getTime() + durationMs) } : undefined;
}

/** The meeting without one point; undefined when it is not there. */
export function withoutPoint(meeting: GroupMeeting, pointId: string): GroupMeeting | undefined {
  if (!(meeting.points ?? []).some((p) => p.id === pointId)) return undefined;
  return withIndexes({ ...meeting, points: (meeting.points ?? []).filter((p) => p.id !== pointId) });
}

/** A meeting with its lookup fields (people, authorKeys) made from its contents again. */
export function withIndexes(meeting: GroupMeeting): GroupMeeting {
  const { authorKeys: _old, ...rest } = meeting;
  const keys = [...new Set((meeting.points ?? []).map((p) => p.authorKey).filter((k): k is string => typeof k === "string"))].sort();
  const statusChanges = meeting.agreements.flatMap((a) => a.changes.filter((c) => c.status !== undefined).map((c) => c.at)).sort();
  return {
    ...rest,
    people: peopleIn(meeting),
    ...(keys.length > 0 ? { authorKeys: keys } : {}),
    openCount: meeting.agreements.filter((a) => a.status !== "done").length,
    ...(statusChanges.length > 0 ? { statusChangedAt: statusChanges.at(-1)! } : {}),
  };
}

/** Everyone named in a meeting's document, for the erasure and export queries. */
export function peopleIn(meeting: Pick<GroupMeeting, "agreements" | "agreementsSavedBy" | "points">): string[] {
  const ids = new Set<string>();
  const add = (p: Person | undefined) => p?.aadObjectId && ids.add(p.aadObjectId);
  add(meeting.agreementsSavedBy);
  (meeting.points ?? []).forEach((p) => add(p.by));
  for (const a of meeting.agreements) {
    add(a.createdBy);
    a.changes.forEach((c) => add(c.by));
  }
  return [...ids].sort();
}
