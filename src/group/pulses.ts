import type { Framework, Statement } from "../domain/framework";
import { danishDate, danishDateTime } from "../cards/format";
import { pulseAnswerCard, pulseAnsweredCard, pulseInvitationCard } from "../cards/pulseCards";
import type { CardAttachment } from "../cards/renderCard";
import type { CardSubmit } from "../domain/cardSubmit";
import type { UserKey } from "../domain/identity";
import { asTenantId, asUserId } from "../domain/ids";
import type { PointAuthorKey } from "../domain/pointAuthor";
import type { Logger } from "../kernel/log";
import { texts } from "../kernel/texts";
import type { Shown } from "../kernel/shown";
import { escapeMarkdown } from "../domain/cleanText";
import { kept, say, show, type Reply } from "../cards/replies";
import type { GroupDocuments } from "../storage/groupDocuments";
import type { GroupDocument } from "../domain/group/model";
import type { Groups } from "./groups";
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
  pulseStatements,
  storedResult,
  type PulseAudience,
  type PulseDocument,
  type PulseResult,
} from "../domain/group/pulse";
import type { GroupPulses } from "../storage/pulseStore";
import type { Schedule } from "../nudges/schedule";
import type { PulseLedger } from "./pulseLedger";
import type { PulseClosing } from "./pulseClosing";
import type { TeamPulseRecords } from "./teamPulseRecords";
import { isMemberNow, mayWriteToGroup } from "../domain/group/roster";

const DAY = 86_400_000;
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

/** A meeting's pulse as "Dagens refleksion" shows it. */
export interface MeetingPulse {
  readonly statements: readonly Statement[];
  readonly result: PulseResult;
  readonly k: number;
  /** Not closed yet: the result shows how many answered so far. */
  readonly open: boolean;
  /** Open past its time (the meeting has begun): its close is on its way, on its schedule or the meeting's start. */
  readonly closing?: boolean;
}

/**
 * Vi-pulsen in a group or a team: asking (`puls [tema]` in a team's channel or chat, or with a
 * leader group's invitations), answering (Action.Execute on the cards, so members answer in the
 * conversation without installing anything, and see their choices alone), and what a pulse
 * shows as stored (reads only: the meeting's card and the minutes draw from it). Closing and
 * publishing are pulseClosing.ts's; the rules are in domain/group/pulse.ts.
 */
export class Pulses {
  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly store: GroupPulses;
      /** The differencing rule's ledger: an erasure takes the person's marks out of it. */
      readonly ledger: Pick<PulseLedger, "forget">;
      readonly closing: Pick<PulseClosing, "close">;
      readonly groups: Pick<Groups, "document" | "settings">;
      readonly documents: Pick<GroupDocuments, "rememberMembers">;
      readonly leaders: Pick<TeamPulseRecords, "remember" | "update" | "selfRating">;
      readonly authorKeyOf: PointAuthorKey;
      readonly clock: () => Date;
      readonly newId: () => string;
      /** k: the fewest answers (and ratings per statement) a result shows from; at least 5. */
      readonly minAnswers: number;
      readonly openDays: number;
      readonly log: Logger;
    },
  ) {}

  get k(): number {
    return this.deps.minAnswers;
  }

  /** The theme's Fælles statements: what a pulse asks about. */
  statements(themeId: string): readonly Statement[] {
    return pulseStatements(this.deps.framework, themeId);
  }

  /** "puls [tema]" in a team's channel or chat: one invitation card here, and the result to the leader's 1:1 chat when it closes. */
  async askTeam(turn: SharedTurn, themeSpec: string): Promise<Reply[]> {
    const leader = turn.speaker.aadObjectId;
    const group = await turn.group();
    const settings = this.deps.groups.settings.effective(group, turn.clientTimezone);
    const { timezone } = settings;
    const theme = this.deps.groups.settings.pickTheme(settings, themeSpec);
    if (!leader) return [say(texts.pulse.guestsCannotAsk)];
    const roster = (await turn.roster()) ?? group?.members;
    // Kept while the pulse is open, to refuse an answer from someone who left since; its close takes it off again.
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
    await this.deps.leaders.remember({ tenantId: asTenantId(turn.conversation.tenantId), userId: asUserId(leader) }, {
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
    const statements = pulseStatements(this.deps.framework, pulse.themeId, pulse.statementIds);
    const target = { pulseId, groupId: conversationGroupId ?? groupId };
    const closesText = danishDateTime(new Date(pulse.closesAt), timezone);
    const privacyText = pulse.audience === "team" ? texts.pulse.privacy : texts.pulse.groupPrivacy;
    if (submit.verb === "openPulse") {
      const current = self ? await this.deps.leaders.selfRating(user, pulseId) : (await this.deps.store.answerOf(pulse, authorKey))?.ratings;
      return { card: pulseAnswerCard({ ...target, themeTitle: this.themeTitle(pulse.themeId), statements, ...(current ? { current } : {}), closesText, privacyText }) };
    }
    const ratings = parsePulseRatings(submit.inputs, pulse.statementIds);
    if (!ratings) return { text: texts.pulse.invalid };
    // The leader who asked keeps their own rating in their own record: it never counts with the team's.
    if (self) await this.deps.leaders.update(user, pulseId, (r) => ({ ...r, self: ratings }));
    else {
      const now = this.deps.clock();
      // The pulse was open a moment ago; "closed" means a close shut its gates since.
      if ((await this.deps.store.answer(pulse, authorKey, ratings, now)) === "closed") return { text: texts.pulse.closedWhileAnswering };
    }
    return { card: pulseAnsweredCard({ ...target, statements, ratings, closesText, self, privacyText }) };
  }

  /** A pulse's result as stored: a closed one's; one not closed yet shows nothing (how many answered is read separately). */
  resultOf(pulse: PulseDocument): PulseResult {
    return storedResult(pulse, this.k);
  }

  /** "puls luk": the leader who asked closes their open pulse here before its time. */
  async closeByLeader(turn: SharedTurn): Promise<Reply[]> {
    const pk = groupPartition(turn.conversation.conversationId);
    // A pulse left "closing" by a close that stopped half-way is the leader's to close again.
    const open = (await this.deps.store.since(pk, new Date(this.deps.clock().getTime() - PULSE_WINDOW_DAYS * DAY))).filter((p) => p.status !== "closed" && p.audience === "team");
    const mine = open.find((p) => p.requestedBy?.userId === turn.speaker.aadObjectId);
    if (!mine) return [say(open.length > 0 ? texts.pulse.onlyAskerCloses : texts.pulse.noOpenPulse)];
    const closed = await this.deps.closing.close(pk, mine.pulseId);
    return [say(texts.pulse.closedByLeader(closed?.pulse.answered ?? 0))];
  }

  /**
   * A meeting's pulse for its start card, as stored: its result once closed, else how many answered
   * so far. Only reads: the pulse closes on its schedule or when the meeting starts
   * (PulseClosing), never because a card is drawn.
   */
  async forMeeting(pk: string, meetingId: string, meetingStart: Date): Promise<MeetingPulse | undefined> {
    const found = await this.deps.store.ofMeeting(pk, meetingId, meetingStart);
    if (!found) return undefined;
    const statements = pulseStatements(this.deps.framework, found.themeId, found.statementIds);
    if (found.status === "closed") return { statements, result: this.resultOf(found), k: this.k, open: false };
    const answered = found.status === "open" ? await this.deps.store.answeredCount(pk, found.pulseId) : 0;
    const result: PulseResult = { kind: "hidden", answered, needed: this.k, because: "too-few" };
    // Past its time (or half-closed), a leader would otherwise read "the result shows from 5 answers" with 5 in: say it is closing.
    const closing = found.status === "closing" || Date.parse(found.closesAt) <= this.deps.clock().getTime();
    return { statements, result, k: this.k, open: true, ...(closing ? { closing: true } : {}) };
  }

  /** A group's closed meeting pulses, by meeting: what the minutes show (numbers only). */
  async ofGroup(pk: string): Promise<Map<string, { readonly statements: readonly Statement[]; readonly result: PulseResult }>> {
    // At most one per theme per 30 days: years of a group's pulses are a few dozen documents; the newest MAX are read.
    const closed = (await this.deps.store.since(pk, new Date(0), GROUP_PULSES_READ)).filter((p) => p.status === "closed" && p.meetingId);
    return new Map(closed.map((p) => [p.meetingId!, { statements: pulseStatements(this.deps.framework, p.themeId, p.statementIds), result: this.resultOf(p) }]));
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

  private async stillMember(pk: string, userId: string): Promise<boolean> {
    const group = await this.deps.groups.document(groupIdOf(pk) ?? "");
    return isMemberNow(group?.members, userId);
  }

  private themeTitle(themeId: string): Shown {
    return this.deps.framework.theme(themeId)?.title ?? escapeMarkdown(themeId);
  }

  private refusalText(why: "recent" | "too-few" | "too-many", themeTitle: Shown, until: Date | undefined, timezone: string): string {
    if (why === "recent") return texts.pulse.tooRecent(themeTitle, danishDate((until ?? this.deps.clock()).toISOString(), timezone));
    return why === "too-many" ? texts.pulse.tooMany(PULSE_MAX_ROSTER) : texts.pulse.tooFew(this.k);
  }
}
