import assert from "node:assert/strict";
import { MAX_KEPT_SHARES, MAX_OFFERS_PER_DAY, newShare, offeredTooOften, sharesToMakeRoom, type Share } from "../../src/domain/sharing/share";
import { shareContent } from "../support/shareContent";

const START = new Date("2026-12-01T09:00:00.000Z");
const HOUR = 3_600_000;

/** `count` shares of one sharer, an hour apart from START, in `state`. */
function sharesOf(count: number, state: Share["state"], from = START): Share[] {
  return Array.from({ length: count }, (_, i) => ({
    ...newShare({ id: `share-${state}-${i}`, tenantId: "t", sharer: { userId: "u", name: "Mette" }, reader: { aadObjectId: "r", tenantId: "t", name: "Jonas" }, content: shareContent(), days: 30, now: new Date(from.getTime() + i * HOUR) }),
    state,
  }));
}

describe("Til min leder: the bounds on what one sharer makes and keeps", () => {
  it(`A sharer at ${MAX_KEPT_SHARES} kept shares makes room for a new one by deleting the oldest ended one; below it, nothing goes`, () => {
    const ended = sharesOf(MAX_KEPT_SHARES - 10, "withdrawn");
    const active = sharesOf(10, "active", new Date(START.getTime() + 1000 * HOUR));
    assert.deepEqual(sharesToMakeRoom([...active, ...ended]).map((s) => s.id), ["share-withdrawn-0"]);
    assert.deepEqual(sharesToMakeRoom([...active, ...ended.slice(1)]), []);
  });

  it(`${MAX_OFFERS_PER_DAY} shares in the last 24 hours are the most; older ones do not count`, () => {
    const made = sharesOf(MAX_OFFERS_PER_DAY, "withdrawn");
    const last = new Date(START.getTime() + (MAX_OFFERS_PER_DAY - 1) * HOUR);
    assert.equal(offeredTooOften(made, last), true);
    assert.equal(offeredTooOften(made.slice(1), last), false);
    assert.equal(offeredTooOften(made, new Date(START.getTime() + 24 * HOUR)), false, "the first has left the last day");
  });
});
