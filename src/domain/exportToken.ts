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
  const claims: ExportClaims = {
    tenantId: user.tenantId,
    userId: user.userId,
    format,
    exp: Math.floor(now.getTime() / 1000) + EXPORT_LINK_SECONDS,
    jti: randomBytes(16).toString("base64url"),
  };
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(key), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(claims), "utf8"), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString("base64url");
}

/** The claims of a genuine, unexpired token; undefined for anything else, without saying why. */
export function verifyExportToken(token: string, key: Buffer, now: Date): ExportClaims | undefined {
  if (token.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const raw = Buffer.from(token, "base64url");
  if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
  let claims: Partial<ExportClaims>;
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealingKey(key), raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    claims = JSON.parse(plain.toString("utf8")) as Partial<ExportClaims>;
  } catch {
    return undefined;
  }
  const { tenantId, userId, format, exp, jti } = claims;
  if (typeof tenantId !== "string" || typeof userId !== "string" || typeof jti !== "string") return undefined;
  if ((format !== "md" && format !== "json") || typeof exp !== "number") return undefined;
  if (exp * 1000 <= now.getTime()) return undefined;
  return { tenantId: asTenantId(tenantId), userId: asUserId(userId), format, exp, jti };
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const sealingKeys = new WeakMap<Buffer, Buffer>();

/** A key for sealing only, so the configured secret is never used directly as a cipher key. */
function sealingKey(secret: Buffer): Buffer {
  let derived = sealingKeys.get(secret);
  if (!derived) {
    derived = Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), "lederrefleksion export link v2", 32));
    sealingKeys.set(secret, derived);
  }
  return derived;
}
