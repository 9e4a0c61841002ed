import type { ResourceResponse, TurnContext } from "botbuilder";
import { AppError, ErrorCodes } from "../errors";

/**
 * Runs a send or an update through the Connector, and names a failure as one (LR-1601): a reset
 * or refused connection to Teams is not a storage problem, and must not be logged as one.
 */
export async function throughConnector<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw new AppError(ErrorCodes.sendFailed, { cause: error, detail: "a reply in the turn" });
  }
}

/** For turns without a TurnOutbox (group chats and channels): their sends are named too. */
export function nameSendFailures(context: TurnContext): void {
  context.onSendActivities((_ctx, _activities, next) => throughConnector(next));
  context.onUpdateActivity((_ctx, _activity, next) => throughConnector(next));
}

/**
 * Holds a turn's outgoing messages and card updates until its session write has succeeded.
 * If another turn for the same user wrote first (a double click, two quick messages), this
 * turn's output is dropped and the turn runs again on fresh state, so the user never sees the
 * reaction to a state that was not kept.
 */
export class TurnOutbox {
  private buffering = false;
  private queue: Array<() => Promise<unknown>> = [];

  static attach(context: TurnContext): TurnOutbox {
    const outbox = new TurnOutbox();
    context.onSendActivities(async (_ctx, activities, next): Promise<ResourceResponse[]> => {
      if (!outbox.buffering) return throughConnector(next);
      outbox.queue.push(next);
      return activities.map(() => ({ id: "" }));
    });
    context.onUpdateActivity(async (_ctx, _activity, next): Promise<void> => {
      if (!outbox.buffering) {
        await throughConnector(next);
        return;
      }
      outbox.queue.push(next);
    });
    return outbox;
  }

  begin(): void {
    this.queue = [];
    this.buffering = true;
  }

  async flush(): Promise<void> {
    this.buffering = false;
    for (const send of this.queue.splice(0)) await throughConnector(send);
  }

  discard(): void {
    this.buffering = false;
    this.queue = [];
  }
}
