import { createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type FetchImplementation, type JWTPayload, type JWTVerifyGetKey, type ProtectedHeaderParameters } from "jose";

/**
 * A tab's sign-in (Indsigt, and every other page Teams frames): the Entra ID token Teams SSO gives
 * the page (getAuthToken), verified with jose: RS256 only, the tenant's issuer at the configured
 * authority (ENTRA_AUTHORITY), our audience (`api://<domain>/<app id>`, or the app id), not
 * expired, signed by a key the tenant publishes, and, where a page asks for one, an app role
 * (Indsigt asks for `Indsigt.Laes`). No token or a bad one: 401; a good token without the role: 403.
 *
 * Before any key is fetched, the token's header and claims are read unverified: one that cannot
 * pass (another algorithm, tenant, issuer or audience, or expired) is refused without a request
 * to Entra, so made-up tokens cannot make the server call out. That look is a filter, not the
 * check: jose verifies the signature and then checks the same claims itself.
 */

/**
 * The Application ID URI the tab's token is for (the manifest's webApplicationInfo.resource):
 * `api://<host>/<app id>` for a registration of the tab's own, and `api://<host>/botid-<app id>`
 * when the tab shares the bot's registration, as Teams asks of an app with a bot and a tab.
 */
export function tabResource(host: string, insightAppId: string, botAppId: string): string {
  return `api://${host.toLowerCase()}/${insightAppId === botAppId ? "botid-" : ""}${insightAppId}`;
}

/** Clock skew tolerated on exp and nbf, as Microsoft's libraries do. */
const SKEW_SECONDS = 300;
/** Only what Entra signs with: never "none", never a symmetric algorithm a public key could be abused as. */
const ALGORITHMS = ["RS256"];
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface TabTokenSettings {
  /** The app registration's id (GUID). */
  readonly appId: string;
  /** `api://<domain>/<app id>`: what the manifest's webApplicationInfo.resource says. */
  readonly resource: string;
  /** Tenants whose users may sign in; empty: any. */
  readonly allowedTenants: readonly string[];
  /** ENTRA_AUTHORITY, without a trailing slash: who issues the tokens and publishes the keys. */
  readonly authority: string;
}

/** A tenant's signing keys, as jose's key resolver; undefined while they cannot be had (a fetch failed within the cool-down). */
export interface SigningKeys {
  forTenant(tenantId: string): JWTVerifyGetKey | undefined;
}

export type TabIdentity =
  | { readonly ok: true; readonly tenantId: string; readonly userId: string }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

/**
 * The issuers a tenant's token may name: the authority's v2 issuer, and the v1 form
 * (`sts.windows.net`) that Entra's public cloud writes into tokens for apps left on v1.
 */
export function tabIssuers(authority: string, tenantId: string): string[] {
  return [`${authority}/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`];
}

/** `requiredRole`: the app role the page needs (Indsigt's `Indsigt.Laes`); none for a page every signed-in user may open, which then checks what that user may see. */
export async function authenticateTab(authorization: string | undefined, settings: TabTokenSettings, keys: SigningKeys, now: Date, requiredRole?: string): Promise<TabIdentity> {
  const refuse = (reason: string, status: 401 | 403 = 401): TabIdentity => ({ ok: false, status, reason });
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization ?? "");
  if (!match || (authorization?.length ?? 0) > 8192) return refuse("no bearer token");
  const jwt = match[1]!;
  let header: ProtectedHeaderParameters;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(jwt);
    claims = decodeJwt(jwt);
  } catch {
    return refuse("the token is not a JWT");
  }
  const early = whyItCannotPass(header, claims, settings, now);
  if (early) return refuse(early);
  const tenantId = String(claims.tid).toLowerCase();
  const getKey = keys.forTenant(tenantId);
  if (!getKey) return refuse("the signing keys could not be fetched");
  let verified: JWTPayload;
  try {
    ({ payload: verified } = await jwtVerify(jwt, getKey, {
      algorithms: ALGORITHMS,
      issuer: tabIssuers(settings.authority, tenantId),
      audience: [settings.resource, settings.appId],
      currentDate: now,
      clockTolerance: SKEW_SECONDS,
      requiredClaims: ["exp"],
    }));
  } catch (error) {
    return refuse(reasonOf(error));
  }
  const userId = typeof verified.oid === "string" ? verified.oid : "";
  if (!userId) return refuse("no user");
  const roles = Array.isArray(verified.roles) ? (verified.roles as unknown[]) : [];
  if (requiredRole !== undefined && !roles.includes(requiredRole)) return refuse(`the role ${requiredRole} is missing`, 403);
  return { ok: true, tenantId, userId };
}

/** Why a token cannot pass, read from its unverified header and claims: what needs no key to know. */
function whyItCannotPass(header: ProtectedHeaderParameters, claims: JWTPayload, settings: TabTokenSettings, now: Date): string | undefined {
  if (!header.alg || !ALGORITHMS.includes(header.alg)) return `algorithm ${String(header.alg)} is not accepted`;
  if (typeof header.kid !== "string") return "no key id";
  const tenantId = typeof claims.tid === "string" ? claims.tid.toLowerCase() : "";
  if (!TENANT_ID.test(tenantId)) return "no tenant";
  if (settings.allowedTenants.length > 0 && !settings.allowedTenants.map((t) => t.toLowerCase()).includes(tenantId)) return "tenant not allowed";
  if (typeof claims.iss !== "string" || !tabIssuers(settings.authority, tenantId).includes(claims.iss)) return "wrong issuer";
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((aud) => aud === settings.resource || aud === settings.appId)) return "wrong audience";
  const seconds = now.getTime() / 1000;
  if (typeof claims.exp !== "number" || claims.exp + SKEW_SECONDS < seconds) return "expired";
  if (typeof claims.nbf === "number" && claims.nbf - SKEW_SECONDS > seconds) return "not yet valid";
  return undefined;
}

/** jose's refusal, in the words the log uses. */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWKSNoMatchingKey) return "unknown signing key";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad signature";
  if (error instanceof errors.JOSEAlgNotAllowed) return "algorithm is not accepted";
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    const named: Record<string, string> = { iss: "wrong issuer", aud: "wrong audience", nbf: "not yet valid" };
    return named[error.claim] ?? `the claim ${error.claim} is not valid`;
  }
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid || error instanceof errors.JWKSMultipleMatchingKeys) return "the token is not valid";
  return "the signing keys could not be fetched";
}

/** Tenants whose keys are kept at most; beyond it the least recently used is dropped (and fetched again when next needed). */
export const MAX_CACHED_TENANTS = 500;
/** A tenant's keys are fetched again for an unknown kid, or after a failed fetch, no sooner than this. */
export const KEYS_COOLDOWN_MS = 60_000;
/** Keys are fetched again after this long even when every kid is known, as Entra rolls keys over. */
const KEYS_MAX_AGE_MS = 3_600_000;
const KEYS_TIMEOUT_MS = 5_000;

export interface SigningKeyOptions {
  readonly maxTenants?: number;
  readonly cooldownMs?: number;
  /** How keys are fetched; the platform's fetch unless a test serves them in-process. */
  readonly fetch?: FetchImplementation;
  readonly clock?: () => number;
}

interface TenantKeys {
  readonly resolve: JWTVerifyGetKey;
  failedAt: number | undefined;
}

/**
 * Each tenant's published keys (`<authority>/<tenant>/discovery/v2.0/keys`), through jose's
 * remote key set: a fetch in flight is shared, an unknown kid fetches again only after the
 * cool-down, and the keys are kept for an hour. jose keeps no memory of a failed fetch, so this
 * does: a tenant whose keys could not be fetched is not asked again within the cool-down. At
 * most `maxTenants` tenants are kept, least recently used out first, so tenant ids a stranger
 * makes up (with ALLOWED_TENANTS=*) cannot grow the cache.
 */
export class EntraSigningKeys implements SigningKeys {
  // A Map iterates in insertion order: re-inserting on each use makes the first key the least recently used.
  private readonly tenants = new Map<string, TenantKeys>();
  private readonly maxTenants: number;
  private readonly cooldownMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly authority: string,
    private readonly options: SigningKeyOptions = {},
  ) {
    this.maxTenants = options.maxTenants ?? MAX_CACHED_TENANTS;
    this.cooldownMs = options.cooldownMs ?? KEYS_COOLDOWN_MS;
    this.clock = options.clock ?? Date.now;
  }

  /** How many tenants' keys are held now. */
  get cachedTenants(): number {
    return this.tenants.size;
  }

  forTenant(tenantId: string): JWTVerifyGetKey | undefined {
    const entry = this.tenants.get(tenantId) ?? this.keysOf(tenantId);
    this.tenants.delete(tenantId);
    this.tenants.set(tenantId, entry);
    for (const oldest of this.tenants.keys()) {
      if (this.tenants.size <= this.maxTenants) break;
      this.tenants.delete(oldest);
    }
    if (entry.failedAt !== undefined && this.clock() - entry.failedAt < this.cooldownMs) return undefined;
    return entry.resolve;
  }

  private keysOf(tenantId: string): TenantKeys {
    const remote = createRemoteJWKSet(new URL(`${this.authority}/${tenantId}/discovery/v2.0/keys`), {
      cooldownDuration: this.cooldownMs,
      cacheMaxAge: KEYS_MAX_AGE_MS,
      timeoutDuration: KEYS_TIMEOUT_MS,
      ...(this.options.fetch ? { [customFetch]: this.options.fetch } : {}),
    });
    const entry: TenantKeys = {
      failedAt: undefined,
      resolve: async (header, token) => {
        try {
          const key = await remote(header, token);
          entry.failedAt = undefined;
          return key;
        } catch (error) {
          // Not finding the kid in keys just fetched is the token's fault; anything else is the fetch's.
          if (!(error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)) entry.failedAt = this.clock();
          throw error;
        }
      },
    };
    return entry;
  }
}
