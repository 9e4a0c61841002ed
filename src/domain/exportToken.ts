import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
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
 * An export link's token: the claims, then an HMAC-SHA256 over them. Unguessable (the jti is
 * 128 random bits and the signature needs the server's key) and bound to one user and tenant.
 */
export function signExportToken(user: UserKey, format: ExportFormat, now: Date, key: Buffer): string {
  const claims: ExportClaims = {
    tenantId: user.tenantId,
    userId: user.userId,
    format,
    exp: Math.floor(now.getTime() / 1000) + EXPORT_LINK_SECONDS,
    jti: randomBytes(16).toString("base64url"),
  };
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  // "~" is URL-safe and outside the base64url alphabet, so it can only be the separator.
  return `${body}~${signature(body, key)}`;
}

/** The claims of a genuine, unexpired token; undefined for anything else, without saying why. */
export function verifyExportToken(token: string, key: Buffer, now: Date): ExportClaims | undefined {
  if (token.length > 1024) return undefined;
  const [body, mac, extra] = token.split("~");
  if (!body || !mac || extra !== undefined) return undefined;
  const expected = Buffer.from(signature(body, key));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: Partial<ExportClaims>;
  try {
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Partial<ExportClaims>;
  } catch {
    return undefined;
  }
  const { tenantId, userId, format, exp, jti } = claims;
  if (typeof tenantId !== "string" || typeof userId !== "string" || typeof jti !== "string") return undefined;
  if ((format !== "md" && format !== "json") || typeof exp !== "number") return undefined;
  if (exp * 1000 <= now.getTime()) return undefined;
  return { tenantId: asTenantId(tenantId), userId: asUserId(userId), format, exp, jti };
}

function signature(body: string, key: Buffer): string {
  return createHmac("sha256", key).update(body).digest("base64url");
}
