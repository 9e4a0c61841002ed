import { createHmac, hkdfSync } from "node:crypto";

/**
 * Who shared an unnamed point, as a mark only the server can make: an HMAC of the tenant and
 * user under a key derived from the server's secret (EXPORT_SIGNING_KEY). The group's document
 * carries the mark, never the person, so "slet mine data" finds every unnamed point of theirs by
 * query, not only the ones their own record still lists. Nobody without the secret can tell from
 * the mark who shared a point, or whether two points are by the same leader across tenants.
 */
export type PointAuthorKey = (user: { readonly tenantId: string; readonly userId: string }) => string;

export function pointAuthorKeyer(secret: Buffer): PointAuthorKey {
  // A key of its own, so the export links' signatures and these marks never share one.
  const key = Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), "lederrefleksion/point-author", 32));
  return ({ tenantId, userId }) => createHmac("sha256", key).update(`${tenantId.toLowerCase()}|${userId.toLowerCase()}`).digest("base64url").slice(0, 22);
}
