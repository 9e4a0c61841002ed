import type { StoredConversation } from "../domain/conversation";
import type { DeliveryFailure } from "./retryPolicy";

/** What a scheduled message says: plain text and/or Adaptive Card attachments. */
export interface OutgoingMessage {
  readonly text?: string;
  readonly attachments?: ReadonlyArray<{ readonly contentType: string; readonly content: unknown }>;
  /** In a team channel: start a new thread rather than reply in the conversation. */
  readonly newThread?: boolean;
}

/** Sends to a stored conversation; the bot edge implements it over the Bot Connector. */
export interface Messenger {
  send(conversation: StoredConversation, message: OutgoingMessage): Promise<void>;
}

/** A send the Connector refused; carries what the retry policy needs. */
export class DeliveryError extends Error implements DeliveryFailure {
  readonly code: string | undefined;
  constructor(
    readonly status: number,
    code: string | undefined,
    readonly retryAfterMs: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = "DeliveryError";
    this.code = code;
  }
}
