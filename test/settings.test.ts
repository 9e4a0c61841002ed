import assert from "node:assert/strict";
import fs from "node:fs";
import { ConfigError, describeExpected, parseConfig } from "../src/kernel/config";
import { settingSchemas, type SettingSchema } from "../src/kernel/settings";
import { ENV_EXAMPLE, README, envExample, readmeWithTable } from "../scripts/settingsDocs";

/** A value each kind of setting refuses, read from its schema alone. */
function refusedValue(schema: SettingSchema): string | undefined {
  if (schema.type === "boolean") return "maybe";
  if (schema.type === "integer" || schema.type === "number") return String(Number(schema.maximum) + 1);
  if (schema.anyOf) return "not-one-of-these";
  if (typeof schema.pattern === "string") return "bad/value?#\u0000";
  return undefined;
}

describe("the settings schema (src/kernel/settings.ts) as the one description of every setting", () => {
  it("matches .env.example: a setting added to the schema without `npm run settings:docs` fails here", () => {
    assert.equal(fs.readFileSync(ENV_EXAMPLE, "utf8"), envExample(), ".env.example has drifted from src/kernel/settings.ts: run npm run settings:docs");
  });

  it("matches the settings table in docs/settings.md", () => {
    const readme = fs.readFileSync(README, "utf8");
    const generated = readmeWithTable(readme);
    assert.ok(generated, "docs/settings.md has lost its settings:start/settings:end markers");
    assert.equal(readme, generated, "the settings table in docs/settings.md has drifted from src/kernel/settings.ts: run npm run settings:docs");
  });

  it("gives every setting a section, a description and a default that passes its own validation", () => {
    const config = parseConfig({});
    for (const [name, schema] of settingSchemas()) {
      assert.ok(schema.section && schema.description.length > 10, `${name} is documented`);
      assert.notEqual(config.settings[name], undefined, `${name} has a value when unset`);
    }
  });

  for (const [name, schema] of settingSchemas()) {
    const value = refusedValue(schema);
    if (value === undefined) continue;
    it(`refuses a wrong ${name} with exit-code-2's ConfigError, worded from the schema`, () => {
      try {
        parseConfig({ [name]: value });
        assert.fail(`${name}=${JSON.stringify(value)} was accepted`);
      } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        const problem = error.problems.find((p) => p.variable === name);
        assert.ok(problem, `no problem named ${name}: ${error.message}`);
        assert.ok(problem.problem.startsWith(describeExpected(schema)), problem.problem);
        if (schema.secret) assert.ok(!problem.problem.includes(value), "a secret is never echoed");
      }
    });
  }
});
