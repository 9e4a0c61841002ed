import assert from "node:assert/strict";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "../../src/kernel/config";
import { silentLogger } from "../../src/kernel/log";
import { openCosmosStore } from "../../src/storage/cosmosDatabase";
import { asRoleId, asTenantId, asUserId } from "../../src/domain/ids";
import { UserSessionStore } from "../../src/storage/userSessions";

describe("embedded Cosmos with a local snapshot", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "lederrefleksion-"));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const embeddedConfig = (file: string) => parseConfig({ LOCAL_DATA_FILE: file }).cosmos;

  it("keeps state written before a restart", async () => {
    const file = path.join(dir, "cosmos.json");
    const mette = { tenantId: asTenantId("t"), userId: asUserId("mette") };
    const first = await openCosmosStore(embeddedConfig(file), silentLogger);
    await new UserSessionStore(first.containers.userData).save(mette, { profile: { lastReflectedAt: {}, roleId: asRoleId("chef") } }, undefined);
    await first.close();

    assert.equal((await fs.stat(file)).mode & 0o777, 0o600, "the data file is readable by its owner only");
    const second = await openCosmosStore(embeddedConfig(file), silentLogger);
    try {
      const { session } = await new UserSessionStore(second.containers.userData).load(mette);
      assert.equal(session.profile.roleId, "chef");
    } finally {
      await second.close();
    }
  });

  it("moves an unreadable data file aside instead of overwriting it", async () => {
    const file = path.join(dir, "cosmos.json");
    await fs.writeFile(file, "{ half a file");
    const store = await openCosmosStore(embeddedConfig(file), silentLogger);
    await store.close();
    const names = await fs.readdir(dir);
    assert.ok(names.some((n) => n.startsWith("cosmos.json.unreadable-")), names.join(", "));
  });
});
