import fs from "node:fs";
import path from "node:path";
import * as ACData from "adaptivecards-templating";
import { projectRoot } from "../kernel/paths";
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

const templates = new Map<CardName, ACData.Template>();

/** Expands cards/<name>.json with its typed view model. Templates are parsed once per process. */
export function renderCard<N extends CardName>(name: N, viewModel: CardViewModels[N]): CardAttachment {
  let template = templates.get(name);
  if (!template) {
    template = new ACData.Template(JSON.parse(fs.readFileSync(path.join(CARDS_DIR, `${name}.json`), "utf8")));
    templates.set(name, template);
  }
  const content = template.expand({ $root: viewModel }) as AdaptiveCard;
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
}
