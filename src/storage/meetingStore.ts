import { randomUUID } from "node:crypto";
import type { Container } from "@azure/cosmos";
import type { MeetingChange } from "../domain/group/agreements";
import type { GroupMeeting } from "../domain/group/model";
import { createIfAbsent, decideWithRetry, replaceWithIfUnchanged, updateWithRetry, readIfPresent } from "./conditionalWrites";
import type { Decision } from "../domain/result";
import { withoutSystemFields } from "./systemFields";
import { AppError, ErrorCodes } from "../kernel/errors";

/**
 * The id of the marker every write of a group's meetings rewrites, in the same transactional
 * batch: its eTag changes whenever a meeting of the group does, so one point read tells a reader
 * that polls (the meeting's side panel) whether anything changed, without reading the meetings.
 */
export const MEETINGS_CHANGED_ID = "meetings-changed";

/** The marker as written beside a change of the group's meetings (or of its Vi-pulse, which the panel shows too). */
export function meetingsChangedMarker(pk: string): object {
  // A fresh value on each write: the eTag would change anyway, and the value says the write was not a no-op.
  return { id: MEETINGS_CHANGED_ID, pk, type: MEETINGS_CHANGED_ID, change: randomUUID() };
}

/**
 * A group's meetings, one document each, in the group's partition beside its channel document.
 * Every write is conditional: the first to create a meeting decides its theme and token, and
 * two people (or instances) changing agreements at once never lose each other's change.
 */
export class GroupMeetings {
  constructor(private readonly container: Container) {}

  async read(pk: string, id: string): Promise<GroupMeeting | undefined> {
    const resource = await readIfPresent<GroupMeeting>(this.container, id, pk);
    return resource?.type === "meeting" ? resource : undefined;
  }

  /** The meeting's document as stored: this one if it is the first, else the one already there. */
  async open(meeting: GroupMeeting): Promise<GroupMeeting> {
    const created = await createIfAbsent(this.container, withoutSystemFields<GroupMeeting>(meeting));
    if (created) {
      await this.container.items.upsert(meetingsChangedMarker(meeting.pk));
      return created;
    }
    const existing = await this.read(meeting.pk, meeting.id);
    if (!existing) throw new AppError(ErrorCodes.storageInconsistent, { detail: `meeting ${meeting.id} was there a moment ago and is gone` });
    return existing;
  }

  /** The group's meetings held by `now` (begun), newest first: a partition-scoped query of one group's history. */
  async forGroup(pk: string, now: Date, max = 50): Promise<GroupMeeting[]> {
    const { resources } = await this.container.items
      .query<GroupMeeting>(
        {
          query: "SELECT TOP @max * FROM c WHERE c.pk = @pk AND c.type = 'meeting' AND c.start <= @now ORDER BY c.start DESC",
          parameters: [{ name: "@pk", value: pk }, { name: "@max", value: max }, { name: "@now", value: now.toISOString() }],
        },
        { partitionKey: pk },
      )
      .fetchAll();
    return resources;
  }

  /**
   * The meetings before `start` whose agreements a meeting follows up, however long ago: those
   * with an agreement not done, or a status set since `start` (marked done during the meeting).
   * Its own query, so years of meetings never push an open agreement out of a "last 50".
   */
  async toFollowUp(pk: string, start: Date): Promise<GroupMeeting[]> {
    const { resources } = await this.container.items
      .query<GroupMeeting>(
        {
          query:
            "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'meeting' AND c.start < @start AND (NOT IS_DEFINED(c.openCount) OR c.openCount > 0 OR c.statusChangedAt >= @start)",
          parameters: [{ name: "@pk", value: pk }, { name: "@start", value: start.toISOString() }],
        },
        { partitionKey: pk },
      )
      .fetchAll();
    return resources;
  }

  /**
   * Applies a pure change (changed, same, or refused and why) to the meeting as stored now, writing
   * it (with `alongside`) if it changed; re-decided on fresh data after a lost race. Returns the
   * decision and the meeting as stored, or undefined when the meeting does not exist.
   */
  async apply(
    pk: string,
    id: string,
    change: (current: GroupMeeting) => MeetingChange,
    alongside: (next: GroupMeeting) => readonly object[] = () => [],
  ): Promise<{ readonly change: MeetingChange; readonly meeting: GroupMeeting } | undefined> {
    const result = await this.decide<MeetingChange>(
      pk,
      id,
      (current) => {
        const decided = change(current);
        return decided.kind === "changed" ? { write: decided.meeting, outcome: decided } : { outcome: decided };
      },
      alongside,
    );
    return result && { change: result.outcome, meeting: result.meeting };
  }

  /**
   * The general form of `apply`: a pure decision says what to write and what it came to (for
   * example, how many of a person's traces an erasure took out of this meeting).
   */
  async decide<O>(
    pk: string,
    id: string,
    decide: (current: GroupMeeting) => Decision<GroupMeeting, O>,
    alongside: (next: GroupMeeting) => readonly object[] = () => [],
  ): Promise<{ readonly outcome: O; readonly meeting: GroupMeeting; readonly changed: boolean } | undefined> {
    const { stored, outcome, changed } = await decideWithRetry<GroupMeeting & { _etag?: string }, O | undefined>(
      `Meeting ${id}`,
      () => this.read(pk, id),
      (current) => (current ? decide(current) : { outcome: undefined }),
      (current, next) => replaceWithIfUnchanged(this.container, current!, pk, withoutSystemFields<GroupMeeting>(next), [...alongside(next), meetingsChangedMarker(pk)]),
    );
    return stored && outcome !== undefined ? { outcome, meeting: stored, changed } : undefined;
  }

  /** The eTag of the group's change marker (MEETINGS_CHANGED_ID): it changes with every write of the group's meetings. One point read. */
  async changeTag(pk: string): Promise<string | undefined> {
    return (await readIfPresent<{ _etag?: string }>(this.container, MEETINGS_CHANGED_ID, pk))?._etag;
  }

  /** Meetings in any group that name this person, or hold an unnamed point with their mark: for their export and their erasure. */
  async naming(aadObjectId: string, authorKey = "-"): Promise<GroupMeeting[]> {
    const { resources } = await this.container.items
      .query<GroupMeeting>({
        query: "SELECT * FROM c WHERE c.type = 'meeting' AND (ARRAY_CONTAINS(c.people, @who) OR ARRAY_CONTAINS(c.authorKeys, @key))",
        parameters: [{ name: "@who", value: aadObjectId }, { name: "@key", value: authorKey }],
      })
      .fetchAll();
    return resources;
  }

  /**
   * Applies `change` to the meeting as stored now and writes it if nobody changed it meanwhile,
   * re-reading and re-applying otherwise. `change` returns undefined to leave it be. Documents
   * `alongside` the changed meeting (its reminder schedules, in the same partition) are written
   * in the same transactional batch. Returns the stored document after the write, or undefined
   * when the meeting does not exist.
   */
  async update(
    pk: string,
    id: string,
    change: (current: GroupMeeting) => GroupMeeting | undefined,
    alongside: (next: GroupMeeting) => readonly object[] = () => [],
  ): Promise<{ meeting: GroupMeeting; changed: boolean } | undefined> {
    const { stored, changed } = await updateWithRetry<GroupMeeting & { _etag?: string }>(
      `Meeting ${id}`,
      () => this.read(pk, id),
      (current) => (current ? change(current) : undefined),
      (current, next) => replaceWithIfUnchanged(this.container, current!, pk, withoutSystemFields<GroupMeeting>(next), [...alongside(next), meetingsChangedMarker(pk)]),
    );
    return stored ? { meeting: stored, changed } : undefined;
  }
}
