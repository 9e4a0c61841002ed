/** A leadership channel's (or group chat's) settings, from its "opsæt" card. */
export type Cadence = "off" | "weekly" | "biweekly" | "monthly";

export interface ChannelSettings {
  readonly roleId: string;
  readonly themeFrequency: Cadence;
  readonly themeWeekday: number;
  readonly themeTime: string;
  readonly meetingFrequency: Cadence;
  readonly meetingWeekday: number;
  readonly meetingWeekOfMonth: 1 | 2 | 3 | 4 | "last";
  readonly meetingTime: string;
  /** How long the meeting lasts; settings saved before this existed mean an hour. */
  readonly meetingMinutes?: number;
  readonly leadHours: number;
  /** Members get a 1:1 invitation to prepare this many hours before a meeting; 0 is off. Absent (older settings): a day. */
  readonly inviteHours?: number;
  /** "rotate", or a theme id to keep. */
  readonly themeMode: string;
  readonly timezone: string;
}

export const DEFAULT_TIMEZONE = "Europe/Copenhagen";

export const DEFAULT_MEETING_MINUTES = 60;

export function meetingMinutesOf(settings: Pick<ChannelSettings, "meetingMinutes">): number {
  return settings.meetingMinutes ?? DEFAULT_MEETING_MINUTES;
}

/**
 * A time zone from a client (Teams' localTimezone) or from storage, as one the calendar code can
 * use: an IANA zone Intl accepts, else Copenhagen. One bad zone used to break a channel's
 * "opsæt" and "spørgsmål" for good.
 */
export function validTimeZone(zone: unknown): string {
  if (typeof zone !== "string" || zone.length === 0 || zone.length > 64) return DEFAULT_TIMEZONE;
  try {
    new Intl.DateTimeFormat("da-DK", { timeZone: zone });
    return zone;
  } catch {
    return DEFAULT_TIMEZONE;
  }
}

/** Who changed a group's settings, for "status". The name is as Teams showed it then. */
export interface SettingsChange {
  readonly name: string;
  readonly aadObjectId: string | undefined;
  readonly at: string;
}

/** A member's standing in a team or chat, as Microsoft Graph reports it. */
export type MemberRole = "owner" | "member" | "guest" | "unknown";

export type SettingsAuthority =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: "guest" | "not-owner" | "not-named" | "unknown-member" | "no-identity" };

/**
 * Who may change a group's automation. In a team channel: the team's owners. In a group or
 * meeting chat, which has no owners: the person who set it up, and the people they named.
 * Guests never, and nobody when we cannot tell who they are.
 */
export function settingsAuthority(args: {
  readonly surface: "channel" | "groupChat";
  readonly speaker: string | undefined;
  readonly role: MemberRole;
  /** For chats: the set-up person and the people they named; undefined before the first set-up. */
  readonly stewards: readonly string[] | undefined;
}): SettingsAuthority {
  if (!args.speaker) return { allowed: false, reason: "no-identity" };
  if (args.role === "guest") return { allowed: false, reason: "guest" };
  if (args.role === "unknown") return { allowed: false, reason: "unknown-member" };
  if (args.surface === "channel") return args.role === "owner" ? { allowed: true } : { allowed: false, reason: "not-owner" };
  if (args.stewards === undefined || args.stewards.length === 0) return { allowed: true };
  return args.stewards.includes(args.speaker) ? { allowed: true } : { allowed: false, reason: "not-named" };
}

/** On-demand group questions: at most once per theme per this long in one conversation. */
export const QUESTIONS_COOLDOWN_MS = 10 * 60_000;

/** Milliseconds until the theme's questions may be posted again here; 0 when they may now. */
export function questionsCooldownLeft(postedAt: string | undefined, now: Date): number {
  if (!postedAt) return 0;
  const left = Date.parse(postedAt) + QUESTIONS_COOLDOWN_MS - now.getTime();
  return Number.isFinite(left) && left > 0 ? left : 0;
}
