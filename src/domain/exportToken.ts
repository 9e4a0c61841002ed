import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { UserKey } from "./identity";
import { asTenantId, asUserId } from "./ids";

export type ExportFormat = "md" | "json";

export interface ExportClaims extends UserKey {
  readonly format: ExportFormat;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
  /** Unique id, recorded when the link is used so it works once. */
  readonly jti: string;
}

export const EXPORT_LINK_SECONDS = 15 * 60;

/**
 * An export link's token: the claims sealed with AES-256-GCM under a key derived from the
 * server's signing key. Opaque (no readable user or tenant id in a URL that mail and chat
 * scanners log), unforgeable (GCM's tag), and unguessable (the jti is 128 random bits).
 */
export function signExportToken(user: UserKey, format: ExportFormat, now: Date, key: Buffer): string {
  const claims: ExportClaims = { tenantId: user.tenantId, userId: user.userId, format, exp: expiryFrom(now), jti: randomBytes(16).toString("base64url") };
  return seal(claims, key, EXPORT_PURPOSE);
}

/** The claims of a genuine, unexpired token; undefined for anything else, without saying why. */
export function verifyExportToken(token: string, key: Buffer, now: Date): ExportClaims | undefined {
  const claims = unseal(token, key, EXPORT_PURPOSE, now);
  if (!claims) return undefined;
  const { tenantId, userId, format, exp, jti } = claims;
  if (typeof tenantId !== "string" || typeof userId !== "string" || typeof jti !== "string") return undefined;
  if (format !== "md" && format !== "json") return undefined;
  return { tenantId: asTenantId(tenantId), userId: asUserId(userId), format, exp: exp as number, jti };
}

/** A leader group's minutes link: which group, until when. */
export interface MinutesClaims {
  readonly tenantId: string;
  readonly groupId: string;
  readonly exp: number;
}

/**
 * "referat alle"'s link: sealed as an export link is, under a key of its own (one kind of
 * link never opens as the other). It names the group, not a person, and works for everyone
 * who sees it in the group's chat until it expires.
 */
export function signMinutesToken(group: { tenantId: string; groupId: string }, now: Date, key: Buffer): string {
  const claims: MinutesClaims & { readonly nonce: string } = { tenantId: group.tenantId, groupId: group.groupId, exp: expiryFrom(now), nonce: randomBytes(8).toString("base64url") };
  return seal(claims, key, MINUTES_PURPOSE);
}

export function verifyMinutesToken(token: string, key: Buffer, now: Date): MinutesClaims | undefined {
  const claims = unseal(token, key, MINUTES_PURPOSE, now);
  if (!claims || typeof claims.tenantId !== "string" || typeof claims.groupId !== "string") return undefined;
  return { tenantId: claims.tenantId, groupId: claims.groupId, exp: claims.exp as number };
}

const EXPORT_PURPOSE = "lederrefleksion export link v2";
const MINUTES_PURPOSE = "lederrefleksion group minutes link v1";

function expiryFrom(now: Date): number {
  return Math.floor(now.getTime() / 1000) + EXPORT_LINK_SECONDS;
}

function seal(claims: object, key: Buffer, purpose: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(key, purpose), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(claims), "utf8"), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString("base64url");
}

/** The claims of a genuine token sealed for this purpose and not expired; anything else is undefined. */
function unseal(token: string, key: Buffer, purpose: string, now: Date): Record<string, unknown> | undefined {
  if (token.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const raw = Buffer.from(token, "base64url");
  // Node decodes base64url loosely (a trailing odd character is dropped, spare low bits ignored):
  // only the one spelling seal() writes opens a link, so a token has exactly one form.
  if (raw.length <= IV_BYTES + TAG_BYTES || raw.toString("base64url") !== token) return undefined;
  let claims: unknown;
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealingKey(key, purpose), raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    claims = JSON.parse(plain.toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof claims !== "object" || claims === null) return undefined;
  const { exp } = claims as { exp?: unknown };
  if (typeof exp !== "number" || exp * 1000 <= now.getTime()) return undefined;
  return claims as Record<string, unknown>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const sealingKeys = new WeakMap<Buffer, Map<string, Buffer>>();

/** A key per purpose, so the configured secret is never used directly as a cipher key. */
function sealingKey(secret: Buffer, purpose: string): Buffer {
  let derived = sealingKeys.get(secret);
  if (!derived) sealingKeys.set(secret, (derived = new Map()));
  let key = derived.get(purpose);
  if (!key) derived.set(purpose, (key = Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), purpose, 32))));
  return key;
}
