import assert from "node:assert/strict";
import { asRoleId, asTenantId, asUserId } from "../../src/domain/ids";
import { silentLogger } from "../../src/kernel/log";
import { openCosmosStore, type CosmosStore } from "../../src/storage/cosmosDatabase";
import { ETagConflictError } from "../../src/storage/cosmosErrors";
import { UserSessionStore } from "../../src/storage/userSessions";
import { testConfig } from "../support/testConfig";

const anna = { tenantId: asTenantId("tenant-a"), userId: asUserId("anna") };
const annaElsewhere = { tenantId: asTenantId("tenant-b"), userId: asUserId("anna") };

describe("user sessions (embedded Cosmos, eTag concurrency)", () => {
  let store: CosmosStore;
  let sessions: UserSessionStore;
  beforeEach(async () => {
    store = await openCosmosStore(testConfig().cosmos, silentLogger);
    sessions = new UserSessionStore(store.containers.userData);
  });
  afterEach(() => store.close());

  it("gives a new user an empty session and no eTag", async () => {
    assert.deepEqual(await sessions.load(anna), { session: { profile: { lastReflectedAt: {} } }, eTag: undefined });
  });

  it("reads back what it wrote, exactly, with a new eTag", async () => {
    const session = { profile: { lastReflectedAt: {}, roleId: asRoleId("chef") }, dialogState: { note: "Æble – ø 😀\nny linje" } };
    const eTag = await sessions.save(anna, session, undefined);
    const loaded = await sessions.load(anna);
    assert.deepEqual(loaded.session, session);
    assert.equal(loaded.eTag, eTag);
  });

  it("refuses a write with a stale eTag and keeps the other writer's session", async () => {
    await sessions.save(anna, { profile: { lastReflectedAt: {} } }, undefined);
    const a = await sessions.load(anna);
    const b = await sessions.load(anna);
    await sessions.save(anna, { profile: { lastReflectedAt: {}, roleId: asRoleId("chef") } }, a.eTag);
    await assert.rejects(sessions.save(anna, { profile: { lastReflectedAt: {}, roleId: asRoleId("direktoer") } }, b.eTag), ETagConflictError);
    assert.equal((await sessions.load(anna)).session.profile.roleId, "chef");
  });

  it("lets only one of two first writes create the session", async () => {
    const results = await Promise.allSettled([
      sessions.save(anna, { profile: { lastReflectedAt: {}, roleId: asRoleId("chef") } }, undefined),
      sessions.save(anna, { profile: { lastReflectedAt: {}, roleId: asRoleId("direktoer") } }, undefined),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
  });

  it("keeps the same user id in another tenant apart", async () => {
    await sessions.save(anna, { profile: { lastReflectedAt: {}, roleId: asRoleId("chef") } }, undefined);
    assert.equal((await sessions.load(annaElsewhere)).eTag, undefined);
  });
});
