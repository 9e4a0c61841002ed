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
 * keeps the theme handler as `window.themeHandler` for the test to call; for a configuration page,
 * its save handler as `window.saveHandler`, its validity as `window.configValid` and what it saves
 * as `window.savedConfig`.
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
        pages: {
          config: {
            registerOnSaveHandler: function (handler) { window.saveHandler = handler; },
            setValidityState: function (valid) { window.configValid = valid; },
            setConfig: function (config) { window.savedConfig = config; return Promise.resolve(); },
          },
        },
      };`,
    }),
  );
}

/** What a tab's page says in its console that no test of ours should see: the CSP's refusals, and errors (thrown, logged, or a file of its own it could not load). */
export interface ConsoleComplaints {
  readonly cspRefusals: string[];
  readonly errors: string[];
}

/** The browser logs every answer of 400 or more as an error, the page's data requests too. */
const SERVER_STATUS = /^Failed to load resource: the server responded with a status of/;

/** Records a page's (and its frames') complaints in `into`, from now on. */
export function watchConsole(page: Page, into: ConsoleComplaints): void {
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) into.cspRefusals.push(message.text());
    // A data request's status is the page's to show and the test's to check (an ended share answers 404 by design);
    // the page's own files are checked by their answers below, and the browser's own ask for /favicon.ico is not the page's.
    else if (message.type() === "error" && !SERVER_STATUS.test(message.text())) into.errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && ["script", "stylesheet", "image", "font"].includes(response.request().resourceType())) into.errors.push(`${response.status()} ${response.url()}`);
  });
  page.on("pageerror", (error) => into.errors.push(String(error)));
}
