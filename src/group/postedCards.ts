import type { GroupMeetings } from "./meetingStore";
import type { GroupSchedules } from "./groupSchedules";
import type { MeetingLoop } from "./meetingLoop";
import { DeliveryError, type Messenger, type OutgoingMessage } from "../nudges/messenger";
import type { Outbox, OutboxRecord } from "../nudges/outbox";
import { decideRetry } from "../nudges/retryPolicy";
import type { GroupMeeting } from "./model";
import type { GroupSettings } from "./settings";
import type { Logger } from "../log";
import { errorCodeOf, ErrorCodes } from "../errors";
import { groupIdOf } from "./partition";

/** The most of a group's posts one erasure updates: the outbox keeps sent posts for OUTBOX_KEEP_DAYS anyway. */
const MAX_POSTS = 60;

/** What updating a group's posted cards did. */
export interface PostedCardsUpdate {
  /** Teams took the update: the card shows it now. */
  readonly updated: number;
  /** Teams was busy or away: the outbox sends the update later, retried as every proactive message. */
  readonly queued: number;
  /** Teams refused it for good (the bot was removed, the post is gone), or it could not be made. */
  readonly failed: number;
}

/**
 * The "Dagens refleksion" cards the bot posted in a group, updated after an erasure, so a card
 * already in the chat no longer shows the person's name or point. The outbox keeps each post's
 * Teams id (and a copy of the card) while it keeps the record; a post older than that, or one
 * Teams no longer lets the bot change (the bot was removed), stays as it was sent.
 * The end-of-meeting card names nobody from Teams: it is the form, or, once saved, the agreements.
 */
export class PostedCards {
  constructor(
    private readonly deps: {
      readonly outbox: Pick<Outbox, "posted" | "replaceMessage" | "queueUpdate">;
      readonly messenger: Pick<Messenger, "update">;
      readonly meetings: Pick<GroupMeetings, "read">;
      readonly channels: Pick<GroupSchedules, "document" | "effectiveSettings">;
      readonly loop: Pick<MeetingLoop, "startCard">;
      readonly log: Logger;
      readonly clock: () => Date;
    },
  ) {}

  /** Re-renders every start card posted in these groups' partitions from the meetings as they are now. */
  async refresh(groupPks: Iterable<string>): Promise<PostedCardsUpdate> {
    const counts = { updated: 0, queued: 0, failed: 0 };
    for (const pk of new Set(groupPks)) {
      let found;
      try {
        const posts = (await this.deps.outbox.posted(pk, "meeting-start")).slice(0, MAX_POSTS);
        found = { posts, settings: posts.length > 0 ? this.deps.channels.effectiveSettings(await this.deps.channels.document(groupIdOf(pk) ?? ""), undefined) : undefined };
      } catch (err) {
        // An erasure goes on without the cards: the meetings themselves have changed already.
        counts.failed += 1;
        this.log(err, pk);
        continue;
      }
      const { posts, settings } = found;
      if (!settings) continue;
      for (const post of posts) {
        const meeting = post.meetingId ? await this.deps.meetings.read(pk, post.meetingId) : undefined;
        if (!meeting || !post.activityId) continue;
        counts[await this.update(post, post.activityId, meeting, settings)] += 1;
      }
    }
    return counts;
  }

  private async update(post: OutboxRecord, activityId: string, meeting: GroupMeeting, settings: GroupSettings): Promise<keyof PostedCardsUpdate> {
    let message: OutgoingMessage;
    try {
      message = { attachments: [await this.deps.loop.startCard(meeting, settings)] };
      // Our own copy first: it goes even when Teams no longer lets the bot change the post.
      await this.deps.outbox.replaceMessage(post.id, message);
    } catch (err) {
      this.log(err, post.id);
      return "failed";
    }
    try {
      await this.deps.messenger.update(post.conversation, activityId, message);
      return "updated";
    } catch (err) {
      const decision = err instanceof DeliveryError ? decideRetry(err, 1) : undefined;
      if (decision?.kind !== "retry") {
        this.log(err, post.id);
        return "failed";
      }
      try {
        await this.deps.outbox.queueUpdate(post, activityId, message, new Date(this.deps.clock().getTime() + decision.delayMs));
        return "queued";
      } catch (queueErr) {
        this.log(queueErr, post.id);
        return "failed";
      }
    }
  }

  private log(err: unknown, where: string): void {
    this.deps.log.warn({ code: errorCodeOf(err, ErrorCodes.sendFailed), where }, "A posted card could not be updated after an erasure; it stays as it was sent");
  }
}
