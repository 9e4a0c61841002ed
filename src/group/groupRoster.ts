import type { GroupMember } from "../domain/group/model";
import { rosterIsStale } from "../domain/group/groupSettings";
import { groupPartition } from "../domain/group/partition";
import type { GroupDocuments } from "../storage/groupDocuments";

/** Asks Teams for the group's members; undefined when Teams would not say (see bot/groupRoster). */
export type FetchRoster = () => Promise<GroupMember[] | undefined>;

/** A leader group's stored roster, kept current for the invitations before its meetings. */
export class GroupRoster {
  constructor(
    private readonly deps: {
      readonly documents: GroupDocuments;
      readonly clock: () => Date;
    },
  ) {}

  /** Asks Teams when the stored roster is missing or old; a refusal keeps the last one. */
  async refresh(conversationId: string, roster: FetchRoster): Promise<void> {
    const pk = groupPartition(conversationId);
    const now = this.deps.clock();
    const current = await this.deps.documents.read(pk);
    if (!current || !rosterIsStale(current.membersAt, now)) return;
    const members = await roster();
    if (members) await this.deps.documents.rememberMembers(pk, members, now);
  }

  /**
   * Joins and leaves as Teams reports them: who left is taken out of the stored roster at once
   * (by Teams id or object id); a join fetches the roster again, whatever its age, since the
   * event does not carry names.
   */
  async follow(conversationId: string, change: { readonly added: readonly string[]; readonly removed: readonly string[] }, roster: FetchRoster): Promise<void> {
    const pk = groupPartition(conversationId);
    const now = this.deps.clock();
    if (change.removed.length > 0) await this.deps.documents.forgetMembers(pk, change.removed, now);
    if (change.added.length === 0 || !(await this.deps.documents.read(pk))) return;
    const members = await roster();
    if (members) await this.deps.documents.rememberMembers(pk, members, now);
  }
}
