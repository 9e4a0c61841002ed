import fs from "node:fs";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";

/**
 * What the browser tests share: Debian's Chromium, axe-core's scan, and a stand-in for TeamsJS.
 * Teams' host handshake cannot run outside Teams, so a test serves this script in place of
 * teams.js: it answers as Teams does, with the context (a theme, a chat) and a token it is given.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
}

/** axe-core's WCAG 2.1 A and AA violations on the page (or the framed tab) as it is now. */
export async function axeViolations(page: Page | Frame): Promise<Array<{ id: string; impact: string; help: string; nodes: number }>> {
  if (!(await page.evaluate("typeof window.axe === 'object'"))) await page.evaluate(AXE_SOURCE);
  return (await page.evaluate(`window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))`)) as Array<{ id: string; impact: string; help: string; nodes: number }>;
}

/** The stand-in for teams.js: `window.themeHandler` lets a test change Teams' theme afterwards. */
export function teamsStandIn(context: { readonly theme: string; readonly chatId?: string; readonly token: string }): string {
  const teamsContext = { app: { theme: context.theme }, ...(context.chatId ? { chat: { id: context.chatId } } : {}) };
  return `window.microsoftTeams = {
    app: {
      initialize: function () { return Promise.resolve(); },
      getContext: function () { return Promise.resolve(${JSON.stringify(teamsContext)}); },
      registerOnThemeChangeHandler: function (handler) { window.themeHandler = handler; },
    },
    authentication: { getAuthToken: function () { return Promise.resolve(${JSON.stringify(context.token)}); } },
  };`;
}
