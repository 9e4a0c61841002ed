import { createHmac, createSign, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Stands in for the Bot Framework's token issuer on loopback: an OpenID metadata document and a
 * JWKS with one RSA key, the way login.botframework.com publishes them. Tests point
 * BotOpenIdMetadata here and sign tokens with the key, so the real botbuilder validator checks
 * real signatures, and forged tokens are forged for real.
 */
export class FakeIdentity {
  static readonly ISSUER = "https://api.botframework.com";
  readonly kid = "test-signing-key";
  private readonly keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  private readonly strangerKey: KeyObject = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  private server: http.Server | undefined;
  private port = 0;

  get metadataUrl(): string {
    return `http://127.0.0.1:${this.port}/v1/.well-known/openidconfiguration`;
  }

  async start(): Promise<void> {
    const jwk = this.keys.publicKey.export({ format: "jwk" }) as { n: string; e: string };
    this.server = http.createServer((req, res) => {
      const json = (body: unknown) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.url === "/v1/.well-known/openidconfiguration") {
        json({ issuer: FakeIdentity.ISSUER, jwks_uri: `http://127.0.0.1:${this.port}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ["RS256"] });
      } else if (req.url === "/v1/.well-known/keys") {
        json({ keys: [{ kty: "RSA", use: "sig", kid: this.kid, n: jwk.n, e: jwk.e, endorsements: ["msteams", "webchat"] }] });
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A token as the channel service issues it for this bot and serviceUrl; `claims` override. */
  token(appId: string, serviceUrl: string, claims: Record<string, unknown> = {}): string {
    return signRs256({ kid: this.kid }, this.claims(appId, serviceUrl, claims), this.keys.privateKey);
  }

  /** The four kinds of forgery a hostile caller tries first. */
  forgeries(appId: string, serviceUrl: string): Array<[string, string]> {
    const claims = this.claims(appId, serviceUrl);
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const hs256Header = encode({ alg: "HS256", typ: "JWT", kid: this.kid });
    const hs256Body = encode(claims);
    const hs256 = `${hs256Header}.${hs256Body}.${createHmac("sha256", "guessed-secret").update(`${hs256Header}.${hs256Body}`).digest("base64url")}`;
    return [
      ["alg none", `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.`],
      ["HS256 with a guessed secret", hs256],
      ["RS256 signed by another key under the real key id", signRs256({ kid: this.kid }, claims, this.strangerKey)],
      ["a genuine signature that expired an hour ago", this.token(appId, serviceUrl, { exp: nowSeconds() - 3600, nbf: nowSeconds() - 7200, iat: nowSeconds() - 7200 })],
      ["a genuine signature for another bot", this.token("00000000-dead-4000-8000-000000000000", serviceUrl)],
    ];
  }

  private claims(appId: string, serviceUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { iss: FakeIdentity.ISSUER, aud: appId, serviceurl: serviceUrl, nbf: nowSeconds() - 60, exp: nowSeconds() + 3600, ...overrides };
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function signRs256(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT", ...header })}.${encode(claims)}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(key).toString("base64url")}`;
}

/**
 * Stands in for Entra ID on loopback, as the Indsigt tab's sign-in sees it: each tenant's keys at
 * `<authority>/<tenant>/discovery/v2.0/keys`, and tokens signed as Teams SSO gets them. Tests point
 * ENTRA_AUTHORITY here. It counts every key fetch per tenant, so a test can see what a flood of
 * forged tokens makes the server ask, and can make a tenant's endpoint fail or roll a key over.
 */
export class FakeEntra {
  readonly kid = "key-1";
  /** A key of the right size that the tenant never published: a forger's. */
  readonly foreignKey: KeyObject = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  /** Key fetches per tenant id. */
  readonly fetches = new Map<string, number>();
  /** Tenants whose keys endpoint answers 500. */
  readonly failing = new Set<string>();
  private readonly published = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>([[this.kid, generateKeyPairSync("rsa", { modulusLength: 2048 })]]);
  private server: http.Server | undefined;
  private port = 0;

  get authority(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every key fetch, all tenants together. */
  get totalFetches(): number {
    return [...this.fetches.values()].reduce((a, b) => a + b, 0);
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const { status, body } = this.answer(req.url ?? "");
      // Not chained: restify, loaded in the same process by other tests, replaces writeHead with one that returns nothing.
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * The same answers without the network, counted the same way: for a test that needs thousands
   * of lookups on a busy machine (EntraSigningKeys' `fetch`).
   */
  readonly fetch = async (url: string | URL): Promise<Response> => {
    const { status, body } = this.answer(new URL(url).pathname);
    return new Response(body, { status, headers: { "content-type": "application/json" } });
  };

  private answer(path: string): { status: number; body: string } {
    const tenant = /^\/([^/]+)\/discovery\/v2\.0\/keys$/.exec(path)?.[1];
    if (!tenant) return { status: 404, body: "{}" };
    this.fetches.set(tenant, (this.fetches.get(tenant) ?? 0) + 1);
    if (this.failing.has(tenant)) return { status: 500, body: "{}" };
    const keys = [...this.published].map(([kid, pair]) => ({ ...(pair.publicKey.export({ format: "jwk" }) as object), kid, use: "sig" }));
    return { status: 200, body: JSON.stringify({ keys }) };
  }

  /** Publishes another key beside the first, as Entra does before it signs with a new one. */
  rollOver(kid: string): void {
    this.published.set(kid, generateKeyPairSync("rsa", { modulusLength: 2048 }));
  }

  /**
   * A token with exactly these claims, signed with the tenant's published key under `kid` (by
   * default), or forged: with `key`, with `alg: "none"`, or HS256 keyed with the published
   * public key's PEM (the confusion a verifier that trusts the header's alg falls for), or with
   * `randomSignature`: RS256 in the header and 256 random bytes for a signature, what a forger
   * with no key at all sends (and cheap to make by the thousand).
   */
  token(claims: Record<string, unknown>, options: { key?: KeyObject; kid?: string; alg?: "RS256" | "none" | "HS256"; randomSignature?: boolean } = {}): string {
    const kid = options.kid ?? this.kid;
    const published = this.published.get(this.kid)!;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${encode({ alg: options.alg ?? "RS256", kid, typ: "JWT" })}.${encode(claims)}`;
    if (options.randomSignature) return `${unsigned}.${randomBytes(256).toString("base64url")}`;
    if (!options.alg || options.alg === "RS256") return signRs256({ kid }, claims, options.key ?? (this.published.get(kid) ?? published).privateKey);
    if (options.alg === "none") return `${unsigned}.x`;
    return `${unsigned}.${createHmac("sha256", published.publicKey.export({ format: "pem", type: "spki" })).update(unsigned).digest("base64url")}`;
  }
}
