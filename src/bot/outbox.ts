import type { ResourceResponse, TurnContext } from "botbuilder";

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
      if (!outbox.buffering) return next();
      outbox.queue.push(next);
      return activities.map(() => ({ id: "" }));
    });
    context.onUpdateActivity(async (_ctx, _activity, next): Promise<void> => {
      if (!outbox.buffering) {
        await next();
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
    for (const send of this.queue.splice(0)) await send();
  }

  discard(): void {
    this.buffering = false;
    this.queue = [];
  }
}
