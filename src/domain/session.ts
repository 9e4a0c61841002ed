import type { StoredConversation } from "./conversation";
import type { RoleId } from "./ids";
import type { ReflectionDraft } from "./reflection";
import type { TeamPulseRecord } from "./teamPulse";
import type { LeaderInsight } from "./insight/aggregate";
import type { ShareSelection } from "./sharing/content";

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

/**
 * Til min leder: the preview showing now, so »Send« shares exactly what it showed. The choice is
 * kept, not the copy (a share may be 200 kB; a session stays small): »Send« makes the copy again
 * from the same choice at the preview's time and sends it only if it is the same (`contentHash`).
 */
export interface PendingLeaderShare {
  readonly token: string;
  readonly selection: ShareSelection;
  readonly days: number;
  readonly reader: { readonly aadObjectId: string; readonly name: string };
  /** When the preview's copy was made: the copy sent carries this time too. */
  readonly madeAt: string;
  readonly contentHash: string;
  readonly expiresAt: string;
}

/**
 * Questions back that the leader took along (the questions card's button): only which share
 * they came from. The words stay in the share and are read from it when the next reflection
 * starts, so they end with the share (withdrawal, expiry, either person's erasure) and are never
 * copied into the leader's own data.
 */
export interface TakenQuestions {
  readonly shareId: string;
  readonly takenAt: string;
}

/** Shares whose questions a leader keeps taken along at once (the newest). */
export const MAX_TAKEN_QUESTIONS = 5;

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
  /** Til min leder's preview now showing, if any. */
  pendingLeaderShare?: PendingLeaderShare;
  /** Til min leder: the questions back to show when the next reflection starts (MAX_TAKEN_QUESTIONS). */
  questionsTaken?: TakenQuestions[];
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
