import { randomUUID } from "node:crypto";
import { shareEndedCard, shareNoticeCard, shareQuestionsCard, shareQuestionsErasedCard } from "../cards/shareCards";
import type { StoredConversation } from "../domain/conversation";
import { asTenantId, asUserId } from "../domain/ids";
import type { ShareContent } from "../domain/sharing/content";
import {
  addQuestions,
  expire,
  fitsDocument,
  isShareId,
  MAX_ACTIVE_SHARES,
  newShare,
  newShareId,
  offeredTooOften,
  readableBy,
  receivedRecordOf,
  recordOpen,
  sharesToMakeRoom,
  validDays,
  withdraw,
  withinContentLimits,
  type QuestionsOutcome,
  type ReaderIdentity,
  type ReceivedShareRecord,
  type Share,
  type ShareQuestion,
  type WithdrawOutcome,
} from "../domain/sharing/share";
import { ErrorCodes } from "../kernel/errors";
import type { Logger } from "../kernel/log";
import { DeliveryError, type Messenger, type OutgoingMessage } from "../nudges/messenger";
import { Outbox, type OutboxRecord } from "../nudges/outbox";
import { decideRetry } from "../nudges/retryPolicy";
import { decideWithRetry } from "../storage/conditionalWrites";
import { withoutSystemFields } from "../storage/systemFields";
import { readerPkOf, readerPkOfIdentity, sharerPkOf, userPk, type ShareStore, type StoredShare } from "../storage/shares";
import type { SessionStore } from "../storage/userSessions";

export type OfferRefusal = "readerNotInstalled" | "self" | "tooLarge" | "badDays" | "empty" | "tooMany" | "tooOften";

export interface OfferRequest {
  readonly tenantId: string;
  readonly sharer: { readonly userId: string; readonly name: string };
  /** In the sharer's tenant: a share never crosses tenants. */
  readonly reader: { readonly aadObjectId: string; readonly name: string };
  readonly content: ShareContent;
  readonly days: number;
}

export type OfferResult = { readonly ok: true; readonly share: Share } | { readonly ok: false; readonly reason: OfferRefusal };

/** What either person's `eksport` holds of Til min leder. */
export interface ShareExport {
  /** The shares this person made, with what they shared and the questions they got. */
  readonly made: readonly Share[];
  /** The shares made to this person that are still kept, ended ones too: who, when and state, with their own questions and read log; never the content. */
  readonly received: readonly ReceivedShareRecord[];
}

/** The outbox kinds of Til min leder's messages (the notice to the reader, the questions to the sharer). */
export const SHARE_NOTICE_KIND = "share-notice";
export const SHARE_QUESTIONS_KIND = "share-questions";
/** Ended notices waiting for Teams carry no name and no content, so they are owned by no person (an erasure need not look for them). */
const ENDED_OWNER = "share-ended";
/** The expiry job's lease: long enough for a look of EXPIRY_BATCH shares. */
const EXPIRY_LEASE_MS = 60_000;
const EXPIRY_BATCH = 100;

export interface ShareServiceDeps {
  readonly shares: ShareStore;
  /** Where a person's 1:1 conversation with the bot is kept (their session): no conversation, no app. */
  readonly sessions: Pick<SessionStore, "load">;
  readonly outbox: Pick<Outbox, "enqueue" | "posted" | "queueUpdate" | "replaceMessage" | "deletePendingOf">;
  /** To re-draw a notice at once when a share ends (queued in the outbox when Teams is busy). */
  readonly messenger: Pick<Messenger, "update">;
  /** The Teams deep link to the reader's tab, opening this share. */
  readonly tabLink: (share: Share) => string;
  readonly log: Logger;
  /** For the calls that need no particular time from their caller (erasure, export). */
  readonly clock?: () => Date;
  /** Identifies this instance in the expiry job's lease. */
  readonly holder?: string;
  readonly newId?: () => string;
}

/**
 * Til min leder's core: a share is offered to exactly one person, read by them only, withdrawn,
 * expired and erased. The decisions are pure (domain/sharing/share.ts); this runs them against
 * the store, conditionally, and tells each person in their 1:1 chat through the outbox.
 *
 * Nothing here logs a shared text or a question: only ids, states and counts.
 */
export class ShareService {
  private readonly holder: string;
  private readonly newId: () => string;

  constructor(private readonly deps: ShareServiceDeps) {
    this.holder = deps.holder ?? `instance-${randomUUID().slice(0, 8)}`;
    this.newId = deps.newId ?? newShareId;
  }

  /**
   * The sharer's send: stores the share and tells the reader. Refused, with nothing stored or
   * sent: sharing with oneself, days outside 1..maxDays, content past SHARE_LIMITS, more than
   * MAX_ACTIVE_SHARES active, MAX_OFFERS_PER_DAY made in the last day, or a reader without the
   * app (no active 1:1 conversation). The oldest ended shares go to keep MAX_KEPT_SHARES.
   */
  async offer(request: OfferRequest, now: Date): Promise<OfferResult> {
    const { tenantId, sharer, reader, content, days } = request;
    if (reader.aadObjectId.toLowerCase() === sharer.userId.toLowerCase()) return { ok: false, reason: "self" };
    if (!validDays(days)) return { ok: false, reason: "badDays" };
    if (!withinContentLimits(content)) return { ok: false, reason: "tooLarge" };
    if (content.reflections.length === 0 && !content.change && (content.pulses?.length ?? 0) === 0) return { ok: false, reason: "empty" };
    const share = newShare({ id: this.newId(), tenantId, sharer, reader: { aadObjectId: reader.aadObjectId, tenantId, name: reader.name }, content, days, now });
    if (!fitsDocument(share)) return { ok: false, reason: "tooLarge" };
    const conversation = await this.personalConversation(tenantId, reader.aadObjectId);
    if (!conversation) return { ok: false, reason: "readerNotInstalled" };
    const kept = await this.deps.shares.bySharer(sharerPkOf(share));
    const active = kept.filter((s) => s.state === "active" && s.expiresAt > now.toISOString());
    if (active.length >= MAX_ACTIVE_SHARES) return { ok: false, reason: "tooMany" };
    if (offeredTooOften(kept, now)) return { ok: false, reason: "tooOften" };
    for (const old of sharesToMakeRoom(kept)) await this.deps.shares.delete(old);
    await this.deps.shares.create(share, now);
    await this.deps.outbox.enqueue(
      Outbox.pending(
        {
          id: Outbox.recordId(readerPkOf(share), scheduleIdOf(share.id), now),
          tenantId,
          ownerPk: readerPkOf(share),
          scheduleId: scheduleIdOf(share.id),
          kind: SHARE_NOTICE_KIND,
          conversation,
          message: { attachments: [shareNoticeCard({ sharerName: share.sharer.name, expiresAt: share.expiresAt, openUrl: this.deps.tabLink(share) })] },
        },
        now,
      ),
    );
    this.deps.log.info({ shareId: share.id, days }, "Til min leder: a share was offered");
    return { ok: true, share };
  }

  /** `mine delinger`: every share the person made that is still kept, newest first (ended ones without content). */
  async listForSharer(tenantId: string, userId: string): Promise<Share[]> {
    return (await this.deps.shares.bySharer(userPk(tenantId, userId))).map(plain);
  }

  /** The shares the signed-in person can read now, newest first. */
  async listForReader(identity: ReaderIdentity, now: Date): Promise<Share[]> {
    const shares = await this.deps.shares.receivedAll(readerPkOfIdentity(identity));
    return shares.filter((s) => readableBy(s, identity, now)).sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(plain);
  }

  /** Træk tilbage: ends the sharer's own active share at once, and re-draws the reader's notice. */
  async withdraw(tenantId: string, sharerUserId: string, shareId: string, now: Date): Promise<WithdrawOutcome> {
    if (!isShareId(shareId)) return "notFound";
    const pk = userPk(tenantId, sharerUserId);
    const { stored, outcome } = await decideWithRetry<Share, WithdrawOutcome>(
      `withdrawing share ${shareId}`,
      () => this.deps.shares.get(pk, shareId),
      (current) => withdraw(current, sharerUserId, now),
      (current, next) => this.deps.shares.replace(current as StoredShare, next, now),
    );
    if (outcome === "withdrawn" && stored) await this.afterEnd(stored, now);
    return outcome;
  }

  /**
   * The reader opens a share: for its named reader only, while it is live, found only through
   * the pointer in the reader's own partition. Anything else is undefined, the same whatever the
   * reason. Records the first opening and counts every one.
   */
  async open(identity: ReaderIdentity, shareId: string, now: Date): Promise<Share | undefined> {
    if (!isShareId(shareId)) return undefined;
    const readerPk = readerPkOfIdentity(identity);
    let opened: Share | undefined;
    await decideWithRetry<Share, undefined>(
      `opening share ${shareId}`,
      () => this.deps.shares.receivedBy(readerPk, shareId),
      (current) => {
        opened = current && readableBy(current, identity, now) ? current : undefined;
        return opened ? { write: recordOpen(opened, now), outcome: undefined } : { outcome: undefined };
      },
      async (current, next) => (opened = await this.deps.shares.replace(current as StoredShare, next, now)),
    );
    return opened ? plain(opened as StoredShare) : undefined;
  }

  /** Questions back, from the reader: cleaned and bounded (domain), then sent to the sharer's 1:1 chat. */
  async askQuestions(identity: ReaderIdentity, shareId: string, texts: readonly unknown[], now: Date): Promise<QuestionsOutcome> {
    if (!isShareId(shareId)) return { ok: false, reason: "notFound" };
    const readerPk = readerPkOfIdentity(identity);
    const { stored, outcome } = await decideWithRetry<Share, QuestionsOutcome>(
      `questions to share ${shareId}`,
      () => this.deps.shares.receivedBy(readerPk, shareId),
      (current) => addQuestions(current, identity, texts, now),
      (current, next) => this.deps.shares.replace(current as StoredShare, next, now),
    );
    if (!outcome.ok || !stored) return outcome;
    const conversation = await this.personalConversation(stored.tenantId, stored.sharer.userId);
    if (conversation) {
      const ownerPk = sharerPkOf(stored);
      await this.deps.outbox.enqueue(
        Outbox.pending(
          {
            id: Outbox.recordId(ownerPk, `${scheduleIdOf(stored.id)}~questions`, now),
            tenantId: stored.tenantId,
            ownerPk,
            scheduleId: scheduleIdOf(stored.id),
            kind: SHARE_QUESTIONS_KIND,
            conversation,
            message: { attachments: [shareQuestionsCard({ readerName: stored.reader.name, questions: outcome.added.map((q) => q.text), shareId: stored.id })] },
          },
          now,
        ),
      );
    }
    this.deps.log.info({ shareId: stored.id, questions: outcome.added.length, told: conversation !== undefined }, "Til min leder: questions were sent back");
    return outcome;
  }

  /** The questions a sharer got on their share (for `shareQuestionsTake`); undefined when it is not theirs or is gone. */
  async questionsFor(tenantId: string, sharerUserId: string, shareId: string): Promise<readonly ShareQuestion[] | undefined> {
    if (!isShareId(shareId)) return undefined;
    const share = await this.deps.shares.get(userPk(tenantId, sharerUserId), shareId);
    return share && share.sharer.userId === sharerUserId ? share.questions : undefined;
  }

  /**
   * Ends the shares past their expiry. Every instance's scheduler runs it; one at a time holds
   * the job's lease, and each share ends by a conditional write, so a share ends (and its
   * notice is re-drawn) exactly once however the instances overlap. Returns how many ended here.
   */
  async expireDue(now: Date): Promise<number> {
    if (!(await this.deps.shares.takeJobLease(this.holder, new Date(now.getTime() + EXPIRY_LEASE_MS), now))) return 0;
    let expired = 0;
    for (;;) {
      const due = await this.deps.shares.due(now, EXPIRY_BATCH);
      let progressed = false;
      for (const { id, pk } of due) {
        const { stored, outcome } = await decideWithRetry<Share, boolean>(
          `expiring share ${id}`,
          () => this.deps.shares.get(pk, id),
          (current) => expire(current, now),
          (current, next) => this.deps.shares.replace(current as StoredShare, next, now),
        );
        if (outcome && stored) {
          expired += 1;
          progressed = true;
          await this.afterEnd(stored, now);
        }
      }
      if (due.length < EXPIRY_BATCH || !progressed) break;
    }
    if (expired > 0) this.deps.log.info({ expired }, "Til min leder: shares expired");
    return expired;
  }

  /**
   * `slet mine data`, for either role, before the person's partition goes: the shares they made
   * and the ones made to them, ended ones included, are deleted (share, questions, read log,
   * pointer), a notice or questions still waiting to be sent are not sent, the reader's notice
   * says the share has ended, and the questions cards in the sharer's chat lose the questions.
   * Returns how many shares went.
   */
  async eraseFor(tenantId: string, userId: string, now: Date = this.now()): Promise<number> {
    const pk = userPk(tenantId, userId);
    const made = await this.deps.shares.bySharer(pk);
    // Ended ones too: the sharer's log keeps the reader's name, questions and read log for SHARE_LOG_DAYS.
    const received = await this.deps.shares.receivedAll(pk, true);
    const all = new Map<string, StoredShare>([...made, ...received].map((s) => [s.id, s]));
    for (const share of all.values()) {
      await this.deps.outbox.deletePendingOf(scheduleIdOf(share.id), SHARE_NOTICE_KIND, SHARE_QUESTIONS_KIND);
      await this.eraseQuestionCards(share, now);
      if (share.state === "active") await this.redrawNotices(share, now);
      await this.deps.shares.delete(share);
    }
    // Pointers whose share is already gone (ended and expired from the log) go with the partition.
    return all.size;
  }

  /**
   * `eksport`, for either role: the shares they made, whole (content and questions: their own),
   * and of those made to them only the metadata and their own questions and read log.
   */
  async exportFor(tenantId: string, userId: string): Promise<ShareExport> {
    const made = await this.listForSharer(tenantId, userId);
    const received = (await this.deps.shares.receivedAll(userPk(tenantId, userId), true)).sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(receivedRecordOf);
    return { made, received };
  }

  private now(): Date {
    return this.deps.clock ? this.deps.clock() : new Date();
  }

  /**
   * After withdrawal or expiry: the reader's pointer is marked ended, a notice not yet sent is
   * not sent, and a sent one says it has ended. Questions still waiting go on to the sharer: their
   * log keeps them after the end, to take along.
   */
  private async afterEnd(share: Share, now: Date): Promise<void> {
    await this.deps.shares.endPointer(share, now);
    await this.deps.outbox.deletePendingOf(scheduleIdOf(share.id), SHARE_NOTICE_KIND);
    await this.redrawNotices(share, now);
  }

  private async redrawNotices(share: Share, now: Date): Promise<void> {
    for (const post of await this.postsOf(readerPkOf(share), SHARE_NOTICE_KIND, share.id)) {
      const message = { attachments: [shareEndedCard()] };
      // Our copy first, as for the questions card: the notice named the sharer.
      await this.deps.outbox.replaceMessage(post.id, message);
      await this.updatePost(post, message, now, ENDED_OWNER);
    }
  }

  private async eraseQuestionCards(share: Share, now: Date): Promise<void> {
    for (const post of await this.postsOf(sharerPkOf(share), SHARE_QUESTIONS_KIND, share.id)) {
      const message = { attachments: [shareQuestionsErasedCard()] };
      // Our copy first: it goes even when Teams no longer lets the bot change the post.
      await this.deps.outbox.replaceMessage(post.id, message);
      await this.updatePost(post, message, now, ENDED_OWNER);
    }
  }

  private async postsOf(ownerPk: string, kind: string, shareId: string): Promise<OutboxRecord[]> {
    return (await this.deps.outbox.posted(ownerPk, kind)).filter((p) => p.scheduleId === scheduleIdOf(shareId));
  }

  /**
   * Replaces a post in Teams now; when Teams is busy, the outbox sends the update later with the
   * usual retries. The queued update is owned by `owner`, not a person: it holds nothing of either.
   */
  private async updatePost(post: OutboxRecord, message: OutgoingMessage, now: Date, owner: string): Promise<void> {
    try {
      await this.deps.messenger.update(post.conversation, post.activityId!, message);
    } catch (err) {
      const decision = err instanceof DeliveryError ? decideRetry(err, 1) : undefined;
      if (decision?.kind !== "retry") {
        this.deps.log.warn({ code: ErrorCodes.shareCardNotUpdated.code, recordId: post.id, err }, ErrorCodes.shareCardNotUpdated.description);
        return;
      }
      await this.deps.outbox.queueUpdate({ ...post, ownerPk: owner }, post.activityId!, message, new Date(now.getTime() + decision.delayMs));
    }
  }

  /** A person's active 1:1 conversation with the bot, from their session: the sign that they have the app. */
  private async personalConversation(tenantId: string, userId: string): Promise<StoredConversation | undefined> {
    const { session, eTag } = await this.deps.sessions.load({ tenantId: asTenantId(tenantId), userId: asUserId(userId) });
    const conversation = session.conversation;
    return eTag !== undefined && conversation?.active && conversation.conversationType === "personal" ? conversation : undefined;
  }
}

const scheduleIdOf = (shareId: string) => `share~${shareId}`;


/** A share as the domain knows it: without the storage fields. */
function plain(stored: StoredShare): Share {
  const { pk: _pk, type: _type, ttl: _ttl, ...share } = withoutSystemFields(stored);
  return share;
}
