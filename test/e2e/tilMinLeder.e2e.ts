import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { startApp, type RunningApp } from "../../src/app";
import { parseConfig } from "../../src/kernel/config";
import { silentLogger } from "../../src/kernel/log";
import { projectRoot } from "../../src/kernel/paths";
import { trusted } from "../../src/kernel/shown";
import { newShare, newShareId, withdraw, type Share } from "../../src/domain/sharing/share";
import { ShareStore, type StoredShare } from "../../src/storage/shares";
import { axeViolations, launchChromium, SHOTS, standInForTeams, watchConsole, type ConsoleComplaints } from "../support/browser";
import { sharedReflection, shareContent } from "../support/shareContent";

/**
 * Til min leder's reader tab in Debian's Chromium, as the local (app-id-less) bot serves it: a
 * share Mette made to Jonas, read by Jonas; the same share once withdrawn. Light, dark and high
 * contrast, axe-core, questions back, and the page framed with a stand-in for TeamsJS. The
 * screenshots for the docs go to docs/images/ (til-min-leder-reader.png, …-withdrawn.png).
 */
const NOW = new Date("2026-12-07T10:00:00.000Z");
const TENANT = "11111111-1111-4111-8111-111111111111";
const JONAS = "00000000-0000-4000-8000-000000000002";
const IMAGES = path.join(projectRoot, "docs", "images");

describe("Til min leder's reader tab in a real browser (Chromium)", function () {
  this.timeout(120_000);
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let dataDir: string;
  let shares: ShareStore;
  const complaints: ConsoleComplaints = { cspRefusals: [], errors: [] };

  /** A share as the sharer's send stores it (the chat side is the sharer's dialog's to test). */
  const stored = async (): Promise<Share> => {
    const content = shareContent({
      reflections: [
        // A leader's own words, as a real one might write them (the HTTP tests carry the hostile ones).
        sharedReflection({
          statements: [
            { text: trusted("Jeg viser tillid til mine medarbejdere"), rating: 4, ratingLabel: trusted("I høj grad"), note: "Teamet planlægger selv vagterne nu – det har givet ro." },
            { text: trusted("Jeg giver plads til fejl"), rating: 2, ratingLabel: trusted("I lav grad"), note: null },
          ],
          questions: [{ text: trusted("Hvad vil du gøre anderledes?"), answer: "Spørge »hvad lærte vi?« før »hvem gjorde det?«, når noget går galt." }],
          focus: { deeper: { statement: trusted("Jeg giver plads til fejl"), prompt: trusted("Hvad står i vejen?"), answer: "Travlhed. Jeg retter selv i stedet for at lade dem prøve igen." } },
          plan: { commitment: "Fejl-fredag: fem minutter på teammødet om noget, der gik skævt.", followUps: [{ text: "Holdt to gange. Første gang var det stille, anden gang kom der tre historier.", at: "2026-11-20T10:00:00.000Z", outcome: "partly" }] },
        }),
        sharedReflection({ themeTitle: trusted("Sammen sikrer vi driften"), completedAt: "2026-10-12T10:00:00.000Z", questions: undefined, focus: undefined, plan: undefined, statements: [{ text: trusted("Jeg prioriterer opgaverne tydeligt"), rating: 3, ratingLabel: trusted("I nogen grad") }] }),
      ],
      change: { from: "2026-06-01", to: "2026-12-01", statements: [{ themeTitle: trusted("Tillid og ansvar"), text: trusted("Jeg giver plads til fejl"), first: 2, last: 4, reflections: 3 }] },
      pulses: [{ themeTitle: trusted("Tillid og ansvar"), closedAt: "2026-11-20T12:00:00.000Z", answered: 7, shown: true, statements: [{ text: trusted("Vi taler åbent om fejl"), team: 3.6, self: 4 }] }],
    });
    const share = newShare({ id: newShareId(), tenantId: TENANT, sharer: { userId: "00000000-0000-4000-8000-000000000001", name: "Mette Leder" }, reader: { aadObjectId: JONAS, tenantId: TENANT, name: "Jonas Chef" }, content, days: 30, now: NOW });
    await shares.create(share, NOW);
    return share;
  };
  const url = (share: Share) => `${base}/til-min-leder?share=${share.id}&som=${JONAS}`;

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "til-min-leder-e2e-"));
    const config = parseConfig({ PORT: "0", LOCAL_DATA_FILE: path.join(dataDir, "cosmos.json"), SCHEDULER_ENABLED: "false" });
    app = await startApp(config, silentLogger, { clock: () => NOW });
    base = `http://127.0.0.1:${app.port}`;
    shares = new ShareStore(app.store.containers.userData);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    watchConsole(page, complaints);
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const open = async (address: string, theme: "light" | "dark" | "contrast", ready: string) => {
    await page.emulateMedia({ colorScheme: theme === "dark" ? "dark" : "light", media: "screen" });
    await page.goto(address);
    await page.locator(ready).first().waitFor();
    if (theme === "contrast") await page.evaluate(`document.documentElement.setAttribute("data-theme", "contrast")`);
  };

  it("shows the reader what was shared, with the leader's own words as typed", async () => {
    const share = await stored();
    await open(url(share), "light", "#delt");
    assert.equal(await page.locator("#delt").textContent(), "Fra Mette Leder");
    assert.ok((await page.locator("article").textContent())?.includes("Spørge »hvad lærte vi?« før »hvem gjorde det?«, når noget går galt."));
    assert.equal(await page.locator("#spoergsmaal textarea").count(), 5);
    await page.screenshot({ path: path.join(IMAGES, "til-min-leder-reader.png"), fullPage: true });
  });

  it("takes questions back and shows them as sent, as typed (markup stays text)", async () => {
    const share = await stored();
    await open(url(share), "light", "#spoergsmaal");
    await page.locator("#q0").fill("Hvad har du mest brug for fra mig?");
    await page.locator("#q1").fill("Skal vi tale om <b>prioriteringer</b>?");
    await page.locator("#spoergsmaal button").click();
    await page.locator(".note.sent").waitFor();
    assert.deepEqual(await page.locator(".asked li").allTextContents(), ["Hvad har du mest brug for fra mig?", "Skal vi tale om <b>prioriteringer</b>?"]);
    assert.equal(await page.locator(".asked b").count(), 0, "a question's markup makes no element");
    assert.equal(await page.locator("#spoergsmaal textarea").count(), 3);
    await page.screenshot({ path: path.join(SHOTS, "til-min-leder-questions.png"), fullPage: true });
  });

  it("once withdrawn, shows the one answer of a share that is not there", async () => {
    const share = await stored();
    const current = (await shares.get(`${TENANT}|${share.sharer.userId}`, share.id)) as StoredShare;
    await shares.replace(current, withdraw(current, share.sharer.userId, NOW).write!, NOW);
    await open(url(share), "light", "#besked");
    assert.equal(await page.locator("#besked").textContent(), "Der er ikke noget at vise");
    assert.equal(await page.locator("article").count(), 0);
    await page.screenshot({ path: path.join(IMAGES, "til-min-leder-withdrawn.png") });
  });

  it("has no serious or critical accessibility violation with a share and once it has ended, in light, dark and high contrast (axe-core)", async () => {
    const share = await stored();
    const ended = await stored();
    const current = (await shares.get(`${TENANT}|${ended.sharer.userId}`, ended.id)) as StoredShare;
    await shares.replace(current, withdraw(current, ended.sharer.userId, NOW).write!, NOW);
    const found: string[] = [];
    for (const theme of ["light", "dark", "contrast"] as const) {
      for (const [what, address, ready] of [["share", url(share), "#delt"], ["ended", url(ended), "#besked"], ["list", `${base}/til-min-leder?som=${JONAS}`, "#liste"]] as const) {
        await open(address, theme, ready);
        const violations = (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
        found.push(...violations.map((v) => `${theme} ${what}: ${v.id} (${v.nodes}) ${v.help}`));
        if (what !== "list") await page.screenshot({ path: path.join(SHOTS, `til-min-leder-${what}-${theme}.png`), fullPage: true });
      }
    }
    console.log(`      axe-core: 3 themes × 3 views scanned, ${found.length} serious or critical violations`);
    assert.deepEqual(found, []);
  });

  it("inside Teams (framed; TeamsJS answered by a stand-in) opens the share the notice's deep link names, with the SSO token, in Teams' theme", async () => {
    const share = await stored();
    await standInForTeams(page, `${base}/til-min-leder/teams.js`, { theme: "dark", subPageId: share.id, token: "stand-in.sso.token" });
    await page.route(`${base}/teams-host`, (route) => route.fulfill({ contentType: "text/html", body: `<!doctype html><html lang="da"><title>Teams</title><iframe src="/til-min-leder?som=${JONAS}" title="Til min leder" width="960" height="800"></iframe></html>` }));
    const authorizations: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/til-min-leder/delt")) authorizations.push(request.headers().authorization ?? "none");
    });
    await page.emulateMedia({ colorScheme: "light", media: "screen" });
    await page.goto(`${base}/teams-host`);
    const frame = page.frameLocator("iframe");
    await frame.locator("#delt").waitFor();
    const tab = page.frames().find((f) => f.url().includes("/til-min-leder"))!;
    assert.equal(await tab.evaluate(`document.documentElement.getAttribute("data-theme")`), "dark");
    assert.deepEqual(authorizations, ["Bearer stand-in.sso.token"]);
    await page.unrouteAll();
  });

  it("breaks none of its own Content-Security-Policy (no inline script or style)", () => {
    assert.deepEqual(complaints.cspRefusals, []);
  });

  it("says no error in the browser's console, in Teams or opened directly", () => {
    assert.deepEqual(complaints.errors, []);
  });
});
