import type { InsightConsent } from "../domain/insight/aggregate";
import { texts } from "../kernel/texts";
import type { CardVerb } from "../domain/cardSubmit";
import { GUESS_COMMAND_TEXT, type GuessedCommand } from "../domain/commandGuess";
import { helpCommands, typedCommand } from "../domain/commands";
import { cleanText, escapeMarkdown, shownAsTyped as md } from "../domain/cleanText";
import { EMPTY, shown, type Shown } from "../kernel/shown";
import { renderCard, type CardAttachment } from "./renderCard";


/** Our privacy line, with Indsigt's notice when it applies. */
export const privacyLine = (consent: InsightConsent | undefined): Shown => (consent ? shown`${texts.privacy} ${texts.insightNotice[consent]}` : texts.privacy);

/** What the leader answered, escaped as typed, or "Sprunget over". */
export const answered = (answer: string | null | undefined): Shown => (answer ? md(answer) : texts.card.skipped);

/**
 * The cards every surface answers with: the receipt that replaces a clicked card, help, a
 * guess at a mistyped command, an offer of a few buttons, and the pointer to the private chat. The reflection's cards are
 * in reflectionCards.ts, what a leader has stored in myDataCards.ts, their reminders in
 * reminderCards.ts, a group's in groupCards.ts and meetingCards.ts.
 */
export interface ReceiptItem {
  readonly label: Shown;
  readonly value: Shown;
}

/** The read-only card that replaces a submitted one, showing what was answered. */
export function receiptCard(args: {
  title: Shown;
  subtitle?: Shown;
  items?: readonly ReceiptItem[];
  large?: boolean;
  startButton?: boolean;
  /** »Del med min leder« (Til min leder), on a saved reflection's receipt. */
  shareButton?: boolean;
}): CardAttachment {
  return renderCard("receipt", {
    title: args.title,
    titleSize: args.large ? "Large" : "Default",
    subtitle: args.subtitle ?? EMPTY,
    items: args.items ?? [],
    actions: [
      ...(args.startButton ? [{ title: texts.card.startNew, verb: "startReflection" as const }] : []),
      ...(args.shareButton ? [{ title: texts.sharer.shareButton, verb: "shareWithLeader" as const }] : []),
    ],
  });
}

export function helpCard(args: { inPersonalChat: boolean; inMeeting?: boolean; insightConsent?: InsightConsent | undefined }): CardAttachment {
  return renderCard("help", {
    intro: args.inPersonalChat ? texts.helpIntroPersonal : args.inMeeting ? texts.helpIntroMeeting : texts.helpIntroChannel,
    commands: helpCommands(args.inPersonalChat ? "personal" : "group").map((entry) => ({ command: md(typedCommand(entry, true)), meaning: texts.commandHelp[entry.kind] ?? EMPTY })),
    privacyText: args.inPersonalChat ? privacyLine(args.insightConsent) : shown`${texts.privacy} ${texts.pulseHelp}`,
    showStart: args.inPersonalChat,
    buttons: args.inPersonalChat ? (["history", "progress", "reminders"] as const).map((c) => ({ title: texts.guessLabels[c], command: GUESS_COMMAND_TEXT[c] })) : [],
  });
}

/** Text that is not a command, with the command it probably meant as a button: nothing runs until it is clicked. */
export function guessCard(args: { text: string; command: GuessedCommand }): CardAttachment {
  const label = texts.guessLabels[args.command];
  return renderCard("guess", {
    notUnderstood: texts.notUnderstood(escapeMarkdown(cleanText(args.text))),
    question: texts.didYouMean(label),
    label,
    command: GUESS_COMMAND_TEXT[args.command],
    helpTitle: texts.guessLabels.help,
  });
}

/** Buttons that submit a verb (with its inputs), under a sentence: the first button is the one the sentence recommends. */
export function offerCard(args: { text: Shown; buttons: ReadonlyArray<{ title: string; verb: CardVerb; inputs?: Readonly<Record<string, string>> }> }): CardAttachment {
  return renderCard("offer", {
    text: args.text,
    actions: args.buttons.map((b, i) => ({ title: b.title, style: i === 0 ? ("positive" as const) : ("default" as const), data: { ...b.inputs, verb: b.verb } })),
  });
}

export function privateOnlyCard(args: { chatUrl: string }): CardAttachment {
  return renderCard("private-only", { text: texts.privateOnly, chatUrl: args.chatUrl });
}
