import { meetingsChangedMarker } from "../storage/meetingStore";
import type { Framework } from "../domain/framework";
import { partitionKeyOf } from "../domain/identity";
import { asTenantId, asUserId } from "../domain/ids";
import { quarterOf } from "../domain/insight/aggregate";
import { PULSE_WINDOW_DAYS, pulseInsightCounts, pulseResult, pulseStatements, storedResult, tally, type PulseDocument, type PulseResult } from "../domain/group/pulse";
import { DEFAULT_TIMEZONE } from "../domain/time";
import { danishDate } from "../cards/format";
import { pulseResultCard } from "../cards/pulseCards";
import { groupChangeDocument } from "../insight/contributions";
import { Outbox } from "../nudges/outbox";
import type { Schedule } from "../nudges/schedule";
import type { Composition } from "../nudges/scheduler";
import type { GroupDocuments } from "../storage/groupDocuments";
import type { GroupPulses } from "../storage/pulseStore";
import type { PulseLedger } from "./pulseLedger";
import { escapeMarkdown } from "../domain/cleanText";
import type { TeamPulseRecords } from "./teamPulseRecords";

/** A closed pulse as the loop and the cards need it. */
export interface ClosedPulse {
  readonly pulse: PulseDocument;
  readonly result: PulseResult;
}

/**
 * Closing Vi-pulsen, and publishing what it came to: on its "pulse-close" schedule, when its
 * group's meeting starts, or by the leader who asked. Closing shuts the answer gates, counts,
 * decides whether the result may show (k answers, and the differencing rule in the ledger), keeps
 * the counts only (with Indsigt's share of them, in the same write), and deletes the answers and
 * every mark of who could answer. Publishing a team's result is its leader's 1:1 message, through
 * the outbox; a group's shows on the cards that read it (pulses.ts). Asking and answering are in
 * pulses.ts; the rules in domain/group/pulse.ts.
 */
export class PulseClosing {
  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly store: GroupPulses;
      /** The differencing rule's ledger: rosters behind shown results, checked and recorded in one step. */
      readonly ledger: Pick<PulseLedger, "showIfDisjoint">;
      /** Where a team's roster waits while its pulse is open (pulses.ts keeps it there to check who still may answer). */
      readonly documents: Pick<GroupDocuments, "update">;
      readonly leaders: Pick<TeamPulseRecords, "update">;
      readonly outbox: Pick<Outbox, "enqueue">;
      readonly clock: () => Date;
      /** k: the fewest answers (and ratings per statement) a result shows from; at least 5. */
      readonly minAnswers: number;
    },
  ) {}

  /**
   * Closes a pulse: shuts its answer gates ("closing"), so an answer from then on is refused in
   * words, counts every answer written before, decides whether the result may show, keeps the
   * counts only, and deletes the answers and every mark of who could answer. Safe to run twice,
   * on two instances, or again after a crash half-way.
   */
  async close(pk: string, pulseId: string): Promise<ClosedPulse | undefined> {
    const fenced = await this.deps.store.shutForClosing(pk, pulseId);
    if (!fenced) return undefined;
    if (fenced.status === "closing") await this.finishClosing(fenced, this.deps.clock());
    await this.deps.store.deleteAnswers(pk, pulseId);
    const after = await this.deps.store.read(pk, pulseId);
    if (after?.audience === "team") await this.forgetTeamRoster(pk);
    return after ? { pulse: after, result: storedResult(after, this.deps.minAnswers) } : undefined;
  }

  /**
   * A group's meeting has started: its pulse closes now, whatever the time it was set to close at
   * (an early start, a late schedule), so "Dagens refleksion" drawn next shows the result.
   */
  async closeForMeeting(pk: string, meetingId: string, meetingStart: Date): Promise<void> {
    const pulse = await this.deps.store.ofMeeting(pk, meetingId, meetingStart);
    if (pulse && pulse.status !== "closed") await this.close(pk, pulse.pulseId);
  }

  /** The composer of "pulse-close": closes the pulse (a team's result goes to the leader's outbox from there); nothing is posted in the group. */
  async composeClose(schedule: Schedule): Promise<Composition> {
    const closed = await this.close(schedule.pk, String(schedule.payload.pulseId ?? ""));
    return { kind: "skip", reason: closed ? `pulse closed (${closed.result.kind})` : "the pulse is gone" };
  }

  private async finishClosing(pulse: PulseDocument, now: Date): Promise<void> {
    const { pk, pulseId, statementIds } = pulse;
    const k = this.deps.minAnswers;
    // Behind shut gates no answer is added: every close of this pulse counts the same answers.
    const answers = await this.deps.store.answers(pk, pulseId);
    const counts = tally(answers.map((a) => a.ratings), statementIds);
    const overlap = answers.length >= k && (await this.deps.ledger.showIfDisjoint(pulse.tenantId, pulse.themeId, pulseId, pulse.eligible ?? [], now)) === "overlap";
    const result = pulseResult(counts, statementIds, answers.length, k, overlap);
    // A shown result counts in Indsigt (summed over at least two results per theme), in the same
    // transactional batch as the pulse becoming "closed": once per pulse, whoever closes it.
    const insight =
      result.kind === "shown" ? [groupChangeDocument({ pk, tenantId: pulse.tenantId }, `pulse:${pulseId}`, quarterOf(now.toISOString()), pulseInsightCounts(pulse.themeId, result), now)] : [];
    const { outcome } = await this.deps.store.decide(
      pk,
      pulseId,
      (current) => {
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
      },
      // A meeting's pulse shows on its side panel: the group's change marker tells the panel it closed.
      () => [...insight, ...(pulse.meetingId ? [meetingsChangedMarker(pk)] : [])],
    );
    // Whoever wrote "closed" publishes, once.
    if (outcome?.requestedBy) await this.deliverToLeader(outcome.requestedBy, outcome.closed, result);
  }

  /**
   * A team's roster, with names, was kept on its conversation's document only to check who may
   * still answer; once no team pulse there is open, it goes. A leader group set up there keeps
   * it: its invitations and reminders are sent from it.
   */
  private async forgetTeamRoster(pk: string): Promise<void> {
    const window = new Date(this.deps.clock().getTime() - PULSE_WINDOW_DAYS * 86_400_000);
    const open = (await this.deps.store.since(pk, window)).some((p) => p.status !== "closed" && p.audience === "team");
    if (open) return;
    await this.deps.documents.update(pk, (doc) => {
      if (!doc || doc.settings || doc.members === undefined) return undefined;
      const { members: _roster, membersAt: _at, ...rest } = doc;
      return rest;
    });
  }

  private async deliverToLeader(leader: { tenantId: string; userId: string }, pulse: PulseDocument, result: PulseResult): Promise<void> {
    const user = { tenantId: asTenantId(leader.tenantId), userId: asUserId(leader.userId) };
    const now = this.deps.clock();
    const closedAt = pulse.closedAt ?? now.toISOString();
    // The leader's record and their 1:1 chat come from the one session read and written here.
    const { record, session } = await this.deps.leaders.update(user, pulse.pulseId, (r) => ({
      ...r,
      result: {
        closedAt,
        answered: pulse.answered ?? 0,
        shown: result.kind === "shown",
        ...(result.kind === "shown" ? { distributions: Object.fromEntries(result.statements.map((s) => [s.statementId, s.distribution])) } : {}),
      },
    }));
    if (!session?.conversation?.active) return;
    const card = pulseResultCard({
      themeTitle: this.deps.framework.theme(pulse.themeId)?.title ?? escapeMarkdown(pulse.themeId),
      statements: pulseStatements(this.deps.framework, pulse.themeId, pulse.statementIds),
      result,
      // The result is read in the leader's 1:1 chat: their day, in their zone.
      closedText: danishDate(closedAt, session.profile.timezone ?? DEFAULT_TIMEZONE),
      ...(record?.self ? { self: record.self } : {}),
      k: this.deps.minAnswers,
    });
    // Through the outbox, in the leader's partition (their erasure takes it), once per pulse whoever closed it.
    const ownerPk = partitionKeyOf(user);
    await this.deps.outbox.enqueue(
      Outbox.pending(
        { id: Outbox.recordId(ownerPk, `pulse-result.${pulse.pulseId}`, new Date(closedAt)), tenantId: leader.tenantId, ownerPk, scheduleId: "pulse-close", kind: "pulse-result", conversation: session.conversation, message: { attachments: [card] } },
        now,
      ),
    );
  }
}
