import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../../src/kernel/paths";
import { CONTAINER_ROLES, containerSpec, containerSpecs } from "../../src/storage/containerDefinitions";

describe("container definitions (infra/containers.json, shared by the app and the Bicep)", () => {
  it("defines every container the app uses, with partition key version 2 and TTL on per item", () => {
    assert.deepEqual(containerSpecs().map((s) => s.role).sort(), [...CONTAINER_ROLES].sort());
    for (const spec of containerSpecs()) {
      assert.equal(spec.partitionKey.version, 2, spec.role);
      assert.equal(spec.defaultTtl, -1, spec.role);
      assert.deepEqual(spec.indexingPolicy.excludedPaths, [{ path: "/*" }], `${spec.role} indexes only what it queries`);
    }
  });

  // Every filtered ORDER BY in the code, and the composite index real Cosmos needs for it.
  const orderBys: Array<[string, Parameters<typeof containerSpec>[0], string[]]> = [
    ["a user's reflections, newest first", "userData", ["/pk ascending", "/type ascending", "/completedAt descending"]],
    ["due schedules of users", "userData", ["/type ascending", "/active ascending", "/nextRunAt ascending"]],
    ["due schedules of channels", "channels", ["/type ascending", "/active ascending", "/nextRunAt ascending"]],
    ["due outbox records", "outbox", ["/status ascending", "/nextAttemptAt ascending"]],
    ["Indsigt's waiting changes of users, oldest first", "userData", ["/type ascending", "/createdAt ascending"]],
    ["Indsigt's waiting changes of groups, oldest first", "channels", ["/type ascending", "/createdAt ascending"]],
    ["a conversation's recent deliveries", "outbox", ["/ownerPk ascending", "/createdAt descending"]],
  ];
  for (const [what, role, composite] of orderBys) {
    it(`has a composite index for ${what}`, () => {
      const composites = (containerSpec(role).indexingPolicy.compositeIndexes ?? []).map((c) => c.map((p) => `${p.path} ${p.order}`));
      assert.ok(composites.some((c) => JSON.stringify(c) === JSON.stringify(composite)), JSON.stringify(composites));
    });
  }

  it("is what the Bicep deploys", () => {
    const bicep = fs.readFileSync(path.join(projectRoot, "infra", "main.bicep"), "utf8");
    assert.match(bicep, /loadJsonContent\('containers\.json'\)\.containers/);
    assert.match(bicep, /indexingPolicy: spec\.indexingPolicy/);
    assert.match(bicep, /linuxFxVersion: 'NODE\|22-lts'/);
  });
});
