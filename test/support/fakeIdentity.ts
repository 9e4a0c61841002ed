import { createHmac, createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
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
