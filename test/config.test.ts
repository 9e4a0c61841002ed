import assert from "node:assert/strict";
import path from "node:path";
import { ConfigError, parseConfig } from "../src/kernel/config";

function problemsOf(env: Record<string, string>): Array<{ variable: string; problem: string }> {
  try {
    parseConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return [...error.problems];
  }
  assert.fail("expected the config to be rejected");
}

/** A registered bot as deployed: app id, secret, tenant and an external Cosmos account. */
const registered = {
  MicrosoftAppId: "8e0f5a83-0000-4000-8000-000000000000",
  MicrosoftAppPassword: "secret",
  MicrosoftAppType: "SingleTenant",
  MicrosoftAppTenantId: "11111111-1111-4111-8111-111111111111",
  COSMOS_ENDPOINT: "https://account.documents.azure.com:443/",
  COSMOS_KEY: "key",
  EXPORT_SIGNING_KEY: "a-deployment's-signing-key-0123456789abcdef",
} as const satisfies Record<string, string>;

describe("config", () => {
  it("runs locally with no settings at all: anonymous bot, embedded Cosmos, port 3978", () => {
    const config = parseConfig({});
    assert.equal(config.port, 3978);
    assert.equal(config.bot.appId, "");
    assert.equal(config.cosmos.connection.kind, "embedded");
    assert.equal(config.cosmos.database, "lederrefleksion");
    assert.match(config.contentPath, /content[/\\]ledelsesgrundlag\.da\.json$/);
  });

  it("listens on loopback only when anonymous and no HOST is given", () => {
    assert.equal(parseConfig({}).host, "127.0.0.1");
  });

  it("listens on all interfaces by default once an app id is set", () => {
    assert.equal(parseConfig(registered).host, "0.0.0.0");
  });

  it("refuses to bind beyond loopback without an app id unless ALLOW_UNAUTHENTICATED=true", () => {
    const problem = problemsOf({ HOST: "0.0.0.0" }).find((p) => p.variable === "HOST");
    assert.match(problem?.problem ?? "", /beyond loopback.*ALLOW_UNAUTHENTICATED=true/);
    assert.equal(parseConfig({ HOST: "0.0.0.0", ALLOW_UNAUTHENTICATED: "true" }).host, "0.0.0.0");
    for (const loopback of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]) assert.equal(parseConfig({ HOST: loopback }).host, loopback);
  });

  it("requires COSMOS_ENDPOINT once an app id is set, so a deployed bot never uses the embedded store", () => {
    const { COSMOS_ENDPOINT: _e, COSMOS_KEY: _k, ...withoutCosmos } = registered;
    const problem = problemsOf(withoutCosmos).find((p) => p.variable === "COSMOS_ENDPOINT");
    assert.match(problem?.problem ?? "", /required when MicrosoftAppId is set/);
  });

  it("accepts only the bot's own tenant by default, and the listed ones when ALLOWED_TENANTS is set", () => {
    assert.deepEqual(parseConfig(registered).bot.allowedTenants, ["11111111-1111-4111-8111-111111111111"]);
    const other = "22222222-2222-4222-8222-222222222222";
    assert.deepEqual(parseConfig({ ...registered, ALLOWED_TENANTS: `${other.toUpperCase()}, 11111111-1111-4111-8111-111111111111` }).bot.allowedTenants, [
      other,
      "11111111-1111-4111-8111-111111111111",
    ]);
    assert.equal(parseConfig({ ...registered, ALLOWED_TENANTS: "*" }).bot.allowedTenants, "*");
    assert.match(problemsOf({ ...registered, ALLOWED_TENANTS: "contoso" }).find((p) => p.variable === "ALLOWED_TENANTS")?.problem ?? "", /GUID/);
  });

  it("reaches Cosmos keyless with COSMOS_AUTH=managed-identity, and refuses a key beside it", () => {
    const { COSMOS_KEY: _key, ...keyless } = registered;
    const config = parseConfig({ ...keyless, COSMOS_AUTH: "managed-identity", COSMOS_MANAGED_IDENTITY_CLIENT_ID: "33333333-3333-4333-8333-333333333333" });
    assert.deepEqual(config.cosmos.connection, { kind: "managed-identity", endpoint: registered.COSMOS_ENDPOINT, clientId: "33333333-3333-4333-8333-333333333333" });
    assert.match(problemsOf({ ...registered, COSMOS_AUTH: "managed-identity" }).find((p) => p.variable === "COSMOS_KEY")?.problem ?? "", /must be empty/);
    assert.match(problemsOf({ ...registered, COSMOS_AUTH: "password" }).find((p) => p.variable === "COSMOS_AUTH")?.problem ?? "", /must be one of key, managed-identity/);
  });

  it("makes a multi-tenant bot name its tenants", () => {
    const multi = { MicrosoftAppId: registered.MicrosoftAppId, MicrosoftAppPassword: "s", MicrosoftAppType: "MultiTenant", COSMOS_ENDPOINT: registered.COSMOS_ENDPOINT, COSMOS_KEY: "k" };
    assert.match(problemsOf(multi).find((p) => p.variable === "ALLOWED_TENANTS")?.problem ?? "", /required/);
  });

  it("checks the Indsigt tab's tokens against Entra's public cloud by default, and against the authority ENTRA_AUTHORITY names", () => {
    assert.equal(parseConfig({}).entra.authority, "https://login.microsoftonline.com");
    assert.equal(parseConfig({ ENTRA_AUTHORITY: "https://login.microsoftonline.us/" }).entra.authority, "https://login.microsoftonline.us");
    assert.deepEqual(problemsOf({ ENTRA_AUTHORITY: "login.microsoftonline.us" }), [{ variable: "ENTRA_AUTHORITY", problem: 'must be an http(s) URL; got "login.microsoftonline.us"' }]);
  });

  it("refuses an app id without EXPORT_SIGNING_KEY, naming it, since every instance must derive links and Vi-pulse marks from one key", () => {
    const { EXPORT_SIGNING_KEY: _key, ...withoutKey } = registered;
    assert.deepEqual(problemsOf(withoutKey).map((p) => p.variable), ["EXPORT_SIGNING_KEY"]);
    assert.match(problemsOf(withoutKey)[0]!.problem, /^is required when MicrosoftAppId is set/);
    assert.equal(parseConfig(withoutKey, { forServing: false }).privacy.signingKey.kind, "local-file", "npm run package signs nothing");
    assert.deepEqual(parseConfig(registered).privacy.signingKey, { kind: "configured", secret: registered.EXPORT_SIGNING_KEY });
  });

  it("keeps a local run's generated signing key beside LOCAL_DATA_FILE", () => {
    assert.deepEqual(parseConfig({ LOCAL_DATA_FILE: "/srv/data/cosmos.json" }).privacy.signingKey, { kind: "local-file", file: path.resolve("/srv/data/cosmos.signing-key") });
    assert.match((parseConfig({}).privacy.signingKey as { file: string }).file, /[/\\]\.data[/\\]cosmos\.signing-key$/);
  });

  it("is frozen, so no module can change a setting after start-up", () => {
    const config = parseConfig({});
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
    assert.ok(Object.isFrozen(config.cosmos.containers));
  });

  const invalid: Array<[string, Record<string, string>, string, RegExp]> = [
    ["a port that is not a number", { PORT: "abc" }, "PORT", /whole number/],
    ["a port out of range", { PORT: "70000" }, "PORT", /0 to 65535/],
    ["a Vi-pulse minimum that is not a whole number of answers", { PULSE_MIN_ANSWERS: "5.5" }, "PULSE_MIN_ANSWERS", /whole number/],
    [
      "SingleTenant without a tenant id",
      { MicrosoftAppId: "app", MicrosoftAppPassword: "secret", MicrosoftAppType: "SingleTenant" },
      "MicrosoftAppTenantId",
      /required when MicrosoftAppType is SingleTenant/,
    ],
    [
      "an app id without a password",
      { MicrosoftAppId: "app", MicrosoftAppType: "MultiTenant" },
      "MicrosoftAppPassword",
      /required/,
    ],
    ["an unknown app type", { MicrosoftAppType: "Anyone" }, "MicrosoftAppType", /must be one of/],
    ["a Cosmos endpoint without a key", { COSMOS_ENDPOINT: "https://x.documents.azure.com:443/" }, "COSMOS_KEY", /required when COSMOS_ENDPOINT/],
    ["a Cosmos key without an endpoint", { COSMOS_KEY: "abc" }, "COSMOS_ENDPOINT", /required when COSMOS_KEY/],
    ["a Cosmos endpoint that is not a URL", { COSMOS_ENDPOINT: "cosmos", COSMOS_KEY: "k" }, "COSMOS_ENDPOINT", /http\(s\) URL/],
    ["a container name with a slash", { COSMOS_CONTAINER_USERDATA: "a/b" }, "COSMOS_CONTAINER_USERDATA", /without/],
    ["an unknown log level", { LOG_LEVEL: "loud" }, "LOG_LEVEL", /must be one of/],
    ["a Cosmos timeout longer than a Teams turn allows", { ...registered, COSMOS_REQUEST_TIMEOUT_MS: "60000" }, "COSMOS_REQUEST_TIMEOUT_MS", /500 to 10000/],
    ["a Cosmos timeout that is not a number", { ...registered, COSMOS_REQUEST_TIMEOUT_MS: "4s" }, "COSMOS_REQUEST_TIMEOUT_MS", /whole number of milliseconds/],
  ];
  for (const [situation, env, variable, reason] of invalid) {
    it(`rejects ${situation}, naming ${variable}`, () => {
      const problem = problemsOf(env).find((p) => p.variable === variable);
      assert.ok(problem, `no problem reported for ${variable}`);
      assert.match(problem.problem, reason);
    });
  }

  it("reports every invalid setting at once, not just the first", () => {
    const variables = problemsOf({ PORT: "abc", LOG_LEVEL: "loud" }).map((p) => p.variable);
    assert.deepEqual(variables.sort(), ["LOG_LEVEL", "PORT"]);
  });

  it("accepts a SingleTenant registration with its tenant", () => {
    const config = parseConfig(registered);
    assert.equal(config.bot.appType, "SingleTenant");
  });

  it("accepts a user-assigned managed identity without a password", () => {
    const { MicrosoftAppPassword: _secret, ...withoutSecret } = registered;
    const config = parseConfig({ ...withoutSecret, MicrosoftAppType: "UserAssignedMSI" });
    assert.equal(config.bot.appType, "UserAssignedMSI");
  });
});
