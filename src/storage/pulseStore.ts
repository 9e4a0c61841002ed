import type { Container, OperationInput, JSONObject } from "@azure/cosmos";
import { BulkOperationType } from "@azure/cosmos";
import { createIfAbsent, decideWithRetry, deleteIfPresent, readIfPresent, replaceWithIfUnchanged } from "./conditionalWrites";
import { withoutSystemFields } from "./systemFields";
import { AppError, ErrorCodes } from "../kernel/errors";
import type { Decision } from "../domain/result";
import { pulseAnswerId, pulseDocumentId, pulseGateId, pulseGateOf, PULSE_GATES, PULSE_WINDOW_SECONDS, type PulseAnswerDocument, type PulseAnswerGate, type PulseDocument } from "../domain/group/pulse";

/** Two days past its close an answer is gone by itself, whatever happened to the closing. */
const ANSWER_GRACE_SECONDS = 2 * 86_400;

/**
 * Vi-pulsen's documents. A pulse and its answers live in the partition of the group or team it
 * was put to (the rosters behind shown results are the ledger's, pulseLedger.ts). Every query
 * names its partition, except the two an erasure needs (a person's open answers, and their mark
 * on open pulses), which look across partitions as GroupMeetings.naming does.
 */
export class GroupPulses {
  constructor(private readonly container: Container) {}

  read(pk: string, pulseId: string): Promise<PulseDocument | undefined> {
    return this.readItem<PulseDocument>(pulseDocumentId(pulseId), pk);
  }

  /** The pulses put to this group or team since `since`, open or closed, newest first. */
  async since(pk: string, since: Date, max = 100): Promise<PulseDocument[]> {
    const { resources } = await this.container.items
      .query<PulseDocument>(
        {
          query: "SELECT TOP @max * FROM c WHERE c.pk = @pk AND c.type = 'pulse' AND c.openedAt >= @since ORDER BY c.openedAt DESC",
          parameters: [{ name: "@pk", value: pk }, { name: "@since", value: since.toISOString() }, { name: "@max", value: max }],
        },
        { partitionKey: pk },
      )
      .fetchAll();
    return resources;
  }

  /** The pulse of a group's meeting, if one was opened for it (within the window before `meetingStart`). */
  async ofMeeting(pk: string, meetingId: string, meetingStart: Date): Promise<PulseDocument | undefined> {
    return (await this.since(pk, new Date(meetingStart.getTime() - PULSE_WINDOW_SECONDS * 1000))).find((p) => p.meetingId === meetingId);
  }

  /**
   * Opens a pulse and its closing schedule together (one transactional batch in the group's
   * partition); false when a pulse with that id is already there.
   */
  async open(pulse: PulseDocument, alongside: readonly object[]): Promise<boolean> {
    if (alongside.length === 0) return (await createIfAbsent(this.container, pulse)) !== undefined;
    const operations: OperationInput[] = [
      { operationType: BulkOperationType.Create, partitionKey: pulse.pk, resourceBody: pulse as unknown as JSONObject },
      ...alongside.map((d): OperationInput => ({ operationType: BulkOperationType.Upsert, partitionKey: pulse.pk, resourceBody: d as unknown as JSONObject })),
    ];
    const { result } = await this.container.items.batch(operations, pulse.pk);
    const [first] = result ?? [];
    if (first?.statusCode === 409) return false;
    const failed = (result ?? []).find((r) => r.statusCode >= 400);
    if (failed) throw new AppError(ErrorCodes.storageInconsistent, { detail: `opening pulse ${pulse.pulseId} failed with ${failed.statusCode}`, cause: { code: failed.statusCode } });
    return true;
  }

  /**
   * Stores a member's answer, replacing their earlier one (one document per pulse and member),
   * only through its open gate: the gate is rewritten unchanged, with If-Match on its eTag, in the
   * same transactional batch. "closed" when the gate was shut (the pulse is closing), or shut
   * between reading and writing it: the answer is not stored.
   */
  async answer(pulse: PulseDocument, authorKey: string, ratings: Readonly<Record<string, number>>, now: Date): Promise<"stored" | "closed"> {
    const ttl = Math.max(60, Math.ceil((Date.parse(pulse.closesAt) - now.getTime()) / 1000) + ANSWER_GRACE_SECONDS);
    const answer: PulseAnswerDocument = { id: pulseAnswerId(pulse.pulseId, authorKey), pk: pulse.pk, type: "pulseAnswer", pulseId: pulse.pulseId, authorKey, ratings, answeredAt: now.toISOString(), ttl };
    // A gate is made by the first answer through it; if a close shut it first, creating it fails and the shut gate is read.
    const opened: PulseAnswerGate = { id: pulseGateId(pulse.pulseId, pulseGateOf(authorKey)), pk: pulse.pk, type: "pulseGate", pulseId: pulse.pulseId, open: true, ttl };
    const { outcome } = await decideWithRetry<PulseAnswerGate & { _etag?: string }, "stored" | "closed">(
      `Answer to pulse ${pulse.pulseId}`,
      async () => (await this.readItem<PulseAnswerGate>(opened.id, pulse.pk)) ?? (await createIfAbsent(this.container, opened)) ?? (await this.readItem<PulseAnswerGate>(opened.id, pulse.pk)),
      (gate) => (gate?.open ? { write: gate, outcome: "stored" } : { outcome: "closed" }),
      (gate, next) => (gate ? replaceWithIfUnchanged(this.container, gate, pulse.pk, withoutSystemFields(next), [answer]) : Promise.resolve(undefined)),
    );
    return outcome;
  }

  /**
   * The start of a close: the pulse becomes "closing" and every answer gate is shut, in one
   * transactional batch, so no answer is stored after this and the answers read next are all
   * there will be. The pulse as it is now (closing, or already closed by someone else).
   */
  async shutForClosing(pk: string, pulseId: string): Promise<PulseDocument | undefined> {
    // Shut gates stay two days (a click still on its way when the pulse closed finds its gate shut), then leave by their ttl.
    const shut = Array.from({ length: PULSE_GATES }, (_, gate): PulseAnswerGate => ({ id: pulseGateId(pulseId, gate), pk, type: "pulseGate", pulseId, open: false, ttl: ANSWER_GRACE_SECONDS }));
    const { stored } = await decideWithRetry<PulseDocument & { _etag?: string }, undefined>(
      `Closing pulse ${pulseId}`,
      () => this.read(pk, pulseId),
      (current) => (current?.status === "open" ? { write: { ...current, status: "closing" }, outcome: undefined } : { outcome: undefined }),
      (current, next) => (current ? replaceWithIfUnchanged(this.container, current, pk, withoutSystemFields<PulseDocument>(next), shut) : Promise.resolve(undefined)),
    );
    return stored;
  }

  /** A member's answer to an open pulse, if they gave one (to show their choices again). */
  answerOf(pulse: PulseDocument, authorKey: string): Promise<PulseAnswerDocument | undefined> {
    return this.readItem<PulseAnswerDocument>(pulseAnswerId(pulse.pulseId, authorKey), pulse.pk);
  }

  /** The answers of a pulse (ratings only, and the ids to delete them by). */
  async answers(pk: string, pulseId: string): Promise<Array<Pick<PulseAnswerDocument, "id" | "ratings">>> {
    const { resources } = await this.container.items
      .query<Pick<PulseAnswerDocument, "id" | "ratings">>(
        { query: "SELECT c.id, c.ratings FROM c WHERE c.pk = @pk AND c.type = 'pulseAnswer' AND c.pulseId = @id", parameters: [{ name: "@pk", value: pk }, { name: "@id", value: pulseId }] },
        { partitionKey: pk },
      )
      .fetchAll();
    return resources;
  }

  async answeredCount(pk: string, pulseId: string): Promise<number> {
    const { resources } = await this.container.items
      .query<number>(
        { query: "SELECT VALUE COUNT(1) FROM c WHERE c.pk = @pk AND c.type = 'pulseAnswer' AND c.pulseId = @id", parameters: [{ name: "@pk", value: pk }, { name: "@id", value: pulseId }] },
        { partitionKey: pk },
      )
      .fetchAll();
    return resources[0] ?? 0;
  }

  /**
   * A pure decision about the pulse as stored now, written conditionally (with documents of its
   * partition `alongside` the write, in the same transactional batch); re-decided after a lost race.
   */
  async decide<O>(
    pk: string,
    pulseId: string,
    decide: (current: PulseDocument | undefined) => Decision<PulseDocument, O>,
    alongside: (next: PulseDocument) => readonly object[] = () => [],
  ): Promise<{ outcome: O; pulse: PulseDocument | undefined }> {
    const { stored, outcome } = await decideWithRetry<PulseDocument & { _etag?: string }, O>(
      `Pulse ${pulseId}`,
      () => this.read(pk, pulseId),
      decide,
      (current, next) => (current ? replaceWithIfUnchanged(this.container, current, pk, withoutSystemFields<PulseDocument>(next), alongside(next)) : Promise.resolve(undefined)),
    );
    return { outcome, pulse: stored };
  }

  /** Deletes a pulse's answers (after it closed: its counts hold what they said). Returns how many. */
  async deleteAnswers(pk: string, pulseId: string): Promise<number> {
    let deleted = 0;
    for (const { id } of await this.answers(pk, pulseId)) if (await deleteIfPresent(this.container, id, pk)) deleted += 1;
    return deleted;
  }

  /**
   * "slet mine data": the person's answers to open pulses go (closed ones are counts without
   * anyone in them), and their mark leaves the rosters of open pulses (the ledger of shown
   * results forgets it in pulseLedger.ts). Returns how many answers went.
   */
  async forget(authorKey: string): Promise<number> {
    const answers = await this.crossPartition<{ id: string; pk: string }>("SELECT c.id, c.pk FROM c WHERE c.type = 'pulseAnswer' AND c.authorKey = @k", authorKey);
    let removed = 0;
    for (const { id, pk } of answers) if (await deleteIfPresent(this.container, id, pk)) removed += 1;
    const marked = await this.crossPartition<{ id: string; pk: string; pulseId: string }>("SELECT c.id, c.pk, c.pulseId FROM c WHERE c.type = 'pulse' AND ARRAY_CONTAINS(c.eligible, @k)", authorKey);
    for (const { pk, pulseId } of marked) {
      await this.decide(pk, pulseId, (current) => (current ? { write: { ...current, eligible: (current.eligible ?? []).filter((m) => m !== authorKey) }, outcome: undefined } : { outcome: undefined }));
    }
    return removed;
  }

  /** Pulses still open that this person asked for (the result would go to their 1:1 chat): for their erasure. */
  async askedBy(user: { readonly tenantId: string; readonly userId: string }): Promise<Array<Pick<PulseDocument, "pk" | "pulseId">>> {
    const { resources } = await this.container.items
      .query<Pick<PulseDocument, "pk" | "pulseId">>({
        query: "SELECT c.pk, c.pulseId FROM c WHERE c.type = 'pulse' AND c.requestedBy.userId = @user AND c.requestedBy.tenantId = @tenant",
        parameters: [{ name: "@user", value: user.userId }, { name: "@tenant", value: user.tenantId }],
      })
      .fetchAll();
    return resources;
  }

  private async readItem<T>(id: string, pk: string): Promise<(T & { _etag?: string }) | undefined> {
    return readIfPresent<T>(this.container, id, pk);
  }

  private async crossPartition<T>(query: string, key: string): Promise<T[]> {
    const { resources } = await this.container.items.query<T>({ query, parameters: [{ name: "@k", value: key }] }).fetchAll();
    return resources;
  }
}
