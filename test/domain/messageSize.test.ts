import assert from "node:assert/strict";
import fc from "fast-check";
import { fitMessages, utf16Bytes } from "../../src/domain/messageSize";

const words = fc.array(fc.oneof(fc.constantFrom("Aftale", "ventetider", "æøå", "😀", "\n", "\n\n", "digitaliseringsprojektet"), fc.string({ maxLength: 12 })), { maxLength: 120 }).map((w) => w.join(" "));
const squeeze = (text: string) => text.replace(/\s+/g, "");

describe("keeping messages within Teams' limit", () => {
  it("measures as Teams does: UTF-16, two bytes a code unit, emoji as two units", () => {
    assert.equal(utf16Bytes("æøå"), 6);
    assert.equal(utf16Bytes("😀"), 4);
    assert.equal(utf16Bytes({ text: "a" }), 2 * '{"text":"a"}'.length);
  });

  it("never makes a message over the budget, and loses or reorders nothing but blank space at a boundary (property)", () => {
    fc.assert(
      fc.property(fc.array(words, { minLength: 1, maxLength: 8 }), fc.integer({ min: 60, max: 400 }), (parts, budget) => {
        const messages = fitMessages(parts, budget);
        assert.ok(messages.every((m) => utf16Bytes(m) <= budget), "a message over the budget");
        assert.equal(squeeze(messages.join("")), squeeze(parts.join("")));
      }),
      { numRuns: 500 },
    );
  });

  it("cuts no word when every word fits a message (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom("møde", "aftale", "ventetider", "x"), { maxLength: 200 }).map((w) => w.join(" ")), { minLength: 1, maxLength: 5 }), (parts) => {
        const messages = fitMessages(parts, 100);
        const allWords = parts.join(" ").split(/\s+/).filter(Boolean);
        assert.deepEqual(messages.join(" ").split(/\s+/).filter(Boolean), allWords);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps a part whole in one message when it fits, joining small parts", () => {
    assert.deepEqual(fitMessages(["a".repeat(20), "b".repeat(20), "c".repeat(20)], 100), [`${"a".repeat(20)}\n\n${"b".repeat(20)}`, "c".repeat(20)]);
  });
});
