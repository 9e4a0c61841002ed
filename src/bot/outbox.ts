import type { Activity, ResourceResponse, TurnContext } from "botbuilder";
import { TEAMS_MESSAGE_BUDGET_BYTES, utf16Bytes } from "../domain/messageSize";
import { AppError, ErrorCodes } from "../kernel/errors";
import { silentLogger } from "../kernel/log";
import { texts } from "../kernel/texts";
import { turnLogger } from "./adapter";
import { unreachable } from "../domain/intent";
import type { KeptPost, Reply } from "../cards/replies";
import { afterSentOf } from "../dialogs/afterSent";

/**
 * The one place every reply of a turn is measured as Teams measures it (UTF-16, 40 KB budget).
 * Handlers split long answers themselves (fitMessages, cards that show what fits); this is the
 * guard behind them: an activity still over the budget is logged with its code and replaced by a
 * short Danish note, so Teams never refuses a turn's answer for its size.
 */
export function keepWithinTeamsLimit(context: TurnContext, activities: Array<Partial<Activity>>): void {
  activities.forEach((activity, i) => {
    const bytes = utf16Bytes(activity);
    if (bytes <= TEAMS_MESSAGE_BUDGET_BYTES) return;
    turnLogger(context, silentLogger).error({ code: ErrorCodes.messageTooLarge.code, bytes, budget: TEAMS_MESSAGE_BUDGET_BYTES }, ErrorCodes.messageTooLarge.description);
    activities[i] = { ...activity, text: texts.messageTooLarge, attachments: [], entities: [] };
  });
}

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
  context.onSendActivities((ctx, activities, next) => {
    keepWithinTeamsLimit(ctx, activities);
    return throughConnector(next);
  });
  context.onUpdateActivity((_ctx, _activity, next) => throughConnector(next));
}

/**
 * Sends, then hands each message that asked for it (dialogs/afterSent) the id Teams gave it. The
 * answer counts more than keeping its id: a callback that fails is logged, and the turn goes on.
 */
async function sendThenTell(context: TurnContext, activities: Array<Partial<Activity>>, next: () => Promise<ResourceResponse[]>): Promise<ResourceResponse[]> {
  const responses = await throughConnector(next);
  for (const [i, activity] of activities.entries()) {
    const then = afterSentOf(activity);
    const id = responses?.[i]?.id;
    if (!then || !id) continue;
    try {
      await then(id);
    } catch (err) {
      turnLogger(context, silentLogger).warn({ err }, "Could not keep a sent message's id; an erasure cannot draw it again");
    }
  }
  return responses;
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
    context.onSendActivities(async (ctx, activities, next): Promise<ResourceResponse[]> => {
      keepWithinTeamsLimit(ctx, activities);
      const send = () => sendThenTell(ctx, activities, next);
      if (!outbox.buffering) return send();
      outbox.queue.push(send);
      return activities.map(() => ({ id: "" }));
    });
    context.onUpdateActivity(async (_ctx, _activity, next): Promise<void> => {
      if (!outbox.buffering) {
        await throughConnector(next);
        return;
      }
      outbox.queue.push(() => throughConnector(next));
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

/**
 * Sends a handler's replies in order; replacing the clicked card needs Teams' replyToId. A reply
 * to keep (see KeptPost) is handed to `keep` with the id Teams gave its message, once it is sent.
 */
export async function sendReplies(context: TurnContext, replies: readonly Reply[], keep?: (post: KeptPost, activityId: string) => Promise<void>): Promise<void> {
  for (const reply of replies) {
    let activityId: string | undefined;
    switch (reply.kind) {
      case "text":
        activityId = (await context.sendActivity(reply.text))?.id;
        break;
      case "card":
        activityId = (await context.sendActivity({ attachments: [reply.card] }))?.id;
        break;
      case "execute":
        // Action.Execute is answered in the invoke's response: the card replaces the clicked one
        // for the one who clicked only (Teams' Universal Actions), a text shows as a message to them.
        await context.sendActivity({
          type: "invokeResponse",
          value: {
            status: 200,
            body: reply.card
              ? { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: reply.card.content }
              : { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: reply.text ?? "" },
          },
        });
        break;
      case "replaceClicked":
        // Teams sets a submit's replyToId to the message holding the card; without it (other
        // clients) the old card stays, and the new one is sent, so the click still gets an answer.
        if (context.activity.replyToId) {
          await context.updateActivity({ id: context.activity.replyToId, type: "message", attachments: [reply.card] });
          activityId = context.activity.replyToId;
        } else activityId = (await context.sendActivity({ attachments: [reply.card] }))?.id;
        break;
      default:
        unreachable(reply);
    }
    if (keep && reply.kind !== "execute" && reply.keep && activityId) await keep(reply.keep, activityId);
  }
}
