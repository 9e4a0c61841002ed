/**
 * How big an outgoing message is, measured as Teams measures it, and how to keep text within
 * that. Teams counts a bot's message as UTF-16 (two bytes a code unit); its documented limit
 * went from about 40 KB to 100 KB (80 KB advised), and we keep to 40 KB for the whole activity,
 * so a message fits every client and leaves room for what the Connector adds.
 */
export const TEAMS_MESSAGE_BUDGET_BYTES = 40 * 1024;

/** What a message text may take, leaving room for the activity around it (ids, addresses, entities). */
export const TEXT_BUDGET_BYTES = TEAMS_MESSAGE_BUDGET_BYTES - 4 * 1024;

/** A value's size as Teams counts it: its JSON as UTF-16. */
export function utf16Bytes(value: unknown): number {
  return 2 * (typeof value === "string" ? value.length : JSON.stringify(value ?? null).length);
}

/**
 * Parts of a text (a meeting's minutes, one each) joined into as few messages as fit the
 * budget, each part whole where it fits. A part bigger than a message on its own is split at
 * its paragraphs, then its lines, then between words; a single word longer than a message
 * (no one writes one) is the only thing ever cut. Nothing is left out or reordered: only the
 * blank space where one message ends and the next begins goes.
 */
export function fitMessages(parts: readonly string[], budgetBytes = TEXT_BUDGET_BYTES, separator = "\n\n"): string[] {
  const max = Math.floor(budgetBytes / 2);
  const messages: string[] = [];
  const add = (piece: string, joiner: string) => {
    const last = messages.at(-1);
    if (last !== undefined && last.length + joiner.length + piece.length <= max) messages[messages.length - 1] = `${last}${joiner}${piece}`;
    else messages.push(piece);
  };
  const place = (text: string, joiner: string, splitters: readonly string[]) => {
    if (text.length <= max) return add(text, joiner);
    const [splitter, ...finer] = splitters;
    if (splitter === undefined) {
      for (let at = 0; at < text.length; at += max) add(text.slice(at, at + max), at === 0 ? joiner : "");
      return;
    }
    text.split(splitter).forEach((piece, i) => place(piece, i === 0 ? joiner : splitter, finer));
  };
  parts.forEach((part, i) => place(part, i === 0 ? "" : separator, ["\n\n", "\n", " "]));
  return messages;
}
