import { contributionsOf, withoutPerson, withoutPoint, type GroupContribution } from "../domain/groupMeetings";
import type { SharedPoint } from "../domain/session";
import { channelPartition } from "../nudges/conversations";
import type { GroupMeetings } from "../storage/groupMeetings";

/**
 * A person's traces in leader groups (agreements they saved, statuses they set, edits): found
 * for their export and taken out when they erase their data. The agreements stay with the
 * group; only the person's name goes, replaced by "en tidligere deltager".
 */
export class GroupContributions {
  constructor(private readonly meetings: Pick<GroupMeetings, "naming" | "update">) {}

  async collect(aadObjectId: string): Promise<GroupContribution[]> {
    const meetings = await this.meetings.naming(aadObjectId);
    return meetings.flatMap((m) => contributionsOf(m, aadObjectId)).sort((a, b) => a.at.localeCompare(b.at));
  }

  async count(aadObjectId: string): Promise<number> {
    return (await this.collect(aadObjectId)).length;
  }

  /**
   * Takes the person out of every group: the points they shared (named or not; the anonymous
   * ones are known only from their own record) go, and their name on agreements and status
   * changes becomes "en tidligere deltager". Returns how many places that was.
   */
  async forget(aadObjectId: string, sharedPoints: readonly SharedPoint[] = []): Promise<number> {
    let replaced = 0;
    for (const point of sharedPoints) {
      const result = await this.meetings.update(channelPartition(point.groupId), point.meetingId, (current) => withoutPoint(current, point.pointId));
      if (result?.changed) replaced += 1;
    }
    for (const found of await this.meetings.naming(aadObjectId)) {
      let here = 0;
      await this.meetings.update(found.pk, found.id, (current) => {
        const result = withoutPerson(current, aadObjectId);
        here = result.replaced;
        return result.replaced > 0 ? result.meeting : undefined;
      });
      replaced += here;
    }
    return replaced;
  }
}
