import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { startApp, type RunningApp } from "../../src/app";
import { parseConfig } from "../../src/kernel/config";
import { silentLogger } from "../../src/kernel/log";
import { bucketsFrom, interleaved, random, simulateLeader, writeBuckets } from "../support/insightSeed";
import { axeViolations, launchChromium, SHOTS, standInForTeams, watchConsole, type ConsoleComplaints } from "../support/browser";

/**
 * Indsigt in Debian's Chromium: the page as the local (app-id-less) bot serves it, over seeded
 * buckets made by the bot's own functions: 5 leaders of employees (shown) and 4 leaders of
 * leaders (suppressed) this quarter. Light, dark and high-contrast themes, print, axe-core,
 * keyboard only, and the CSV. Screenshots go to test-output/e2e/ (indsigt-*.png).
 */
const NOW = new Date("2026-12-06T10:00:00.000Z");
const TENANT = "11111111-1111-4111-8111-111111111111";

describe("Indsigt in a real browser (Chromium, seeded buckets)", function () {
  this.timeout(120_000);
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let dataDir: string;
  const complaints: ConsoleComplaints = { cspRefusals: [], errors: [] };

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "indsigt-e2e-"));
    const config = parseConfig({ PORT: "0", LOCAL_DATA_FILE: path.join(dataDir, "cosmos.json"), SCHEDULER_ENABLED: "false" });
    app = await startApp(config, silentLogger, { clock: () => NOW });
    base = `http://127.0.0.1:${app.port}`;
    const next = random(22);
    const from = new Date("2026-10-01T08:00:00.000Z");
    const leaders = [
      ...Array.from({ length: 5 }, () => simulateLeader(app.framework, "leder-af-medarbejder", from, NOW, 9, next)),
      ...Array.from({ length: 4 }, () => simulateLeader(app.framework, "leder-af-leder", from, NOW, 9, next, -0.6)),
    ];
    await writeBuckets(app.store.containers.insight, bucketsFrom(interleaved(leaders), TENANT, 5, NOW));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    watchConsole(page, complaints);
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const open = async (theme: "light" | "dark" | "contrast") => {
    await page.emulateMedia({ colorScheme: theme === "dark" ? "dark" : "light", media: "screen" });
    await page.goto(`${base}/indsigt`);
    await page.locator("#brug").waitFor();
    if (theme === "contrast") await page.evaluate(`document.documentElement.setAttribute("data-theme", "contrast")`);
  };
  const axe = () => axeViolations(page);

  it("shows the level with 5 leaders and nothing about the level with 4", async () => {
    await open("light");
    const usage = page.locator("#brug-caption").locator("xpath=..");
    const row = (name: string) => usage.locator("tr", { has: page.locator("th", { hasText: new RegExp(`^${name}$`) }) });
    assert.equal(await row("Leder af medarbejder").locator("td").first().textContent(), "5");
    assert.deepEqual(new Set(await row("Leder af leder").locator("td").allTextContents()), new Set(["færre end 5"]));
    const hiddenLevel = page.locator("section.level", { has: page.locator("h3", { hasText: /^Leder af leder$/ }) });
    assert.equal(await hiddenLevel.locator("svg").count(), 0, "no chart of the 4");
    assert.equal(await hiddenLevel.locator("details").count(), 0, "no table of the 4");
    const shownLevel = page.locator("section.level", { has: page.locator("h3", { hasText: /^Leder af medarbejder$/ }) });
    assert.ok((await shownLevel.locator("svg[role=img]").count()) > 0, "the 5 have their charts");
    assert.equal(await page.locator("#status").textContent(), "Tallene for 2026-Q4 er vist.", "a screen reader hears one sentence, not the page again");
    await page.screenshot({ path: path.join(SHOTS, "indsigt-top.png") });
    await page.screenshot({ path: path.join(SHOTS, "indsigt-light.png"), fullPage: true });
  });

  it("has no serious or critical accessibility violation in the light, dark and high-contrast themes (axe-core)", async () => {
    const found: string[] = [];
    for (const theme of ["light", "dark", "contrast"] as const) {
      await open(theme);
      await page.locator("details").first().evaluate((d) => d.setAttribute("open", ""));
      const violations = (await axe()).filter((v) => v.impact === "serious" || v.impact === "critical");
      found.push(...violations.map((v) => `${theme}: ${v.id} (${v.nodes}) ${v.help}`));
      if (theme !== "light") await page.screenshot({ path: path.join(SHOTS, `indsigt-${theme}.png`), fullPage: true });
    }
    console.log(`      axe-core: 3 themes scanned, ${found.length} serious or critical violations`);
    assert.deepEqual(found, []);
  });

  it("can be used with the keyboard alone: the quarter, the CSV, printing and every table", async () => {
    await open("light");
    await page.locator("body").click({ position: { x: 1, y: 1 } });
    const reached: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      await page.keyboard.press("Tab");
      reached.push(String(await page.evaluate(`(() => {
        const el = document.activeElement;
        return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + ":" + (el.textContent || "").trim().slice(0, 30);
      })()`)));
    }
    for (const expected of [/^a:Spring til indholdet/, /^select#kvartal/, /^button:Vis/, /^a#csv/, /^button#print/, /^summary:Vis som tabel/, /^div:/]) {
      assert.ok(reached.some((r) => expected.test(r)), `Tab reaches ${expected} (reached: ${reached.join(" | ")})`);
    }
    // A table opens from the keyboard.
    await page.locator("summary").first().focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.locator("details").first().getAttribute("open"), "");
    // Another quarter, by keyboard: the select, an arrow, then "Vis".
    await page.locator("#kvartal").focus();
    await page.keyboard.press("ArrowDown");
    await page.locator("button", { hasText: "Vis" }).focus();
    await page.keyboard.press("Enter");
    // A locator, not waitForFunction: a string predicate is eval in the page, which its CSP refuses.
    await page.locator(`#tal[data-quarter="2026-Q3"]`).waitFor();
    assert.match(await page.locator("#brug-caption").textContent() ?? "", /2026-Q3/);
  });

  it("downloads as CSV exactly the numbers the page shows, with the hidden ones blank", async () => {
    await open("light");
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#csv").click()]);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    assert.equal(download.suggestedFilename(), "indsigt-2026-Q4.csv");
    const line = (level: string, measure: string) => csv.split("\r\n").find((l) => l.startsWith(`Brug;${level};;;${measure};`));
    assert.equal(line("Leder af medarbejder", "Ledere, der har reflekteret"), "Brug;Leder af medarbejder;;;Ledere, der har reflekteret;5");
    assert.equal(line("Leder af leder", "Ledere, der har reflekteret"), "Brug;Leder af leder;;;Ledere, der har reflekteret;");
    // Every number in the page's usage table is in the CSV, in the same place.
    const shownReflections = await page.locator("#brug-caption").locator("xpath=..").locator("tr", { has: page.locator("th", { hasText: /^Leder af medarbejder$/ }) }).locator("td").nth(1).textContent();
    assert.equal(line("Leder af medarbejder", "Refleksioner"), `Brug;Leder af medarbejder;;;Refleksioner;${shownReflections}`);
    assert.equal(csv.includes("Leder af leder;Sammen"), csv.includes("Leder af leder;Sammen sikrer vi driften;;Ledere, der har reflekteret;\r\n"), "the 4's themes are blank rows only");
  });

  it("prints without its controls, every table open", async () => {
    await open("light");
    await page.emulateMedia({ media: "print" });
    await page.evaluate(`window.dispatchEvent(new Event("beforeprint"))`);
    assert.equal(await page.locator(".controls").isVisible(), false);
    assert.equal(await page.locator("details:not([open])").count(), 0);
    await page.screenshot({ path: path.join(SHOTS, "indsigt-print.png"), fullPage: true });
  });

  it("inside Teams (framed; TeamsJS answered by a stand-in) sends the SSO token with every request and follows Teams' theme", async () => {
    // Teams' host handshake cannot run outside Teams: a stand-in for TeamsJS (dark theme, a token), and the page framed.
    await standInForTeams(page, `${base}/indsigt/teams.js`, { theme: "dark", token: "stand-in.sso.token" });
    await page.route(`${base}/teams-host`, (route) => route.fulfill({ contentType: "text/html", body: `<!doctype html><html lang="da"><title>Teams</title><iframe src="/indsigt" title="Indsigt" width="1000" height="800"></iframe></html>` }));
    const authorizations: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/indsigt/tal")) authorizations.push(request.headers().authorization ?? "none");
    });
    await page.emulateMedia({ colorScheme: "light", media: "screen" });
    await page.goto(`${base}/teams-host`);
    const frame = page.frameLocator("iframe");
    await frame.locator("#brug").waitFor();
    const tab = page.frames().find((f) => f.url().endsWith("/indsigt"))!;
    assert.equal(await tab.evaluate(`document.documentElement.getAttribute("data-theme")`), "dark");
    await tab.evaluate(`window.themeHandler("contrast")`);
    assert.equal(await tab.evaluate(`document.documentElement.getAttribute("data-theme")`), "contrast");
    const [download] = await Promise.all([page.waitForEvent("download"), frame.locator("#csv").click()]);
    assert.match(fs.readFileSync((await download.path())!, "utf8"), /Brug;Leder af medarbejder;;;Ledere, der har reflekteret;5/);
    assert.deepEqual(authorizations, ["Bearer stand-in.sso.token", "Bearer stand-in.sso.token"], "the numbers and the CSV, each with the token");
    await page.screenshot({ path: path.join(SHOTS, "indsigt-in-teams-frame.png") });
    await page.unrouteAll();
  });

  it("breaks none of its own Content-Security-Policy (no inline script or style)", () => {
    assert.deepEqual(complaints.cspRefusals, []);
  });

  it("says no error in the browser's console, in Teams or opened directly", () => {
    assert.deepEqual(complaints.errors, []);
  });
});
