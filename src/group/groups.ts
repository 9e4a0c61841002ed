import type { Framework } from "../domain/framework";
import type { DaysOff } from "../domain/daysOff";
import type { GroupDocument } from "../domain/group/model";
import { groupPartition } from "../domain/group/partition";
import type { Outbox } from "../nudges/outbox";
import type { ScheduleStore } from "../nudges/scheduleStore";
import type { GroupDocuments } from "../storage/groupDocuments";
import { GroupRoster } from "./groupRoster";
import { GroupSchedules } from "./groupSchedules";
import { GroupSettingsService } from "./groupSettingsService";

/**
 * Leader groups (a team channel, a group chat or a meeting's chat), as the group flows use them:
 * the group's document, and one service per concern: its settings, its roster, its schedules.
 */
export class Groups {
  readonly settings: GroupSettingsService;
  readonly roster: GroupRoster;
  readonly schedules: GroupSchedules;

  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly documents: GroupDocuments;
      readonly schedules: ScheduleStore;
      readonly outbox: Outbox;
      readonly clock: () => Date;
      readonly daysOff: DaysOff;
    },
  ) {
    this.schedules = new GroupSchedules(deps);
    this.settings = new GroupSettingsService({ framework: deps.framework, documents: deps.documents, schedules: this.schedules, clock: deps.clock });
    this.roster = new GroupRoster(deps);
  }

  /** The group's document, its stored zone repaired if it no longer works. */
  document(conversationId: string): Promise<GroupDocument | undefined> {
    return this.deps.documents.readRepaired(groupPartition(conversationId));
  }
}
