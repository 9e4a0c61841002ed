import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import * as ACData from "adaptivecards-templating";
import { CARDS_DIR, observeRenders, type CardName } from "../../src/cards/renderCard";

/**
 * The cards are expanded by our compiled templates (src/cards/cardTemplate.ts). Throughout the
 * suite, every card rendered is expanded again by adaptivecards-templating, the engine the
 * templates are written for, and the two must be equal: every test that renders a card checks
 * the compiler with the view models real flows make.
 */
const reference = new Map<CardName, ACData.Template>();
const differences: string[] = [];

export function compareEveryRender(): void {
  observeRenders((name, viewModel, content) => {
    let template = reference.get(name);
    if (!template) {
      template = new ACData.Template(JSON.parse(fs.readFileSync(path.join(CARDS_DIR, `${name}.json`), "utf8")));
      reference.set(name, template);
    }
    const expected = template.expand({ $root: viewModel }) as unknown;
    try {
      assert.deepStrictEqual(content, expected);
    } catch (error) {
      differences.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

/** The differences since the last call (a test's), emptied. */
export function takeRenderDifferences(): string[] {
  return differences.splice(0);
}
