/**
 * What a card's text inputs hold, made clean at the edge.
 */
import { cleanText } from "../cleanText";

/** A card input as clean, trimmed text on one line: "" when absent, null when it is not text or absurdly long. */
export function cardTextInput(value: unknown): string | null {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string" || value.length > 2_000) return null;
  return cleanText(value).replace(/\s+/g, " ").trim();
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return Number.isFinite(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}
