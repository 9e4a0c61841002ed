import { createPublicKey, verify, type JsonWebKey } from "node:crypto";

/**
 * The Indsigt tab's sign-in: the Entra ID token Teams SSO gives the page (getAuthToken), checked
 * here as the bot endpoint checks Bot Framework tokens: RS256 only, the tenant's issuer, our
 * audience (`api://<domain>/<app id>`, or the app id), not expired, signed by a key the tenant
 * publishes, and the app role `Indsigt.Laes` for access. No token or a bad one: 401; a good
 * token without the role: 403. Pure apart from the key lookup, which is passed in.
 *
 * (Issue 22, begun: the page that uses it is not built yet.)
 */

export const INSIGHT_ROLE = "Indsigt.Laes";

/**
 * The Application ID URI the tab's token is for (the manifest's webApplicationInfo.resource):
 * `api://<host>/<app id>` for a registration of the tab's own, and `api://<host>/botid-<app id>`
 * when the tab shares the bot's registration, as Teams asks of an app with a bot and a tab.
 */
export function insightResource(host: string, insightAppId: string, botAppId: string): string {
  return `api://${host.toLowerCase()}/${insightAppId === botAppId ? "botid-" : ""}${insightAppId}`;
}
/** Clock skew tolerated on exp and nbf, as Microsoft's libraries do. */
const SKEW_SECONDS = 300;

export interface TabTokenSettings {
  /** The app registration's id (GUID). */
  readonly appId: string;
  /** `api://<domain>/<app id>`: what the manifest's webApplicationInfo.resource says. */
  readonly resource: string;
  /** Tenants whose users may sign in; empty: any. */
  readonly allowedTenants: readonly string[];
}

/** A tenant's signing keys by kid (Entra's discovery keys endpoint); undefined when it has none by that id. */
export interface SigningKeys {
  key(tenantId: string, kid: string): Promise<JsonWebKey | undefined>;
}

export type TabIdentity =
  | { readonly ok: true; readonly tenantId: string; readonly userId: string }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

export async function authenticateTab(authorization: string | undefined, settings: TabTokenSettings, keys: SigningKeys, now: Date): Promise<TabIdentity> {
  const refuse = (reason: string, status: 401 | 403 = 401): TabIdentity => ({ ok: false, status, reason });
  const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization ?? "");
  if (!match || (authorization?.length ?? 0) > 8192) return refuse("no bearer token");
  const [, headerPart, payloadPart, signaturePart] = match;
  const header = json(headerPart!);
  const claims = json(payloadPart!);
  if (!header || !claims) return refuse("the token is not a JWT");
  // Only what Entra signs with: never "none", never a symmetric algorithm a public key could be abused as.
  if (header.alg !== "RS256" || typeof header.kid !== "string") return refuse(`algorithm ${String(header.alg)} is not accepted`);
  const tenantId = typeof claims.tid === "string" ? claims.tid.toLowerCase() : "";
  if (!/^[0-9a-f-]{36}$/.test(tenantId)) return refuse("no tenant");
  if (settings.allowedTenants.length > 0 && !settings.allowedTenants.map((t) => t.toLowerCase()).includes(tenantId)) return refuse("tenant not allowed");
  const issuers = [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`];
  if (typeof claims.iss !== "string" || !issuers.includes(claims.iss)) return refuse("wrong issuer");
  if (claims.aud !== settings.resource && claims.aud !== settings.appId) return refuse("wrong audience");
  const seconds = now.getTime() / 1000;
  if (typeof claims.exp !== "number" || claims.exp + SKEW_SECONDS < seconds) return refuse("expired");
  if (typeof claims.nbf === "number" && claims.nbf - SKEW_SECONDS > seconds) return refuse("not yet valid");
  const jwk = await keys.key(tenantId, header.kid);
  if (!jwk || jwk.kty !== "RSA") return refuse("unknown signing key");
  let genuine = false;
  try {
    genuine = verify("RSA-SHA256", Buffer.from(`${headerPart}.${payloadPart}`), createPublicKey({ key: jwk, format: "jwk" }), Buffer.from(signaturePart!, "base64url"));
  } catch {
    genuine = false;
  }
  if (!genuine) return refuse("bad signature");
  const userId = typeof claims.oid === "string" ? claims.oid : "";
  if (!userId) return refuse("no user");
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  if (!roles.includes(INSIGHT_ROLE)) return refuse(`the role ${INSIGHT_ROLE} is missing`, 403);
  return { ok: true, tenantId, userId };
}

function json(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A tenant's published keys over HTTP (Entra: https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys),
 * cached per tenant for an hour; an unknown kid refreshes once (keys roll over).
 */
export class HttpSigningKeys implements SigningKeys {
  private readonly cache = new Map<string, { keys: JsonWebKey[]; at: number }>();
  constructor(
    private readonly urlOf: (tenantId: string) => string,
    private readonly clock: () => number = Date.now,
  ) {}

  async key(tenantId: string, kid: string): Promise<JsonWebKey | undefined> {
    const find = (keys: readonly JsonWebKey[]) => keys.find((k) => (k as { kid?: string }).kid === kid);
    const cached = this.cache.get(tenantId);
    const fresh = cached && this.clock() - cached.at < 3_600_000 ? cached : undefined;
    const hit = fresh && find(fresh.keys);
    if (hit) return hit;
    const response = await fetch(this.urlOf(tenantId), { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { keys?: JsonWebKey[] };
    const keys = Array.isArray(body.keys) ? body.keys : [];
    this.cache.set(tenantId, { keys, at: this.clock() });
    return find(keys);
  }
}
