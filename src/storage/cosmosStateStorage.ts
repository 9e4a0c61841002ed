import { createHash } from "node:crypto";
import type { Container } from "@azure/cosmos";
import { isConflict, isNotFound, isPreconditionFailed } from "./cosmosErrors";

/**
 * The shape of botbuilder's `Storage`, restated here so storage stays free of the SDK. botbuilder
 * accepts this structurally; the Agents SDK's Storage has the same read/write/delete shape.
 */
export interface StoreItem {
  eTag?: string;
  [key: string]: unknown;
}
export type StoreItems = Record<string, StoreItem>;

export interface KeyValueStorage {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

interface StateDocument {
  id: string;
  key: string;
  state: Record<string, unknown>;
  updatedAt: string;
  _etag?: string;
}

/** Raised when a write's eTag no longer matches: another turn saved first. */
export class ETagConflictError extends Error {
  readonly code = "STATE_ETAG_CONFLICT";
  constructor(readonly key: string) {
    super(`State "${key}" was changed by another writer (eTag mismatch)`);
    this.name = "ETagConflictError";
  }
}

/**
 * Bot conversation/user state in Cosmos with optimistic concurrency: an item that carries the
 * eTag it was read with is only written if nobody wrote in between; `*` or no eTag overwrites.
 * One document per key, partitioned by its own id, so each read is a single point read.
 */
export class CosmosStateStorage implements KeyValueStorage {
  constructor(private readonly container: Container) {}

  async read(keys: string[]): Promise<StoreItems> {
    const found = await Promise.all(
      keys.map(async (key) => {
        const id = stateDocumentId(key);
        try {
          const { resource } = await this.container.item(id, id).read<StateDocument>();
          return resource ? ([key, { ...resource.state, eTag: resource._etag }] as const) : undefined;
        } catch (error) {
          if (isNotFound(error)) return undefined;
          throw error;
        }
      }),
    );
    return Object.fromEntries(found.filter((entry) => entry !== undefined));
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(Object.entries(changes).map(([key, item]) => this.writeOne(key, item)));
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(
      keys.map(async (key) => {
        const id = stateDocumentId(key);
        try {
          await this.container.item(id, id).delete();
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }),
    );
  }

  private async writeOne(key: string, item: StoreItem): Promise<void> {
    const { eTag, ...state } = item;
    const document: StateDocument = {
      id: stateDocumentId(key),
      key,
      state: state as Record<string, unknown>,
      updatedAt: new Date().toISOString(),
    };
    if (!eTag || eTag === "*") {
      await this.container.items.upsert(document);
      return;
    }
    try {
      await this.container
        .item(document.id, document.id)
        .replace(document, { accessCondition: { type: "IfMatch", condition: eTag } });
    } catch (error) {
      if (isPreconditionFailed(error)) throw new ETagConflictError(key);
      if (!isNotFound(error)) throw error;
      // Read with an eTag, since deleted: like botbuilder's MemoryStorage, a create wins unless
      // somebody else created it first.
      try {
        await this.container.items.create(document);
      } catch (createError) {
        if (isConflict(createError)) throw new ETagConflictError(key);
        throw createError;
      }
    }
  }
}

/**
 * Cosmos ids may not contain / \ ? # and are at most 255 characters; Teams channel
 * conversation ids contain ";" and can be long. Escape the forbidden characters and fall back
 * to a hash for long keys, so any key maps to one stable, valid id.
 */
export function stateDocumentId(key: string): string {
  const escaped = key.replace(/[/\\?#*]/g, (c) => `*${c.charCodeAt(0).toString(16)}`);
  if (escaped.length <= 255) return escaped;
  const hash = createHash("sha256").update(key).digest("hex");
  return `${escaped.slice(0, 255 - hash.length - 1)}~${hash}`;
}
