import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";
import { projectRoot } from "../../src/kernel/paths";

/** What the tabs' browser tests share: Debian's Chromium, axe-core, and a stand-in for TeamsJS. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SHOTS = path.join(projectRoot, "test-output", "e2e");
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly nodes: number;
  /** Each node's opening tag, as axe-core quotes it. */
  readonly html: readonly string[];
}

/** axe-core's WCAG 2.1 A and AA rules over the whole page (or a framed tab). */
export async function axeViolations(page: Page | Frame): Promise<AxeViolation[]> {
  if (!(await page.evaluate("typeof window.axe === 'object'"))) await page.evaluate(AXE_SOURCE);
  return (await page.evaluate(`window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, html: v.nodes.map((n) => n.html) })))`)) as AxeViolation[];
}

/**
 * Teams' host handshake cannot run outside Teams: this answers a tab's request for TeamsJS with a
 * stand-in that answers as Teams does (a context with a theme, a sub-page and a chat, a token), and
 * keeps the theme handler as `window.themeHandler` for the test to call.
 */
export async function standInForTeams(page: Page, scriptUrl: string, context: { readonly theme: string; readonly subPageId?: string; readonly chatId?: string; readonly token: string }): Promise<void> {
  await page.route(scriptUrl, (route) =>
    route.fulfill({
      contentType: "text/javascript",
      body: `window.microsoftTeams = {
        app: {
          initialize: function () { return Promise.resolve(); },
          getContext: function () { return Promise.resolve(${JSON.stringify({ app: { theme: context.theme }, page: { subPageId: context.subPageId ?? "" }, ...(context.chatId ? { chat: { id: context.chatId } } : {}) })}); },
          registerOnThemeChangeHandler: function (handler) { window.themeHandler = handler; },
        },
        authentication: { getAuthToken: function () { return Promise.resolve(${JSON.stringify(context.token)}); } },
      };`,
    }),
  );
}
