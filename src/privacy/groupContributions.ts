import { contributionsOf, withoutPerson, type GroupContribution } from "../domain/groupMeetings";
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

  /** Replaces the person's name everywhere in the groups' meetings; returns how many mentions went. */
  async forget(aadObjectId: string): Promise<number> {
    let replaced = 0;
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
