/**
 * A message whose Teams id its sender needs once it is sent (to keep it for an erasure to draw
 * again). The personal chat's turn holds every send until the session is written (bot/outbox.ts,
 * TurnOutbox), so `sendActivity` inside a dialog answers with no id; the callback rides on the
 * activity under a symbol instead (botbuilder copies the activity with Object.assign, which keeps
 * it; JSON never sends it) and the bot calls it with the id Teams gave, once the message is out.
 */
export const AFTER_SENT: unique symbol = Symbol("afterSent");

export type AfterSent = (activityId: string) => Promise<void>;

export function withAfterSent<T extends object>(activity: T, then: AfterSent): T {
  return Object.assign(activity, { [AFTER_SENT]: then });
}

export function afterSentOf(activity: object): AfterSent | undefined {
  return (activity as { [AFTER_SENT]?: AfterSent })[AFTER_SENT];
}
