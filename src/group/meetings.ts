/**
 * A leader group's meetings as the bot carries them: which meeting a moment belongs to, the
 * series a Teams meeting suggests, the agreements a group makes and their status, and the
 * minutes. Plain decisions; storage and cards live elsewhere.
 */
import { createHash } from "node:crypto";
import { texts } from "../texts";
import { cleanText, escapeMarkdown as md } from "../domain/cleanText";
import { MEETING_DURATIONS, type SeriesProposal } from "./settings";
import { dateTimeFormat, localDate } from "../domain/dateTimeFormat";
import { groupIdOf } from "./partition";

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

/** Whether someone may write to the group's record (points, agreements, status): not a guest on Teams' roster. */
export function mayWriteToGroup(members: readonly GroupMember[] | undefined, aadObjectId: string | undefined): boolean {
  const member = (members ?? []).find((m) => m.aadObjectId === aadObjectId?.toLowerCase());
  return member?.guest !== true;
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

/**
 * What an agreement remembers of its changes, and how fast it may change. Each change costs its
 * who, when and the old text (up to about 1 kB), so an agreement's history is bounded at `kept`
 * and a meeting's document at five agreements of that (under 20 kB; Cosmos' limit is 2 MB). At
 * most `kept` changes within `windowMs`: enough for a meeting setting things right, not for a
 * script.
 */
export const AGREEMENT_HISTORY = { kept: 5, windowMs: 10 * 60_000 } as const;

/** Every change an agreement has had, the let-go ones included: the edit card's version. */
export function changeCount(agreement: Agreement): number {
  return agreement.changes.length + (agreement.olderChanges ?? 0);
}

/** What a change to an agreement came to: the changed agreement, nothing to change, or refused and why. */
export type AgreementChangeOutcome =
  | { readonly kind: "changed"; readonly agreement: Agreement }
  | { readonly kind: "same" }
  | { readonly kind: "refused"; readonly why: "too-often" };

function withChange(agreement: Agreement, fields: Partial<Pick<Agreement, "text" | "responsible" | "status">>, change: AgreementChange, at: Date): AgreementChangeOutcome {
  const recent = agreement.changes.filter((c) => Date.parse(c.at) > at.getTime() - AGREEMENT_HISTORY.windowMs).length;
  if (recent >= AGREEMENT_HISTORY.kept) return { kind: "refused", why: "too-often" };
  const changes = [...agreement.changes, change];
  const letGo = Math.max(0, changes.length - AGREEMENT_HISTORY.kept);
  const olderChanges = (agreement.olderChanges ?? 0) + letGo;
  return { kind: "changed", agreement: { ...agreement, ...fields, changes: changes.slice(letGo), ...(olderChanges > 0 ? { olderChanges } : {}) } };
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
  readonly _etag?: string;
}

/** A meeting occurrence: its scheduled start and end. */
export interface MeetingSlot {
  readonly start: Date;
  readonly end: Date;
  /** What identifies it, when not its start: an instant meeting is known by its Teams id and day. */
  readonly key?: Date;
}

/** The id of a meeting's document: one per group and start, whoever creates it first. */
/** What meetingDocumentId makes: the only meeting ids a card may name. */
export const MEETING_ID = /^meeting\|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function meetingDocumentId(slot: MeetingSlot): string {
  return `meeting|${(slot.key ?? slot.start).toISOString()}`;
}

/**
 * An instant meeting (or one outside the group's series) is known by the Teams meeting id and
 * its day: the start and end events of one meeting map to the same document.
 */
export function instantMeetingKey(teamsMeetingId: string, at: Date, timezone: string): Date {
  const day = localDate(at, timezone);
  // Milliseconds from the meeting id keep two instant meetings on one day apart, and stable.
  const ms = parseInt(createHash("sha256").update(teamsMeetingId).digest("hex").slice(0, 6), 16) % 1000;
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + ms);
}

/**
 * Of the series' occurrences, the one a moment belongs to: the start closest to `at` within
 * `window` either side (an event can come early or late), measured from the start for a
 * start event and from the end for an end event.
 */
export function slotAround(occurrencesNear: (at: Date) => Date[], at: Date, durationMs: number, edge: "start" | "end", windowMs = 6 * 3_600_000): MeetingSlot | undefined {
  const reference = edge === "start" ? at.getTime() : at.getTime() - durationMs;
  let best: Date | undefined;
  for (const start of occurrencesNear(new Date(reference - windowMs))) {
    const distance = Math.abs(start.getTime() - reference);
    if (distance <= windowMs && (!best || distance < Math.abs(best.getTime() - reference))) best = start;
  }
  return best ? { start: best, end: new Date(best.getTime() + durationMs) } : undefined;
}

/**
 * The series a scheduled Teams meeting suggests: its weekday and start (to the quarter hour)
 * and length, in the group's zone. None for an instant meeting, a meeting without times, or
 * one on a weekend (the card offers weekdays only).
 */
export function proposeSeries(details: { readonly scheduledStart?: string; readonly scheduledEnd?: string; readonly type?: string }, timezone: string): SeriesProposal | undefined {
  if (!details.scheduledStart || !details.scheduledEnd) return undefined;
  const start = new Date(details.scheduledStart);
  const end = new Date(details.scheduledEnd);
  if (!Number.isFinite(start.getTime()) || !Number.isFinite(end.getTime()) || end <= start) return undefined;
  const local = (at: Date) => {
    const parts = Object.fromEntries(
      dateTimeFormat("en-GB", { timeZone: timezone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at).map((p) => [p.type, p.value]),
    );
    return { weekday: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday ?? "") + 1, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
  };
  const from = local(start);
  if (from.weekday < 1 || from.weekday > 5) return undefined;
  const quarter = Math.round(from.minutes / 15) * 15;
  if (quarter < 7 * 60 || quarter > 19 * 60 + 45) return undefined;
  const time = clock(quarter);
  const length = (end.getTime() - start.getTime()) / 60_000;
  const durationMinutes = MEETING_DURATIONS.reduce((best, d) => (Math.abs(d - length) < Math.abs(best - length) ? d : best), 60);
  const until = clock(local(end).minutes);
  const recurring = details.type === "Recurring";
  const text = recurring
    ? texts.meeting.proposalWeekly(texts.weekdayName(from.weekday), shortClock(time), shortClock(until))
    : texts.meeting.proposal(texts.weekdayName(from.weekday), shortClock(time), shortClock(until));
  return { weekday: from.weekday, time, durationMinutes, ...(recurring ? { frequency: "weekly" as const } : {}), text };
}

const clock = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
/** "10:00" → "10", "10:30" → "10.30", as Danes write times in a sentence. */
const shortClock = (time: string) => (time.endsWith(":00") ? String(Number(time.slice(0, 2))) : `${Number(time.slice(0, 2))}.${time.slice(3)}`);

export type AgreementsProblem = "none" | "too-long" | "bad-date" | "no-responsible";

/**
 * The "Aftaler" card's rows as agreements: rows with no text are left out; a row with text
 * needs someone responsible; dates are YYYY-MM-DD. At most five.
 */
export function parseAgreements(
  inputs: Readonly<Record<string, unknown>>,
  by: Person,
  at: Date,
): { readonly ok: true; readonly agreements: Agreement[] } | { readonly ok: false; readonly problem: AgreementsProblem; readonly row?: number } {
  const agreements: Agreement[] = [];
  for (let row = 1; row <= AGREEMENT_LIMITS.count; row += 1) {
    const text = cardTextInput(inputs[`text${row}`]);
    const responsible = cardTextInput(inputs[`who${row}`]);
    const due = cardTextInput(inputs[`due${row}`]);
    if (text === null || responsible === null || due === null) return { ok: false, problem: "too-long", row };
    if (text === "") continue;
    if (text.length > AGREEMENT_LIMITS.text || responsible.length > AGREEMENT_LIMITS.responsible) return { ok: false, problem: "too-long", row };
    if (responsible === "") return { ok: false, problem: "no-responsible", row };
    if (due !== "" && !isCalendarDate(due)) return { ok: false, problem: "bad-date", row };
    agreements.push({ id: `a${row}`, text, responsible, ...(due ? { due } : {}), status: "notStarted", createdBy: by, createdAt: at.toISOString(), changes: [] });
  }
  return agreements.length > 0 ? { ok: true, agreements } : { ok: false, problem: "none" };
}

/** A card input as clean, trimmed text on one line: "" when absent, null when it is not text or absurdly long. */
export function cardTextInput(value: unknown): string | null {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string" || value.length > 2_000) return null;
  return cleanText(value).replace(/\s+/g, " ").trim();
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return Number.isFinite(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

export function isAgreementStatus(value: unknown): value is AgreementStatus {
  return typeof value === "string" && (AGREEMENT_STATUSES as readonly string[]).includes(value);
}

/** A status change, recorded with who and when; "same" when the status is already that. */
export function withStatus(agreement: Agreement, status: AgreementStatus, by: Person, at: Date): AgreementChangeOutcome {
  if (agreement.status === status) return { kind: "same" };
  return withChange(agreement, { status }, { at: at.toISOString(), by, status }, at);
}

/** An edit of an agreement's text, responsible or date, keeping what it was before. */
export function withEdit(agreement: Agreement, edit: { text: string; responsible: string; due?: string }, by: Person, at: Date): AgreementChangeOutcome {
  if (agreement.text === edit.text && agreement.responsible === edit.responsible && (agreement.due ?? "") === (edit.due ?? "")) return { kind: "same" };
  const { due: _old, ...rest } = agreement;
  const before = { text: agreement.text, responsible: agreement.responsible, ...(agreement.due ? { due: agreement.due } : {}) };
  return withChange({ ...rest, ...(edit.due ? { due: edit.due } : {}) }, { text: edit.text, responsible: edit.responsible }, { at: at.toISOString(), by, before }, at);
}

/** The meeting without one point; undefined when it is not there. */
export function withoutPoint(meeting: GroupMeeting, pointId: string): GroupMeeting | undefined {
  if (!(meeting.points ?? []).some((p) => p.id === pointId)) return undefined;
  return withIndexes({ ...meeting, points: (meeting.points ?? []).filter((p) => p.id !== pointId) });
}

/** A meeting with its lookup fields (people, authorKeys) made from its contents again. */
export function withIndexes(meeting: GroupMeeting): GroupMeeting {
  const { authorKeys: _old, ...rest } = meeting;
  const keys = [...new Set((meeting.points ?? []).map((p) => p.authorKey).filter((k): k is string => typeof k === "string"))].sort();
  const statusChanges = meeting.agreements.flatMap((a) => a.changes.filter((c) => c.status !== undefined).map((c) => c.at)).sort();
  return {
    ...rest,
    people: peopleIn(meeting),
    ...(keys.length > 0 ? { authorKeys: keys } : {}),
    openCount: meeting.agreements.filter((a) => a.status !== "done").length,
    ...(statusChanges.length > 0 ? { statusChangedAt: statusChanges.at(-1)! } : {}),
  };
}

/**
 * Who an agreement's free-text "responsible" names among the group's members: each part ("Mette
 * og Jonas", "Mette, Sara") that is a member's full name or a first name only one member has.
 * Names that fit nobody, or several, are left out: a reminder must not go to the wrong person.
 */
export function namedMembers(responsible: string, members: readonly GroupMember[]): GroupMember[] {
  const norm = (s: string) => s.toLocaleLowerCase("da-DK").replace(/\s+/g, " ").trim();
  const found = new Map<string, GroupMember>();
  for (const part of responsible.split(/,|\bog\b|&|\//i).map(norm).filter(Boolean)) {
    const full = members.filter((m) => norm(m.name) === part);
    const first = members.filter((m) => norm(m.name).split(" ")[0] === part);
    const match = full.length === 1 ? full : first.length === 1 ? first : [];
    for (const m of match) found.set(m.aadObjectId, m);
  }
  return [...found.values()];
}

/** Everyone named in a meeting's document, for the erasure and export queries. */
export function peopleIn(meeting: Pick<GroupMeeting, "agreements" | "agreementsSavedBy" | "points">): string[] {
  const ids = new Set<string>();
  const add = (p: Person | undefined) => p?.aadObjectId && ids.add(p.aadObjectId);
  add(meeting.agreementsSavedBy);
  (meeting.points ?? []).forEach((p) => add(p.by));
  for (const a of meeting.agreements) {
    add(a.createdBy);
    a.changes.forEach((c) => add(c.by));
  }
  return [...ids].sort();
}

/**
 * A meeting's document with one person taken out: their name becomes "en tidligere deltager"
 * wherever they saved, changed or edited something, and points shared in their name go. The
 * agreements themselves stay: they are the group's. Counts the names replaced and the points
 * removed apart, so the receipt says what really happened.
 */
export function withoutPerson(meeting: GroupMeeting, aadObjectId: string, authorKey?: string): { meeting: GroupMeeting; replaced: number; pointsRemoved: number } {
  let replaced = 0;
  const swap = (p: Person): Person => {
    if (p.aadObjectId !== aadObjectId) return p;
    replaced += 1;
    return FORMER_MEMBER;
  };
  const agreements = meeting.agreements.map((a) => ({ ...a, createdBy: swap(a.createdBy), changes: a.changes.map((c) => ({ ...c, by: swap(c.by) })) }));
  const savedBy = meeting.agreementsSavedBy ? swap(meeting.agreementsSavedBy) : undefined;
  // A point with their name is theirs: it goes (anonymous ones are found from their own record).
  const points = (meeting.points ?? []).filter((p) => p.by?.aadObjectId !== aadObjectId && (authorKey === undefined || p.authorKey !== authorKey));
  const next: GroupMeeting = { ...meeting, agreements, points, ...(savedBy ? { agreementsSavedBy: savedBy } : {}) };
  return { meeting: withIndexes(next), replaced, pointsRemoved: (meeting.points ?? []).length - points.length };
}

/** One thing a person did in a group, for their export. */
export interface GroupContribution {
  /** The group's chat or channel, as Teams names it. */
  readonly group: string;
  readonly meetingStart: string;
  readonly agreement: string;
  readonly what: "saved" | "status" | "edited";
  readonly status?: AgreementStatus;
  readonly at: string;
}

/** What this person saved, set or edited in a meeting's agreements. */
export function contributionsOf(meeting: GroupMeeting, aadObjectId: string): GroupContribution[] {
  const group = groupIdOf(meeting.pk) ?? "";
  const found: GroupContribution[] = [];
  for (const a of meeting.agreements) {
    const base = { group, meetingStart: meeting.start, agreement: a.text };
    if (a.createdBy.aadObjectId === aadObjectId) found.push({ ...base, what: "saved", at: a.createdAt });
    for (const c of a.changes) {
      if (c.by.aadObjectId !== aadObjectId) continue;
      found.push(c.status ? { ...base, what: "status", status: c.status, at: c.at } : { ...base, what: "edited", at: c.at });
    }
  }
  return found;
}

/**
 * The agreements a meeting follows up, newest meeting first: those from earlier meetings that
 * were still open when it started. One marked done during the meeting stays on its card (with
 * who marked it), so a slip of the finger can be set right; the next meeting no longer lists it.
 */
export function openAgreements(meetings: readonly GroupMeeting[], meetingStart: Date): Array<{ meeting: GroupMeeting; agreement: Agreement }> {
  const from = meetingStart.getTime();
  const doneBefore = (a: Agreement) => a.status === "done" && !a.changes.some((c) => Date.parse(c.at) >= from);
  return meetings
    .filter((m) => Date.parse(m.start) < from)
    .sort((a, b) => b.start.localeCompare(a.start))
    .flatMap((meeting) => meeting.agreements.filter((a) => !doneBefore(a)).map((agreement) => ({ meeting, agreement })));
}

/** The minutes of a meeting in Markdown, for "referat". */
export function meetingMinutes(args: {
  readonly meeting: GroupMeeting;
  readonly dateText: string;
  readonly themeTitle: string;
  readonly questions: readonly string[];
  readonly followedUp: ReadonlyArray<{ readonly agreement: Agreement; readonly dateText: string }>;
  readonly dateOf: (iso: string) => string;
}): string {
  const lines = [`**${texts.meeting.minutesTitle(args.dateText)}**`, "", `**${texts.meeting.themeLabel}:** ${args.themeTitle}`, "", `**${texts.meeting.questionsLabel}**`];
  args.questions.forEach((q, i) => lines.push(`${i + 1}. ${q}`));
  const points = args.meeting.points ?? [];
  if (points.length > 0) {
    lines.push("", `**${texts.meeting.pointsLabel}**`);
    for (const p of points) lines.push(`- ${md(p.text)} – ${p.by ? md(p.by.name) : texts.meeting.anonymousLeader}`);
  }
  if (args.followedUp.length > 0) {
    lines.push("", `**${texts.meeting.followedUpLabel}**`);
    for (const { agreement, dateText } of args.followedUp) lines.push(`- ${md(agreement.text)} (${md(agreement.responsible)}, ${texts.meeting.agreedOn(dateText)}): ${texts.meeting.status[agreement.status]}`);
  }
  lines.push("", `**${texts.meeting.agreementsLabel}**`);
  if (args.meeting.agreements.length === 0) lines.push(texts.meeting.noAgreementsYet);
  for (const a of args.meeting.agreements) lines.push(`- ${md(a.text)} – ${texts.meeting.responsibleShort}: ${md(a.responsible)}${a.due ? `, ${texts.meeting.dueShort} ${args.dateOf(a.due)}` : ""}`);
  return lines.join("\n");
}
