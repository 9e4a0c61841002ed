import { contributionsOf, erasureOf, groupErasureOf, type GroupContribution } from "../domain/group/erasure";
import type { GroupDocuments } from "../storage/groupDocuments";
import type { GroupMeeting } from "../domain/group/model";
import type { Decision } from "../domain/result";
import { withoutPoint } from "../domain/group/meetings";
import type { SharedPoint } from "../domain/session";

import type { GroupMeetings } from "../storage/meetingStore";
import { errorCodeOf, ErrorCodes } from "../kernel/errors";
import type { Logger } from "../kernel/log";
import type { PointAuthorKey } from "../domain/pointAuthor";
import { groupPartition } from "../domain/group/partition";

/** What taking a person out of their groups did, counted as it happened. */
export interface GroupErasure {
  /** Points they shared (named or not) that are gone. */
  readonly pointsRemoved: number;
  /** Places where their name became "en tidligere deltager". */
  readonly namesReplaced: number;
  /** Meetings that could not be changed now (storage failed); "slet mine data" again reaches them. */
  readonly notReached: number;
  /** Cards the bot had posted in those groups, updated to show the meetings as they are now. */
  readonly cardsUpdated: number;
  /** Posted cards Teams could not update now (busy, away): the outbox updates them shortly. */
  readonly cardsQueued: number;
  /** Posted cards Teams did not let the bot update (it was removed, the post is gone): they stay as sent. */
  readonly cardsNotUpdated: number;
}

/** Updates the messages in groups whose meetings or documents an erasure changed, and wherever one names the person by their mark. */
export interface PostedCardsRefresh {
  refresh(groupPks: Iterable<string>, erasedMark: string): Promise<{ readonly updated: number; readonly queued: number; readonly failed: number }>;
}

/**
 * A person's traces in leader groups (agreements they saved, statuses they set, edits, the
 * settings they changed, their place among the stewards and in the stored roster): found for
 * their export and taken out when they erase their data. The agreements stay with the group;
 * only the person's name goes, replaced by "en tidligere deltager".
 */
export class GroupContributions {
  constructor(
    private readonly deps: {
      readonly meetings: Pick<GroupMeetings, "naming" | "decide">;
      readonly groups: Pick<GroupDocuments, "naming" | "decide">;
      readonly authorKeyOf: PointAuthorKey;
      readonly log: Logger;
      /** The messages the bot posted in the groups, re-drawn after an erasure (none in tests of the documents alone). */
      readonly postedCards?: PostedCardsRefresh;
    },
  ) {}

  async collect(aadObjectId: string): Promise<GroupContribution[]> {
    const meetings = await this.deps.meetings.naming(aadObjectId);
    return meetings.flatMap((m) => contributionsOf(m, aadObjectId)).sort((a, b) => a.at.localeCompare(b.at));
  }

  async count(aadObjectId: string): Promise<number> {
    return (await this.collect(aadObjectId)).length;
  }

  /**
   * Takes the person out of every group: the points they shared (named or not; the anonymous
   * ones are known only from their own record) go, and their name on agreements and status
   * changes becomes "en tidligere deltager". A meeting that cannot be changed now does not stop
   * the rest: it is logged, counted and left for the next "slet mine data", which finds named
   * mentions again by query.
   */
  async forget(user: { readonly tenantId: string; readonly userId: string }, sharedPoints: readonly SharedPoint[] = []): Promise<GroupErasure> {
    const aadObjectId = user.userId;
    const authorKey = this.deps.authorKeyOf(user);
    let pointsRemoved = 0;
    let namesReplaced = 0;
    let notReached = 0;
    const changedGroups = new Set<string>();
    /** One document's part of the erasure; one that cannot be changed now is counted and left for the next time. */
    const reached = async <O>(pk: string, id: string, change: () => Promise<{ changed: boolean; outcome: O } | undefined>) => {
      try {
        const result = await change();
        if (result?.changed) changedGroups.add(pk);
        return result?.changed ? result.outcome : undefined;
      } catch (err) {
        notReached += 1;
        this.deps.log.error({ code: errorCodeOf(err, ErrorCodes.erasureIncomplete), err, document: id }, ErrorCodes.erasureIncomplete.description);
        return undefined;
      }
    };
    const attempt = <O>(pk: string, id: string, decide: (current: GroupMeeting) => Decision<GroupMeeting, O>) => reached(pk, id, () => this.deps.meetings.decide(pk, id, decide));
    for (const point of sharedPoints) {
      const removed = await attempt(groupPartition(point.groupId), point.meetingId, (current) => {
        const next = withoutPoint(current, point.pointId);
        return next ? { write: next, outcome: 1 } : { outcome: 0 };
      });
      pointsRemoved += removed ?? 0;
    }
    for (const found of await this.deps.meetings.naming(aadObjectId, authorKey)) {
      const erased = await attempt(found.pk, found.id, (current) => erasureOf(current, aadObjectId, authorKey));
      pointsRemoved += erased?.pointsRemoved ?? 0;
      namesReplaced += erased?.namesReplaced ?? 0;
    }
    // The groups' own documents: who last changed the settings, the stewards, the stored roster.
    for (const group of await this.deps.groups.naming(aadObjectId)) {
      const erased = await reached(group.pk, group.id, async () => {
        const outcome = await this.deps.groups.decide(group.pk, (current) => (current ? groupErasureOf(current, aadObjectId) : { outcome: undefined }));
        return outcome ? { changed: true, outcome } : undefined;
      });
      namesReplaced += erased?.namesReplaced ?? 0;
    }
    const cards = this.deps.postedCards ? await this.deps.postedCards.refresh(changedGroups, authorKey) : { updated: 0, queued: 0, failed: 0 };
    return { pointsRemoved, namesReplaced, notReached, cardsUpdated: cards.updated, cardsQueued: cards.queued, cardsNotUpdated: cards.failed };
  }
}
