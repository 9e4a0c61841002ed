import { contributionsOf, erasureOf, type GroupContribution } from "./erasure";
import type { GroupMeeting } from "./model";
import type { Decision } from "../domain/result";
import { withoutPoint } from "./meetings";
import type { SharedPoint } from "../domain/session";

import type { GroupMeetings } from "./meetingStore";
import { errorCodeOf, ErrorCodes } from "../errors";
import type { Logger } from "../log";
import type { PointAuthorKey } from "../domain/pointAuthor";
import { groupPartition } from "./partition";

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

/** Updates the cards posted in groups whose meetings an erasure changed. */
export interface PostedCardsRefresh {
  refresh(groupPks: Iterable<string>): Promise<{ readonly updated: number; readonly queued: number; readonly failed: number }>;
}

/**
 * A person's traces in leader groups (agreements they saved, statuses they set, edits): found
 * for their export and taken out when they erase their data. The agreements stay with the
 * group; only the person's name goes, replaced by "en tidligere deltager".
 */
export class GroupContributions {
  constructor(
    private readonly meetings: Pick<GroupMeetings, "naming" | "decide">,
    private readonly authorKeyOf: PointAuthorKey,
    private readonly log: Logger,
    private readonly postedCards?: PostedCardsRefresh,
  ) {}

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
   * changes becomes "en tidligere deltager". A meeting that cannot be changed now does not stop
   * the rest: it is logged, counted and left for the next "slet mine data", which finds named
   * mentions again by query.
   */
  async forget(user: { readonly tenantId: string; readonly userId: string }, sharedPoints: readonly SharedPoint[] = []): Promise<GroupErasure> {
    const aadObjectId = user.userId;
    const authorKey = this.authorKeyOf(user);
    let pointsRemoved = 0;
    let namesReplaced = 0;
    let notReached = 0;
    const changedGroups = new Set<string>();
    /** One meeting's part of the erasure; a meeting that cannot be changed now is counted and left for the next time. */
    const attempt = async <O>(pk: string, id: string, decide: (current: GroupMeeting) => Decision<GroupMeeting, O>) => {
      try {
        const result = await this.meetings.decide(pk, id, decide);
        if (result?.changed) changedGroups.add(pk);
        return result?.changed ? result.outcome : undefined;
      } catch (err) {
        notReached += 1;
        this.log.error({ code: errorCodeOf(err, ErrorCodes.erasureIncomplete), err, meeting: id }, ErrorCodes.erasureIncomplete.description);
        return undefined;
      }
    };
    for (const point of sharedPoints) {
      const removed = await attempt(groupPartition(point.groupId), point.meetingId, (current) => {
        const next = withoutPoint(current, point.pointId);
        return next ? { write: next, outcome: 1 } : { outcome: 0 };
      });
      pointsRemoved += removed ?? 0;
    }
    for (const found of await this.meetings.naming(aadObjectId, authorKey)) {
      const erased = await attempt(found.pk, found.id, (current) => erasureOf(current, aadObjectId, authorKey));
      pointsRemoved += erased?.pointsRemoved ?? 0;
      namesReplaced += erased?.namesReplaced ?? 0;
    }
    const cards = changedGroups.size > 0 && this.postedCards ? await this.postedCards.refresh(changedGroups) : { updated: 0, queued: 0, failed: 0 };
    return { pointsRemoved, namesReplaced, notReached, cardsUpdated: cards.updated, cardsQueued: cards.queued, cardsNotUpdated: cards.failed };
  }
}
