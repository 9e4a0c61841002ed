import { BulkOperationType, type Container, type OperationInput } from "@azure/cosmos";
import type { ReaderIdentity, Share } from "../domain/sharing/share";
import { AppError, ErrorCodes } from "../kernel/errors";
import { bulk, createIfAbsent, deleteIfPresent, readIfPresent, replaceIfUnchanged } from "./conditionalWrites";
import { withoutSystemFields } from "./systemFields";

/**
 * Til min leder's shares, in the user data container, so every read is scoped to one partition:
 * - the share itself lives in the SHARER's partition (`<tenant>|<user id>`, id = the share id):
 *   their `mine delinger` is one query in their own partition, and their erasure takes it with
 *   the rest of their data;
 * - a small pointer lives in the READER's partition (`<reader tenant>|<reader object id>`, id =
 *   `share-received.<share id>`), naming where the share is. The reader's page finds a share only
 *   through the pointer in the signed-in person's own partition: an id from a forwarded link, a
 *   colleague or another tenant finds no pointer there, so nothing is read at all.
 *
 * Both carry a Cosmos `ttl`: a share goes by itself SHARE_LOG_DAYS after it could last have been
 * read, a pointer when its share expires, even if no job ever ran.
 */

export const SHARE_TYPE = "share";
export const RECEIVED_TYPE = "share-received";
/** How long the sharer's log keeps an ended share (who, when, how often opened; no content). */
export const SHARE_LOG_DAYS = 90;
const DAY_SECONDS = 86_400;

export type ShareDocument = Share & { readonly pk: string; readonly type: typeof SHARE_TYPE; readonly ttl: number };
export type StoredShare = ShareDocument & { readonly _etag?: string };

/** The reader's pointer to a share. */
export interface ReceivedShare {
  readonly id: string;
  readonly pk: string;
  readonly type: typeof RECEIVED_TYPE;
  readonly shareId: string;
  /** The partition the share is in (the sharer's). */
  readonly sharerPk: string;
  /**
   * The share has ended. The pointer then leads to nothing readable (receivedBy ignores it), but
   * it stays as long as the sharer's log keeps the share, so the reader's erasure still finds the
   * questions and read log the log holds of them.
   */
  readonly ended?: true;
  readonly ttl: number;
}

export const userPk = (tenantId: string, userId: string) => `${tenantId}|${userId}`;
export const sharerPkOf = (share: Share) => userPk(share.tenantId, share.sharer.userId);
export const readerPkOf = (share: Share) => userPk(share.reader.tenantId, share.reader.aadObjectId);
/** The partition a verified identity reads its pointers in: Entra ids in lower case, as shares store them. */
export const readerPkOfIdentity = (identity: ReaderIdentity) => userPk(identity.tenantId.toLowerCase(), identity.aadObjectId.toLowerCase());
const receivedId = (shareId: string) => `${RECEIVED_TYPE}.${shareId}`;

/** Seconds from `now` until the share is sure to be of no more use: its log time after its expiry (or after now, once ended). */
function shareTtl(share: Share, now: Date): number {
  const end = share.state === "active" ? Math.max(new Date(share.expiresAt).getTime(), now.getTime()) : now.getTime();
  return Math.ceil((end - now.getTime()) / 1000) + SHARE_LOG_DAYS * DAY_SECONDS;
}

function pointerTtl(share: Share, now: Date): number {
  return Math.max(60, Math.ceil((new Date(share.expiresAt).getTime() - now.getTime()) / 1000) + DAY_SECONDS);
}

export class ShareStore {
  constructor(private readonly container: Container) {}

  /** Stores a new share, then its pointer for the reader. False when the id is taken (never, with 128 random bits). */
  async create(share: Share, now: Date): Promise<StoredShare | undefined> {
    const stored = await createIfAbsent<ShareDocument>(this.container, this.document(share, now));
    if (!stored) return undefined;
    const pointer: ReceivedShare = { id: receivedId(share.id), pk: readerPkOf(share), type: RECEIVED_TYPE, shareId: share.id, sharerPk: sharerPkOf(share), ttl: pointerTtl(share, now) };
    await this.container.items.upsert(pointer);
    return stored;
  }

  /** The share in the sharer's own partition. */
  async get(sharerPk: string, shareId: string): Promise<StoredShare | undefined> {
    const found = await readIfPresent<ShareDocument>(this.container, shareId, sharerPk);
    return found?.type === SHARE_TYPE ? found : undefined;
  }

  /** The share a reader's pointer names: undefined when the reader has no pointer of that id (whatever exists elsewhere). */
  async receivedBy(readerPk: string, shareId: string): Promise<StoredShare | undefined> {
    const pointer = await readIfPresent<ReceivedShare>(this.container, receivedId(shareId), readerPk);
    if (pointer?.type !== RECEIVED_TYPE || pointer.ended) return undefined;
    return this.get(pointer.sharerPk, pointer.shareId);
  }

  /** A sharer's shares, newest first: one query in their partition (at most MAX_ACTIVE_SHARES active, and the ended ones of SHARE_LOG_DAYS). */
  async bySharer(sharerPk: string): Promise<StoredShare[]> {
    const { resources } = await this.container.items
      .query<StoredShare>(
        { query: "SELECT * FROM c WHERE c.pk = @pk AND c.type = @type", parameters: [{ name: "@pk", value: sharerPk }, { name: "@type", value: SHARE_TYPE }] },
        { partitionKey: sharerPk },
      )
      .fetchAll();
    return resources.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** A reader's pointers: one query in their partition. */
  async pointersOf(readerPk: string): Promise<ReceivedShare[]> {
    const { resources } = await this.container.items
      .query<ReceivedShare>(
        { query: "SELECT * FROM c WHERE c.pk = @pk AND c.type = @type", parameters: [{ name: "@pk", value: readerPk }, { name: "@type", value: RECEIVED_TYPE }] },
        { partitionKey: readerPk },
      )
      .fetchAll();
    return resources;
  }

  /**
   * The shares a reader's pointers name, in one bulk read; a pointer whose share is gone yields
   * nothing. Ended shares only `withEnded` (the reader's erasure and export).
   */
  async receivedAll(readerPk: string, withEnded = false): Promise<StoredShare[]> {
    const pointers = (await this.pointersOf(readerPk)).filter((p) => withEnded || !p.ended);
    if (pointers.length === 0) return [];
    const answers = await bulk(this.container, pointers.map((p): OperationInput => ({ operationType: BulkOperationType.Read, id: p.shareId, partitionKey: p.sharerPk })));
    return answers.flatMap((answer) => {
      if (answer.statusCode === 404) return [];
      if (answer.statusCode >= 300 || !answer.resourceBody) throw new AppError(ErrorCodes.storageUnavailable, { detail: `reading a share answered ${answer.statusCode}`, cause: { code: answer.statusCode } });
      const share = answer.resourceBody as unknown as StoredShare;
      return share.type === SHARE_TYPE ? [share] : [];
    });
  }

  /** Writes `next` if nobody changed the share since `current` was read; undefined otherwise. */
  async replace(current: StoredShare, next: Share, now: Date): Promise<StoredShare | undefined> {
    return replaceIfUnchanged<ShareDocument>(this.container, current, current.pk, this.document(next, now));
  }

  /** Removes a share and its pointer; either already gone is fine. */
  async delete(share: Share): Promise<void> {
    await deleteIfPresent(this.container, receivedId(share.id), readerPkOf(share));
    await deleteIfPresent(this.container, share.id, sharerPkOf(share));
  }

  /** Marks a reader's pointer ended (the share ended), kept as long as the ended share is. */
  async endPointer(share: Share, now: Date): Promise<void> {
    const ended: ReceivedShare = { id: receivedId(share.id), pk: readerPkOf(share), type: RECEIVED_TYPE, shareId: share.id, sharerPk: sharerPkOf(share), ended: true, ttl: shareTtl(share, now) };
    await this.container.items.upsert(ended);
  }

  /** Active shares past their expiry, across partitions: the expiry job's query (indexed on type, state, expiresAt). */
  async due(now: Date, max: number): Promise<Array<{ id: string; pk: string }>> {
    const { resources } = await this.container.items
      .query<{ id: string; pk: string }>({
        query: "SELECT TOP @max c.id, c.pk FROM c WHERE c.type = @type AND c.state = 'active' AND c.expiresAt <= @now",
        parameters: [
          { name: "@max", value: max },
          { name: "@type", value: SHARE_TYPE },
          { name: "@now", value: now.toISOString() },
        ],
      })
      .fetchAll();
    return resources;
  }

  /**
   * The expiry job's lease, one for all instances (a document of its own partition): taken when
   * free or run out, or already this holder's. Undefined while another instance holds it.
   */
  async takeJobLease(holder: string, until: Date, now: Date): Promise<boolean> {
    const next = { id: "share-expiry-lease", pk: "job~share-expiry", type: "job-lease", holder, until: until.toISOString(), ttl: DAY_SECONDS };
    const current = await readIfPresent<typeof next>(this.container, next.id, next.pk);
    if (!current) return (await createIfAbsent(this.container, next)) !== undefined;
    if (current.holder !== holder && new Date(current.until) > now) return false;
    return (await replaceIfUnchanged(this.container, current, next.pk, next)) !== undefined;
  }

  private document(share: Share, now: Date): ShareDocument {
    const plain = withoutSystemFields(share as Partial<ShareDocument>) as Share & { pk?: string; type?: string; ttl?: number };
    const { pk: _pk, type: _type, ttl: _ttl, ...rest } = plain;
    return { ...rest, pk: sharerPkOf(share), type: SHARE_TYPE, ttl: shareTtl(share, now) };
  }
}
