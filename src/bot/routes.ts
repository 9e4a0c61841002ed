import type { TurnContext } from "botbuilder";
import { helpCard, privateOnlyCard } from "../cards/views";
import { isGroupVerb, type CardSubmit, type CardVerb } from "../domain/cardSubmit";
import { saysNothing, unreachable, type Intent } from "../domain/intent";
import type { TurnSession } from "../domain/turnSession";
import type { StoredConversation } from "../domain/conversation";
import type { GroupCommands, SharedTurn } from "../group/groupCommands";
import type { GroupPreparation } from "../group/preparation";
import type { MeetingCommands } from "../group/meetingCommands";
import type { MyData } from "../handlers/myData";
import { executed, replaceClicked, say, show, type KeptPost, type PersonalTurn, type Reply } from "../cards/replies";
import type { ExecuteAnswer, Pulses } from "../group/pulses";
import { DEFAULT_TIMEZONE } from "../domain/time";
import type { Reminders } from "../handlers/reminders";
import type { ShareWithLeader } from "../handlers/sharing";
import type { PersonalChat } from "../dialogs/personalChat";
import { texts } from "../kernel/texts";
import { sendReplies } from "./outbox";

/**
 * The bot's whole conversation surface, one table per surface. Each switch is exhaustive over
 * the intent, command and card-verb unions, so an input without a route does not compile, and
 * every input gets an answer on every surface (or, for lifecycle events, a deliberate silence).
 */

export interface PersonalSurface {
  readonly chat: PersonalChat;
  readonly myData: MyData;
  readonly reminders: Reminders;
  readonly preparation: GroupPreparation;
  readonly pulses: Pulses;
  readonly sharing: ShareWithLeader;
}

export async function routePersonal(context: TurnContext, session: TurnSession, to: PersonalSurface): Promise<void> {
  const turn: PersonalTurn = { session, ...(context.activity.from?.name ? { name: context.activity.from.name } : {}) };
  /** A pulse card in the 1:1 chat (a leader group's invitation): the group is the one the card names. */
  const pulseAnswer = (submit: CardSubmit) => to.pulses.execute({ tenantId: session.user.tenantId, userId: session.user.userId }, undefined, submit, session.session.profile.timezone ?? DEFAULT_TIMEZONE);
  const intent = session.intent;
  // The conversation reference is still refreshed by the bot for these.
  if (saysNothing(intent)) return;
  switch (intent.kind) {
    case "command":
      switch (intent.command.kind) {
        case "history":
          return sendReplies(context, await to.myData.history(turn));
        case "progress":
          return sendReplies(context, await to.myData.progress(turn));
        case "export":
          return sendReplies(context, await to.myData.offerExport(turn));
        case "deleteData":
          return sendReplies(context, await to.myData.askToDelete(turn));
        case "reminders":
          return sendReplies(context, to.reminders.showSettings(turn));
        case "remindMeNow":
          return sendReplies(context, await to.reminders.remindNow(turn));
        case "pauseReminders":
          return sendReplies(context, to.reminders.showPause(turn));
        case "resumeReminders":
          return sendReplies(context, await to.reminders.resume(turn));
        case "shareWithLeader":
          return sendReplies(context, await to.sharing.choose(turn));
        case "myShares":
          return sendReplies(context, await to.sharing.list(turn));
        case "insightIn":
        case "insightOut":
          return sendReplies(context, to.myData.chooseInsight(turn, intent.command.kind === "insightIn" ? "in" : "out"));
        case "pulse":
        case "closePulse":
          // A pulse goes to the leader's team, wherever it meets; its result comes back here.
          return sendReplies(context, [say(texts.pulseFromPersonalChat(texts.groupCommandWord[intent.command.kind]))]);
        case "groupSetup":
        case "groupStatus":
        case "groupQuestions":
        case "agreements":
        case "minutes":
        case "allMinutes":
        case "startMeetingNow":
        case "endMeetingNow":
          return sendReplies(context, [say(texts.onlyInGroups(texts.groupCommandWord[intent.command.kind]))]);
        case "help":
        case "start":
        case "startShort":
        case "cancel":
        case "changeRole":
        case "unknown":
          return to.chat.onCommand(context, intent.command);
        default:
          return unreachable(intent.command);
      }
    case "card": {
      const { submit } = intent;
      // A record over every verb: a new verb without a route here does not compile.
      // An agreements card forwarded into a 1:1 chat: agreements belong to a group.
      const agreementsOnlyInGroups = async () => [say(texts.onlyInGroups(texts.groupCommandWord.agreements))];
      const routeOf: { readonly [V in CardVerb]: "dialogs" | (() => Promise<Reply[]>) } = {
        moreHistory: () => to.myData.moreHistory(turn, submit),
        openReflection: () => to.myData.openReflection(turn, submit),
        addFollowUp: () => to.myData.addFollowUp(turn, submit),
        confirmDeleteData: () => to.myData.deleteEverything(turn, submit),
        keepData: () => to.myData.keepData(turn, submit),
        saveReminders: () => to.reminders.save(turn, submit),
        snoozeNudge: () => to.reminders.snooze(turn, submit),
        pauseReminders: async () => to.reminders.showPause(turn),
        savePause: () => to.reminders.savePause(turn, submit),
        resumeReminders: () => to.reminders.resume(turn),
        changeReminderFrequency: () => to.reminders.changeFrequency(turn, submit),
        saveChannelSettings: async () => [say(texts.onlyInGroups(texts.groupCommandWord.groupSetup))],
        sharePoint: () => to.preparation.sharePoint(turn, submit),
        withdrawPoint: () => to.preparation.withdraw(turn, submit),
        stopInvitations: () => to.preparation.stopInvitations(turn),
        saveAgreements: agreementsOnlyInGroups,
        setAgreementStatus: agreementsOnlyInGroups,
        openAgreementEdit: agreementsOnlyInGroups,
        editAgreement: agreementsOnlyInGroups,
        // Vi-pulsen's buttons are Action.Execute; a submit of them (an old client) is answered the same way.
        openPulse: async () => [asMessage(await pulseAnswer(submit))],
        answerPulse: async () => [asMessage(await pulseAnswer(submit))],
        shareWithLeader: () => to.sharing.onCard(turn, submit),
        withdrawShare: () => to.sharing.withdraw(turn, submit),
        shareQuestionsTake: () => to.sharing.takeQuestions(turn, submit),
        startReflection: "dialogs",
        chooseRole: "dialogs",
        chooseTheme: "dialogs",
        resume: "dialogs",
        restart: "dialogs",
        next: "dialogs",
        skip: "dialogs",
        back: "dialogs",
        save: "dialogs",
        confirmCancel: "dialogs",
        keepGoing: "dialogs",
      };
      const route = routeOf[submit.verb];
      return route === "dialogs" ? to.chat.onCard(context, submit) : sendReplies(context, await route());
    }
    case "execute":
      return sendReplies(context, [executed(await pulseAnswer(intent.submit))]);
    case "badCard":
      return sendReplies(context, [notUnderstood(context)]);
    case "nonText":
      return to.chat.onNonText(context);
    case "meetingEvent":
      // Meetings have chats of their own; a personal chat never gets these.
      return;
    case "installed":
      return to.chat.welcomeIfNew(context);
    default:
      return unreachable(intent);
  }
}

export interface SharedSurface {
  readonly groupCommands: GroupCommands;
  readonly meetingCommands: MeetingCommands;
  readonly pulses: Pulses;
  /** Opens the 1:1 chat with the person, so "start" in a channel leads somewhere. */
  readonly offerPrivateChat: (context: TurnContext) => Promise<void>;
  readonly personalChatLink: string;
  /** Keeps the id of a group message that names people, so an erasure can re-draw it (group/postedCards). */
  readonly keepPost: (conversation: StoredConversation, post: KeptPost, activityId: string) => Promise<void>;
}

/** Team channels and group (or meeting) chats: the group's commands; anything personal points to the 1:1 chat. */
export async function routeShared(context: TurnContext, turn: SharedTurn, intent: Intent, to: SharedSurface): Promise<void> {
  // The answer counts more than keeping its id: a message that could not be kept stays as sent after an erasure.
  const keep = async (post: KeptPost, activityId: string) => {
    try {
      await to.keepPost(turn.conversation, post, activityId);
    } catch (err) {
      turn.log.warn({ err, kept: post.kind }, "Could not keep a group message's id; an erasure cannot re-draw it");
    }
  };
  const send = (replies: readonly Reply[]) => sendReplies(context, replies, keep);
  /** A pulse card in a group's conversation: only this group's pulses are found here. */
  const pulseAnswer = async (submit: CardSubmit) => {
    const timezone = (await turn.group())?.settings?.timezone ?? turn.clientTimezone ?? DEFAULT_TIMEZONE;
    return to.pulses.execute({ tenantId: turn.conversation.tenantId, userId: turn.speaker.aadObjectId }, turn.conversation.conversationId, submit, timezone);
  };
  const privately = async () => {
    await send([show(privateOnlyCard({ chatUrl: to.personalChatLink }))]);
    await to.offerPrivateChat(context);
  };
  // Someone joined or left: the roster follows at once (a member who left can no longer share
  // points or get invitations); nothing is said in the chat.
  if (intent.kind === "membersChanged") return to.groupCommands.membersChanged(turn, intent);
  if (saysNothing(intent)) return;
  switch (intent.kind) {
    case "command": {
      const command = intent.command;
      switch (command.kind) {
        case "help":
        case "unknown":
          // In a channel the bot hears only what is @mentioned to it: answer with what it can do.
          return send([show(helpCard({ inPersonalChat: false, inMeeting: turn.meetingId !== undefined }))]);
        case "groupSetup":
          return send(await to.groupCommands.showSetup(turn));
        case "groupStatus":
          return send(await to.groupCommands.status(turn));
        case "groupQuestions":
          return send(await to.groupCommands.postQuestions(turn, command.theme));
        case "pulse":
          return send(await to.pulses.askTeam(turn, command.theme));
        case "closePulse":
          return send(await to.pulses.closeByLeader(turn));
        case "agreements":
          return send(await to.meetingCommands.listAgreements(turn));
        case "minutes":
          return send(await to.meetingCommands.minutes(turn));
        case "allMinutes":
          return send(await to.meetingCommands.allMinutes(turn));
        case "startMeetingNow":
        case "endMeetingNow":
          return send(await to.meetingCommands.mockEvent(turn, command.kind === "startMeetingNow" ? "start" : "end"));
        case "start":
        case "startShort":
        case "cancel":
        case "changeRole":
        case "history":
        case "progress":
        case "export":
        case "deleteData":
        case "reminders":
        case "remindMeNow":
        case "pauseReminders":
        case "resumeReminders":
        case "insightIn":
        case "insightOut":
        case "shareWithLeader":
        case "myShares":
          return privately();
        default:
          return unreachable(command);
      }
    }
    case "card": {
      const { submit } = intent;
      const verb = submit.verb;
      // A button of a personal card (forwarded, or clicked in an old post): that work is private.
      if (!isGroupVerb(verb)) return send([show(privateOnlyCard({ chatUrl: to.personalChatLink }))]);
      switch (verb) {
        case "saveChannelSettings":
          return send(await to.groupCommands.saveSettings(turn, submit));
        case "saveAgreements":
          return send(await to.meetingCommands.saveAgreements(turn, submit));
        case "setAgreementStatus":
          return send(await to.meetingCommands.setStatus(turn, submit));
        case "openAgreementEdit":
          return send(await to.meetingCommands.openEdit(turn, submit));
        case "editAgreement":
          return send(await to.meetingCommands.editAgreement(turn, submit));
        case "openPulse":
        case "answerPulse":
          return send([asMessage(await pulseAnswer(submit))]);
        default:
          return unreachable(verb);
      }
    }
    case "execute":
      return send([executed(await pulseAnswer(intent.submit))]);
    case "badCard":
      return send([notUnderstood(context)]);
    case "nonText":
      return send([say(texts.nonTextMessage)]);
    case "meetingEvent":
      return send(await to.meetingCommands.meetingEvent(turn, intent));
    case "installed":
      // Teams announces an install twice (conversationUpdate and installationUpdate); only the
      // event that activated the group's reference says hello.
      return turn.newlyInstalled ? send([show(helpCard({ inPersonalChat: false, inMeeting: turn.meetingId !== undefined }))]) : undefined;
    default:
      return unreachable(intent);
  }
}

/** A card payload we cannot read: said in the invoke's response when it came as an Action.Execute, else as a message. */
function notUnderstood(context: TurnContext): Reply {
  return context.activity.type === "invoke" ? executed({ text: texts.cardNotUnderstood }) : say(texts.cardNotUnderstood);
}

/** An Action.Execute answer, for a card submitted the old way (Action.Submit, a message): the clicked card is replaced, or the text said. */
function asMessage(answer: ExecuteAnswer): Reply {
  return "card" in answer ? replaceClicked(answer.card) : say(answer.text);
}
