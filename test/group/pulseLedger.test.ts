import assert from "node:assert/strict";
import { pulseLedgerPartition, type PulseRosterRecord } from "../../src/domain/group/pulse";
import { PulseLedger } from "../../src/group/pulseLedger";
import { eachStoreBehindFaultyCosmos } from "../support/faultyCosmos";

const TENANT = "11111111-1111-4111-8111-111111111111";
const NOW = new Date("2026-11-30T08:00:00.000Z");
const marks = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `mark-${from + i}`);

/** The differencing ledger against the strict Cosmos double: two ledger objects stand for two instances. */
describe("the Vi-pulse's differencing ledger (strict Cosmos double)", () => {
  const faulty = eachStoreBehindFaultyCosmos();
  const rosters = async () => {
    const pk = pulseLedgerPartition(TENANT, "drift");
    const { resources } = await faulty.store.containers.channels.items
      .query<PulseRosterRecord>({ query: "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'pulseRoster'", parameters: [{ name: "@pk", value: pk }] }, { partitionKey: pk })
      .fetchAll();
    return resources;
  };

  it("shows a pulse closed twice at once on two instances, and records its roster once", async () => {
    faulty.cosmos.latencyMs = () => Math.floor(Math.random() * 6);
    const [a, b] = [new PulseLedger(faulty.store.containers.channels), new PulseLedger(faulty.store.containers.channels)];
    const outcomes = await Promise.all([a.showIfDisjoint(TENANT, "drift", "pulse-1", marks(0, 6), NOW), b.showIfDisjoint(TENANT, "drift", "pulse-1", marks(0, 6), NOW)]);
    assert.deepEqual(outcomes, ["shown", "shown"]);
    assert.deepEqual((await rosters()).map((r) => r.id), ["pulse-1"]);
  });

  it("shows one of two overlapping results recorded at once on two instances, and hides the other", async () => {
    faulty.cosmos.latencyMs = () => Math.floor(Math.random() * 6);
    const [a, b] = [new PulseLedger(faulty.store.containers.channels), new PulseLedger(faulty.store.containers.channels)];
    const outcomes = await Promise.all([a.showIfDisjoint(TENANT, "drift", "pulse-a", marks(0, 6), NOW), b.showIfDisjoint(TENANT, "drift", "pulse-b", marks(0, 7), NOW)]);
    assert.deepEqual([...outcomes].sort(), ["overlap", "shown"]);
    assert.equal((await rosters()).length, 1);
  });

  it("takes an erased person's mark out of the rosters shown, and keeps the others'", async () => {
    const ledger = new PulseLedger(faulty.store.containers.channels);
    await ledger.showIfDisjoint(TENANT, "drift", "pulse-1", marks(0, 6), NOW);
    await ledger.forget("mark-3");
    assert.deepEqual((await rosters())[0]?.members, ["mark-0", "mark-1", "mark-2", "mark-4", "mark-5"]);
    assert.equal(await ledger.showIfDisjoint(TENANT, "drift", "pulse-2", ["mark-3", ...marks(10, 15)], NOW), "shown", "the erased person no longer ties their next pulse to the first");
  });
});
