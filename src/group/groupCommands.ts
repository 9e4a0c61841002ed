import { createHash } from "node:crypto";
import { receiptCard } from "../cards/views";
import type { CardSubmit } from "../domain/cardSubmit";
import {
  parseGroupSettings,
  questionsCooldownLeft,
  withProposal,
  settingsAuthority,
  validTimeZone,
  type SettingsAuthority,
} from "../domain/group/groupSettings";
import type { StoredConversation } from "../domain/conversation";
import { proposeSeries } from "../domain/group/seriesProposal";
import { type GroupMember } from "../domain/group/model";
import type { MemberDirectory, MemberScope } from "../graph/memberRoles";
import type { Logger } from "../kernel/log";
import type { Groups } from "./groups";
import type { GroupRoster } from "./groupRoster";
import type { Delivery } from "../nudges/delivery";
import { Outbox } from "../nudges/outbox";
import { groupPartition } from "../domain/group/partition";
import type { GroupDocuments } from "../storage/groupDocuments";
import type { GroupDocument } from "../domain/group/model";
import type { Framework } from "../domain/framework";
import { groupStatusCard } from "../cards/groupCards";
import { texts } from "../kernel/texts";
import { EMPTY, type Shown } from "../kernel/shown";
import { kept, replaceClicked, say, show, type Reply } from "../cards/replies";

/** A turn in a team channel or a group (or meeting) chat, as the group commands see it. */
export interface SharedTurn {
  readonly surface: "channel" | "groupChat";
  readonly conversation: StoredConversation;
  readonly speaker: { readonly aadObjectId: string | undefined; readonly name: string };
  readonly clientTimezone: string | undefined;
  /** Team channels: the team's Entra group id, which Graph knows the team by. */
  readonly teamGroupId: string | undefined;
  /** A meeting's chat (or a channel meeting's thread): Teams' meeting id. */
  readonly meetingId: string | undefined;
  /**
   * The group's stored document as the turn found it: read once, on first use, and carried by
   * the turn, so a click that checks the roster and reads the settings reads it once. Writes go
   * through the repositories, which read what they change afresh (eTags).
   */
  readonly group: () => Promise<GroupDocument | undefined>;
  /** The group's members, from Teams; undefined when Teams would not say. */
  readonly roster: () => Promise<GroupMember[] | undefined>;
  /** The meeting's scheduled details, from Teams; undefined when there are none (an instant meeting) or Teams would not say. */
  readonly meetingDetails: () => Promise<MeetingDetails | undefined>;
  /** This activity is the one that made the group's reference active (a first install, or a reinstall). */
  readonly newlyInstalled: boolean;
  readonly log: Logger;
}

/** What Teams tells about a meeting (TeamsInfo.getMeetingInfo), as far as the bot uses it. */
export interface MeetingDetails {
  readonly title?: string;
  readonly type?: string;
  readonly scheduledStart?: string;
  readonly scheduledEnd?: string;
}

/** How many settings cards may be open (and valid) at once in one conversation. */
const OPEN_SETTINGS_CARDS = 5;

/**
 * "@Lederrefleksion opsæt / spørgsmål [tema] / status" in a leadership channel or group chat,
 * and the settings card's save. Only the group's stewards may change its automation (see
 * settingsAuthority); a stale or repeated card changes nothing.
 */
export class GroupCommands {
  constructor(
    private readonly groups: Groups,
    private readonly documents: GroupDocuments,
    private readonly framework: Framework,
    private readonly delivery: Pick<Delivery, "sendNow">,
    private readonly members: MemberDirectory,
    private readonly clock: () => Date,
    private readonly newToken: () => string,
  ) {}

  /** The group's stored document, for the turn to carry (SharedTurn.group). */
  document(conversationId: string): Promise<GroupDocument | undefined> {
    return this.groups.document(conversationId);
  }

  async showSetup(turn: SharedTurn): Promise<Reply[]> {
    const token = this.newToken();
    // The token is kept on the document, so only a card we showed can save, and only once.
    const document = await this.documents.issueSettingsCardToken(turn.conversation, token, OPEN_SETTINGS_CARDS);
    const current = this.groups.settings.effective(document, turn.clientTimezone);
    // In a meeting's chat, the meeting's own time is proposed, so nobody types the series in.
    const details = turn.meetingId ? await turn.meetingDetails() : undefined;
    const proposal = details ? proposeSeries(details, current.timezone) : undefined;
    const proposalText = turn.meetingId ? (proposal?.text ?? texts.meeting.noDetails) : EMPTY;
    const settings = withProposal(current, proposal);
    return [show(this.groups.settings.card(settings, { token, eTag: settingsETag(document), chat: turn.surface === "groupChat", stewardsText: this.stewardsText(document), proposalText }))];
  }

  async saveSettings(turn: SharedTurn, submit: CardSubmit): Promise<Reply[]> {
    const document = await turn.group();
    const authority = await this.authority(turn, document);
    if (!authority.allowed) return [say(texts.settingsNotAllowed(authority.reason))];
    if (!submit.token || !(document?.settingsCardTokens ?? []).includes(submit.token)) return [say(texts.alreadyAnswered)];
    if (submit.inputs.settingsETag !== settingsETag(document)) return [say(texts.staleCard)];

    const timezone = validTimeZone(document?.settings?.timezone ?? turn.clientTimezone);
    const parsed = parseGroupSettings(submit.inputs, this.framework, timezone);
    const named = parseStewards(submit.inputs.stewards);
    if (!parsed || named === null) return [say(texts.invalidGroupSettings)];

    const speaker = turn.speaker.aadObjectId;
    const stewards =
      turn.surface === "groupChat" && speaker
        ? unique([document?.stewards?.[0] ?? speaker, ...(named.length > 0 ? named : (document?.stewards ?? []).slice(1))])
        : undefined;
    const saved = await this.groups.settings.save(document, turn.conversation, parsed, {
      lastChange: { name: turn.speaker.name, aadObjectId: speaker, at: this.clock().toISOString() },
      settingsCardTokens: (document?.settingsCardTokens ?? []).filter((t) => t !== submit.token),
      ...(stewards ? { stewards } : {}),
    });
    // Someone else saved (or opened a card) in the same moment: this card is no longer current.
    if (!saved) return [say(texts.staleCard)];
    await refreshMembers(this.groups.roster, turn);
    return [replaceClicked(receiptCard({ title: texts.groupSettingsSavedTitle, items: this.groups.schedules.nextDates(parsed).map((line) => ({ label: EMPTY, value: line })) })), say(texts.groupSettingsSaved)];
  }

  /** Teams says who joined or left: those who left go from the stored roster now; a join refreshes it from Teams. */
  async membersChanged(turn: SharedTurn, change: { readonly added: readonly string[]; readonly removed: readonly string[] }): Promise<void> {
    try {
      await this.groups.roster.follow(turn.conversation.conversationId, change, turn.roster);
    } catch (err) {
      turn.log.warn({ err }, "Could not keep the group's roster");
    }
  }

  async status(turn: SharedTurn): Promise<Reply[]> {
    // It names who last changed the settings: kept, so an erasure can re-draw it.
    return [kept(show(groupStatusCard(await this.groups.schedules.status(turn.conversation.conversationId))), { kind: "group-status" })];
  }

  /** "spørgsmål [tema]": the questions as a new thread, at most once per theme per ten minutes. */
  async postQuestions(turn: SharedTurn, themeSpec: string): Promise<Reply[]> {
    const document = await turn.group();
    const settings = this.groups.settings.effective(document, turn.clientTimezone);
    const theme = this.groups.settings.pickTheme(settings, themeSpec);
    const left = questionsCooldownLeft(document?.questionsPostedAt?.[theme.id], this.clock());
    if (left > 0) return [say(texts.questionsRecentlyPosted(theme.title, Math.ceil(left / 60_000)))];
    if (!(await this.documents.recordQuestionsPosted(turn.conversation, theme.id, this.clock()))) {
      return [say(texts.questionsRecentlyPosted(theme.title, 10))];
    }
    const message = this.groups.schedules.questions(settings, theme, texts.group.questionsHeading);
    const ownerPk = groupPartition(turn.conversation.conversationId);
    const now = this.clock();
    const record = Outbox.pending({ id: Outbox.recordId(ownerPk, `questions.${theme.id}`, now), tenantId: turn.conversation.tenantId, ownerPk, scheduleId: "questions", kind: "group-questions", conversation: turn.conversation, message }, now);
    try {
      if (await this.delivery.sendNow(record)) return [];
    } catch (err) {
      turn.log.warn({ err }, "Could not record the questions' thread");
    }
    // A new thread needs the bot to be able to post in the channel; answering here still gives the group its questions.
    turn.log.warn("Could not start a new thread; answering in the conversation instead");
    return (message.attachments ?? []).map((card) => show(card as Parameters<typeof show>[0]));
  }

  private async authority(turn: SharedTurn, document: GroupDocument | undefined): Promise<SettingsAuthority> {
    const speaker = turn.speaker.aadObjectId;
    if (!speaker) return settingsAuthority({ surface: turn.surface, speaker, role: "unknown", stewards: document?.stewards });
    const scope: MemberScope =
      turn.surface === "channel" ? { kind: "team", groupId: turn.teamGroupId } : { kind: "chat", chatId: turn.conversation.conversationId };
    let role: Awaited<ReturnType<MemberDirectory["roleOf"]>> = "unknown";
    try {
      role = await this.members.roleOf(scope, speaker);
    } catch (err) {
      // Without an answer we cannot tell an owner from a guest: refuse, and say why.
      turn.log.warn({ err }, "Could not look up the member's role");
    }
    return settingsAuthority({ surface: turn.surface, speaker, role, stewards: document?.stewards });
  }

  private stewardsText(document: GroupDocument | undefined): Shown {
    return texts.stewards(document?.stewards?.length ?? 0);
  }
}

/** The roster for the invitations, kept fresh at moments the group is active; never at the cost of the answer. */
export async function refreshMembers(roster: Pick<GroupRoster, "refresh">, turn: SharedTurn): Promise<void> {
  try {
    await roster.refresh(turn.conversation.conversationId, turn.roster);
  } catch (err) {
    turn.log.warn({ err }, "Could not keep the group's roster");
  }
}

/**
 * A settings version for the card: changes when the settings (or who changed them) change,
 * and not when someone merely opens another card, so two people can each open "opsæt".
 */
export function settingsETag(document: GroupDocument | undefined): string {
  if (!document?.settings) return "none";
  return createHash("sha256").update(JSON.stringify([document.settings, document.lastChange ?? null, document.stewards ?? null])).digest("base64url").slice(0, 22);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The people picker's value: comma-separated Entra object ids; null when it is anything else. */
function parseStewards(value: unknown): string[] | null {
  if (value === undefined || value === "") return [];
  if (typeof value !== "string" || value.length > 20 * 37) return null;
  const ids = value.split(",").map((v) => v.trim().toLowerCase()).filter(Boolean);
  return ids.every((id) => GUID.test(id)) && ids.length <= 20 ? ids : null;
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];
