import type { Activity, TurnContext } from "botbuilder";
import { receiptCard } from "../cards/views";
import { validTimeZone } from "../domain/group/groupSettings";
import { sameDestination } from "../domain/conversation";
import { parseIntent, type Intent } from "../domain/intent";
import { TurnSession } from "../domain/turnSession";
import type { GroupCommands } from "../group/groupCommands";
import type { MeetingCommands } from "../group/meetingCommands";
import type { Pulses } from "../group/pulses";
import type { PostedCards } from "../group/postedCards";
import { fetchMeetingDetails } from "./meetingDetails";
import { fetchRoster } from "./groupRoster";
import type { Logger } from "../kernel/log";
import type { ConversationDirectory } from "../nudges/conversations";
import type { Delivery } from "../nudges/delivery";
import { Outbox } from "../nudges/outbox";
import type { StoredConversation } from "../domain/conversation";
import { ETagConflictError } from "../storage/cosmosErrors";
import { decideSession, type SessionStore } from "../storage/userSessions";
import { unlessKeptChanging } from "../storage/conditionalWrites";
import { texts } from "../kernel/texts";
import { attachTurnLogger, turnLogger } from "./adapter";
import { conversationOf, isPersonalConversation, personalChatLink, userKeyOf } from "./identity";
import { partitionKeyOf } from "../domain/identity";
import { nameSendFailures, TurnOutbox } from "./outbox";
import { routePersonal, routeShared, type PersonalSurface } from "./routes";
import { setTurnSession } from "../dialogs/turnSession";

/** How often a turn is re-run when another turn for the same user saved first. */
const MAX_ATTEMPTS = 3;

/**
 * The thin botbuilder handler: parse the activity once into an Intent, then hand it to the
 * route table of its surface. Personal chats run inside a user session (one read, one
 * conditional write); channels and group chats get the group surface.
 */
export class LederrefleksionBot {
  constructor(
    private readonly sessions: SessionStore,
    private readonly personal: PersonalSurface,
    private readonly log: Logger,
    private readonly conversations: ConversationDirectory,
    private readonly groupCommands: GroupCommands,
    private readonly meetingCommands: MeetingCommands,
    private readonly delivery: Pick<Delivery, "sendNow">,
    private readonly pulses: Pulses,
    private readonly postedCards: Pick<PostedCards, "keep">,
  ) {}

  async run(context: TurnContext): Promise<void> {
    attachTurnLogger(context, this.log);
    const log = () => turnLogger(context, this.log);
    const { activity } = context;
    const intent = intentOf(activity);
    const user = userKeyOf(activity);
    if (!isPersonalConversation(activity)) {
      nameSendFailures(context);
      await this.runShared(context, intent, log());
      return;
    }
    if (!user) return;
    const outbox = TurnOutbox.attach(context);
    // Not decideWithRetry: a lost race runs the whole turn again (dialogs that send and read
    // cards, its buffered replies dropped), not one pure decision, and the last loss is answered
    // in words.
    for (let attempt = 1; ; attempt += 1) {
      const { session, eTag } = await this.sessions.load(user);
      const turn = new TurnSession(user, session, intent);
      setTurnSession(context, turn);
      outbox.begin();
      try {
        await routePersonal(context, turn, this.personal);
        // A refreshed reference alone never creates a user's document: after "slet mine data"
        // nothing about the user is stored until they do something that needs it.
        if (refreshConversation(turn, activity) && eTag !== undefined) turn.markChanged();
        if (!turn.discarded && turn.changed) await this.sessions.save(user, session, eTag, turn.staged);
      } catch (error) {
        outbox.discard();
        if (!(error instanceof ETagConflictError)) throw error;
        if (attempt >= MAX_ATTEMPTS) {
          log().warn({ attempts: attempt }, "Gave up on a turn after repeated concurrent updates");
          await context.sendActivity(texts.busy);
          return;
        }
        log().info({ attempt }, "Another turn for this user saved first; running this turn again on fresh state");
        continue;
      }
      await outbox.flush();
      return;
    }
  }

  /**
   * After an unexpected error: empty the dialog stack (a broken stack must not trap the user)
   * but keep the profile and the draft, which live beside it.
   */
  async resetDialogsAfterError(context: TurnContext): Promise<void> {
    const user = userKeyOf(context.activity);
    if (!user || !isPersonalConversation(context.activity)) return;
    const reset = decideSession(this.sessions, user, `the dialogs of ${partitionKeyOf(user)}`, ({ session }) => {
      if (!session.dialogState) return { outcome: undefined };
      const { dialogState: _dropped, ...rest } = session;
      return { write: { session: rest }, outcome: undefined };
    });
    // A session that keeps changing is in use again: its next turn starts from what it holds.
    await unlessKeptChanging(reset, undefined);
  }

  private async runShared(context: TurnContext, intent: Intent, log: Logger): Promise<void> {
    const { activity } = context;
    const conversation = conversationOf(activity, new Date());
    if (!conversation) return;
    let newlyInstalled = false;
    // Keep the group's reference for scheduled posts; a storage hiccup here must not cost the answer.
    try {
      if (intent.kind === "uninstalled") await this.conversations.deactivate(conversation, "uninstalled", new Date());
      else newlyInstalled = await this.conversations.rememberShared(conversation);
    } catch (err) {
      log.warn({ err }, "Could not store the conversation reference");
    }
    const channelData = activity.channelData as { team?: { aadGroupId?: string }; meeting?: { id?: string } } | undefined;
    const meetingId = channelData?.meeting?.id;
    await routeShared(
      context,
      {
        surface: conversation.conversationType === "channel" ? "channel" : "groupChat",
        conversation,
        speaker: { aadObjectId: activity.from.aadObjectId, name: activity.from.name ?? "" },
        clientTimezone: activity.localTimezone ?? undefined,
        teamGroupId: channelData?.team?.aadGroupId,
        meetingId,
        meetingDetails: () => (meetingId ? fetchMeetingDetails(context, log) : Promise.resolve(undefined)),
        group: once(() => this.groupCommands.document(conversation.conversationId)),
        roster: () => fetchRoster(context, log),
        newlyInstalled,
        log,
      },
      intent,
      {
        groupCommands: this.groupCommands,
        meetingCommands: this.meetingCommands,
        pulses: this.pulses,
        offerPrivateChat: (c) => this.offerPrivateChat(c),
        personalChatLink: personalChatLink(activity),
        keepPost: (group, post, activityId) => this.postedCards.keep(group, post, activityId),
      },
    );
  }

  /**
   * Writes to the user in private, creating the 1:1 chat if need be; the link card covers
   * failures. Through the outbox, in the user's partition (their erasure takes the record).
   */
  private async offerPrivateChat(context: TurnContext): Promise<void> {
    const { activity } = context;
    const user = userKeyOf(activity);
    // Without an Entra id (not Teams) there is no partition to record it in, and no 1:1 chat to create.
    if (!user) return;
    const ownerPk = partitionKeyOf(user);
    const now = new Date();
    const conversation: StoredConversation = {
      channelId: activity.channelId,
      serviceUrl: activity.serviceUrl,
      conversationId: "",
      conversationType: "personal",
      tenantId: activity.conversation.tenantId ?? "",
      botId: activity.recipient.id,
      botName: activity.recipient.name,
      userId: activity.from.id,
      aadObjectId: activity.from.aadObjectId,
      active: true,
      updatedAt: now.toISOString(),
    };
    const message = { attachments: [receiptCard({ title: texts.privateStart, startButton: true })] };
    try {
      const sent = await this.delivery.sendNow(Outbox.pending({ id: Outbox.recordId(ownerPk, `private-chat.${activity.id ?? ""}`, now), tenantId: user.tenantId, ownerPk, scheduleId: "private-chat", kind: "private-chat", conversation, message }, now));
      if (!sent) turnLogger(context, this.log).info("Could not open a 1:1 chat; the channel answer has the link");
    } catch (err) {
      turnLogger(context, this.log).info({ err }, "Could not open a 1:1 chat; the channel answer has the link");
    }
  }
}

/** The activity's intent, parsed once; the edge has already checked the fields it reads. */
function intentOf(activity: Activity): Intent {
  return parseIntent({
    type: activity.type,
    text: activity.text,
    value: activity.value,
    action: activity.action,
    name: activity.name,
    botId: activity.recipient.id,
    membersAdded: activity.membersAdded,
    membersRemoved: activity.membersRemoved,
  });
}

/**
 * Keeps the user's conversation reference and time zone current from every activity. Both live
 * in the session, so this costs nothing extra. True when it changed something.
 */
function refreshConversation(turn: TurnSession, activity: Activity): boolean {
  const { session } = turn;
  const now = new Date();
  if (turn.intent.kind === "uninstalled") {
    if (!session.conversation?.active) return false;
    session.conversation = { ...session.conversation, active: false, inactiveReason: "uninstalled", updatedAt: now.toISOString() };
    return true;
  }
  let changed = false;
  const conversation = conversationOf(activity, now);
  if (conversation && !sameDestination(session.conversation, conversation)) {
    session.conversation = conversation;
    changed = true;
  }
  const zone = activity.localTimezone;
  if (zone && zone !== session.profile.timezone && validTimeZone(zone) === zone) {
    session.profile.timezone = zone;
    changed = true;
  }
  return changed;
}

/** A value computed on first use and kept: what a turn reads once and carries. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= read());
}
