import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../kernel/paths";
import { compileTemplate } from "./cardTemplate";
import type { CardName, CardViewModels } from "./viewModels";

export const CARDS_DIR = path.join(projectRoot, "cards");
export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

export type { CardName };

export interface AdaptiveCard {
  readonly type: "AdaptiveCard";
  readonly [key: string]: unknown;
}

/** A message attachment; the same shape botbuilder's CardFactory makes. */
export interface CardAttachment {
  readonly contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  readonly content: AdaptiveCard;
}

const templates = new Map<CardName, (viewModel: unknown) => unknown>();

/** cards/<name>.json, compiled once per process (see cardTemplate.ts). */
function templateOf(name: CardName): (viewModel: unknown) => unknown {
  let template = templates.get(name);
  if (!template) {
    template = compileTemplate(JSON.parse(fs.readFileSync(path.join(CARDS_DIR, `${name}.json`), "utf8")), name);
    templates.set(name, template);
  }
  return template;
}

/** Set by the test suite, which expands every card it renders with adaptivecards-templating too and compares. */
let observer: ((name: CardName, viewModel: unknown, content: unknown) => void) | undefined;
export function observeRenders(observe: typeof observer): void {
  observer = observe;
}

/** Expands cards/<name>.json with its typed view model. */
export function renderCard<N extends CardName>(name: N, viewModel: CardViewModels[N]): CardAttachment {
  const content = templateOf(name)(viewModel) as AdaptiveCard;
  observer?.(name, viewModel, content);
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
}

/**
 * Compiles every template at start-up: a template the compiler cannot read stops the start
 * (as a broken content file does) instead of the first user's turn, and no turn pays for it.
 */
export function compileAllCards(): number {
  const names = fs.readdirSync(CARDS_DIR).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -".json".length) as CardName);
  for (const name of names) templateOf(name);
  return names.length;
}
