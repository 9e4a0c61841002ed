import assert from "node:assert/strict";
import { unlessKeptChanging, updateWithRetry } from "../../src/storage/conditionalWrites";

describe("a read-change-write that loses races", () => {
  it("re-applies the change to what the other writer stored, until its write holds", async () => {
    let stored = { version: 1, fields: ["theirs"] };
    let races = 2;
    const result = await updateWithRetry(
      "Document x",
      async () => stored,
      (current) => ({ version: current!.version, fields: [...current!.fields, "mine"] }),
      async (current, next) => {
        // Another writer gets there first twice, adding a field each time.
        if (races-- > 0) return void (stored = { version: stored.version + 1, fields: [...stored.fields, `theirs-${stored.version}`] });
        assert.equal(current, stored, "the change was applied to the latest read");
        return (stored = { ...next, version: next.version + 1 });
      },
    );
    assert.equal(result.changed, true);
    assert.deepEqual(result.stored?.fields, ["theirs", "theirs-1", "theirs-2", "mine"]);
  });

  it("leaves the document alone when the change says so", async () => {
    let writes = 0;
    const result = await updateWithRetry("Document x", async () => ({ a: 1 }), () => undefined, async () => void (writes += 1));
    assert.deepEqual(result, { stored: { a: 1 }, changed: false });
    assert.equal(writes, 0);
  });

  it("gives up after eight lost races, naming what it tried to change", async () => {
    let writes = 0;
    await assert.rejects(
      updateWithRetry("Meeting m-1", async () => ({ a: 1 }), (current) => current, async () => void (writes += 1)),
      (error: { code?: string; message?: string }) => error.code === "LR-1403" && /Meeting m-1, under 8 attempts/.test(error.message ?? ""),
    );
    assert.equal(writes, 8);
  });

  it("When a write that may wait keeps losing, then it answers its give-up value; any other failure still throws", async () => {
    const keptChanging = updateWithRetry("Session s", async () => ({ a: 1 }), (current) => current, async () => undefined);
    assert.equal(await unlessKeptChanging(keptChanging.then(() => "written"), "next time"), "next time");
    await assert.rejects(unlessKeptChanging(Promise.reject(new Error("storage down")), "next time"), /storage down/);
  });
});
