import { shownAsTyped as md } from "../domain/cleanText";
import { EMPTY } from "../kernel/shown";
import { texts } from "../kernel/texts";
import { danishDate } from "./format";
import { renderCard, type CardAttachment } from "./renderCard";

/**
 * Til min leder's cards in chat. None carries what was shared: the reader's notice says who
 * shared and until when, and opens the tab, where access is checked at every request. So when a
 * share ends, nothing of it is left in a chat; the notice is only re-drawn to say it has ended.
 * The questions back are the reader's words in the sharer's chat: erased with either person.
 */

/** The reader's notice: who shared, until when, and a button to the tab (a Teams deep link). */
export function shareNoticeCard(args: { readonly sharerName: string; readonly expiresAt: string; readonly openUrl: string }): CardAttachment {
  const t = texts.shareNotice;
  return renderCard("share-notice", { fallback: t.fallback, title: t.title, lead: t.lead(md(args.sharerName), lastReadableDay(args.expiresAt)), how: t.how, openTitle: t.open, openUrl: args.openUrl });
}

/** What the notice becomes when the share ends (withdrawn, expired, erased): no name, no content, no button. */
export function shareEndedCard(): CardAttachment {
  const t = texts.shareNotice;
  return renderCard("share-notice", { fallback: t.endedTitle, title: t.endedTitle, lead: t.ended, how: EMPTY, openTitle: EMPTY, openUrl: "" });
}

/** The reader's questions in the sharer's chat, with the button that takes them into the next reflection or plan. */
export function shareQuestionsCard(args: { readonly readerName: string; readonly questions: readonly string[]; readonly shareId: string }): CardAttachment {
  const t = texts.shareQuestions;
  return renderCard("share-questions", {
    fallback: t.fallback,
    title: t.title,
    lead: t.lead(md(args.readerName)),
    questions: args.questions.map((q) => ({ text: md(q) })),
    takeTitle: t.take,
    shareId: args.shareId,
  });
}

/** The questions card once either person erased their data: the questions are gone from the chat too. */
export function shareQuestionsErasedCard(): CardAttachment {
  const t = texts.shareQuestions;
  return renderCard("share-questions", { fallback: t.erasedTitle, title: t.erasedTitle, lead: t.erased, questions: [], takeTitle: EMPTY, shareId: "" });
}

/** The last day a share can be read, as the reader reads dates (a share expiring at midnight reads "until the day before"). */
export function lastReadableDay(expiresAt: string): ReturnType<typeof danishDate> {
  return danishDate(new Date(new Date(expiresAt).getTime() - 1).toISOString(), "Europe/Copenhagen");
}
