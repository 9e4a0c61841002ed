import assert from "node:assert/strict";
import path from "node:path";
import { trusted } from "../../src/kernel/shown";
import { loadFramework } from "../../src/content/loadContent";
import { createDraft } from "../../src/domain/reflection";
import { projectRoot } from "../../src/kernel/paths";
import { texts } from "../../src/kernel/texts";
import { pulseAnswerCard } from "../../src/cards/pulseCards";
import { statementsCard } from "../../src/cards/reflectionCards";

const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));
const levels = framework.ratingScale.levels;
const lowest = levels.find((l) => l.value === 1)!.label;
const highest = levels.find((l) => l.value === 5)!.label;
const textOf = (card: unknown) => JSON.stringify(card);

describe("the 1–5 scale, worded one way on every card and page that explains it (docs/sprog.md)", () => {
  it("names the ends as the framework's rating scale does", () => {
    assert.equal(texts.scaleEnds.lowest, lowest.toLocaleLowerCase("da-DK"));
    assert.equal(texts.scaleEnds.highest, highest.toLocaleLowerCase("da-DK"));
  });

  it("offers the framework's words for 1 and 5 on a reflection's statements", () => {
    const card = textOf(statementsCard({ token: "t", draft: createDraft(framework, framework.individualRoles[0]!.id, framework.themes[0]!.id, "d", new Date("2026-12-07T09:00:00.000Z")) }));
    assert.ok(card.includes(`1 – ${lowest}`) || card.includes(lowest), "1's words on the statements card");
    assert.ok(card.includes(highest), "5's words on the statements card");
  });

  it("explains the Vi-pulse's 1 and 5 with the same ends", () => {
    const card = textOf(pulseAnswerCard({ pulseId: "AbCdEfGhIjKlMnOp", groupId: "19:team@thread.v2", themeTitle: framework.themes[0]!.title, statements: [], closesText: trusted("7. december"), privacyText: trusted("") }));
    assert.ok(card.includes(`1 = ${texts.scaleEnds.lowest}, 5 = ${texts.scaleEnds.highest}`), card);
  });

  it("explains Indsigt's ratings with the same ends", () => {
    assert.ok(texts.insightPage.self.intro.includes(`fra 1 (${texts.scaleEnds.lowest}) til 5 (${texts.scaleEnds.highest})`));
  });
});
