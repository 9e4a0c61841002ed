import assert from "node:assert/strict";
import fc from "fast-check";
import { cleanText, escapeMarkdown } from "../../src/domain/cleanText";

const CONTROL_OR_BIDI = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** What a CommonMark renderer shows of escapes: a backslash before ASCII punctuation is dropped. */
function visible(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, "$1");
}

/** Text with every kind of character a hostile or careless member could type. */
const anyText = fc.string({ unit: "binary", maxLength: 200 });
const markdownish = fc.string({ unit: fc.constantFrom("*", "_", "[", "]", "(", ")", "\\", "`", "#", ">", "-", "+", "1", ".", " ", "\n", "a", "!", "|", "~", "<"), maxLength: 60 });

describe("cleaning and escaping what users type (property-based)", () => {
  it("leaves no C0 or C1 control (but newline) and no bidi mark, override or isolate", () => {
    fc.assert(fc.property(anyText, (text) => !CONTROL_OR_BIDI.test(cleanText(text))), { numRuns: 2000 });
  });

  it("changes nothing in text without controls, emoji sequences and Danish letters included", () => {
    for (const kept of ["Budget 2027 – æøå ÆØÅ", "👩‍💻 ❤️ 🏳️‍🌈 👍🏽", "linje 1\nlinje 2", "«citat» “citat” »citat«"]) assert.equal(cleanText(kept), kept);
    fc.assert(fc.property(anyText, (text) => cleanText(cleanText(text)) === cleanText(text)));
  });

  it("takes a right-to-left override out of a point, so its signature cannot be turned around", () => {
    assert.equal(cleanText("Mit punkt \u202Erednel ne –\u202C"), "Mit punkt rednel ne –");
    assert.equal(cleanText("a\tb\u0000c\u0085d\u2067e\u2069"), "a bcde");
  });

  it("shows escaped text as the same visible characters, whatever was typed", () => {
    fc.assert(fc.property(anyText, (text) => visible(escapeMarkdown(text)) === text), { numRuns: 2000 });
    fc.assert(fc.property(markdownish, (text) => visible(escapeMarkdown(text)) === text), { numRuns: 2000 });
  });

  it("leaves no Markdown construct active: every special character is escaped, and no line starts a list", () => {
    const unescaped = (escaped: string) => {
      for (let i = 0; i < escaped.length; i += 1) {
        if (escaped[i] === "\\") {
          i += 1;
          continue;
        }
        if ("`*_~[]()!#<>|".includes(escaped[i]!)) return true;
      }
      return escaped.split("\n").some((line) => /^\s*([-+]|\d+[.)])\s/.test(line));
    };
    fc.assert(fc.property(markdownish, (text) => !unescaped(escapeMarkdown(text))), { numRuns: 3000 });
  });

  it("turns a phishing link in a point into plain text", () => {
    const point = "[Budget 2027](https://evil.example/login) – Jens Hansen";
    const escaped = escapeMarkdown(point);
    assert.equal(escaped, "\\[Budget 2027\\]\\(https://evil.example/login\\) – Jens Hansen");
    assert.doesNotMatch(escaped, /(^|[^\\])\[[^\]]*\]\(/);
  });
});
