import type { Container } from "@azure/cosmos";
import { isConflict, isNotFound } from "./cosmosErrors";

/**
 * Remembers which export links have been used, by their random id only (no user id), so a link
 * works once even across instances: the first download creates the record, any later one
 * finds it there.
 */
export class ExportLinkLedger {
  constructor(private readonly container: Container) {}

  /** Whether a link id has been used; a point read in the id's own partition. */
  async isUsed(jti: string): Promise<boolean> {
    try {
      const { resource } = await this.container.item(jti, jti).read();
      return resource !== undefined;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** True the first time for a link id, false ever after. */
  async claim(jti: string, expiresAt: Date): Promise<boolean> {
    try {
      // `ttl` lets Azure Cosmos clean these up a day after expiry (where TTL is enabled).
      await this.container.items.create({ id: jti, expiresAt: expiresAt.toISOString(), ttl: 86_400 });
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }
}
