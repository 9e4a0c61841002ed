import { randomBytes } from "node:crypto";
import { cleanText } from "../cleanText";
import { instantOf } from "../daysOff";
import type { Decision } from "../result";
import { addDays, DEFAULT_TIMEZONE, localDate } from "../time";
import { SHARE_LIMITS, type ShareContent } from "./content";

/**
 * Til min leder: one share, from one leader (the sharer) to exactly one other person (the
 * reader), for a limited time. Every decision about it is here, pure; storage/shares.ts keeps it
 * and sharing/shareService.ts runs the decisions against what is stored.
 *
 * The rule that matters most, `readableBy`: a share is read by its named reader only (their
 * Entra tenant and object id, as a verified token or Teams says), while it is active and before
 * it expires. Everything else (another person, another tenant, a withdrawn, expired or erased
 * share) gets the same nothing.
 */

export type ShareState = "active" | "withdrawn" | "expired" | "erased";

export interface ShareQuestion {
  /** Cleaned, at most SHARE_LIMITS.questionLength characters. */
  readonly text: string;
  readonly at: string;
}

/** Who reads: an Entra identity (the token's tid and oid, the activity's tenant and aadObjectId). */
export interface ReaderIdentity {
  readonly tenantId: string;
  readonly aadObjectId: string;
}

export interface Share {
  /** Unguessable (newShareId): 128 random bits, one spelling. */
  readonly id: string;
  readonly tenantId: string;
  readonly sharer: { readonly userId: string; readonly name: string };
  readonly reader: { readonly aadObjectId: string; readonly tenantId: string; readonly name: string };
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly state: ShareState;
  /** When the state last changed from active (withdrawn, expired, erased). */
  readonly endedAt?: string;
  readonly firstOpenedAt?: string;
  readonly opens: number;
  /** The frozen copy; emptied when the share ends, so nothing is readable or kept after it. */
  readonly content: ShareContent | null;
  readonly questions: readonly ShareQuestion[];
}

/** Shares a leader may have active at once: a bound on what one person's log and the reader's list hold. */
export const MAX_ACTIVE_SHARES = 20;

/** New shares a leader may make in a day: so offering, withdrawing and offering again cannot flood a colleague's chat. */
export const MAX_OFFERS_PER_DAY = 10;

/**
 * Shares kept per sharer, ended ones included (their log lines, SHARE_LOG_DAYS): the bound on
 * one partition's shares. A new share makes room by deleting the oldest ended ones.
 */
export const MAX_KEPT_SHARES = 100;

const SHARE_ID_BYTES = 16;
const SHARE_ID = /^[A-Za-z0-9_-]{22}$/;

/** A new share id: 128 random bits, base64url (22 characters). */
export function newShareId(): string {
  return randomBytes(SHARE_ID_BYTES).toString("base64url");
}

/**
 * Whether a string is a share id as newShareId writes it. Node decodes base64url loosely (the
 * last character's spare bits are ignored), so only the one spelling that encoding writes back
 * counts: an id has exactly one form, as the sealed links do (domain/exportToken.ts).
 */
export function isShareId(value: unknown): value is string {
  return typeof value === "string" && SHARE_ID.test(value) && Buffer.from(value, "base64url").toString("base64url") === value;
}

/** Days a share is offered for: a whole number from 1 to SHARE_LIMITS.maxDays. */
export function validDays(days: unknown): days is number {
  return typeof days === "number" && Number.isInteger(days) && days >= 1 && days <= SHARE_LIMITS.maxDays;
}

/**
 * When a share offered at `now` for `days` ends: at midnight (Danish time) after the last day,
 * so "til og med 23. december" on the card is exactly when it stops.
 */
export function shareExpiry(now: Date, days: number): Date {
  return instantOf(addDays(localDate(now, DEFAULT_TIMEZONE), days + 1), "00:00", DEFAULT_TIMEZONE);
}

/** A new, active share (no check of who may share with whom: shareService does that). */
export function newShare(args: {
  readonly id: string;
  readonly tenantId: string;
  readonly sharer: Share["sharer"];
  readonly reader: Share["reader"];
  readonly content: ShareContent;
  readonly days: number;
  readonly now: Date;
}): Share {
  const { id, tenantId, sharer, reader, content, days, now } = args;
  return {
    id,
    tenantId,
    sharer: { userId: sharer.userId, name: cleanText(sharer.name) },
    // Entra ids in lower case, as tokens and Teams spell them: the reader's pointer partition is named by them.
    reader: { aadObjectId: reader.aadObjectId.toLowerCase(), tenantId: reader.tenantId.toLowerCase(), name: cleanText(reader.name) },
    createdAt: now.toISOString(),
    expiresAt: shareExpiry(now, days).toISOString(),
    state: "active",
    opens: 0,
    content,
    questions: [],
  };
}

/** Same tenant and object id; Entra ids compared without regard to case, as tokens may spell them. */
export function isReader(share: Share, identity: ReaderIdentity): boolean {
  return share.reader.tenantId.toLowerCase() === identity.tenantId.toLowerCase() && share.reader.aadObjectId.toLowerCase() === identity.aadObjectId.toLowerCase();
}

/** Active and not past its expiry (the scheduler may not have run yet: the time decides, not the job). */
export function isLive(share: Share, now: Date): boolean {
  return share.state === "active" && share.content !== null && now.toISOString() < share.expiresAt;
}

/** THE rule: its named reader, while it is live. */
export function readableBy(share: Share, identity: ReaderIdentity, now: Date): boolean {
  return isReader(share, identity) && isLive(share, now);
}

/**
 * An ended share keeps only what the sharer's log shows (who, when, how often opened) and the
 * questions the sharer got, so they can still take them along; the content goes at once.
 */
function ended(share: Share, state: Exclude<ShareState, "active">, now: Date): Share {
  return { ...share, state, endedAt: now.toISOString(), content: null };
}

export type WithdrawOutcome = "withdrawn" | "notActive" | "notFound";

/** Træk tilbage: the sharer's own active share ends at once; anything else is left. */
export function withdraw(share: Share | undefined, sharerUserId: string, now: Date): Decision<Share, WithdrawOutcome> {
  if (!share || share.sharer.userId !== sharerUserId) return { outcome: "notFound" };
  if (share.state !== "active") return { outcome: "notActive" };
  return { write: ended(share, "withdrawn", now), outcome: "withdrawn" };
}

/** An active share past its expiry ends; one already ended, or not yet due, is left. */
export function expire(share: Share | undefined, now: Date): Decision<Share, boolean> {
  if (!share || share.state !== "active" || now.toISOString() < share.expiresAt) return { outcome: false };
  return { write: ended(share, "expired", now), outcome: true };
}

/** The reader opened it: the first time is kept, every time counted. Only for a readable share. */
export function recordOpen(share: Share, now: Date): Share {
  return { ...share, firstOpenedAt: share.firstOpenedAt ?? now.toISOString(), opens: share.opens + 1 };
}

/**
 * What the reader's own `eksport` holds of a share made to them: who shared it, when, until when,
 * its state, and their own questions and read log. Never the content: it is the sharer's, read
 * in the tab by the reader's identity while the share lasts, and an export file would outlive
 * both the share and its withdrawal.
 */
export interface ReceivedShareRecord {
  readonly id: string;
  readonly sharerName: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly state: ShareState;
  readonly endedAt?: string;
  readonly firstOpenedAt?: string;
  readonly opens: number;
  /** Only the reader asks, so every question on a share is theirs. */
  readonly questions: readonly ShareQuestion[];
}

export function receivedRecordOf(share: Share): ReceivedShareRecord {
  const { id, createdAt, expiresAt, state, endedAt, firstOpenedAt, opens, questions } = share;
  return { id, sharerName: share.sharer.name, createdAt, expiresAt, state, ...(endedAt ? { endedAt } : {}), ...(firstOpenedAt ? { firstOpenedAt } : {}), opens, questions };
}

export type QuestionsOutcome =
  | { readonly ok: true; readonly added: readonly ShareQuestion[] }
  | { readonly ok: false; readonly reason: "notFound" | "empty" | "tooMany" | "tooLong" | "tooLarge" };

/**
 * Questions back, cleaned: blank ones are dropped, each must be at most questionLength
 * characters, and the share holds at most SHARE_LIMITS.questions in all (what was sent before
 * counts). All or none: a refused batch adds nothing.
 */
export function addQuestions(share: Share | undefined, identity: ReaderIdentity, texts: readonly unknown[], now: Date): Decision<Share, QuestionsOutcome> {
  if (!share || !readableBy(share, identity, now)) return { outcome: { ok: false, reason: "notFound" } };
  if (texts.length > SHARE_LIMITS.questions) return { outcome: { ok: false, reason: "tooMany" } };
  const cleaned = texts.map((t) => (typeof t === "string" ? cleanText(t).trim() : "")).filter((t) => t.length > 0);
  if (cleaned.length === 0) return { outcome: { ok: false, reason: "empty" } };
  if (cleaned.some((t) => [...t].length > SHARE_LIMITS.questionLength)) return { outcome: { ok: false, reason: "tooLong" } };
  if (share.questions.length + cleaned.length > SHARE_LIMITS.questions) return { outcome: { ok: false, reason: "tooMany" } };
  const added = cleaned.map((text) => ({ text, at: now.toISOString() }));
  const next = { ...share, questions: [...share.questions, ...added] };
  if (!fitsDocument(next)) return { outcome: { ok: false, reason: "tooLarge" } };
  return { write: next, outcome: { ok: true, added } };
}

/** Whether a leader has made MAX_OFFERS_PER_DAY shares in the 24 hours before `now` (withdrawn ones count too). */
export function offeredTooOften(shares: readonly Share[], now: Date): boolean {
  const since = new Date(now.getTime() - 86_400_000).toISOString();
  return shares.filter((s) => s.createdAt > since).length >= MAX_OFFERS_PER_DAY;
}

/** The ended shares to delete so a new one fits within MAX_KEPT_SHARES: the oldest first. */
export function sharesToMakeRoom(shares: readonly Share[]): Share[] {
  const over = shares.length + 1 - MAX_KEPT_SHARES;
  if (over <= 0) return [];
  return shares
    .filter((s) => s.state !== "active")
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .slice(0, over);
}

/** The stored document's size in UTF-8 bytes, as Cosmos counts it (near enough: its own fields are a few hundred bytes). */
export function documentBytes(document: object): number {
  return Buffer.byteLength(JSON.stringify(document), "utf8");
}

/** Whether a share, as stored, stays within SHARE_LIMITS.documentBytes. */
export function fitsDocument(share: Share): boolean {
  return documentBytes(share) <= SHARE_LIMITS.documentBytes;
}

/** Whether a share's content holds what SHARE_LIMITS allows: the reflections and pulses counted. */
export function withinContentLimits(content: ShareContent): boolean {
  return content.version === 1 && content.reflections.length <= SHARE_LIMITS.reflections && (content.pulses?.length ?? 0) <= SHARE_LIMITS.pulses;
}
