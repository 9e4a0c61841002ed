import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { insightShell } from "../../src/cards/insightPage";
import { meetingPanelConfig, meetingPanelShell } from "../../src/cards/meetingPanelPage";
import { shareShell } from "../../src/cards/sharePage";
import { projectRoot } from "../../src/kernel/paths";
import { TAB_ASSETS } from "../../src/tabs/assets";

/** Every page Teams frames, as its shell comes from the server, with the tab path it is served under and its own script. */
const pages = [
  { name: "Indsigt", base: "/indsigt", own: "indsigt.js", html: insightShell({ localMode: true, quarters: ["2026-Q4"], quarter: "2026-Q4" }) },
  { name: "Til min leder", base: "/til-min-leder", own: "til-min-leder.js", html: shareShell({ localMode: false, shareId: "", localUser: "" }) },
  { name: "the meeting panel", base: "/moede", own: "moede.js", html: meetingPanelShell({ localMode: false }) },
  { name: "the meeting panel's configuration", base: "/moede", own: "moede-opsaet.js", html: meetingPanelConfig() },
];

const scriptTags = (html: string) => [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attributes: m[1]!, content: m[2]! }));

describe("the tab pages' scripts", () => {
  for (const page of pages) {
    it(`${page.name} loads the shared Teams sign-in and then its own script, both deferred and from beside the page, nothing inline`, () => {
      const tags = scriptTags(page.html);
      assert.deepEqual(
        tags.map((tag) => /\bsrc="([^"]+)"/.exec(tag.attributes)?.[1]),
        [`${page.base}/tab-signin.js`, `${page.base}/${page.own}`],
        "the sign-in first: the page's own script calls it",
      );
      for (const tag of tags) {
        // `defer` keeps the order of the two; `async` would not.
        assert.match(tag.attributes, /\bdefer\b/);
        assert.doesNotMatch(tag.attributes, /\basync\b/);
        assert.equal(tag.content, "", "no inline script (the CSP allows none)");
      }
    });
  }

  it("serves every script a page names, and TeamsJS the sign-in loads beside it, among the tabs' files", () => {
    const named = new Set(pages.flatMap((page) => scriptTags(page.html).map((tag) => /\bsrc="[^"]*\/([^"/]+)"/.exec(tag.attributes)![1]!)));
    for (const file of [...named, "teams.js"]) {
      assert.ok(TAB_ASSETS[file], file);
      assert.match(TAB_ASSETS[file]!.contentType, /^text\/javascript/, file);
    }
  });

  it("leaves TeamsJS, the theme and the SSO token to the shared sign-in: no page script loads TeamsJS or asks for a token itself", () => {
    const signIn = fs.readFileSync(path.join(projectRoot, "web", "tab-signin.js"), "utf8");
    assert.match(signIn, /getAuthToken\(\)/);
    assert.match(signIn, /registerOnThemeChangeHandler\(/);
    for (const own of new Set(pages.map((page) => page.own))) {
      const script = fs.readFileSync(path.join(projectRoot, "web", own), "utf8");
      assert.doesNotMatch(script, /teams\.js|getAuthToken|registerOnThemeChangeHandler|app\.initialize|data-theme/, own);
      assert.match(script, /window\.tabSignIn\./, own);
    }
  });
});
