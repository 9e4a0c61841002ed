/**
 * Vi-pulsen's cards: the answer card, the invitation in a team's channel, the thanks with the
 * member's own choices (shown to them alone), and the leader's result. Results carry their
 * numbers as text (the bars are a picture of the same numbers).
 */
import type { Statement } from "../domain/framework";
import { shownAsTyped as md } from "../domain/cleanText";
import { DONT_KNOW, PULSE_SCALE, type PulseResult } from "../domain/group/pulse";
import { texts, upperFirst } from "../kernel/texts";
import { EMPTY, shown, trusted, type Shown } from "../kernel/shown";
import { danishDecimal } from "./format";
import { renderCard, type CardAttachment } from "./renderCard";

/** Where an answer card is, for its button: the pulse and the group's conversation. */
export interface PulseCardTarget {
  readonly pulseId: string;
  readonly groupId: string;
}

const scale = [...PULSE_SCALE.map((v) => ({ title: String(v), value: String(v) })), { title: texts.pulse.dontKnow, value: String(DONT_KNOW) }];

export function pulseAnswerCard(args: PulseCardTarget & { readonly themeTitle: Shown; readonly statements: readonly Statement[]; readonly current?: Readonly<Record<string, number>>; readonly closesText: Shown; readonly privacyText: Shown }): CardAttachment {
  return renderCard("pulse", {
    title: texts.pulse.title(args.themeTitle),
    question: texts.pulse.question,
    ratingLabel: texts.pulse.ratingLabel,
    ratingRequired: texts.pulse.ratingRequired,
    scale,
    statements: args.statements.map((s) => ({ id: s.id, text: s.text, value: args.current?.[s.id] !== undefined ? String(args.current[s.id]) : "" })),
    closesText: texts.pulse.closesText(args.closesText),
    privacyText: args.privacyText,
    sendTitle: texts.pulse.send,
    pulseId: args.pulseId,
    groupId: args.groupId,
  });
}

export function pulseInvitationCard(args: PulseCardTarget & { readonly themeTitle: Shown; readonly leaderName: string; readonly statementCount: number; readonly closesText: Shown }): CardAttachment {
  return renderCard("pulse-invitation", {
    title: texts.pulse.title(args.themeTitle),
    // The sentence starts with the name: "en tidligere deltager" too.
    invitationText: texts.pulse.teamInvitation(md(upperFirst(args.leaderName)), args.statementCount, args.closesText),
    privacyText: texts.pulse.privacy,
    answerTitle: texts.pulse.answerButton,
    pulseId: args.pulseId,
    groupId: args.groupId,
  });
}

/** What the one who answered sees in place of the answer card: their choices, for them only. */
export function pulseAnsweredCard(args: PulseCardTarget & { readonly statements: readonly Statement[]; readonly ratings: Readonly<Record<string, number>>; readonly closesText: Shown; readonly self: boolean; readonly privacyText: Shown }): CardAttachment {
  return renderCard("pulse-answered", {
    title: args.self ? texts.pulse.selfTitle : texts.pulse.thanks,
    note: args.self ? texts.pulse.selfNote : texts.pulse.closesText(args.closesText),
    yourAnswer: texts.pulse.yourAnswer,
    answers: args.statements.map((s) => ({ text: shown`• ${s.text}: **${ratingText(args.ratings[s.id])}**` })),
    privacyText: args.privacyText,
    changeTitle: texts.pulse.change,
    pulseId: args.pulseId,
    groupId: args.groupId,
  });
}

/** The leader's result in their 1:1 chat: the team's numbers beside the leader's own rating. */
export function pulseResultCard(args: {
  readonly themeTitle: Shown;
  readonly statements: readonly Statement[];
  readonly result: PulseResult;
  readonly closedText: Shown;
  readonly self?: Readonly<Record<string, number>>;
  readonly k: number;
}): CardAttachment {
  const { result } = args;
  if (result.kind === "hidden") {
    return renderCard("pulse-result", {
      title: texts.pulse.resultTitle(args.themeTitle),
      summary: result.because === "overlap" ? texts.pulse.hiddenOverlap : texts.pulse.hiddenTooFew(result.answered, args.k),
      statements: [],
      widestText: EMPTY,
    });
  }
  return renderCard("pulse-result", {
    title: texts.pulse.resultTitle(args.themeTitle),
    summary: texts.pulse.answered(result.answered, args.closedText),
    statements: pulseStatementViews(args.statements, result, args.k).map((view) => ({ ...view.view, beside: texts.pulse.beside(view.mean, args.self?.[view.id]) })),
    widestText: widestText(args.statements, result),
  });
}

/** A shown result's statements as the cards show them: the distribution and the average as text. */
export function pulseStatementViews(statements: readonly Statement[], result: Extract<PulseResult, { kind: "shown" }>, k: number) {
  return statements.map((s) => {
    const counted = result.statements.find((r) => r.statementId === s.id);
    if (!counted) return { id: s.id, mean: undefined, view: { text: s.text, rows: [{ text: texts.pulse.tooFewRated(k) }], meanText: EMPTY } };
    return {
      id: s.id,
      mean: danishDecimal(counted.mean),
      view: { text: s.text, rows: texts.pulse.distributionRows(counted.distribution, counted.dontKnow).map((text) => ({ text })), meanText: texts.pulse.mean(counted.mean, counted.rated) },
    };
  });
}

export function widestText(statements: readonly Statement[], result: Extract<PulseResult, { kind: "shown" }>): Shown {
  const widest = result.widest ? statements.find((s) => s.id === result.widest) : undefined;
  return widest ? texts.pulse.widest(widest.text) : trusted("");
}

function ratingText(value: number | undefined): Shown {
  return value === undefined ? trusted("–") : value === DONT_KNOW ? texts.pulse.dontKnow : shown`${value}`;
}

