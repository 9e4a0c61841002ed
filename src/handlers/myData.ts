import { confirmDeleteCard, exportCard, historyCard, progressCard, reflectionDetailCard } from "../cards/myDataCards";
import { receiptCard } from "../cards/views";
import type { Framework } from "../domain/framework";
import type { CardSubmit } from "../domain/cardSubmit";
import { asReflectionId } from "../domain/ids";
import { progressByTheme, suggestedFocus } from "../domain/progress";
import { followUpNote } from "../domain/reflection";
import type { ExportService } from "../privacy/exportService";
import type { Pulses } from "../group/pulses";
import type { ShareService } from "../sharing/shareService";
import type { GroupContributions } from "../group/contributions";
import { MAX_CONTINUATION_LENGTH, type ReflectionRepository } from "../storage/reflections";
import type { UserDataStore } from "../storage/userData";
import { texts } from "../kernel/texts";
import { counts, type InsightChoice, type InsightConsent } from "../domain/insight/aggregate";
import { optOut } from "../insight/contributions";
import { partitionKeyOf } from "../domain/identity";
import { replaceClicked, say, show, type PersonalTurn, type Reply } from "../cards/replies";

export interface MyDataServices {
  readonly framework: Framework;
  readonly reflections: ReflectionRepository;
  readonly userData: UserDataStore;
  readonly exports: ExportService;
  /** What the person saved or set in leader groups' agreements: counted, and their name taken out, on erasure. */
  readonly groups: Pick<GroupContributions, "count" | "forget">;
  /** Their answers to Vi-pulses still open (closed ones are counts without anyone in them). */
  readonly pulses: Pick<Pulses, "forget">;
  /** Til min leder: the shares they made and those made to them, with their questions, read log and cards. */
  readonly shares?: Pick<ShareService, "eraseFor">;
  readonly clock: () => Date;
  readonly newToken: () => string;
  /** INSIGHT_CONSENT: whether a leader counts in Indsigt before they say anything. */
  readonly insightConsent: InsightConsent;
  /** OUTBOX_KEEP_DAYS: how long the bot can find its posts in a group again, to re-draw them after an erasure. */
  readonly postsKeptDays: number;
}

const HISTORY_PAGE_SIZE = 5;
const DELETE_CONFIRMATION_MINUTES = 15;

/**
 * The leader's own data: history, progress, export and deletion. These work at any moment,
 * also in the middle of a reflection, without touching the dialog stack.
 */
export class MyData {
  constructor(private readonly services: MyDataServices) {}

  /** "historik": the newest reflections, one page. */
  history(turn: PersonalTurn): Promise<Reply[]> {
    return this.historyPage(turn, undefined);
  }

  /** "Vis flere": Cosmos' continuation token rides on the card; any string is harmless (see historyPage). */
  moreHistory(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const continuation = submit.inputs.continuation;
    return this.historyPage(turn, typeof continuation === "string" && continuation !== "" ? continuation : undefined);
  }

  private async historyPage(turn: PersonalTurn, continuation: string | undefined): Promise<Reply[]> {
    const { user } = turn.session;
    if (continuation !== undefined && continuation.length > MAX_CONTINUATION_LENGTH) return [say(texts.historyExpired)];
    let page;
    try {
      page = await this.services.reflections.listPage(user, HISTORY_PAGE_SIZE, continuation);
    } catch (error) {
      // A token Cosmos does not accept (old, or edited): the query is partition-scoped, so all
      // a bad token can do is fail here.
      if (continuation === undefined) throw error;
      return [say(texts.historyExpired)];
    }
    return [show(historyCard({ reflections: page.reflections, more: page.continuationToken, continued: continuation !== undefined }))];
  }

  /** Only ever looks in the speaker's own partition: another user's id finds nothing. */
  async openReflection(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const id = submit.reflectionId;
    const reflection = id ? await this.services.reflections.get(turn.session.user, asReflectionId(id)) : undefined;
    return reflection ? [show(reflectionDetailCard(reflection))] : [say(texts.reflectionNotFound)];
  }

  async addFollowUp(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    const { user } = turn.session;
    const reflection = submit.reflectionId ? await this.services.reflections.get(user, asReflectionId(submit.reflectionId)) : undefined;
    if (!reflection) return [say(texts.reflectionNotFound)];
    const note = followUpNote(reflection, submit.inputs.followUp, this.services.clock());
    if (!note.ok) return [say(texts.invalidInput(note.error))];
    const updated = await this.services.reflections.addFollowUp(user, reflection.id, note.value);
    if (!updated) return [say(texts.reflectionNotFound)];
    // The card shows the note now; a second click on the old copy is then plainly a new note.
    return [replaceClicked(reflectionDetailCard(updated)), say(texts.followUpSaved)];
  }

  /** "udvikling": self-ratings over time per theme, and where to look next. */
  async progress(turn: PersonalTurn): Promise<Reply[]> {
    const { framework } = this.services;
    const reflections = await this.services.reflections.listNewestFirst(turn.session.user);
    return [
      show(
        progressCard({
          progress: progressByTheme(reflections, framework.themes),
          focus: suggestedFocus(reflections),
          scaleMax: Math.max(...framework.ratingScale.levels.map((l) => l.value)),
          teamPulses: turn.session.session.teamPulses ?? [],
          // Newest first: the first per theme is its latest.
          latest: reflections,
        }),
      ),
    ];
  }

  /** "eksport": two single-use links, Markdown for MUS and JSON for everything. */
  async offerExport(turn: PersonalTurn): Promise<Reply[]> {
    const { user } = turn.session;
    const data = await this.services.exports.collect(user);
    return [
      show(
        exportCard({
          summary: texts.exportSummary(data.reflections.length, data.draft !== undefined),
          markdownUrl: this.services.exports.linkFor(user, "md"),
          jsonUrl: this.services.exports.linkFor(user, "json"),
        }),
      ),
    ];
  }

  /** "slet mine data": what would go, exactly, and a card to confirm it. */
  async askToDelete(turn: PersonalTurn): Promise<Reply[]> {
    const { user, session } = turn.session;
    const [counts, contributions] = await Promise.all([this.services.userData.countByType(user), this.services.groups.count(user.userId)]);
    const groupMentions = contributions + (session.sharedPoints?.length ?? 0);
    const reflections = counts.reflection ?? 0;
    const roleName = session.profile.roleId ? this.services.framework.role(session.profile.roleId)?.name : undefined;
    if (reflections === 0 && !counts.session && !session.profile.roleId && groupMentions === 0) return [say(texts.nothingToDelete)];
    const token = this.services.newToken();
    session.pendingDeletion = {
      token,
      expiresAt: new Date(this.services.clock().getTime() + DELETE_CONFIRMATION_MINUTES * 60_000).toISOString(),
    };
    turn.session.markChanged();
    return [
      show(
        confirmDeleteCard({
          token,
          facts: texts.deletionFacts({ roleName, reflections, draftTheme: session.draft?.themeTitle, groupMentions }),
        }),
      ),
    ];
  }

  async deleteEverything(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    if (!this.pendingDeletionMatches(turn, submit.token)) return [say(texts.alreadyAnswered)];
    // The groups first, each meeting on its own: one that cannot be changed now is counted and
    // said, and does not keep the rest, nor the person's own data, from going.
    const groups = await this.services.groups.forget(turn.session.user, turn.session.session.sharedPoints);
    const pulseAnswers = await this.services.pulses.forget(turn.session.user);
    // Before the partition goes: the other person's side (a pointer, a notice, a questions card) is found from here.
    await this.services.shares?.eraseFor(turn.session.user.tenantId, turn.session.user.userId, this.services.clock());
    const counts = await this.services.userData.deleteAll(turn.session.user);
    turn.session.discard();
    const deleted = { reflections: counts.byType.reflection ?? 0, schedules: counts.byType.schedule ?? 0, queued: counts.byType.outbox ?? 0, pulseAnswers, cardsKeptDays: this.services.postsKeptDays, ...groups };
    return [replaceClicked(receiptCard({ title: texts.deletedTitle })), say(texts.deleted(deleted))];
  }

  async keepData(turn: PersonalTurn, submit: CardSubmit): Promise<Reply[]> {
    if (!this.pendingDeletionMatches(turn, submit.token)) return [say(texts.alreadyAnswered)];
    delete turn.session.session.pendingDeletion;
    turn.session.markChanged();
    return [replaceClicked(receiptCard({ title: texts.deletionKept }))];
  }

  /**
   * "mine tal tæller med" / "… ikke med". Opting out takes everything the leader added out of
   * Indsigt's counts: the withdrawal is written with the session, and applied within a tick.
   */
  chooseInsight(turn: PersonalTurn, choice: InsightChoice): Reply[] {
    const { session, user } = turn.session;
    const wasCounting = counts(session.profile.insightChoice, this.services.insightConsent);
    session.profile.insightChoice = choice;
    turn.session.markChanged();
    if (choice === "in") return [say(wasCounting ? texts.insightAlready.in : texts.insightIn)];
    const withdrawal = optOut(session.insight, { pk: partitionKeyOf(user), tenantId: user.tenantId }, this.services.clock());
    delete session.insight;
    if (withdrawal) turn.session.stage(withdrawal);
    return [say(wasCounting ? texts.insightOut : texts.insightAlready.out)];
  }

  private pendingDeletionMatches(turn: PersonalTurn, token: string | undefined): boolean {
    const pending = turn.session.session.pendingDeletion;
    return pending !== undefined && token === pending.token && pending.expiresAt > this.services.clock().toISOString();
  }
}
