import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../src/config";

function problemsOf(env: Record<string, string>): Array<{ variable: string; problem: string }> {
  try {
    parseConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return [...error.problems];
  }
  assert.fail("expected the config to be rejected");
}

describe("config", () => {
  it("runs locally with no settings at all: anonymous bot, embedded Cosmos, port 3978", () => {
    const config = parseConfig({});
    assert.equal(config.port, 3978);
    assert.equal(config.bot.appId, "");
    assert.equal(config.cosmos.connection.kind, "embedded");
    assert.equal(config.cosmos.database, "lederrefleksion");
    assert.match(config.contentPath, /content[/\\]ledelsesgrundlag\.da\.json$/);
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
    const config = parseConfig({
      MicrosoftAppId: "8e0f5a83-0000-4000-8000-000000000000",
      MicrosoftAppPassword: "secret",
      MicrosoftAppType: "SingleTenant",
      MicrosoftAppTenantId: "11111111-1111-4111-8111-111111111111",
    });
    assert.equal(config.bot.appType, "SingleTenant");
  });

  it("accepts a user-assigned managed identity without a password", () => {
    const config = parseConfig({
      MicrosoftAppId: "8e0f5a83-0000-4000-8000-000000000000",
      MicrosoftAppType: "UserAssignedMSI",
      MicrosoftAppTenantId: "11111111-1111-4111-8111-111111111111",
    });
    assert.equal(config.bot.appType, "UserAssignedMSI");
  });
});
