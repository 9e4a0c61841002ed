import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { parseConfig } from "../../src/kernel/config";
import { asReflectionId, asRoleId, asTenantId, asThemeId, asUserId } from "../../src/domain/ids";
import type { UserKey } from "../../src/domain/identity";
import type { Reflection } from "../../src/domain/reflection";
import { silentLogger } from "../../src/kernel/log";
import { trusted } from "../../src/kernel/shown";
import { openCosmosStore, type CosmosStore } from "../../src/storage/cosmosDatabase";
import { ReflectionRepository } from "../../src/storage/reflections";
import { UserDataStore } from "../../src/storage/userData";
import { UserSessionStore } from "../../src/storage/userSessions";
import { testConfig } from "../support/testConfig";
import { sharedStrictCosmos } from "../support/rootHooks";

export function storedReflection(user: UserKey, completedAt: string, overrides: Partial<Reflection> = {}): Reflection {
  return {
    id: asReflectionId(randomUUID()),
    tenantId: user.tenantId,
    userId: user.userId,
    roleId: asRoleId("leder-af-leder"),
    roleName: trusted("Leder af leder"),
    themeId: asThemeId("drift"),
    themeTitle: trusted("Sammen sikrer vi driften"),
    contentVersion: "test#0",
    sharedStatements: [],
    statements: [{ id: "drift.leder-af-leder.1" as never, text: trusted("Udsagn"), rating: 3, ratingLabel: trusted("I nogen grad"), note: null }],
    questions: [],
    commitment: null,
    followUpDate: null,
    startedAt: completedAt,
    completedAt,
    ...overrides,
  };
}

describe("reflection repository (embedded Cosmos)", () => {
  let store: CosmosStore;
  let reflections: ReflectionRepository;
  const anna: UserKey = { tenantId: asTenantId("tenant-a"), userId: asUserId("anna") };
  const bo: UserKey = { tenantId: asTenantId("tenant-a"), userId: asUserId("bo") };
  const annaElsewhere: UserKey = { tenantId: asTenantId("tenant-b"), userId: asUserId("anna") };

  beforeEach(async () => {
    store = await openCosmosStore(testConfig().cosmos, silentLogger);
    reflections = new ReflectionRepository(store.containers.userData);
  });
  afterEach(() => store.close());

  it("pages newest first across more than one page with continuation tokens", async () => {
    for (let day = 1; day <= 7; day += 1) await reflections.saveCompleted(storedReflection(anna, `2026-10-0${day}T10:00:00.000Z`));
    await reflections.saveCompleted(storedReflection(bo, "2026-10-09T10:00:00.000Z"));

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await reflections.listPage(anna, 3, token);
      seen.push(...page.reflections.map((r) => r.completedAt.slice(0, 10)));
      token = page.continuationToken;
      pages += 1;
    } while (token && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen, ["2026-10-07", "2026-10-06", "2026-10-05", "2026-10-04", "2026-10-03", "2026-10-02", "2026-10-01"]);
  });

  it("keeps users apart, also the same user id in another tenant", async () => {
    const mine = storedReflection(anna, "2026-10-01T10:00:00.000Z");
    await reflections.saveCompleted(mine);
    assert.equal((await reflections.listNewestFirst(annaElsewhere)).length, 0);
    assert.equal(await reflections.get(annaElsewhere, mine.id), undefined);
    assert.equal(await reflections.get(bo, mine.id), undefined);
    assert.equal(await reflections.addFollowUp(bo, mine.id, { text: "x", at: "2026-11-01T00:00:00Z" }), undefined);
  });

  it("finds the last reflection on a theme by the id the session keeps, in one request; by a query without it, or when that one is gone", async () => {
    const older = storedReflection(anna, "2026-10-01T10:00:00.000Z");
    const newer = storedReflection(anna, "2026-10-05T10:00:00.000Z");
    const otherTheme = storedReflection(anna, "2026-10-07T10:00:00.000Z", { themeId: asThemeId("resultater") });
    for (const r of [older, newer, otherTheme]) await reflections.saveCompleted(r);
    const strict = sharedStrictCosmos();

    let before = strict.requests;
    assert.equal((await reflections.lastOnTheme(anna, "drift", newer.id))?.id, newer.id);
    assert.equal(strict.requests - before, 1, "a point read");
    assert.equal((await reflections.lastOnTheme(anna, "drift"))?.id, newer.id, "a session from before the ids: the query");
    before = strict.requests;
    assert.equal((await reflections.lastOnTheme(anna, "drift", asReflectionId(randomUUID())))?.id, newer.id, "an id that is gone: the query");
    assert.ok(strict.requests - before >= 2);
    assert.equal((await reflections.lastOnTheme(anna, "drift", otherTheme.id))?.id, newer.id, "an id of another theme is not taken for this one");
  });

  it("adds follow-up notes to an old reflection", async () => {
    const mine = storedReflection(anna, "2026-10-01T10:00:00.000Z");
    await reflections.saveCompleted(mine);
    await reflections.addFollowUp(anna, mine.id, { text: "Det gik godt", at: "2026-11-01T00:00:00.000Z" });
    await reflections.addFollowUp(anna, mine.id, { text: "Og bedre", at: "2026-11-02T00:00:00.000Z" });
    assert.deepEqual((await reflections.get(anna, mine.id))?.followUps?.map((f) => f.text), ["Det gik godt", "Og bedre"]);
  });

  it("deletes only reflections completed before the retention cutoff, for every user", async () => {
    await reflections.saveCompleted(storedReflection(anna, "2025-01-01T00:00:00.000Z"));
    await reflections.saveCompleted(storedReflection(bo, "2025-06-01T00:00:00.000Z"));
    const recent = storedReflection(anna, "2026-11-01T00:00:00.000Z");
    await reflections.saveCompleted(recent);

    const deleted = await reflections.deleteCompletedBefore(new Date("2026-01-01T00:00:00.000Z"));
    assert.equal(deleted, 2);
    assert.deepEqual((await reflections.listNewestFirst(anna)).map((r) => r.id), [recent.id]);
    assert.equal((await reflections.listNewestFirst(bo)).length, 0);
  });

  it("deletes a user's whole partition and leaves everybody else's", async () => {
    const sessions = new UserSessionStore(store.containers.userData);
    await sessions.save(anna, { profile: { lastReflectedAt: {}, roleId: asRoleId("chef") } }, undefined);
    await reflections.saveCompleted(storedReflection(anna, "2026-10-01T10:00:00.000Z"));
    await reflections.saveCompleted(storedReflection(anna, "2026-10-02T10:00:00.000Z"));
    await reflections.saveCompleted(storedReflection(bo, "2026-10-02T10:00:00.000Z"));
    await reflections.saveCompleted(storedReflection(annaElsewhere, "2026-10-02T10:00:00.000Z"));

    const counts = await new UserDataStore(store.containers.userData).deleteAll(anna);
    assert.deepEqual(counts, { byType: { session: 1, reflection: 2 }, total: 3 });
    const { resources } = await store.containers.userData.items
      .query({ query: "SELECT * FROM c WHERE c.userId = @u OR c.pk = @pk", parameters: [{ name: "@u", value: "anna" }, { name: "@pk", value: "tenant-a|anna" }] })
      .fetchAll();
    assert.deepEqual(resources.map((r: { pk: string }) => r.pk), ["tenant-b|anna"]);
    assert.equal((await reflections.listNewestFirst(bo)).length, 1);
  });

  it("creates the containers it needs, named by configuration", async () => {
    const config = testConfig({ COSMOS_CONTAINER_EXPORTS: "brugte-links" });
    const other = await openCosmosStore(config.cosmos, silentLogger);
    try {
      assert.equal(other.containers.exports.id, "brugte-links");
      assert.ok(parseConfig({}).cosmos.containers.exports);
    } finally {
      await other.close();
    }
  });
});
