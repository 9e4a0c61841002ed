import { createHash } from "node:crypto";
import { lastReadableDay } from "../cards/shareCards";
import { replaceClicked, say, show, type PersonalTurn, type Reply } from "../cards/replies";
import { mySharesCard, shareChoiceCard, sharePreviewCards, type ChoiceAgain } from "../cards/sharingCards";
import { receiptCard } from "../cards/views";
import type { CardSubmit } from "../domain/cardSubmit";
import { shownAsTyped as md } from "../domain/cleanText";
import type { Framework } from "../domain/framework";
import { asUserId } from "../domain/ids";
import type { UserKey } from "../domain/identity";
import { MAX_TAKEN_QUESTIONS, type PendingLeaderShare, type UserSession } from "../domain/session";
import type { ShareContent } from "../domain/sharing/content";
import { choiceFromCard, shareContentOf, type CardProblem } from "../domain/sharing/selection";
import { MAX_OFFERS_PER_DAY, shareExpiry } from "../domain/sharing/share";
import { addDays, DEFAULT_TIMEZONE, localDate } from "../domain/time";
import type { TurnSession } from "../domain/turnSession";
import type { PeopleDirectory } from "../graph/people";
import { ErrorCodes } from "../kernel/errors";
import type { Logger } from "../kernel/log";
import { joinShown, shown, trusted, type Shown } from "../kernel/shown";
import { texts } from "../kernel/texts";
import type { OfferRefusal, ShareService } from "../sharing/shareService";
import type { ReflectionRepository } from "../storage/reflections";

/** A preview is good for this long; after it »Send« asks to choose again. */
const PREVIEW_MINUTES = 30;

export interface ShareWithLeaderDeps {
  readonly framework: Framework;
  readonly reflections: Pick<ReflectionRepository, "listNewestFirst">;
  readonly shares: Pick<ShareService, "offer" | "listForSharer" | "withdraw" | "questionsFor">;
  /** The leader's manager and a chosen person's name, from Microsoft Graph; absent in local runs (no app id). */
  readonly people?: PeopleDirectory;
  readonly clock: () => Date;
  readonly newToken: () => string;
  readonly log: Logger;
}

/**
 * Til min leder, the sharer's side in the 1:1 chat: »del med min leder« (and the button on the
 * saved reflection, »historik« and »udvikling«) opens the card to choose what to share and with
 * whom; »Se forhåndsvisning« draws the copy exactly as it will be sent; »Send« offers it
 * (ShareService.offer); »mine delinger« lists every share with »Træk tilbage«; the questions
 * card's button takes the questions back along to the next reflection.
 *
 * Handler and card actions, like GroupPreparation's »Del et punkt«: each step is one click that
 * stands on its own, and »Send« shares only what the preview kept in the leader's own session
 * (under a one-time token), never what a card claims. Nothing is shared by anything but that click.
 */
export class ShareWithLeader {
  constructor(private readonly deps: ShareWithLeaderDeps) {}

  /** The choice card's buttons, by step. */
  async onCard(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    switch (submit.step ?? "open") {
      case "open":
        return this.choose(turn);
      case "preview":
        return this.preview(turn, submit);
      case "send":
        return this.send(turn, submit);
      case "change":
        return this.change(turn, submit);
      default:
        return [say(texts.cardNotUnderstood)];
    }
  }

  /** »del med min leder«: the choice card, nothing ticked, the manager filled in when Graph knows them. */
  async choose(turn: PersonalTurn, again?: ChoiceAgain): Promise<Reply[]> {
    const { user, session } = turn.session;
    const reflections = await this.deps.reflections.listNewestFirst(user);
    const closedPulses = (session.teamPulses ?? []).filter((p) => p.result).length;
    if (reflections.length === 0 && closedPulses === 0) return [say(texts.sharer.nothingToShare)];
    const today = this.today(session);
    return [
      show(
        shareChoiceCard({
          reflections,
          closedPulses,
          manager: await this.managerOf(user),
          today,
          yearAgo: addDays(today, -365),
          ...(again ? { again } : {}),
        }),
      ),
    ];
  }

  /** »Se forhåndsvisning«: the copy as the other person will see it, kept (as its choice) for »Send«. */
  private async preview(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const { user, session } = turn.session;
    const picked = submit.inputs.reader;
    const translated = typeof picked === "string" ? this.deps.people?.fromPicker?.(picked) : undefined;
    const choice = choiceFromCard(translated ? { ...submit.inputs, reader: translated } : submit.inputs);
    if (!choice.ok) return [say(problemText(choice.error))];
    if (choice.value.readerId === user.userId.toLowerCase()) return [say(texts.sharer.problem.self)];
    const now = this.deps.clock();
    const content = await this.contentOf(turn.session, choice.value.selection, now);
    if (!content.ok) return [say(problemText(content.error))];
    const named = await this.nameOf(user, choice.value.readerId);
    const reader = { aadObjectId: choice.value.readerId, name: named ?? texts.sharer.someone };
    const pending: PendingLeaderShare = {
      token: this.deps.newToken(),
      selection: choice.value.selection,
      days: choice.value.days,
      reader,
      madeAt: now.toISOString(),
      contentHash: hashOf(content.value),
      expiresAt: new Date(now.getTime() + PREVIEW_MINUTES * 60_000).toISOString(),
    };
    session.pendingLeaderShare = pending;
    turn.session.markChanged();
    return sharePreviewCards({ content: content.value, readerName: named, until: this.until(now, pending.days), token: pending.token }).map(show);
  }

  /** »Send«: exactly the copy the preview showed, to exactly the person it named, or nothing. */
  private async send(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const { user, session } = turn.session;
    const pending = session.pendingLeaderShare;
    const now = this.deps.clock();
    if (!pending || !submit.token || pending.token !== submit.token) return [say(texts.alreadyAnswered)];
    if (pending.expiresAt <= now.toISOString()) return [say(texts.sharer.previewExpired)];
    // Made again from the same choice at the preview's time: anything changed since (a reflection
    // erased, a follow-up added) shows as a new preview instead of going out unseen.
    const content = await this.contentOf(turn.session, pending.selection, new Date(pending.madeAt));
    if (!content.ok || hashOf(content.value) !== pending.contentHash) {
      delete session.pendingLeaderShare;
      turn.session.markChanged();
      return [say(texts.sharer.previewChanged), ...(await this.choose(turn, { selection: pending.selection, days: pending.days, reader: pending.reader }))];
    }
    const offered = await this.deps.shares.offer(
      { tenantId: user.tenantId, sharer: { userId: user.userId, name: turn.name ?? "" }, reader: pending.reader, content: content.value, days: pending.days },
      now,
    );
    if (!offered.ok) {
      if (offered.reason !== "readerNotInstalled") return [say(offerProblemText(offered.reason))];
      // Nothing was stored or sent; the preview stays, so the leader can send once the app is there.
      return [say(texts.sharer.readerNotInstalled(md(pending.reader.name)))];
    }
    delete session.pendingLeaderShare;
    turn.session.markChanged();
    const until = lastReadableDay(offered.share.expiresAt);
    return [replaceClicked(receiptCard({ title: texts.sharer.sentTitle(md(pending.reader.name)), subtitle: texts.sharer.sent(md(pending.reader.name), until) }))];
  }

  /** »Ret i det valgte«: the choice card again, with what was ticked. */
  private async change(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const pending = turn.session.session.pendingLeaderShare;
    if (!pending || pending.token !== submit.token) return [say(texts.alreadyAnswered)];
    delete turn.session.session.pendingLeaderShare;
    turn.session.markChanged();
    return this.choose(turn, { selection: pending.selection, days: pending.days, reader: pending.reader });
  }

  /** »mine delinger«. */
  async list(turn: PersonalTurn): Promise<Reply[]> {
    const shares = await this.deps.shares.listForSharer(turn.session.user.tenantId, turn.session.user.userId);
    if (shares.length === 0) return [say(texts.sharer.noShares)];
    return [show(mySharesCard({ shares, now: this.deps.clock(), timezone: this.timezone(turn.session.session) }))];
  }

  /** »Træk tilbage« on »mine delinger«: ends the leader's own share at once, and the list shows it. */
  async withdraw(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const { user, session } = turn.session;
    const shareId = submit.inputs.shareId;
    if (typeof shareId !== "string") return [say(texts.cardNotUnderstood)];
    const now = this.deps.clock();
    const outcome = await this.deps.shares.withdraw(user.tenantId, user.userId, shareId, now);
    if (outcome === "notFound") return [say(texts.cardNotUnderstood)];
    const shares = await this.deps.shares.listForSharer(user.tenantId, user.userId);
    const card = mySharesCard({ shares, now, timezone: this.timezone(session) });
    if (outcome === "notActive") return [replaceClicked(card), say(texts.sharer.alreadyEnded)];
    const name = shares.find((s) => s.id === shareId)?.reader.name ?? texts.sharer.someone;
    return [replaceClicked(card), say(texts.sharer.withdrawn(md(name)))];
  }

  /** The questions card's »Tag spørgsmålene med«: only the share's id is kept; the words stay in the share. */
  async takeQuestions(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const { user, session } = turn.session;
    const shareId = submit.inputs.shareId;
    if (typeof shareId !== "string") return [say(texts.cardNotUnderstood)];
    const questions = await this.deps.shares.questionsFor(user.tenantId, user.userId, shareId);
    if (!questions || questions.length === 0) return [say(texts.sharer.questionsGone)];
    const kept = (session.questionsTaken ?? []).filter((q) => q.shareId !== shareId);
    session.questionsTaken = [...kept, { shareId, takenAt: this.deps.clock().toISOString() }].slice(-MAX_TAKEN_QUESTIONS);
    turn.session.markChanged();
    return [say(texts.sharer.questionsTaken)];
  }

  /**
   * When a new reflection starts: the questions the leader took along, read from their shares
   * now (a share that has gone takes its questions with it), as one message; then they are
   * brought, and not shown again. Undefined when there are none.
   */
  async questionsForReflection(turn: TurnSession): Promise<Shown | undefined> {
    const taken = turn.session.questionsTaken;
    if (!taken || taken.length === 0) return undefined;
    const { user } = turn;
    const shares = await this.deps.shares.listForSharer(user.tenantId, user.userId);
    delete turn.session.questionsTaken;
    turn.markChanged();
    const parts = taken.flatMap((t) => {
      const share = shares.find((s) => s.id === t.shareId);
      if (!share || share.questions.length === 0) return [];
      return [shown`${texts.sharer.questionsAtStart(md(share.reader.name))}\n\n${joinShown(share.questions.map((q) => shown`- ${md(q.text)}`), trusted("\n"))}`];
    });
    return parts.length > 0 ? joinShown(parts, trusted("\n\n")) : undefined;
  }

  private async contentOf(turn: TurnSession, selection: PendingLeaderShare["selection"], at: Date) {
    // Only ever the speaker's own partition: an id from anyone else's finds nothing and is refused.
    const reflections = await this.deps.reflections.listNewestFirst(turn.user);
    return shareContentOf(selection, { reflections, pulses: turn.session.teamPulses ?? [] }, this.deps.framework, at, this.timezone(turn.session));
  }

  /** The manager, when Graph can say; a failure only means the picker starts empty. */
  private async managerOf(user: UserKey) {
    if (!this.deps.people) return undefined;
    try {
      const manager = await this.deps.people.managerOf(user);
      return manager && manager.aadObjectId !== user.userId.toLowerCase() ? manager : undefined;
    } catch (error) {
      this.deps.log.warn({ code: ErrorCodes.graphFailed.code, err: error }, "Til min leder: the leader's manager could not be read; the card offers the people picker only");
      return undefined;
    }
  }

  /**
   * The chosen person's name for the preview and the notice; undefined when Graph cannot say.
   * (Teams' people picker submits only the object id, so there is no name of its own to fall back on.)
   */
  private async nameOf(user: UserKey, readerId: string): Promise<string | undefined> {
    const manager = await this.managerOf(user);
    if (manager?.aadObjectId === readerId) return manager.name;
    if (!this.deps.people) return undefined;
    try {
      return (await this.deps.people.nameOf({ tenantId: user.tenantId, userId: asUserId(readerId) })) || undefined;
    } catch (error) {
      this.deps.log.warn({ code: ErrorCodes.graphFailed.code, err: error }, "Til min leder: a chosen person's name could not be read");
      return undefined;
    }
  }

  /** The last day the other person can read it, said as their notice says it. */
  private until(now: Date, days: number): Shown {
    return lastReadableDay(shareExpiry(now, days).toISOString());
  }

  private today(session: UserSession): string {
    return localDate(this.deps.clock(), this.timezone(session));
  }

  private timezone(session: UserSession): string {
    return session.profile.timezone ?? DEFAULT_TIMEZONE;
  }
}

/** The copy's fingerprint: the same choice made again at the same time gives the same copy, or something changed. */
function hashOf(content: ShareContent): string {
  return createHash("sha256").update(JSON.stringify(content)).digest("base64url");
}

function problemText(problem: CardProblem): Shown {
  return texts.sharer.problem[problem];
}

function offerProblemText(reason: Exclude<OfferRefusal, "readerNotInstalled">): Shown {
  switch (reason) {
    case "self":
      return texts.sharer.problem.self;
    case "badDays":
      return texts.sharer.problem.badDays;
    case "tooLarge":
      return texts.sharer.problem.tooLarge;
    case "empty":
      return texts.sharer.problem.empty;
    case "tooMany":
      return texts.sharer.problem.tooMany;
    case "tooOften":
      return texts.sharer.problem.tooOften(MAX_OFFERS_PER_DAY);
  }
}
