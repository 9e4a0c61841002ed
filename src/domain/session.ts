import type { StoredConversation } from "./conversation";
import type { RoleId } from "./ids";
import type { ReflectionDraft } from "./reflection";
import type { TeamPulseRecord } from "./teamPulse";
import type { LeaderInsight } from "./insight/aggregate";

export interface UserProfile {
  roleId?: RoleId;
  welcomedAt?: string;
  /** Theme id → ISO time of the last completed reflection on it; drives the theme suggestion. */
  lastReflectedAt: Record<string, string>;
  /** Theme id → id of the last completed reflection on it: the next one on the theme reads it by id. */
  lastReflectionIds?: Record<string, string>;
  /** IANA zone from Teams' `localTimezone`, for the nudges. */
  timezone?: string;
  /** Personal reminders; absent means never set (the settings card suggests every other week). */
  nudges?: NudgeSettings;
  /** No reminders or follow-ups before this local date (YYYY-MM-DD); one catch-up reminder on it. */
  pausedUntil?: string;
  /** Reminders sent since the leader last reflected; never shown (no streaks), only to ask once. */
  remindersSinceReflection?: number;
  /** Whether the "remind less often?" question went out during this lapse. */
  frequencyQuestionAsked?: boolean;
  /** False when the leader turned off leader groups' invitations to prepare for meetings. */
  groupInvitations?: boolean;
  /** "mine tal tæller med" / "… ikke med": whether their anonymous numbers count in Indsigt (absent: INSIGHT_CONSENT decides). */
  insightChoice?: "in" | "out";
}

/** A point the leader shared with a group, kept in their own partition: to withdraw, export and erase it. */
export interface SharedPoint {
  /** The group's conversation id. */
  readonly groupId: string;
  readonly groupName: string;
  readonly meetingId: string;
  readonly meetingStart: string;
  readonly pointId: string;
  readonly text: string;
  readonly showName: boolean;
  readonly sharedAt: string;
}

/** A point being prepared: what the preview showed, so "Del med gruppen" shares exactly that. */
export interface PendingShare {
  readonly token: string;
  readonly groupId: string;
  readonly meetingId: string;
  readonly text: string;
  readonly showName: boolean;
  readonly expiresAt: string;
}

export type NudgeFrequency = "off" | "weekly" | "biweekly" | "monthly";

export interface NudgeSettings {
  frequency: NudgeFrequency;
  /** ISO weekday 1–5 (Monday–Friday): nudges go out on weekdays only. */
  weekday: number;
  /** "HH:MM", 08:00–16:30 local time. */
  time: string;
}

/**
 * Everything a personal-chat turn needs, in one document in the user's partition: read once at
 * the start of a turn and written once at the end, with the eTag it was read with. The draft
 * lives beside the dialog stack, not in it, so clearing a broken dialog never loses answers.
 */
export interface UserSession {
  profile: UserProfile;
  draft?: ReflectionDraft;
  /** Where to reach the user proactively: refreshed from every activity, written when it changes. */
  conversation?: StoredConversation;
  /** The group meeting a reflection started from an invitation is for: its end offers to share a point. */
  preparingFor?: { readonly groupId: string; readonly meetingId: string };
  /** The preview of a point to share, while it shows. */
  pendingShare?: PendingShare;
  /** Points shared with leader groups (the newest few). */
  sharedPoints?: SharedPoint[];
  /** Vi-pulses this leader asked their team for (the newest few). */
  teamPulses?: TeamPulseRecord[];
  /**
   * What this leader added to Indsigt's counts, per quarter (numbers and content ids only): what
   * the next change is the difference from, and what erasure and opt-out take out again.
   */
  insight?: LeaderInsight;
  /** One-time token of the "slet mine data" confirmation card now showing, if any. */
  pendingDeletion?: { token: string; expiresAt: string };
  /** botbuilder-dialogs' stack; opaque here. */
  dialogState?: Record<string, unknown>;
}

export function emptySession(): UserSession {
  return { profile: { lastReflectedAt: {} } };
}
