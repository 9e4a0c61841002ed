/**
 * The shapes of a leader group's meetings as stored: members, points, agreements and their
 * changes, and the limits every card and document keeps to.
 */
import { texts } from "../../kernel/texts";
import type { StoredConversation } from "../conversation";
import type { GroupSettings, SettingsChange } from "./groupSettings";

export type AgreementStatus = "notStarted" | "inProgress" | "done";

export const AGREEMENT_STATUSES: readonly AgreementStatus[] = ["notStarted", "inProgress", "done"];

/** Someone as Teams named them then; the object id lets "slet mine data" find them again. */
export interface Person {
  readonly name: string;
  readonly aadObjectId?: string;
}

/** A member of a group, from Teams' roster: where to find their 1:1 chat with the bot. */
export interface GroupMember {
  /** Teams' user id in the Bot Framework ("29:…"). */
  readonly id: string;
  readonly aadObjectId: string;
  readonly name: string;
  /** A guest from outside the organisation: reads what the bot posts, writes nothing to the group's record. */
  readonly guest?: true;
}

/** The name that replaces a person who erased their data. */
export const FORMER_MEMBER: Person = { name: texts.meeting.formerMember };

export interface AgreementChange {
  readonly at: string;
  readonly by: Person;
  readonly status?: AgreementStatus;
  /** An edit: the fields as they were before it. */
  readonly before?: { readonly text: string; readonly responsible: string; readonly due?: string };
}

export interface Agreement {
  /** Short and stable within its meeting: "a1" … "a5". */
  readonly id: string;
  readonly text: string;
  /** Free text: a name, "Alle", "Mette og Jonas". */
  readonly responsible: string;
  /** YYYY-MM-DD, optional. */
  readonly due?: string;
  readonly status: AgreementStatus;
  readonly createdBy: Person;
  readonly createdAt: string;
  /** The last AGREEMENT_HISTORY.kept changes, oldest first: enough for "who changed what last". */
  readonly changes: readonly AgreementChange[];
  /** How many older changes were let go, so a meeting's document cannot grow without end. */
  readonly olderChanges?: number;
}

/** A point a member shared: the sentence, and their name only if they chose to show it. */
export interface MeetingPoint {
  readonly id: string;
  readonly text: string;
  readonly by?: Person;
  /** An unnamed point's author as a keyed mark (domain/pointAuthor), for erasure only. */
  readonly authorKey?: string;
}

export const POINT_MAX = 280;

/** The limits of the "Aftaler" card. */
export const AGREEMENT_LIMITS = { count: 5, text: 300, responsible: 100 } as const;

/** One meeting of a group, in the group's partition. */
export interface GroupMeeting {
  readonly id: string;
  readonly pk: string;
  readonly type: "meeting";
  /** When it starts and ends: the series' occurrence, or, for a meeting without a series, as it happened. */
  readonly start: string;
  readonly end: string;
  readonly themeId: string;
  readonly source: "series" | "instant";
  /** The one-time token of this meeting's "Aftaler" card; gone once the agreements are saved. */
  readonly agreementsToken?: string;
  readonly agreements: readonly Agreement[];
  /** Points members brought, one each at most; who shared one is known only in their own data. */
  readonly points?: readonly MeetingPoint[];
  readonly agreementsSavedAt?: string;
  readonly agreementsSavedBy?: Person;
  /** Object ids of everyone named in this document, so one person's data can be found and erased. */
  readonly people: readonly string[];
  /** The marks of unnamed points' authors, so erasure finds those points by query too. */
  readonly authorKeys?: readonly string[];
  /** How many agreements are not done, and when a status last changed: what follow-up queries ask. */
  readonly openCount?: number;
  readonly statusChangedAt?: string;
  /** When the bot saw it end (Teams' event or the schedule): it was counted into Indsigt with this write, once. */
  readonly endedAt?: string;
  readonly _etag?: string;
}

/** A meeting occurrence: its scheduled start and end. */
export interface MeetingSlot {
  readonly start: Date;
  readonly end: Date;
  /** What identifies it, when not its start: an instant meeting is known by its Teams id and day. */
  readonly key?: Date;
}

/**
 * The largest a group's documents can grow, with everything its members can add at its limit
 * (test/group/documentSizes.test.ts builds both and writes them to the strict double, which
 * refuses 2 MB as Cosmos does):
 * - the group's document: a roster of MAX_ROSTER (1,000) members with names of 200 characters,
 *   21 stewards, 5 open settings cards, one cool-down per theme;
 * - a meeting: a point from each of those members (POINT_MAX characters, named), and five
 *   agreements of full length, each with its last five changes;
 * - a Vi-pulse while open: the keyed marks of PULSE_MAX_ROSTER (1,000) members who may answer,
 *   and the leader who asked (an answer is a document of its own, one per member);
 * - the differencing ledger's record of a shown result: the marks of those 1,000 members (one
 *   record per result; the ledger's head beside them is of fixed size).
 */
export const DOCUMENT_LIMITS = { groupBytes: 600 * 1024, meetingBytes: 1200 * 1024, pulseBytes: 64 * 1024, pulseRosterBytes: 32 * 1024 } as const;

/** One document per team channel or group chat, in its own partition. */
export interface GroupDocument {
  readonly id: "channel";
  readonly pk: string;
  readonly type: "channel";
  readonly conversation: StoredConversation;
  readonly settings?: GroupSettings;
  readonly lastChange?: SettingsChange;
  /** Chats only: who set the automation up and whom they named; they alone may change it. */
  readonly stewards?: readonly string[];
  /** One-time tokens of the settings cards now showing (newest last, a few at most). */
  readonly settingsCardTokens?: readonly string[];
  /** The group's members as Teams last told (for the invitations before a meeting), and when. */
  readonly members?: readonly GroupMember[];
  readonly membersAt?: string;
  /** Theme id → when its questions were last posted on demand here. */
  readonly questionsPostedAt?: Readonly<Record<string, string>>;
  /** When "referat alle" last ran, for its cool-down. */
  readonly allMinutesAt?: string;
  readonly _etag?: string;
}
