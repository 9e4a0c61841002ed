import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { CARDS_DIR, observeRenders, type CardAttachment } from "../../src/cards/renderCard";
import { projectRoot } from "../../src/kernel/paths";
import { axeViolations, launchChromium, type AxeViolation } from "../support/browser";
import { cardCases, framework, now } from "../support/cardCases";
import { storedReflection } from "../support/shareFixtures";
import { sharePreviewCards } from "../../src/cards/sharingCards";
import { shareContentOf } from "../../src/domain/sharing/selection";
import { trusted } from "../../src/kernel/shown";
import { TEAMS_HOST_CONFIGS, type TeamsTheme } from "../support/teamsHostConfigs";

/**
 * Every card the bot sends (test/support/cardCases.ts), drawn in Debian's Chromium by the real
 * adaptivecards renderer with Teams' host config for each theme, and checked with axe-core.
 * The Playground's e2e sees the cards in its light theme only; this is the dark and high-contrast
 * half of issues 32 and 33's acceptance line. Teams' own stylesheet for buttons and inputs is not
 * public, so those are Chromium's own controls in the theme's colour scheme.
 */
const THEMES: readonly TeamsTheme[] = ["light", "dark", "contrast"];
const RENDERER = require.resolve("adaptivecards/dist/adaptivecards.min.js");

/**
 * The adaptivecards renderer's type-ahead box (a people picker) points the card's label at its
 * wrapper, not at the text box, and names the box only by a placeholder when nothing is chosen:
 * the renderer's gap, not the card's. Teams draws its people picker itself, and test/cards checks
 * that every input carries a label. Excused by that box's class and nothing else.
 */
const excused = (v: AxeViolation) => v.id === "label" && v.html.every((tag) => tag.startsWith('<input class="ac-input ac-choiceSetInput-filtered-textbox"'));

/** The sharer's preview (cards/leader-share-preview.json) in plain words, for docs/images; the scan has it at its longest. */
function readablePreview(): CardAttachment {
  const reflection = storedReflection({ id: "r1", completedAt: "2026-11-20T09:00:00.000Z", length: 90, filler: "Jeg giver teamet mere plads og spørger, før jeg svarer. ", followUps: 1 });
  const content = shareContentOf({ reflectionIds: ["r1"], reflectionDetail: "whole", focus: true, plan: true, pulse: false }, { reflections: [reflection], pulses: [] }, framework, now, "Europe/Copenhagen");
  assert.ok(content.ok);
  return sharePreviewCards({ content: content.value, readerName: "Jonas Chef", until: trusted("6.\u00a0januar 2027"), token: "t" })[0]!;
}

/** Renders every case once, noting which template each came from. */
function renderAll(): { cards: Array<{ name: string; card: CardAttachment }>; templates: Set<string> } {
  const templates = new Set<string>();
  observeRenders((name) => templates.add(name));
  try {
    return { cards: cardCases().map(([name, render]) => ({ name, card: render() })), templates };
  } finally {
    observeRenders(undefined);
  }
}

describe("Every card in Teams' light, dark and high-contrast themes (Chromium, adaptivecards, axe-core)", function () {
  this.timeout(180_000);
  const { cards, templates } = renderAll();
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 520, height: 900 } });
  });
  after(async () => {
    await browser?.close();
  });

  /** A page like Teams' message pane: the theme's ground and colour scheme, the card drawn in it. */
  const openTheme = async (theme: TeamsTheme) => {
    const ground = theme === "light" ? "#f5f5f5" : theme === "dark" ? "#1f1f1f" : "#000000";
    await page.setContent(`<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Kort i ${theme}</title>
      <style>:root { color-scheme: ${theme === "light" ? "light" : "dark"}; } body { margin: 0; padding: 16px; background: ${ground}; } #card { width: 460px; }</style>
      </head><body><main id="card"></main></body></html>`);
    await page.addScriptTag({ path: RENDERER });
  };
  const draw = (card: CardAttachment, theme: TeamsTheme) =>
    page.evaluate(`(() => {
      const adaptive = new AdaptiveCards.AdaptiveCard();
      adaptive.hostConfig = new AdaptiveCards.HostConfig(${JSON.stringify(TEAMS_HOST_CONFIGS[theme])});
      adaptive.parse(${JSON.stringify(card.content)});
      const element = adaptive.render();
      if (!element) throw new Error("the renderer drew nothing");
      document.getElementById("card").replaceChildren(element);
    })()`);

  it("scans a card from every template in cards/", () => {
    const missing = fs.readdirSync(CARDS_DIR).map((file) => path.basename(file, ".json")).filter((name) => !templates.has(name));
    assert.deepEqual(missing, []);
  });

  for (const theme of THEMES) {
    it(`has no serious or critical axe-core violation on any card in Teams' ${theme} theme`, async () => {
      await openTheme(theme);
      const found: string[] = [];
      for (const { name, card } of cards) {
        await draw(card, theme);
        for (const v of await axeViolations(page)) {
          if ((v.impact === "serious" || v.impact === "critical") && !excused(v)) found.push(`${name}: ${v.id} (${v.impact}) at ${v.html.map((tag) => tag.slice(0, 100)).join(" ")}: ${v.help}`);
        }
      }
      if (theme !== "light") {
        await draw(readablePreview(), theme);
        await page.locator("#card").screenshot({ path: path.join(projectRoot, "docs", "images", `til-min-leder-sharer-${theme}.png`) });
      }
      assert.deepEqual(found, [], `${cards.length} cards in ${theme}`);
    });
  }
});
