import { shownAsTyped as md } from "../domain/cleanText";
import type { Reflection } from "../domain/reflection";
import { TEXT_BUDGET_BYTES, utf16Bytes } from "../domain/messageSize";
import { SHARE_LIMITS, type ShareContent, type SharedReflection, type ShareSelection } from "../domain/sharing/content";
import { EMPTY, lowerCased, shown, type Shown } from "../kernel/shown";
import { texts } from "../kernel/texts";
import { isLive, type Share } from "../domain/sharing/share";
import { danishDate, danishDateTime, danishDecimal } from "./format";
import { lastReadableDay } from "./shareCards";
import { renderCard, type CardAttachment } from "./renderCard";
import type { SharedSectionView } from "./viewModels";
import { answered } from "./views";

/**
 * Til min leder, the sharer's cards: the choice of what to share and with whom, and the preview,
 * which is the frozen copy (ShareContent) itself drawn as cards, so the preview shows exactly what
 * will be sent. The reader's page and cards are in shareCards.ts.
 */

/** What the choice card shows again after »Ret i det valgte«: the leader's own earlier ticks. */
export interface ChoiceAgain {
  readonly selection: ShareSelection;
  readonly days: number;
  readonly reader: { readonly aadObjectId: string; readonly name: string } | undefined;
}

export function shareChoiceCard(args: {
  /** The leader's newest reflections (at most SHARE_LIMITS.reflections), newest first. */
  reflections: readonly Reflection[];
  /** How many closed Vi-pulses the leader has: none, and the toggle is not there. */
  closedPulses: number;
  /** The leader's manager from Microsoft Graph, filled in as the reader; undefined: the picker is empty. */
  manager: { readonly aadObjectId: string; readonly name: string } | undefined;
  /** The leader's local date, and a year before it (the change's default period). */
  today: string;
  yearAgo: string;
  again?: ChoiceAgain;
}): CardAttachment {
  const { again } = args;
  const selection = again?.selection;
  const reader = again?.reader ?? args.manager;
  const flag = (on: boolean | undefined) => (on ? "true" : "false");
  return renderCard("leader-share-choose", {
    introText: texts.sharer.chooseIntro,
    reflections: args.reflections.slice(0, SHARE_LIMITS.reflections).map((r) => ({ title: texts.sharer.reflectionChoice(danishDate(r.completedAt), r.themeTitle, r.short === true), value: r.id })),
    reflectionIds: (selection?.reflectionIds ?? []).join(","),
    // Nothing chosen until the leader chooses: "whole" is never assumed.
    detail: selection && selection.reflectionIds.length > 0 ? selection.reflectionDetail : "",
    focus: flag(selection?.focus),
    plan: flag(selection?.plan),
    change: flag(selection?.change !== undefined),
    changeFrom: selection?.change?.from ?? args.yearAgo,
    changeTo: selection?.change?.to ?? args.today,
    today: args.today,
    pulse: flag(selection?.pulse),
    pulseText: args.closedPulses > 0 ? texts.sharer.morePulses(Math.min(args.closedPulses, SHARE_LIMITS.pulses)) : EMPTY,
    readerText: args.manager ? texts.sharer.managerFound(md(args.manager.name)) : texts.sharer.noManager,
    // The people picker shows a chosen person by the choice that carries their id.
    readerChoices: reader ? [{ title: reader.name, value: reader.aadObjectId }] : [],
    readerValue: reader?.aadObjectId ?? "",
    days: again?.days ?? SHARE_LIMITS.defaultDays,
    maxDays: SHARE_LIMITS.maxDays,
  });
}

/**
 * A part of the copy that a message may hold: a whole reflection's head with its ratings, one of
 * its questions, its focus, its plan, the change, one Vi-pulse. The packer puts as many in a
 * message as fit; one alone always fits, as each field of a reflection is bounded (domain LIMITS).
 */
interface Block {
  readonly section: SharedSectionView;
  /** The title the block's section takes when it starts a message away from its reflection's head. */
  readonly continuedTitle: Shown;
}

const row = (label: Shown, value: Shown, detail: Shown = EMPTY) => ({ label, value, detail });
const section = (parts: Partial<SharedSectionView> & Pick<SharedSectionView, "rows">): SharedSectionView => ({ title: EMPTY, subtitle: EMPTY, heading: EMPTY, ...parts });

function reflectionBlocks(reflection: SharedReflection): Block[] {
  const c = texts.sharer.copy;
  const continuedTitle = c.continued(reflection.themeTitle);
  const blocks: Block[] = [
    {
      continuedTitle,
      section: section({
        title: reflection.themeTitle,
        subtitle: c.reflectionMeta(danishDate(reflection.completedAt), lowerCased(reflection.roleName), reflection.short === true),
        heading: c.ratings,
        rows: reflection.statements.map((s) => row(s.text, shown`${s.rating} – ${s.ratingLabel}`, s.note ? shown`${texts.card.note}: ${md(s.note)}` : EMPTY)),
      }),
    },
  ];
  (reflection.questions ?? []).forEach((q, i) => blocks.push({ continuedTitle, section: section({ heading: i === 0 ? c.questions : EMPTY, rows: [row(q.text, answered(q.answer))] }) }));
  const focus = reflection.focus;
  if (focus) {
    const focusRows = [row(c.focusOn(focus.deeper.statement), answered(focus.deeper.answer), focus.deeper.prompt)];
    if (focus.strength) focusRows.push(row(c.strengthOn(focus.strength.statement), answered(focus.strength.answer), focus.strength.prompt));
    blocks.push({ continuedTitle, section: section({ heading: c.focus, rows: focusRows }) });
  }
  const plan = reflection.plan;
  if (plan) {
    blocks.push({
      continuedTitle,
      section: section({
        heading: c.plan,
        rows: [
          row(c.nextStep, plan.commitment ? md(plan.commitment) : c.noPlan),
          ...plan.followUps.map((f) => row(c.followUp(danishDate(f.at)), f.outcome ? texts.card.planOutcomes[f.outcome] : EMPTY, md(f.text))),
        ],
      }),
    });
  }
  return blocks;
}

/** The copy as blocks, in the order the other person reads it: reflections (newest first), the change, the Vi-pulses. */
function contentBlocks(content: ShareContent): Block[] {
  const c = texts.sharer.copy;
  const blocks = content.reflections.flatMap(reflectionBlocks);
  if (content.change) {
    const title = c.changeTitle(danishDate(content.change.from), danishDate(content.change.to));
    blocks.push({ continuedTitle: title, section: section({ title, subtitle: c.changeSubtitle, rows: content.change.statements.map((s) => row(c.changeLabel(s.themeTitle, s.text), c.changeValue(s.first, s.last, s.reflections))) }) });
  }
  for (const pulse of content.pulses ?? []) {
    const title = c.pulseTitle(pulse.themeTitle);
    blocks.push({
      continuedTitle: title,
      section: section({
        title,
        subtitle: pulse.shown ? c.pulseShown(danishDate(pulse.closedAt), pulse.answered) : c.pulseHidden(danishDate(pulse.closedAt)),
        rows: pulse.statements.map((s) => row(s.text, c.pulseValue(s.team === undefined ? undefined : danishDecimal(s.team), s.self))),
      }),
    });
  }
  return blocks;
}

/**
 * The preview: the copy drawn as as few messages as fit Teams' budget (TEXT_BUDGET_BYTES each,
 * as Teams counts them), in reading order. Only the last says who will see it until when and
 * carries »Send« and »Ret i det valgte«; a copy too big for one message is never cut, only
 * continued in the next.
 */
export function sharePreviewCards(args: { content: ShareContent; readerName: string | undefined; until: Shown; token: string; budgetBytes?: number }): CardAttachment[] {
  const budget = args.budgetBytes ?? TEXT_BUDGET_BYTES;
  // No name from Graph: the leader confirms sending to »den valgte person«, and is told plainly why it says so.
  const readerName = args.readerName ?? texts.sharer.someone;
  const title = texts.sharer.previewTitle(md(readerName));
  const who = texts.sharer.previewWho(md(readerName), args.until);
  const whoText = args.readerName === undefined ? shown`${who} ${texts.sharer.nameUnknown}` : who;
  // Drawn as the last part, the heaviest a part can be: a part that fits so fits anywhere.
  const draw = (sections: readonly SharedSectionView[], part: number, parts: number, last: boolean) =>
    renderCard("leader-share-preview", {
      title,
      partText: parts > 1 ? texts.sharer.previewPart(part, parts) : EMPTY,
      sections,
      whoText: last ? whoText : EMPTY,
      token: last ? args.token : "",
      readerName,
    });
  const fits = (sections: readonly SharedSectionView[]) => utf16Bytes(draw(sections, 99, 99, true)) <= budget;

  const parts: SharedSectionView[][] = [];
  let current: SharedSectionView[] = [];
  for (const block of contentBlocks(args.content)) {
    const candidate = [...current, block.section];
    if (current.length === 0 || fits(candidate)) {
      current = candidate;
      continue;
    }
    parts.push(current);
    // A block that opens a message away from its reflection's head says whose it is.
    current = [block.section.title === EMPTY ? { ...block.section, title: block.continuedTitle } : block.section];
  }
  parts.push(current);
  return parts.map((sections, i) => draw(sections, i + 1, parts.length, i === parts.length - 1));
}

/** A question as »mine delinger« lists it: whole when the card has room, else its start (the questions card has it whole). */
const QUESTION_PREVIEW = 140;
/** The newest shares »mine delinger« shows; the rest are counted. */
export const LISTED_SHARES = 20;

/**
 * »mine delinger«: every share the leader made, newest first, with its reader, its dates, when it
 * was first opened, its state and the questions back. An active share past its expiry is said to
 * have expired, whether or not the scheduler has ended it yet: the time decides, as for the reader.
 */
export function mySharesCard(args: { shares: readonly Share[]; now: Date; timezone: string; budgetBytes?: number }): CardAttachment {
  const budget = args.budgetBytes ?? TEXT_BUDGET_BYTES;
  const s = texts.sharer;
  const newest = [...args.shares].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const view = (shares: readonly Share[], shortQuestions: boolean) => ({
    introText: s.sharesIntro,
    shares: shares.map((share) => {
      const live = isLive(share, args.now);
      const state = live ? "active" : share.state === "active" ? "expired" : share.state;
      const ended = share.endedAt ?? share.expiresAt;
      return {
        shareId: share.id,
        line: s.shareLine(md(share.reader.name), s.state[state]),
        dates: live ? s.sharedDates(danishDate(share.createdAt, args.timezone), lastReadableDay(share.expiresAt)) : s.endedDates(danishDate(share.createdAt, args.timezone), danishDate(ended, args.timezone)),
        opened: share.firstOpenedAt ? s.openedAt(danishDateTime(new Date(share.firstOpenedAt), args.timezone), share.opens) : s.notOpened,
        questionsHeading: share.questions.length > 0 ? s.questionsHeading(share.questions.length) : EMPTY,
        questions: share.questions.map((q) => ({ text: md(shortQuestions && q.text.length > QUESTION_PREVIEW ? `${q.text.slice(0, QUESTION_PREVIEW - 1)}…` : q.text) })),
        canWithdraw: live,
      };
    }),
    moreText: shares.length < args.shares.length ? s.olderShares(args.shares.length - shares.length) : EMPTY,
  });
  // Whole questions when they fit; then their starts; then fewer (older) shares, counted.
  let shown = newest.slice(0, LISTED_SHARES);
  let card = renderCard("leader-shares", view(shown, false));
  if (utf16Bytes(card) <= budget) return card;
  for (;;) {
    card = renderCard("leader-shares", view(shown, true));
    if (utf16Bytes(card) <= budget || shown.length <= 1) return card;
    shown = shown.slice(0, -1);
  }
}
