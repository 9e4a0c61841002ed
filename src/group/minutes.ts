import type { Framework } from "../domain/framework";
import { danishDate, danishDateTime } from "../cards/format";
import { allMeetingsMinutes, meetingMinutes } from "../cards/minutes";
import { signMinutesToken, verifyMinutesToken } from "../domain/exportToken";
import { asRoleId } from "../domain/ids";
import type { StoredConversation } from "../domain/conversation";
import type { Download } from "../domain/download";
import { openAgreements } from "../domain/group/agreements";
import type { GroupMeeting } from "../domain/group/model";
import type { GroupMeetings } from "../storage/meetingStore";
import type { Groups } from "./groups";
import type { GroupSettings } from "../domain/group/groupSettings";
import { groupPartition } from "../domain/group/partition";
import type { Pulses } from "./pulses";
import type { Shown } from "../kernel/shown";

/** The most meetings the whole record holds: years of weekly meetings. */
export const ALL_MEETINGS = 200;


/**
 * A group's minutes: "referat" (the last meeting held, in the chat) and "referat alle" (every
 * meeting held with the bot, as a Markdown file behind a sealed link posted in the group).
 * The file is written when the link is used, from the meetings as they are then: a person who
 * erased their data since the link was posted is not in it.
 */
export class GroupMinutes {
  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly groups: Pick<Groups, "document" | "settings">;
      readonly meetings: Pick<GroupMeetings, "forGroup">;
      /** The meetings' Vi-pulses, closed: their numbers go in the minutes. */
      readonly pulses?: Pick<Pulses, "ofGroup" | "k">;
      readonly signingKey: Buffer;
      readonly publicBaseUrl: string;
      readonly clock: () => Date;
    },
  ) {}

  /** The last meeting held, and its minutes; undefined when there is none yet. */
  async last(conversationId: string, settings: GroupSettings): Promise<{ readonly meetingId: string; readonly text: Shown } | undefined> {
    const pk = groupPartition(conversationId);
    const held = await this.deps.meetings.forGroup(pk, this.deps.clock());
    return held[0] ? { meetingId: held[0].id, text: this.of(held[0], held, settings, await this.pulsesOf(pk)) } : undefined;
  }

  /** One meeting's minutes as they read now (an erasure re-draws a "referat" already posted); undefined when it is not among those held. */
  async ofMeeting(conversationId: string, meetingId: string, settings: GroupSettings): Promise<Shown | undefined> {
    const pk = groupPartition(conversationId);
    const held = await this.deps.meetings.forGroup(pk, this.deps.clock(), ALL_MEETINGS);
    const meeting = held.find((m) => m.id === meetingId);
    return meeting ? this.of(meeting, held, settings, await this.pulsesOf(pk)) : undefined;
  }

  /** How many meetings were held, and when the first was: what the link's message says. */
  async heldCount(conversationId: string): Promise<{ count: number; first?: string }> {
    const held = await this.deps.meetings.forGroup(groupPartition(conversationId), this.deps.clock(), ALL_MEETINGS);
    return { count: held.length, ...(held.length > 0 ? { first: held.at(-1)!.start } : {}) };
  }

  /** A link to the whole record, for everyone in the group, for EXPORT_LINK_SECONDS. */
  linkFor(conversation: Pick<StoredConversation, "tenantId" | "conversationId">): string {
    return `${this.deps.publicBaseUrl}/minutes/${signMinutesToken({ tenantId: conversation.tenantId, groupId: conversation.conversationId }, this.deps.clock(), this.deps.signingKey)}`;
  }

  /** Whether the link is genuine and unexpired (a GET shows the page; only the button downloads). */
  async isUsable(token: string): Promise<boolean> {
    return verifyMinutesToken(token, this.deps.signingKey, this.deps.clock()) !== undefined;
  }

  /** Every meeting the group held, oldest first, as one Markdown file; undefined for a link that does not work. */
  async download(token: string): Promise<Download | undefined> {
    const claims = verifyMinutesToken(token, this.deps.signingKey, this.deps.clock());
    if (!claims) return undefined;
    const group = await this.deps.groups.document(claims.groupId);
    // A link sealed for one tenant's group never opens another's, whatever its id says.
    if (!group || group.conversation.tenantId !== claims.tenantId) return undefined;
    const settings = this.deps.groups.settings.effective(group, undefined);
    const held = await this.deps.meetings.forGroup(groupPartition(claims.groupId), this.deps.clock(), ALL_MEETINGS);
    const pulses = await this.pulsesOf(groupPartition(claims.groupId));
    const body = allMeetingsMinutes({
      groupName: group.conversation.name,
      firstDateText: held.length > 0 ? danishDate(held.at(-1)!.start, settings.timezone) : undefined,
      meetings: [...held].reverse().map((m) => this.of(m, held, settings, pulses)),
    });
    return { contentType: "text/markdown; charset=utf-8", filename: `ledergruppe-referat-${this.deps.clock().toISOString().slice(0, 10)}.md`, body };
  }

  /** One meeting's minutes, with the earlier agreements its start card followed up. */
  private async pulsesOf(pk: string): Promise<Awaited<ReturnType<Pulses["ofGroup"]>>> {
    return this.deps.pulses ? this.deps.pulses.ofGroup(pk) : new Map();
  }

  private of(meeting: GroupMeeting, all: readonly GroupMeeting[], settings: GroupSettings, pulses: Awaited<ReturnType<Pulses["ofGroup"]>>): Shown {
    const theme = this.deps.framework.theme(meeting.themeId) ?? this.deps.framework.themes[0]!;
    const questions = this.deps.framework.questions(theme.id, asRoleId(settings.roleId), "ledergruppen").map((q) => q.text);
    const followedUp = openAgreements(all, new Date(meeting.start)).map(({ meeting: from, agreement }) => ({ agreement, dateText: danishDate(from.start, settings.timezone) }));
    return meetingMinutes({
      meeting,
      dateText: danishDateTime(new Date(meeting.start), settings.timezone),
      themeTitle: theme.title,
      questions,
      followedUp,
      dateOf: (iso) => danishDate(iso, settings.timezone),
      ...(pulses.get(meeting.id) ? { pulse: { ...pulses.get(meeting.id)!, k: this.deps.pulses?.k ?? 5 } } : {}),
    });
  }
}
