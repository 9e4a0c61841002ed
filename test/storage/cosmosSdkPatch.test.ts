import assert from "node:assert/strict";
import fc from "fast-check";

// The SDK as patched at install (patches/@azure+cosmos+4.9.3.patch, applied by patch-package).
/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's internal modules, which its exports map does not name */
const sdk = (path: string) => require(require.resolve("@azure/cosmos").replace(/dist[/\\]commonjs[/\\]index\.js$/, `dist/commonjs/${path}`)) as Record<string, (...args: unknown[]) => string>;
const { hashPartitionKey } = sdk("utils/hashing/hash.js");
const { hashV2PartitionKey } = sdk("utils/hashing/v2.js");
const { hashV1PartitionKey } = sdk("utils/hashing/v1.js");
/* eslint-enable @typescript-eslint/no-require-imports */

describe("the Cosmos SDK's partition-key hashing (patched to keep its answers)", () => {
  it("is the patched one", () => {
    assert.match(hashPartitionKey!.toString(), /hashedKeys\.get/);
  });

  it("answers as the SDK's own hash functions do, for a key asked once or again, past the bound of those kept, for either definition", () => {
    const v2 = { paths: ["/pk"], kind: "Hash", version: 2 };
    const v1 = { paths: ["/pk"], kind: "Hash", version: 1 };
    // Leaders' partition keys (tenant|user) and any other string, more of them than are kept.
    const key = fc.oneof(fc.tuple(fc.uuid(), fc.uuid()).map(([t, u]) => `${t}|${u}`), fc.string({ maxLength: 40 }), fc.integer({ min: 0, max: 12_000 }).map((i) => `tenant|user-${i}`));
    // A key of one string, and keys the SDK also hashes: a number, true, null, and a string that reads as another key's JSON.
    const keyArray = fc.oneof(key.map((k) => [k]), fc.constantFrom([1], [true], [null], ['["s"]'], ["s"], ['"s"']), fc.double({ noNaN: true }).map((n) => [n]));
    fc.assert(
      fc.property(fc.array(keyArray, { minLength: 1, maxLength: 300 }), (keys) => {
        for (const k of [...keys, ...keys]) {
          assert.equal(hashPartitionKey!(k, v2), hashV2PartitionKey!(k));
          assert.equal(hashPartitionKey!(k, v1), hashV1PartitionKey!(k));
        }
      }),
      { numRuns: 60 },
    );
    assert.notEqual(hashPartitionKey!(["a|b"], v2), hashPartitionKey!(["a|b"], v1), "the definition is part of what is kept");
  });
});
