import type { GroupMeetings } from "../storage/meetingStore";
import type { Groups } from "./groups";
import type { GroupMinutes } from "./minutes";
import type { MeetingLoop } from "./meetingLoop";
import type { GroupSettings } from "../domain/group/groupSettings";
import type { StoredConversation } from "../domain/conversation";
import type { KeptPost } from "../cards/replies";
import { DeliveryError, type Messenger, type OutgoingMessage } from "../nudges/messenger";
import { decideRetry } from "../nudges/retryPolicy";
import { KEPT_SCHEDULE_ID, type Outbox, type OutboxRecord } from "../nudges/outbox";
import { agreementsAlreadySavedText, agreementsListCard, agreementsSavedCard, minutesMessages } from "../cards/meetingCards";
import { groupStatusCard } from "../cards/groupCards";
import type { Logger } from "../kernel/log";
import { errorCodeOf, ErrorCodes } from "../kernel/errors";
import { groupIdOf, groupPartition } from "../domain/group/partition";
import type { Pulses } from "./pulses";
import { unreachable } from "../domain/intent";

/**
 * The most of a group's messages one erasure re-draws, newest first; the rest are counted as not
 * updated. The outbox keeps them only for OUTBOX_KEEP_DAYS anyway, so a group reaches this only
 * by asking for "aftaler" or "status" many times a day.
 */
const MAX_POSTS = 60;

/** What a re-draw that failed followed, in the log's words. */
const AFTER_ERASURE = "an erasure";
const AFTER_PANEL = "a change in the meeting's side panel";

/** The most of a meeting's messages one change from the side panel re-draws: a meeting has a start card, an end card and a few "aftaler". */
const MAX_SHOWN = 5;

/** Every kind of group message an erasure re-draws: the start cards posted through the outbox, and the kept answers. */
const REDRAWN: ReadonlyArray<KeptPost["kind"]> = ["meeting-start", "agreements-list", "group-status", "agreements-saved-by", "minutes", "pulse-invitation"];

/** What updating a group's posted cards did. */
export interface PostedCardsUpdate {
  /** Teams took the update: the message shows it now. */
  readonly updated: number;
  /** Teams was busy or away: the outbox sends the update later, retried as every proactive message. */
  readonly queued: number;
  /** Teams refused it for good (the bot was removed, the post is gone), or it could not be made. */
  readonly failed: number;
}

/** A message re-drawn, or why not: what it showed is gone; it no longer fits the message it was; it does not name the person. */
type Redrawn = { readonly message: OutgoingMessage; readonly keepAs?: KeptPost } | "gone" | "unfit" | "unchanged";

/**
 * The messages in a group that name people, updated after an erasure, so one already in the chat
 * no longer shows the person's name or point: the "Dagens refleksion" cards the bot posted, and
 * the answers it gave there that name people ("aftaler", "status", "allerede gemt af …",
 * "referat", a start card re-drawn by a click, a Vi-pulse's invitation), whose ids the bot edge
 * keeps (`keep`). Each is drawn again from the group's data as it is now. The outbox keeps each
 * one's Teams id while it keeps the record (OUTBOX_KEEP_DAYS); one older than that, or one Teams
 * no longer lets the bot change (the bot was removed), stays as it was sent. The end-of-meeting
 * card names nobody from Teams: it is the form, or, once saved, the agreements and who is
 * responsible, as typed.
 */
export class PostedCards {
  constructor(
    private readonly deps: {
      readonly outbox: Pick<Outbox, "posted" | "replaceMessage" | "keepSent" | "keptNaming" | "queueUpdate">;
      readonly messenger: Pick<Messenger, "update">;
      readonly meetings: Pick<GroupMeetings, "read" | "forGroup">;
      readonly groups: Pick<Groups, "document" | "settings" | "schedules">;
      readonly loop: Pick<MeetingLoop, "startCard">;
      readonly minutes: Pick<GroupMinutes, "ofMeeting">;
      readonly pulses: Pick<Pulses, "invitationWithoutAsker">;
      readonly clock: () => Date;
      readonly log: Logger;
    },
  ) {}

  /** Keeps the Teams id of an answer in a group that names people (see KeptPost). */
  async keep(group: StoredConversation, post: KeptPost, activityId: string): Promise<void> {
    const { kind, ...drawnFrom } = post;
    await this.deps.outbox.keepSent({ ownerPk: groupPartition(group.conversationId), conversation: group, activityId, kind, drawnFrom, at: this.deps.clock() });
  }

  /**
   * Re-draws every message kept in these groups' partitions, and wherever a kept message names
   * the person by their keyed mark, from the groups' data as it is now.
   */
  async refresh(groupPks: Iterable<string>, erasedMark: string): Promise<PostedCardsUpdate> {
    const counts = { updated: 0, queued: 0, failed: 0 };
    const pks = new Set(groupPks);
    for (const pk of await this.deps.outbox.keptNaming(erasedMark)) pks.add(pk);
    for (const pk of pks) {
      let found;
      try {
        found = await this.postsOf(pk);
      } catch (err) {
        // An erasure goes on without the cards: the meetings themselves have changed already.
        counts.failed += 1;
        this.log(err, pk);
        continue;
      }
      const { posts, beyond, settings } = found;
      counts.failed += beyond;
      if (!settings) continue;
      for (const { post, copies } of posts) {
        try {
          const redrawn = await this.redraw(keptPostOf(post), pk, settings, erasedMark);
          if (redrawn === "gone" || redrawn === "unchanged") continue;
          if (redrawn === "unfit") {
            counts.failed += 1;
            continue;
          }
          // Our own copy first (a post sent through the outbox): it goes even when Teams no longer lets the bot change the post.
          for (const copy of copies) await this.deps.outbox.replaceMessage(copy.id, redrawn.message);
          const outcome = await this.update(post, redrawn.message);
          // A message that named the person by their mark no longer does: kept without it (a queued update will say the same).
          if (outcome !== "failed" && redrawn.keepAs) await this.keep(post.conversation, redrawn.keepAs, post.activityId!);
          counts[outcome] += 1;
        } catch (err) {
          counts.failed += 1;
          this.log(err, post.id);
        }
      }
    }
    return counts;
  }

  /**
   * After a change made outside the chat (the meeting's side panel): the chat's cards of that
   * meeting drawn again from what is stored, as a click in the chat re-draws the card it was on.
   * A status: the meeting's start cards (they list the agreements it follows up). Saved
   * agreements: its end card (the form becomes the receipt, as after "Gem aftalerne" in the
   * chat). Either: the newest "aftaler". Teams busy: queued, as after an erasure.
   */
  async showChange(pk: string, meetingId: string, what: "statuses" | "agreements"): Promise<PostedCardsUpdate> {
    const counts = { updated: 0, queued: 0, failed: 0 };
    const meeting = await this.deps.meetings.read(pk, meetingId);
    if (!meeting) return counts;
    const byMessage = new Map<string, { post: OutboxRecord; copies: OutboxRecord[] }>();
    for (const record of await this.deps.outbox.posted(pk, what === "statuses" ? "meeting-start" : "meeting-end", "agreements-list")) {
      const message = byMessage.get(record.activityId!) ?? byMessage.set(record.activityId!, { post: record, copies: [] }).get(record.activityId!)!;
      if (record.scheduleId !== KEPT_SCHEDULE_ID) message.copies.push(record);
    }
    const ofMeeting = (record: OutboxRecord) => (record.meetingId ?? record.drawnFrom?.meetingId) === meetingId;
    const newestList = [...byMessage.values()].find(({ post }) => post.kind === "agreements-list");
    const posts = [...byMessage.values()].filter(({ post }) => ofMeeting(post) || post === newestList?.post).slice(0, MAX_SHOWN);
    if (posts.length === 0) return counts;
    const settings = this.deps.groups.settings.effective(await this.deps.groups.document(groupIdOf(pk) ?? ""), undefined);
    const { timezone } = settings;
    for (const { post, copies } of posts) {
      let message: OutgoingMessage | undefined;
      if (post.kind === "meeting-start") message = { attachments: [await this.deps.loop.startCard(meeting, settings)] };
      else if (post.kind === "meeting-end") message = meeting.agreementsSavedAt ? { attachments: [agreementsSavedCard(meeting.agreements, timezone)] } : undefined;
      else message = { attachments: [agreementsListCard(await this.deps.meetings.forGroup(pk, this.deps.clock()), timezone)] };
      if (!message) continue;
      try {
        for (const copy of copies) await this.deps.outbox.replaceMessage(copy.id, message);
        counts[await this.update(post, message, AFTER_PANEL)] += 1;
      } catch (err) {
        counts.failed += 1;
        this.log(err, post.id, AFTER_PANEL);
      }
    }
    return counts;
  }

  /**
   * Replaces the message in Teams now; when Teams is busy or away, the outbox sends the update
   * later with the same retries as every proactive message, so an erasure does not wait on Teams.
   * Tried here before the outbox, not queued first: the erasure tells the person, in their turn,
   * which posts now show them no more, and only Teams' answer can say so.
   */
  private async update(post: OutboxRecord, message: OutgoingMessage, after: string = AFTER_ERASURE): Promise<keyof PostedCardsUpdate> {
    try {
      await this.deps.messenger.update(post.conversation, post.activityId!, message);
      return "updated";
    } catch (err) {
      const decision = err instanceof DeliveryError ? decideRetry(err, 1) : undefined;
      if (decision?.kind !== "retry") {
        this.log(err, post.id, after);
        return "failed";
      }
      await this.deps.outbox.queueUpdate(post, post.activityId!, message, new Date(this.deps.clock().getTime() + decision.delayMs));
      return "queued";
    }
  }

  /**
   * A group's messages to re-draw, newest first, one per Teams message (with the outbox's copies
   * of it to replace); how many are past the most one erasure re-draws; the group's settings.
   */
  private async postsOf(pk: string): Promise<{ posts: Array<{ post: OutboxRecord; copies: OutboxRecord[] }>; beyond: number; settings: GroupSettings | undefined }> {
    // A start card re-drawn by a click is kept again under the post's own id: the newest record of a message stands for it.
    const byMessage = new Map<string, { post: OutboxRecord; copies: OutboxRecord[] }>();
    for (const record of await this.deps.outbox.posted(pk, ...REDRAWN)) {
      const message = byMessage.get(record.activityId!) ?? byMessage.set(record.activityId!, { post: record, copies: [] }).get(record.activityId!)!;
      if (record.scheduleId !== KEPT_SCHEDULE_ID) message.copies.push(record);
    }
    const all = [...byMessage.values()];
    const settings = all.length > 0 ? this.deps.groups.settings.effective(await this.deps.groups.document(groupIdOf(pk) ?? ""), undefined) : undefined;
    return { posts: all.slice(0, MAX_POSTS), beyond: Math.max(0, all.length - MAX_POSTS), settings };
  }

  /** A message as it reads now, from what it was drawn from. */
  private async redraw(post: KeptPost, pk: string, settings: GroupSettings, erasedMark: string): Promise<Redrawn> {
    const { timezone } = settings;
    switch (post.kind) {
      case "meeting-start": {
        const meeting = await this.deps.meetings.read(pk, post.meetingId);
        return meeting ? { message: { attachments: [await this.deps.loop.startCard(meeting, settings)] } } : "gone";
      }
      case "agreements-list":
        return { message: { attachments: [agreementsListCard(await this.deps.meetings.forGroup(pk, this.deps.clock()), timezone)] } };
      case "group-status":
        return { message: { attachments: [groupStatusCard(await this.deps.groups.schedules.status(groupIdOf(pk) ?? ""))] } };
      case "agreements-saved-by": {
        const meeting = await this.deps.meetings.read(pk, post.meetingId);
        return meeting ? { message: { text: agreementsAlreadySavedText(meeting, timezone) } } : "gone";
      }
      case "minutes": {
        const minutes = await this.deps.minutes.ofMeeting(groupIdOf(pk) ?? "", post.meetingId, settings);
        if (minutes === undefined) return "gone";
        const text = minutesMessages(minutes)[post.part];
        return text === undefined ? "unfit" : { message: { text } };
      }
      case "pulse-invitation": {
        // The card names the leader who asked, from the turn: only their own erasure changes it.
        if (post.names !== erasedMark) return "unchanged";
        const card = await this.deps.pulses.invitationWithoutAsker(pk, post.pulseId, timezone);
        return card ? { message: { attachments: [card] }, keepAs: { kind: "pulse-invitation", pulseId: post.pulseId } } : "gone";
      }
      default:
        return unreachable(post);
    }
  }

  private log(err: unknown, where: string, after: string = AFTER_ERASURE): void {
    this.deps.log.warn({ code: errorCodeOf(err, ErrorCodes.sendFailed), where }, `A posted card could not be updated after ${after}; it stays as it was sent`);
  }
}

/** What a record was drawn from: a post the outbox sent is a meeting's start card; a kept message says so itself. */
function keptPostOf(record: OutboxRecord): KeptPost {
  if (record.scheduleId !== KEPT_SCHEDULE_ID) return { kind: "meeting-start", meetingId: record.meetingId ?? "" };
  return { kind: record.kind, ...record.drawnFrom } as KeptPost;
}
