import type { Container, OperationInput, JSONObject } from "@azure/cosmos";
import { BulkOperationType } from "@azure/cosmos";
import { createIfAbsent, decideWithRetry, deleteIfPresent, replaceIfUnchanged } from "../storage/conditionalWrites";
import { isNotFound } from "../storage/cosmosErrors";
import { withoutSystemFields } from "../storage/systemFields";
import { AppError, ErrorCodes } from "../errors";
import type { Decision } from "../domain/result";
import {
  pulseAnswerId,
  pulseDocumentId,
  pulseLedgerPartition,
  PULSE_WINDOW_SECONDS,
  type PulseAnswerDocument,
  type PulseDocument,
  type PulseRosterRecord,
} from "./pulse";

/** Two days past its close an answer is gone by itself, whatever happened to the closing. */
const ANSWER_GRACE_SECONDS = 2 * 86_400;

/**
 * Vi-pulsen's documents. A pulse and its answers live in the partition of the group or team it
 * was put to; the rosters behind shown results live per tenant and theme for the window. Every
 * query names its partition, except the two an erasure needs (a person's open answers, and their
 * mark in rosters), which look across partitions as GroupMeetings.naming does.
 */
export class GroupPulses {
  constructor(private readonly container: Container) {}

  async read(pk: string, pulseId: string): Promise<PulseDocument | undefined> {
    try {
      const { resource } = await this.container.item(pulseDocumentId(pulseId), pk).read<PulseDocument>();
      return resource;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
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

  /** Stores a member's answer, replacing their earlier one: one document per pulse and member. */
  async answer(pulse: PulseDocument, authorKey: string, ratings: Readonly<Record<string, number>>, now: Date): Promise<void> {
    const ttl = Math.max(60, Math.ceil((Date.parse(pulse.closesAt) - now.getTime()) / 1000) + ANSWER_GRACE_SECONDS);
    const answer: PulseAnswerDocument = { id: pulseAnswerId(pulse.pulseId, authorKey), pk: pulse.pk, type: "pulseAnswer", pulseId: pulse.pulseId, authorKey, ratings, answeredAt: now.toISOString(), ttl };
    await this.container.items.upsert(answer);
  }

  /** A member's answer to an open pulse, if they gave one (to show their choices again). */
  async answerOf(pulse: PulseDocument, authorKey: string): Promise<PulseAnswerDocument | undefined> {
    try {
      const { resource } = await this.container.item(pulseAnswerId(pulse.pulseId, authorKey), pulse.pk).read<PulseAnswerDocument>();
      return resource;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
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

  /** A pure decision about the pulse as stored now, written conditionally; re-decided after a lost race. */
  async decide<O>(pk: string, pulseId: string, decide: (current: PulseDocument | undefined) => Decision<PulseDocument, O>): Promise<{ outcome: O; pulse: PulseDocument | undefined }> {
    const { stored, outcome } = await decideWithRetry<PulseDocument & { _etag?: string }, O>(
      `Pulse ${pulseId}`,
      () => this.read(pk, pulseId),
      decide,
      (current, next) => (current ? replaceIfUnchanged(this.container, current, pk, withoutSystemFields<PulseDocument>(next)) : Promise.resolve(undefined)),
    );
    return { outcome, pulse: stored };
  }

  /** Deletes a pulse's answers (after it closed: its counts hold what they said). Returns how many. */
  async deleteAnswers(pk: string, pulseId: string): Promise<number> {
    let deleted = 0;
    for (const { id } of await this.answers(pk, pulseId)) if (await deleteIfPresent(this.container, id, pk)) deleted += 1;
    return deleted;
  }

  /** The rosters of results shown on a theme in a tenant within the window. */
  async shownRosters(tenantId: string, themeId: string): Promise<PulseRosterRecord[]> {
    const pk = pulseLedgerPartition(tenantId, themeId);
    const { resources } = await this.container.items
      .query<PulseRosterRecord>({ query: "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'pulseRoster'", parameters: [{ name: "@pk", value: pk }] }, { partitionKey: pk })
      .fetchAll();
    return resources;
  }

  /** Keeps the roster behind a shown result for the window (it leaves by its ttl). */
  async recordShown(tenantId: string, themeId: string, pulseId: string, members: readonly string[], now: Date): Promise<void> {
    const record: PulseRosterRecord = { id: pulseId, pk: pulseLedgerPartition(tenantId, themeId), type: "pulseRoster", members, shownAt: now.toISOString(), ttl: PULSE_WINDOW_SECONDS };
    await this.container.items.upsert(record);
  }

  /**
   * "slet mine data": the person's answers to open pulses go (closed ones are counts without
   * anyone in them), and their mark leaves the rosters of open pulses and of shown results.
   * Returns how many answers went.
   */
  async forget(authorKey: string): Promise<number> {
    const answers = await this.crossPartition<{ id: string; pk: string }>("SELECT c.id, c.pk FROM c WHERE c.type = 'pulseAnswer' AND c.authorKey = @k", authorKey);
    let removed = 0;
    for (const { id, pk } of answers) if (await deleteIfPresent(this.container, id, pk)) removed += 1;
    const marked = await this.crossPartition<{ id: string; pk: string; type: string }>(
      "SELECT c.id, c.pk, c.type FROM c WHERE (c.type = 'pulse' AND ARRAY_CONTAINS(c.eligible, @k)) OR (c.type = 'pulseRoster' AND ARRAY_CONTAINS(c.members, @k))",
      authorKey,
    );
    for (const { id, pk, type } of marked) {
      await decideWithRetry<(PulseDocument | PulseRosterRecord) & { _etag?: string }, undefined>(
        `Pulse roster ${id}`,
        async () => {
          try {
            return (await this.container.item(id, pk).read<PulseDocument | PulseRosterRecord>()).resource;
          } catch (error) {
            if (isNotFound(error)) return undefined;
            throw error;
          }
        },
        (current) => {
          if (!current) return { outcome: undefined };
          if (type === "pulse") {
            const pulse = current as PulseDocument;
            return { write: { ...pulse, eligible: (pulse.eligible ?? []).filter((m) => m !== authorKey) }, outcome: undefined };
          }
          const roster = current as PulseRosterRecord;
          return { write: { ...roster, members: roster.members.filter((m) => m !== authorKey) }, outcome: undefined };
        },
        (current, next) => (current ? replaceIfUnchanged(this.container, current, pk, withoutSystemFields(next)) : Promise.resolve(undefined)),
      );
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

  private async crossPartition<T>(query: string, key: string): Promise<T[]> {
    const { resources } = await this.container.items.query<T>({ query, parameters: [{ name: "@k", value: key }] }).fetchAll();
    return resources;
  }
}
