import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startApp, type RunningApp } from "../../src/app";
import { parseConfig } from "../../src/kernel/config";
import { silentLogger } from "../../src/kernel/log";
import { groupPartition } from "../../src/domain/group/partition";
import type { GroupDocument, GroupMeeting } from "../../src/domain/group/model";
import { axeViolations, launchChromium, SHOTS, standInForTeams, watchConsole, type ConsoleComplaints } from "../support/browser";

/**
 * The meeting's side panel in Debian's Chromium, as the local (app-id-less) bot serves it, framed
 * as Teams frames a side panel (320 px wide) with a stand-in for TeamsJS that gives the meeting's
 * chat and the theme. A leader group is seeded as the bot stores it: a roster of two members, the
 * last meeting's two agreements, and today's meeting with a named and an unnamed point. Light,
 * dark and high contrast with axe-core, the keyboard alone, and a second member's browser seeing
 * a change without reloading. Screenshots go to test-output/e2e/ (meeting-panel-*.png).
 */
const NOW = new Date("2026-12-07T09:20:00.000Z");
const TENANT = "11111111-1111-4111-8111-111111111111";
const CHAT = "19:meeting_E2EPANELMEETINGCHAT@thread.v2";
const METTE = { aadObjectId: "00000000-0000-4000-8000-000000000001", name: "Mette Leder" };
const JONAS = { aadObjectId: "00000000-0000-4000-8000-000000000002", name: "Jonas Chef" };
/** The panel's own interval (web/moede.js) is 5 s: a change shows within one or two of them; the wait is generous for a busy machine. */
const SEE_CHANGE_MS = 30_000;

describe("the meeting's side panel in a real browser (Chromium, framed, TeamsJS stand-in)", function () {
  this.timeout(180_000);
  let app: RunningApp;
  let browser: Browser;
  let base: string;
  let dataDir: string;
  const complaints: ConsoleComplaints = { cspRefusals: [], errors: [] };
  // The app's clock starts at NOW and runs on: the panel's times are today's, and time passes between clicks.
  const started = Date.now();

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "moede-e2e-"));
    const config = parseConfig({ PORT: "0", LOCAL_DATA_FILE: path.join(dataDir, "cosmos.json"), SCHEDULER_ENABLED: "false" });
    app = await startApp(config, silentLogger, { clock: () => new Date(NOW.getTime() + (Date.now() - started)) });
    base = `http://127.0.0.1:${app.port}`;
    await seed(app);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A member's Teams: a host page framing the panel, TeamsJS answered by the stand-in. */
  async function inTeams(who: { aadObjectId: string }, theme: "default" | "dark" | "contrast"): Promise<{ context: BrowserContext; page: Page; panel: ReturnType<Page["frameLocator"]> }> {
    const context = await browser.newContext({ locale: "da-DK", viewport: { width: 360, height: 2480 }, colorScheme: theme === "dark" ? "dark" : "light" });
    const page = await context.newPage();
    watchConsole(page, complaints);
    await standInForTeams(page, `${base}/moede/teams.js`, { theme, chatId: CHAT, token: "stand-in.sso.token" });
    await page.route(`${base}/teams-host`, (route) =>
      route.fulfill({ contentType: "text/html", body: `<!doctype html><html lang="da"><title>Teams</title><body><iframe src="/moede?bruger=${who.aadObjectId}" title="Ledergruppens møde" width="340" height="2460"></iframe></body></html>` }),
    );
    await page.goto(`${base}/teams-host`);
    const panel = page.frameLocator("iframe");
    await panel.locator("#tema").waitFor();
    return { context, page, panel };
  }
  const frameOf = (page: Page) => page.frames().find((f) => f.url().includes("/moede"))!;

  it("shows today's meeting: the theme and its questions, the points (named only where chosen), the open agreements and the form", async () => {
    const { context, panel } = await inTeams(METTE, "default");
    const theme = app.framework.themes[1]!;
    assert.equal(await panel.locator("#tema").textContent(), theme.title);
    const questions = app.framework.questions(theme.id, "leder-af-leder" as never /* the group settings' default role */, "ledergruppen").map((q) => String(q.text));
    assert.deepEqual(await panel.locator("section[data-part=theme] li").allTextContents(), questions);
    assert.deepEqual(await panel.locator("section[data-part=points] li").allTextContents(), ["Vi mangler overblik over sygefraværet.– Jonas Chef", "Hvordan deler vi data på tværs?– en leder"]);
    assert.equal(await panel.locator("section[data-part=open] button[aria-pressed=true]").count(), 2);
    assert.equal(await panel.locator("#aftaler textarea").count(), 5);
    await panel.locator("body").screenshot({ path: path.join(SHOTS, "meeting-panel.png") });
    await context.close();
  });

  it("has no serious or critical accessibility violation in Teams' light, dark and high-contrast themes (axe-core)", async () => {
    const found: string[] = [];
    for (const theme of ["default", "dark", "contrast"] as const) {
      const { context, page, panel } = await inTeams(METTE, theme);
      const frame = frameOf(page);
      assert.equal(await frame.evaluate(`document.documentElement.getAttribute("data-theme")`), theme);
      const violations = (await axeViolations(frame)).filter((v) => v.impact === "serious" || v.impact === "critical");
      found.push(...violations.map((v) => `${theme}: ${v.id} (${v.nodes}) ${v.help}`));
      await panel.locator("body").screenshot({ path: path.join(SHOTS, `meeting-panel-${theme === "default" ? "light" : theme}.png`) });
      await context.close();
    }
    console.log(`      axe-core: 3 themes scanned, ${found.length} serious or critical violations`);
    assert.deepEqual(found, []);
  });

  it("can be used with the keyboard alone: every status button and field by Tab, a status by Enter and by Space, the agreements saved by Enter", async () => {
    const { context, page, panel } = await inTeams(METTE, "default");
    const frame = frameOf(page);
    await panel.locator("h1").click();
    const reached: string[] = [];
    // A date field takes a Tab for each of its parts (day, month, year, the calendar button).
    for (let i = 0; i < 50; i += 1) {
      await page.keyboard.press("Tab");
      reached.push(String(await frame.evaluate(`(() => { const el = document.activeElement; return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + ":" + (el.getAttribute("data-status") || el.textContent || "").trim().slice(0, 20); })()`)));
    }
    for (const expected of [/^button:notStarted/, /^button:inProgress/, /^button:done/, /^textarea#text1/, /^input#who1/, /^input#due1/, /^textarea#text5/, /^button:Gem aftalerne/]) {
      assert.ok(reached.some((r) => expected.test(r)), `Tab reaches ${expected} (reached: ${reached.join(" | ")})`);
    }
    // "I gang" on the first agreement by Enter, "Gjort" on the second by Space.
    await panel.locator('button[data-agreement="a1"][data-status="inProgress"]').focus();
    await page.keyboard.press("Enter");
    await panel.locator("#svar", { hasText: "er nu markeret som i gang" }).waitFor();
    await panel.locator('button[data-agreement="a1"][data-status="inProgress"][aria-pressed="true"]').waitFor();
    assert.equal(await frame.evaluate(`document.activeElement.getAttribute("data-status")`), "inProgress", "focus stays on the button after the list is drawn again");
    await panel.locator('button[data-agreement="a2"][data-status="done"]').focus();
    await page.keyboard.press("Space");
    await panel.locator('button[data-agreement="a2"][data-status="done"][aria-pressed="true"]').waitFor();
    // The form, typed and sent from the keyboard.
    await panel.locator("#text1").focus();
    await page.keyboard.type("Fælles plan for sygefravær");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Mette");
    await panel.locator("button", { hasText: "Gem aftalerne" }).focus();
    await page.keyboard.press("Enter");
    await panel.locator("#svar", { hasText: "1 aftale er gemt" }).waitFor();
    await panel.locator("section[data-state=saved]", { hasText: "Fælles plan for sygefravær" }).waitFor();
    await context.close();
  });

  it("shows a second member a change made in another browser within seconds, without reloading, said politely and with her focus left where it was", async () => {
    const mette = await inTeams(METTE, "default");
    const jonas = await inTeams(JONAS, "dark");
    // Mette's keyboard is on another agreement's button in the list Jonas changes.
    const hers = 'button[data-agreement="a2"][data-status="inProgress"]';
    await mette.panel.locator(hers).focus();
    // Jonas marks the first agreement done.
    await jonas.panel.locator('button[data-agreement="a1"][data-status="done"]').click();
    await jonas.panel.locator("#svar", { hasText: "er nu markeret som gjort" }).waitFor();
    // Mette's panel, never reloaded, shows it: waited for, with time to spare, not timed.
    await mette.panel.locator("section[data-part=open] li", { hasText: "Status: Gjort (Jonas Chef" }).first().waitFor({ timeout: SEE_CHANGE_MS });
    // A screen reader is told what changed, politely and apart from her own answers; her focus is on the same button in the new list.
    assert.equal(await mette.panel.locator("#nyt").textContent(), "Opdateret: Aftaler fra tidligere møder.");
    assert.deepEqual(await mette.panel.locator("#nyt").evaluate((el) => [el.getAttribute("role"), el.getAttribute("aria-live")]), ["status", "polite"]);
    assert.equal(await frameOf(mette.page).evaluate(`(() => { const el = document.activeElement; return el.getAttribute("data-agreement") + ":" + el.getAttribute("data-status"); })()`), "a2:inProgress");
    assert.equal(await mette.panel.locator("#svar").textContent(), "", "her own answer line stays hers");
    await mette.panel.locator("body").screenshot({ path: path.join(SHOTS, "meeting-panel-after-change.png") });
    await jonas.panel.locator("body").screenshot({ path: path.join(SHOTS, "meeting-panel-dark-after-change.png") });
    await mette.context.close();
    await jonas.context.close();
  });

  it("has a configuration page that, framed by Teams, allows Save at once and saves the panel's address, and opened directly says to open it from Teams", async () => {
    const context = await browser.newContext({ locale: "da-DK" });
    const page = await context.newPage();
    watchConsole(page, complaints);
    await standInForTeams(page, `${base}/moede/teams.js`, { theme: "default", chatId: CHAT, token: "stand-in.sso.token" });
    await page.route(`${base}/teams-host`, (route) => route.fulfill({ contentType: "text/html", body: `<!doctype html><html lang="da"><title>Teams</title><body><iframe src="/moede/opsaet" title="Tilføj fanen"></iframe></body></html>` }));
    await page.goto(`${base}/teams-host`);
    await page.frameLocator("iframe").locator("#config-text").waitFor();
    const config = page.frames().find((f) => f.url().includes("/moede/opsaet"))!;
    await config.waitForFunction("window.configValid === true");
    await config.evaluate(`window.saveHandler({ notifySuccess: function () { window.saved = "ok"; }, notifyFailure: function (reason) { window.saved = reason; } })`);
    await config.waitForFunction("window.saved !== undefined");
    assert.equal(await config.evaluate("window.saved"), "ok");
    assert.deepEqual(await config.evaluate("window.savedConfig"), { entityId: "ledergruppens-moede", contentUrl: `${base}/moede`, websiteUrl: `${base}/moede`, suggestedDisplayName: "Ledergruppens møde" });
    await page.goto(`${base}/moede/opsaet`);
    await page.waitForFunction(`document.getElementById("config-text").textContent.startsWith("Åbn denne side fra Teams")`);
    await context.close();
  });

  it("breaks none of its own Content-Security-Policy (no inline script or style)", () => {
    assert.deepEqual(complaints.cspRefusals, []);
  });

  it("says no error in the browser's console", () => {
    assert.deepEqual(complaints.errors, []);
  });
});

/** The group as the bot stores it: its document with Teams' roster, the last meeting's agreements, today's meeting with two points. */
async function seed(app: RunningApp): Promise<void> {
  const pk = groupPartition(CHAT);
  const channels = app.store.containers.channels;
  const [, second] = app.framework.themes;
  const group: GroupDocument = {
    id: "channel",
    pk,
    type: "channel",
    conversation: { conversationId: CHAT, conversationType: "groupChat", tenantId: TENANT, serviceUrl: "http://127.0.0.1:9/", botId: "28:bot", active: true } as GroupDocument["conversation"],
    members: [
      { id: `29:${METTE.aadObjectId}`, ...METTE },
      { id: `29:${JONAS.aadObjectId}`, ...JONAS },
    ],
    membersAt: NOW.toISOString(),
  };
  const agreement = (id: string, text: string, responsible: string) => ({ id, text, responsible, status: "notStarted" as const, createdBy: METTE, createdAt: "2026-11-30T10:02:00.000Z", changes: [] });
  const last: GroupMeeting = {
    id: "meeting|2026-11-30T09:00:00.000Z", pk, type: "meeting", start: "2026-11-30T09:00:00.000Z", end: "2026-11-30T10:00:00.000Z", themeId: app.framework.themes[0]!.id, source: "series",
    agreements: [agreement("a1", "Fælles sygefraværsopfølgning", "Mette"), { ...agreement("a2", "Del data om ventetider", "Jonas"), due: "2026-12-15" }],
    agreementsSavedAt: "2026-11-30T10:02:00.000Z", agreementsSavedBy: METTE, people: [METTE.aadObjectId], openCount: 2,
  };
  const today: GroupMeeting = {
    id: "meeting|2026-12-07T09:00:00.000Z", pk, type: "meeting", start: "2026-12-07T09:00:00.000Z", end: "2026-12-07T10:00:00.000Z", themeId: second!.id, source: "series",
    agreementsToken: "e2e-form-token", agreements: [],
    points: [{ id: "p1", text: "Vi mangler overblik over sygefraværet.", by: JONAS }, { id: "p2", text: "Hvordan deler vi data på tværs?", authorKey: "mark-of-someone" }],
    people: [JONAS.aadObjectId], authorKeys: ["mark-of-someone"], openCount: 0,
  };
  for (const document of [group, last, today]) await channels.items.create(document);
}
