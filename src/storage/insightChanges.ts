import { BulkOperationType, type Container, type OperationInput } from "@azure/cosmos";
import type { BucketChange } from "../domain/insight/aggregate";
import { isGroupPartition } from "../domain/group/partition";
import { bulk } from "./conditionalWrites";
import { AppError, ErrorCodes } from "../kernel/errors";

/**
 * A change to a tenant's Indsigt buckets, waiting in its owner's partition (a leader's or a
 * group's) until the tally applies it. It is written in the same transactional batch as what it
 * counts (the session with a reflection or a reminder, a meeting, a pulse's close), so it exists
 * exactly when that does; the tally deletes it once the buckets hold it.
 */
export interface PendingChange {
  readonly id: string;
  readonly pk: string;
  readonly type: "insight-change";
  readonly tenantId: string;
  /** Random, or derived from what it counts (a meeting, a pulse): a bucket applies each id once. */
  readonly changeId: string;
  readonly change: BucketChange;
  /** The tally applies a tenant's changes in this order: the order they happened in. */
  readonly createdAt: string;
}

/** A waiting change as the tally's query returns it: whose, and when. */
export type PendingRef = Pick<PendingChange, "id" | "pk" | "tenantId" | "createdAt">;

export const PENDING_CHANGE_TYPE = "insight-change";

/**
 * The waiting changes, in the containers of their owners: users' (userdata) and groups'
 * (channels). Reading them is the tally's query; each owner's are also read when the owner is
 * erased.
 */
export class PendingChanges {
  constructor(private readonly containers: readonly Container[]) {}

  /**
   * The oldest waiting changes of every tenant, oldest first, at most `max`: one query per
   * container (its plan and a page per partition-key range; the composite index on type and
   * createdAt serves it), whatever the number of leaders.
   */
  async oldest(max: number): Promise<PendingRef[]> {
    const found: PendingRef[] = [];
    for (const container of this.containers) {
      const { resources } = await container.items
        .query<PendingRef>({
          query: "SELECT TOP @max c.id, c.pk, c.tenantId, c.createdAt FROM c WHERE c.type = @type ORDER BY c.createdAt",
          parameters: [
            { name: "@max", value: max },
            { name: "@type", value: PENDING_CHANGE_TYPE },
          ],
        })
        .fetchAll();
      found.push(...resources);
    }
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).slice(0, max);
  }

  /** The changes themselves, in the order given (one bulk read per container); one gone meanwhile is left out. */
  async read(refs: readonly PendingRef[]): Promise<PendingChange[]> {
    const byId = new Map<string, PendingChange>();
    for (const [container, group] of this.byContainer(refs)) {
      const answers = await bulk(container, group.map((r): OperationInput => ({ operationType: BulkOperationType.Read, id: r.id, partitionKey: r.pk })));
      answers.forEach((answer, i) => {
        if (answer.statusCode === 404) return;
        if (answer.statusCode >= 300 || !answer.resourceBody) throw new AppError(ErrorCodes.storageUnavailable, { detail: `reading an Indsigt change answered ${answer.statusCode}`, cause: { code: answer.statusCode } });
        byId.set(group[i]!.id, answer.resourceBody as unknown as PendingChange);
      });
    }
    return refs.flatMap((r) => byId.get(r.id) ?? []);
  }

  /** An owner's waiting changes, oldest first (a query in their partition). */
  async forOwner(pk: string): Promise<PendingChange[]> {
    const { resources } = await this.containerFor(pk)
      .items.query<PendingChange>({ query: "SELECT * FROM c WHERE c.pk = @pk AND c.type = @type", parameters: [{ name: "@pk", value: pk }, { name: "@type", value: PENDING_CHANGE_TYPE }] }, { partitionKey: pk })
      .fetchAll();
    return resources.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Deletes applied changes (one bulk request per container); one already gone is not an error. */
  async deleteAll(changes: ReadonlyArray<Pick<PendingChange, "id" | "pk">>): Promise<void> {
    for (const [container, group] of this.byContainer(changes)) {
      const answers = await bulk(container, group.map((c): OperationInput => ({ operationType: BulkOperationType.Delete, id: c.id, partitionKey: c.pk })));
      const failed = answers.find((a) => a.statusCode >= 300 && a.statusCode !== 404);
      if (failed) throw new AppError(ErrorCodes.storageUnavailable, { detail: `deleting applied Indsigt changes answered ${failed.statusCode}`, cause: { code: failed.statusCode } });
    }
  }

  private byContainer<C extends Pick<PendingChange, "pk">>(changes: readonly C[]): Map<Container, C[]> {
    const groups = new Map<Container, C[]>();
    for (const change of changes) {
      const container = this.containerFor(change.pk);
      groups.set(container, [...(groups.get(container) ?? []), change]);
    }
    return groups;
  }

  private containerFor(pk: string): Container {
    // A group's changes live in the groups' container; everything else belongs to a user.
    return this.containers[isGroupPartition(pk) && this.containers.length > 1 ? 1 : 0]!;
  }
}
