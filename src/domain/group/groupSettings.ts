import type { Shown } from "../../kernel/shown";
import type { Framework, Theme } from "../framework";
import { DEFAULT_TIMEZONE, REMINDER_TIMES, dateTimeFormat, localDate } from "../time";

/** What the meeting's details suggest as the group's series, for the "opsæt" card. */
export interface SeriesProposal {
  readonly weekday: number;
  readonly time: string;
  readonly durationMinutes: number;
  /**
   * "weekly" for a recurring Teams meeting. Teams' meeting details say only that a meeting
   * recurs (details.type "Recurring"), not how often; weekly is the common leader group's
   * rhythm, and the card says so plainly, so it is one click to change.
   */
  readonly frequency?: "weekly";
  /** "Jeres møde ser ud til at ligge tirsdag kl. 10–11. Passer det?" */
  readonly text: Shown;
}

/** A leadership channel's (or group chat's) settings, from its "opsæt" card. */
export type Cadence = "off" | "weekly" | "biweekly" | "monthly";

export interface GroupSettings {
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


export const DEFAULT_MEETING_MINUTES = 60;

export function meetingMinutesOf(settings: Pick<GroupSettings, "meetingMinutes">): number {
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
    dateTimeFormat("da-DK", { timeZone: zone });
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
  return cooldownLeft(postedAt, now, QUESTIONS_COOLDOWN_MS);
}

/** "referat alle" reads up to 200 meetings and posts several messages: once in ten minutes per group. */
export const ALL_MINUTES_COOLDOWN_MS = 10 * 60_000;

/** How long until something done at `at` may be done again, in ms; 0 when it may now. */
export function cooldownLeft(at: string | undefined, now: Date, cooldownMs: number): number {
  if (!at) return 0;
  const left = Date.parse(at) + cooldownMs - now.getTime();
  return Number.isFinite(left) && left > 0 ? left : 0;
}

/** The choices the "opsæt" card offers; anything else in a submit is refused. */
export const CADENCES: readonly Cadence[] = ["off", "weekly", "biweekly", "monthly"];
export const WEEKS_OF_MONTH = ["1", "2", "3", "4", "last"] as const;
export const LEAD_HOURS = [1, 2, 4, 24, 48, 72] as const;
export const INVITE_HOURS = [0, 24, 48] as const;
export const DEFAULT_INVITE_HOURS = 24;
/** A meeting starts on a quarter hour between 07:00 and 19:45. */
export const MEETING_TIMES: readonly string[] = Array.from({ length: 52 }, (_, i) => `${String(7 + Math.floor(i / 4)).padStart(2, "0")}:${String((i % 4) * 15).padStart(2, "0")}`);
/** Meeting lengths the card offers, in minutes. */
export const MEETING_DURATIONS = [30, 45, 60, 90, 120, 180] as const;

/** First-time settings; the zone comes from the client, so it is checked like any input. */
export function defaultGroupSettings(framework: Framework, clientTimezone: unknown): GroupSettings {
  const role = framework.individualRoles.find((r) => r.id === "leder-af-leder") ?? framework.individualRoles[0]!;
  return {
    roleId: role.id,
    themeFrequency: "off",
    themeWeekday: 1,
    themeTime: "09:00",
    meetingFrequency: "monthly",
    meetingWeekday: 2,
    meetingWeekOfMonth: 2,
    meetingTime: "10:00",
    leadHours: 24,
    themeMode: "rotate",
    timezone: validTimeZone(clientTimezone),
  };
}

/** The group's settings as they apply now: the stored ones (with a working zone), or the first-time defaults. */
export function effectiveGroupSettings(stored: GroupSettings | undefined, framework: Framework, clientTimezone: unknown): GroupSettings {
  return stored ? { ...stored, timezone: validTimeZone(stored.timezone) } : defaultGroupSettings(framework, clientTimezone);
}

/** The settings a meeting's details suggest, over the current ones: its weekday, start and length. */
export function withProposal(settings: GroupSettings, proposal: SeriesProposal | undefined): GroupSettings {
  if (!proposal) return settings;
  const weekly = proposal.frequency ?? (settings.meetingFrequency === "off" ? "weekly" : settings.meetingFrequency);
  return { ...settings, meetingFrequency: weekly, meetingWeekday: proposal.weekday, meetingTime: proposal.time, meetingMinutes: proposal.durationMinutes };
}

/**
 * The theme of an occurrence. Rotation counts weeks (or months, for monthly meetings) since a
 * fixed point in the group's zone, so every instance and every card agree.
 */
export function themeFor(framework: Framework, settings: GroupSettings, at: Date, mode = settings.themeMode): Theme {
  const themes = framework.themes;
  if (mode !== "rotate") return framework.theme(mode) ?? themes[0]!;
  const local = localDate(at, settings.timezone);
  const [year, month] = local.split("-").map(Number);
  const weeks = Math.floor((Date.parse(`${local}T00:00:00Z`) / 86_400_000 - 4) / 7);
  const index = settings.meetingFrequency === "monthly" ? year! * 12 + month! : weeks;
  return themes[((index % themes.length) + themes.length) % themes.length]!;
}

/** A stored roster this old is asked for again at the group's next save or meeting event. */
export const ROSTER_MAX_AGE_MS = 6 * 3_600_000;

export function rosterIsStale(membersAt: string | undefined, now: Date): boolean {
  return !membersAt || now.getTime() - Date.parse(membersAt) >= ROSTER_MAX_AGE_MS;
}

/** The card's inputs as settings; undefined when anything is not one of the card's choices. */
export function parseGroupSettings(inputs: Readonly<Record<string, unknown>>, framework: Framework, timezone: string): GroupSettings | undefined {
  const pick = <T extends string>(value: unknown, allowed: readonly T[]): T | undefined =>
    typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
  const weekday = (v: unknown) => (typeof v === "string" && /^[1-5]$/.test(v) ? Number(v) : undefined);
  // Not "roleId": that name is a card control field (the reflection's role), lifted out of the inputs.
  const roleId = pick(inputs.groupRole, framework.individualRoles.map((r) => r.id as string));
  const themeFrequency = pick(inputs.themeFrequency, CADENCES);
  const meetingFrequency = pick(inputs.meetingFrequency, CADENCES);
  const themeWeekday = weekday(inputs.themeWeekday);
  const meetingWeekday = weekday(inputs.meetingWeekday);
  const themeTime = pick(inputs.themeTime, REMINDER_TIMES);
  const meetingTime = pick(inputs.meetingTime, MEETING_TIMES);
  // Absent on cards shown before meetings had a length or invitations: those meant an hour, and a day.
  const minutes = inputs.meetingMinutes === undefined ? undefined : pick(inputs.meetingMinutes, MEETING_DURATIONS.map(String));
  const invite = inputs.inviteHours === undefined ? undefined : pick(inputs.inviteHours, INVITE_HOURS.map(String));
  const week = pick(inputs.meetingWeekOfMonth, WEEKS_OF_MONTH);
  const lead = pick(inputs.leadHours, LEAD_HOURS.map(String));
  const themeMode = pick(inputs.themeMode, ["rotate", ...framework.themes.map((t) => t.id as string)]);
  if ((inputs.meetingMinutes !== undefined && minutes === undefined) || (inputs.inviteHours !== undefined && invite === undefined)) return undefined;
  if (!roleId || !themeFrequency || !meetingFrequency || !themeWeekday || !meetingWeekday || !themeTime || !meetingTime || !week || !lead || !themeMode) {
    return undefined;
  }
  return {
    roleId,
    themeFrequency,
    themeWeekday,
    themeTime,
    meetingFrequency,
    meetingWeekday,
    meetingWeekOfMonth: week === "last" ? "last" : (Number(week) as 1 | 2 | 3 | 4),
    meetingTime,
    ...(minutes ? { meetingMinutes: Number(minutes) } : {}),
    ...(invite !== undefined ? { inviteHours: Number(invite) } : {}),
    leadHours: Number(lead),
    themeMode,
    timezone,
  };
}
