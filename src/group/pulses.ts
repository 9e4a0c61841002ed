import type { Framework, Statement } from "../domain/framework";
import type { ScheduleStore } from "../nudges/scheduleStore";
import { key, quarterOf } from "../domain/insight/aggregate";
import { groupChangeDocument } from "../insight/contributions";
import { danishDate, danishDateTime } from "../cards/format";
import { pulseAnswerCard, pulseAnsweredCard, pulseInvitationCard, pulseResultCard } from "../cards/pulseCards";
import type { CardAttachment } from "../cards/renderCard";
import type { CardSubmit } from "../domain/cardSubmit";
import { partitionKeyOf, type UserKey } from "../domain/identity";
import { asTenantId, asUserId } from "../domain/ids";
import type { PointAuthorKey } from "../domain/pointAuthor";
import type { TeamPulseRecord } from "../domain/teamPulse";
import type { UserSession } from "../domain/session";
import type { Logger } from "../kernel/log";
import type { Schedule } from "../nudges/schedule";
import type { Composition } from "../nudges/scheduler";
import { Outbox } from "../nudges/outbox";
import { ETagConflictError } from "../storage/cosmosErrors";
import type { SessionStore } from "../storage/userSessions";
import { texts } from "../kernel/texts";
import { kept, say, show, type Reply } from "../cards/replies";
import type { GroupDocuments } from "../storage/groupDocuments";
import type { GroupDocument } from "../domain/group/model";
import type { GroupSchedules } from "./groupSchedules";
import type { SharedTurn } from "./groupCommands";
import type { GroupMember } from "../domain/group/model";
import { groupIdOf, groupPartition } from "../domain/group/partition";
import {
  answerRefusal,
  mayOpen,
  parsePulseRatings,
  PULSE_MAX_ROSTER,
  PULSE_WINDOW_DAYS,
  pulseDocumentId,
  pulseResult,
  tally,
  type PulseAudience,
  type PulseDocument,
  type PulseResult,
} from "../domain/group/pulse";
import type { GroupPulses } from "../storage/pulseStore";
import type { PulseLedger } from "./pulseLedger";
import { isMemberNow, mayWriteToGroup } from "../domain/group/roster";

const DAY = 86_400_000;
/** How many of a leader's team pulses their own record keeps. */
const TEAM_PULSES_KEPT = 12;
const PULSE_ID = /^[A-Za-z0-9_-]{8,40}$/;
/** The most pulses the minutes read for a group: about four years of them, as many as "referat alle" reads meetings. */
const GROUP_PULSES_READ = 200;

/** What an Action.Execute answers: a card for the one who clicked, or a message. */
export type ExecuteAnswer = { readonly card: CardAttachment } | { readonly text: string };

/** Someone clicking a pulse card: who they are (from Teams' authenticated activity) and where. */
export interface PulseClicker {
  readonly tenantId: string;
  readonly userId: string | undefined;
}

/** A closed pulse as the loop and the cards need it. */
export interface ClosedPulse {
  readonly pulse: PulseDocument;
  readonly result: PulseResult;
}

/**
 * Vi-pulsen in a group or a team: asking (`puls [tema]` in a team's channel or chat, or with a
 * leader group's invitations), answering (Action.Execute on the cards, so members answer in the
 * conversation without installing anything, and see their choices alone), and closing (on its
 * schedule, at the group's meeting, or by the leader who asked). The rules are in pulse.ts.
 */
export class Pulses {
  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly store: GroupPulses;
      /** The differencing rule's ledger: rosters behind shown results, checked and recorded in one step. */
      readonly ledger: Pick<PulseLedger, "showIfDisjoint" | "forget">;
      readonly channels: Pick<GroupSchedules, "document" | "pickTheme" | "effectiveSettings">;
      readonly documents: Pick<GroupDocuments, "rememberMembers">;
      readonly sessions: SessionStore;
      readonly outbox: Pick<Outbox, "enqueue">;
      readonly authorKeyOf: PointAuthorKey;
      readonly clock: () => Date;
      readonly newId: () => string;
      /** k: the fewest answers (and ratings per statement) a result shows from; at least 5. */
      readonly minAnswers: number;
      readonly openDays: number;
      readonly log: Logger;
      /** Where Indsigt's changes wait to be applied: a shown result's counts go there too. */
      readonly insightChanges?: Pick<ScheduleStore, "upsert">;
    },
  ) {}

  get k(): number {
    return this.deps.minAnswers;
  }

  /** The theme's Fælles statements: what a pulse asks about. */
  statements(themeId: string): readonly Statement[] {
    const shared = this.deps.framework.sharedRole;
    return shared ? this.deps.framework.statements(themeId as never, shared.id) : [];
  }

  /** "puls [tema]" in a team's channel or chat: one invitation card here, and the result to the leader's 1:1 chat when it closes. */
  async askTeam(turn: SharedTurn, themeSpec: string): Promise<Reply[]> {
    const leader = turn.speaker.aadObjectId;
    const group = await turn.group();
    const settings = this.deps.channels.effectiveSettings(group, turn.clientTimezone);
    const { timezone } = settings;
    const theme = this.deps.channels.pickTheme(settings, themeSpec);
    if (!leader) return [say(texts.pulse.guestsCannotAsk)];
    const roster = (await turn.roster()) ?? group?.members;
    if (roster && group) await this.deps.documents.rememberMembers(group.pk, roster, this.deps.clock());
    if (!mayWriteToGroup(roster, leader)) return [say(texts.pulse.guestsCannotAsk)];
    const pk = groupPartition(turn.conversation.conversationId);
    const opened = await this.open({
      pk,
      tenantId: turn.conversation.tenantId,
      audience: "team",
      themeId: theme.id,
      roster: roster ?? [],
      exclude: leader,
      closesAt: new Date(this.deps.clock().getTime() + this.deps.openDays * DAY),
      requestedBy: { tenantId: turn.conversation.tenantId, userId: leader },
    });
    if (opened.kind === "refused") return [say(this.refusalText(opened.why, theme.title, opened.until, timezone))];
    const pulse = opened.pulse;
    await this.rememberForLeader({ tenantId: asTenantId(turn.conversation.tenantId), userId: asUserId(leader) }, {
      pulseId: pulse.pulseId,
      groupId: turn.conversation.conversationId,
      groupName: turn.conversation.name ?? texts.meeting.groupFallbackName,
      themeId: theme.id,
      themeTitle: theme.title,
      openedAt: pulse.openedAt,
      closesAt: pulse.closesAt,
    });
    const leaderKey = this.deps.authorKeyOf({ tenantId: turn.conversation.tenantId, userId: leader });
    return [
      // The card names the leader who asked: kept with their keyed mark, so their erasure can re-draw it without them.
      kept(show(this.invitationCard(pulse, turn.speaker.name || texts.meeting.someone, timezone)), { kind: "pulse-invitation", pulseId: pulse.pulseId, names: leaderKey }),
      say(texts.pulseAskedInGroup(theme.title, danishDateTime(new Date(pulse.closesAt), timezone))),
    ];
  }

  /** A team pulse's invitation in the group's chat, as it reads once the leader who asked has erased their data; undefined when the pulse is gone. */
  async invitationWithoutAsker(pk: string, pulseId: string, timezone: string): Promise<CardAttachment | undefined> {
    const pulse = await this.deps.store.read(pk, pulseId);
    return pulse ? this.invitationCard(pulse, texts.meeting.formerMember, timezone) : undefined;
  }

  private invitationCard(pulse: PulseDocument, leaderName: string, timezone: string): CardAttachment {
    const groupId = groupIdOf(pulse.pk) ?? "";
    return pulseInvitationCard({ pulseId: pulse.pulseId, groupId, themeTitle: this.themeTitle(pulse.themeId), leaderName, statementCount: pulse.statementIds.length, closesText: danishDateTime(new Date(pulse.closesAt), timezone) });
  }

  /**
   * A leader group's pulse on its next meeting's theme, opened with the invitations and closed
   * when the meeting starts; undefined when the rules say not now (one per theme per 30 days,
   * at least k members) or it already exists.
   */
  async openForMeeting(group: GroupDocument, meetingId: string, themeId: string, meetingStart: Date): Promise<PulseDocument | undefined> {
    const existing = (await this.deps.store.since(group.pk, new Date(this.deps.clock().getTime() - PULSE_WINDOW_DAYS * DAY))).find((p) => p.meetingId === meetingId);
    if (existing) return existing.status === "open" ? existing : undefined;
    const opened = await this.open({ pk: group.pk, tenantId: group.conversation.tenantId, audience: "group", themeId, roster: group.members ?? [], closesAt: meetingStart, meetingId });
    return opened.kind === "opened" ? opened.pulse : undefined;
  }

  private async open(args: {
    pk: string;
    tenantId: string;
    audience: PulseAudience;
    themeId: string;
    roster: readonly GroupMember[];
    exclude?: string;
    closesAt: Date;
    meetingId?: string;
    requestedBy?: { tenantId: string; userId: string };
  }): Promise<{ kind: "opened"; pulse: PulseDocument } | { kind: "refused"; why: "recent" | "too-few" | "too-many"; until?: Date }> {
    const now = this.deps.clock();
    const allowed = mayOpen(await this.deps.store.since(args.pk, new Date(now.getTime() - PULSE_WINDOW_DAYS * DAY)), args.themeId, now);
    if (!allowed.ok) return { kind: "refused", why: "recent", until: allowed.until };
    const eligible = args.roster.filter((m) => !m.guest && m.aadObjectId !== args.exclude);
    if (eligible.length > PULSE_MAX_ROSTER) return { kind: "refused", why: "too-many" };
    if (eligible.length < this.k) return { kind: "refused", why: "too-few" };
    const pulseId = this.deps.newId().replace(/[^A-Za-z0-9_-]/g, "").slice(0, 32);
    const pulse: PulseDocument = {
      id: pulseDocumentId(pulseId),
      pk: args.pk,
      type: "pulse",
      pulseId,
      tenantId: args.tenantId,
      audience: args.audience,
      themeId: args.themeId,
      statementIds: this.statements(args.themeId).map((s) => s.id),
      status: "open",
      openedAt: now.toISOString(),
      closesAt: args.closesAt.toISOString(),
      eligible: [...new Set(eligible.map((m) => this.deps.authorKeyOf({ tenantId: args.tenantId, userId: m.aadObjectId })))],
      ...(args.meetingId ? { meetingId: args.meetingId } : {}),
      ...(args.requestedBy ? { requestedBy: args.requestedBy } : {}),
    };
    // The pulse and its closing are written together: a pulse never stays open for want of its schedule.
    const closing: Schedule = {
      id: `pulse-close.${pulseId}`, pk: args.pk, type: "schedule", kind: "pulse-close", tenantId: args.tenantId, active: true,
      nextRunAt: pulse.closesAt, payload: { pulseId, anyHour: true, always: true },
    };
    if (!(await this.deps.store.open(pulse, [closing]))) return { kind: "refused", why: "recent", until: new Date(now.getTime() + PULSE_WINDOW_DAYS * DAY) };
    return { kind: "opened", pulse };
  }

  /**
   * Action.Execute on a pulse card ("openPulse", "answerPulse"), in the group's conversation or
   * in a member's 1:1 chat (a leader group's invitation). The pulse is looked up in the partition
   * of `groupId` and answered only by someone it was put to; the answer card shows their own
   * choices, to them alone.
   */
  async execute(who: PulseClicker, conversationGroupId: string | undefined, submit: CardSubmit, timezone: string): Promise<ExecuteAnswer> {
    const { pulseId, groupId } = submit.inputs;
    if (typeof pulseId !== "string" || !PULSE_ID.test(pulseId) || typeof groupId !== "string" || groupId.length > 1024) return { text: texts.cardNotUnderstood };
    // In a group's own conversation only that group's pulses are found, whatever the card says.
    const pk = groupPartition(conversationGroupId ?? groupId);
    const pulse = await this.deps.store.read(pk, pulseId);
    if (!who.userId) return { text: texts.pulse.notEligible };
    const user = { tenantId: asTenantId(who.tenantId), userId: asUserId(who.userId) };
    const authorKey = this.deps.authorKeyOf(user);
    const self = pulse?.requestedBy?.userId === who.userId && pulse.requestedBy.tenantId.toLowerCase() === who.tenantId.toLowerCase();
    const refusal = self && pulse?.status === "open" ? undefined : answerRefusal(pulse, authorKey, this.deps.clock());
    if (refusal || !pulse) return { text: refusal === "closed" ? texts.pulse.closed : refusal === "not-eligible" ? texts.pulse.notEligible : texts.pulse.gone };
    // A member who left since it opened answers no more (the roster follows Teams' leave events).
    if (!self && !(await this.stillMember(pk, who.userId))) return { text: texts.pulse.notEligible };
    const statements = this.statements(pulse.themeId).filter((s) => pulse.statementIds.includes(s.id));
    const target = { pulseId, groupId: conversationGroupId ?? groupId };
    const closesText = danishDateTime(new Date(pulse.closesAt), timezone);
    const privacyText = pulse.audience === "team" ? texts.pulse.privacy : texts.pulse.groupPrivacy;
    if (submit.verb === "openPulse") {
      const current = self ? await this.selfRating(user, pulseId) : (await this.deps.store.answerOf(pulse, authorKey))?.ratings;
      return { card: pulseAnswerCard({ ...target, themeTitle: this.themeTitle(pulse.themeId), statements, ...(current ? { current } : {}), closesText, privacyText }) };
    }
    const ratings = parsePulseRatings(submit.inputs, pulse.statementIds);
    if (!ratings) return { text: texts.pulse.invalid };
    // The leader who asked keeps their own rating in their own record: it never counts with the team's.
    if (self) await this.updateLeaderRecord(user, pulseId, (r) => ({ ...r, self: ratings }));
    else {
      const now = this.deps.clock();
      // The pulse was open a moment ago; "closed" means a close shut its gates since.
      if ((await this.deps.store.answer(pulse, authorKey, ratings, now)) === "closed") return { text: texts.pulse.closedWhileAnswering };
    }
    return { card: pulseAnsweredCard({ ...target, statements, ratings, closesText, self, privacyText }) };
  }

  /**
   * Closes a pulse: shuts its answer gates ("closing"), so an answer from then on is refused in
   * words, counts every answer written before, decides whether the result may show (k answers, and the
   * differencing rule checked and recorded in one step in the ledger), keeps the counts only, and
   * deletes the answers and every mark of who could answer. Safe to run twice, on two instances,
   * or again after a crash half-way.
   */
  async close(pk: string, pulseId: string): Promise<ClosedPulse | undefined> {
    const fenced = await this.deps.store.shutForClosing(pk, pulseId);
    if (!fenced) return undefined;
    if (fenced.status === "closing") await this.finishClosing(fenced, this.deps.clock());
    await this.deps.store.deleteAnswers(pk, pulseId);
    const after = await this.deps.store.read(pk, pulseId);
    return after ? { pulse: after, result: this.resultOf(after) } : undefined;
  }

  private async finishClosing(pulse: PulseDocument, now: Date): Promise<void> {
    const { pk, pulseId, statementIds } = pulse;
    // Behind shut gates no answer is added: every close of this pulse counts the same answers.
    const answers = await this.deps.store.answers(pk, pulseId);
    const counts = tally(answers.map((a) => a.ratings), statementIds);
    const overlap = answers.length >= this.k && (await this.deps.ledger.showIfDisjoint(pulse.tenantId, pulse.themeId, pulseId, pulse.eligible ?? [], now)) === "overlap";
    const result = pulseResult(counts, statementIds, answers.length, this.k, overlap);
    const { outcome } = await this.deps.store.decide(pk, pulseId, (current) => {
      if (current?.status !== "closing") return { outcome: undefined };
      const { eligible: _marks, requestedBy: _leader, ...rest } = current;
      const closed: PulseDocument = {
        ...rest,
        status: "closed",
        closedAt: now.toISOString(),
        answered: answers.length,
        shown: result.kind === "shown",
        // Counts are kept only for a result that may show: a hidden one keeps how many answered, nothing more.
        ...(result.kind === "shown" ? { counts } : { hiddenBecause: result.because }),
      };
      return { write: closed, outcome: { closed, requestedBy: current.requestedBy } };
    });
    // Whoever wrote "closed" publishes, once.
    if (!outcome) return;
    if (result.kind === "shown") await this.countInInsight(pk, pulse.tenantId, pulse.themeId, pulseId, result, now);
    if (outcome.requestedBy) await this.deliverToLeader(outcome.requestedBy, outcome.closed, result);
  }

  /**
   * A shown result's counts (only what its group or leader saw: statements with k ratings) into
   * Indsigt, where a theme shows them summed over at least two results. Once per pulse.
   */
  private async countInInsight(pk: string, tenantId: string, themeId: string, pulseId: string, result: Extract<PulseResult, { kind: "shown" }>, now: Date): Promise<void> {
    if (!this.deps.insightChanges) return;
    const counts: Record<string, number> = { [key.pulses(themeId)]: 1, [key.pulseAnswers(themeId)]: result.answered };
    for (const s of result.statements) s.distribution.forEach((n, i) => n > 0 && (counts[key.pulseRating(themeId, s.statementId, i + 1)] = n));
    await this.deps.insightChanges.upsert(groupChangeDocument({ pk, tenantId }, `pulse:${pulseId}`, quarterOf(now.toISOString()), counts, now));
  }

  /** A closed pulse's result as stored; an open one's is hidden with how many answered (read separately). */
  resultOf(pulse: PulseDocument): PulseResult {
    if (pulse.status !== "closed") return { kind: "hidden", answered: 0, needed: this.k, because: "too-few" };
    if (!pulse.shown || !pulse.counts) return { kind: "hidden", answered: pulse.answered ?? 0, needed: this.k, because: pulse.hiddenBecause ?? "too-few" };
    return pulseResult(pulse.counts, pulse.statementIds, pulse.answered ?? 0, this.k);
  }

  /** "puls luk": the leader who asked closes their open pulse here before its time. */
  async closeByLeader(turn: SharedTurn): Promise<Reply[]> {
    const pk = groupPartition(turn.conversation.conversationId);
    // A pulse left "closing" by a close that stopped half-way is the leader's to close again.
    const open = (await this.deps.store.since(pk, new Date(this.deps.clock().getTime() - PULSE_WINDOW_DAYS * DAY))).filter((p) => p.status !== "closed" && p.audience === "team");
    const mine = open.find((p) => p.requestedBy?.userId === turn.speaker.aadObjectId);
    if (!mine) return [say(open.length > 0 ? texts.pulse.onlyAskerCloses : texts.pulse.noOpenPulse)];
    const closed = await this.close(pk, mine.pulseId);
    return [say(texts.pulse.closedByLeader(closed?.pulse.answered ?? 0))];
  }

  /** The composer of "pulse-close": closes the pulse (a team's result goes to the leader's outbox from there); nothing is posted in the group. */
  async composeClose(schedule: Schedule): Promise<Composition> {
    const closed = await this.close(schedule.pk, String(schedule.payload.pulseId ?? ""));
    return { kind: "skip", reason: closed ? `pulse closed (${closed.result.kind})` : "the pulse is gone" };
  }

  /** A meeting's pulse for its start card: closed now if its time has come, with its result, or how many answered so far. */
  async forMeeting(pk: string, meetingId: string, meetingStart: Date): Promise<{ statements: readonly Statement[]; result: PulseResult; k: number; open: boolean } | undefined> {
    const found = (await this.deps.store.since(pk, new Date(meetingStart.getTime() - PULSE_WINDOW_DAYS * DAY))).find((p) => p.meetingId === meetingId);
    if (!found) return undefined;
    const statements = this.statements(found.themeId).filter((s) => found.statementIds.includes(s.id));
    if (found.status !== "closed" && meetingStart.getTime() > this.deps.clock().getTime()) {
      return { statements, result: { kind: "hidden", answered: await this.deps.store.answeredCount(pk, found.pulseId), needed: this.k, because: "too-few" }, k: this.k, open: true };
    }
    const closed = found.status !== "closed" ? await this.close(pk, found.pulseId) : { pulse: found, result: this.resultOf(found) };
    return closed ? { statements, result: closed.result, k: this.k, open: false } : undefined;
  }

  /** A group's closed meeting pulses, by meeting: what the minutes show (numbers only). */
  async ofGroup(pk: string): Promise<Map<string, { readonly statements: readonly Statement[]; readonly result: PulseResult }>> {
    // At most one per theme per 30 days: years of a group's pulses are a few dozen documents; the newest MAX are read.
    const closed = (await this.deps.store.since(pk, new Date(0), GROUP_PULSES_READ)).filter((p) => p.status === "closed" && p.meetingId);
    return new Map(closed.map((p) => [p.meetingId!, { statements: this.statements(p.themeId).filter((s) => p.statementIds.includes(s.id)), result: this.resultOf(p) }]));
  }

  /**
   * "slet mine data": the person's open answers and their marks in rosters; their own team pulses
   * go with their record. A pulse they asked for that is still open goes on without them: it
   * closes on its schedule, and its result goes to nobody. Returns how many answers went.
   */
  async forget(user: UserKey): Promise<number> {
    const authorKey = this.deps.authorKeyOf(user);
    await this.deps.ledger.forget(authorKey);
    const answers = await this.deps.store.forget(authorKey);
    for (const { pk, pulseId } of await this.deps.store.askedBy(user)) {
      await this.deps.store.decide(pk, pulseId, (current) => {
        if (!current?.requestedBy) return { outcome: undefined };
        const { requestedBy: _asker, ...rest } = current;
        return { write: rest, outcome: undefined };
      });
    }
    return answers;
  }

  private async deliverToLeader(leader: { tenantId: string; userId: string }, pulse: PulseDocument, result: PulseResult): Promise<void> {
    const user = { tenantId: asTenantId(leader.tenantId), userId: asUserId(leader.userId) };
    // The leader's record and their 1:1 chat come from the one session read and written here.
    const { record, session } = await this.updateLeaderRecord(user, pulse.pulseId, (r) => ({
      ...r,
      result: {
        closedAt: pulse.closedAt ?? this.deps.clock().toISOString(),
        answered: pulse.answered ?? 0,
        shown: result.kind === "shown",
        ...(result.kind === "shown" ? { distributions: Object.fromEntries(result.statements.map((s) => [s.statementId, s.distribution])) } : {}),
      },
    }));
    if (!session?.conversation?.active) return;
    const statements = this.statements(pulse.themeId).filter((s) => pulse.statementIds.includes(s.id));
    const timezone = session.profile.timezone ?? "Europe/Copenhagen";
    const card = pulseResultCard({ themeTitle: this.themeTitle(pulse.themeId), statements, result, closedText: danishDate(pulse.closedAt ?? this.deps.clock().toISOString(), timezone), ...(record?.self ? { self: record.self } : {}), k: this.k });
    // Through the outbox, in the leader's partition (their erasure takes it), once per pulse whoever closed it.
    const ownerPk = partitionKeyOf(user);
    const now = this.deps.clock().toISOString();
    await this.deps.outbox.enqueue({
      id: Outbox.recordId(ownerPk, `pulse-result.${pulse.pulseId}`, new Date(pulse.closedAt ?? now)),
      status: "pending", tenantId: leader.tenantId, ownerPk, scheduleId: "pulse-close", kind: "pulse-result",
      conversation: session.conversation, message: { attachments: [card] }, createdAt: now, attempts: 0, nextAttemptAt: now,
    });
  }

  private async stillMember(pk: string, userId: string): Promise<boolean> {
    const group = await this.deps.channels.document(groupIdOf(pk) ?? "");
    return isMemberNow(group?.members, userId);
  }

  private async selfRating(user: UserKey, pulseId: string): Promise<Readonly<Record<string, number>> | undefined> {
    const { session } = await this.deps.sessions.load(user);
    return session.teamPulses?.find((p) => p.pulseId === pulseId)?.self;
  }

  private async rememberForLeader(user: UserKey, record: TeamPulseRecord): Promise<void> {
    await this.withSession(user, (pulses) => [...pulses.filter((p) => p.pulseId !== record.pulseId), record].slice(-TEAM_PULSES_KEPT));
  }

  private async updateLeaderRecord(user: UserKey, pulseId: string, change: (record: TeamPulseRecord) => TeamPulseRecord): Promise<{ record: TeamPulseRecord | undefined; session: UserSession | undefined }> {
    const session = await this.withSession(user, (all) => all.map((p) => (p.pulseId === pulseId ? change(p) : p)));
    return { record: session?.teamPulses?.find((p) => p.pulseId === pulseId), session };
  }

  /** A change to the leader's list of team pulses, written with their session's eTag (retried when their own turn saved first); the session as written. */
  private async withSession(user: UserKey, change: (pulses: readonly TeamPulseRecord[]) => TeamPulseRecord[]): Promise<UserSession | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      const { session, eTag } = await this.deps.sessions.load(user);
      // Nothing is kept for someone with no record (they erased their data meanwhile).
      if (eTag === undefined) return undefined;
      session.teamPulses = change(session.teamPulses ?? []);
      try {
        await this.deps.sessions.save(user, session, eTag);
        return session;
      } catch (err) {
        if (!(err instanceof ETagConflictError) || attempt >= 3) throw err;
      }
    }
  }

  private themeTitle(themeId: string): string {
    return this.deps.framework.theme(themeId)?.title ?? themeId;
  }

  private refusalText(why: "recent" | "too-few" | "too-many", themeTitle: string, until: Date | undefined, timezone: string): string {
    if (why === "recent") return texts.pulse.tooRecent(themeTitle, danishDate((until ?? this.deps.clock()).toISOString(), timezone));
    return why === "too-many" ? texts.pulse.tooMany(PULSE_MAX_ROSTER) : texts.pulse.tooFew(this.k);
  }
}
