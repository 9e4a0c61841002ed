import type { StoredConversation } from "../domain/conversation";
import type { DeliveryFailure } from "./retryPolicy";
import { AppError, ErrorCodes } from "../kernel/errors";

/** What a scheduled message says: plain text and/or Adaptive Card attachments. */
export interface OutgoingMessage {
  readonly text?: string;
  readonly attachments?: ReadonlyArray<{ readonly contentType: string; readonly content: unknown }>;
  /** In a team channel: start a new thread rather than reply in the conversation. */
  readonly newThread?: boolean;
}

/**
 * Sends to a stored conversation; the bot edge implements it over the Bot Connector. One caller
 * sends: Delivery, from the outbox (its loop, or sendNow for what a turn must send at once). A
 * turn's own replies go through the turn (bot/outbox.ts); an erasure's card updates are tried
 * at once and queued when Teams cannot take them (group/postedCards.ts).
 */
export interface Messenger {
  /** Posts the message; answers the id Teams gave it, when it gave one (needed to update it later). */
  send(conversation: StoredConversation, message: OutgoingMessage): Promise<string | undefined>;
  /** Replaces a message the bot posted earlier, in place (Teams' updateActivity). */
  update(conversation: StoredConversation, activityId: string, message: OutgoingMessage): Promise<void>;
}

/** A send the Connector refused; carries what the retry policy needs. */
export class DeliveryError extends AppError implements DeliveryFailure {
  constructor(
    readonly status: number,
    readonly connectorCode: string | undefined,
    readonly retryAfterMs: number | undefined,
    message: string,
  ) {
    super(ErrorCodes.sendFailed, { message });
    this.name = "DeliveryError";
  }
}
