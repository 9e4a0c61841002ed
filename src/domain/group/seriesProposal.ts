/**
 * The series a Teams meeting's details suggest, for the "opsæt" card.
 */
import { dateTimeFormat } from "../time";
import { texts } from "../../kernel/texts";
import { MEETING_DURATIONS, type SeriesProposal } from "./groupSettings";
import { escapeMarkdown } from "../cleanText";

/**
 * The series a scheduled Teams meeting suggests: its weekday and start (to the quarter hour)
 * and length, in the group's zone. None for an instant meeting, a meeting without times, or
 * one on a weekend (the card offers weekdays only).
 */
export function proposeSeries(details: { readonly scheduledStart?: string; readonly scheduledEnd?: string; readonly type?: string }, timezone: string): SeriesProposal | undefined {
  if (!details.scheduledStart || !details.scheduledEnd) return undefined;
  const start = new Date(details.scheduledStart);
  const end = new Date(details.scheduledEnd);
  if (!Number.isFinite(start.getTime()) || !Number.isFinite(end.getTime()) || end <= start) return undefined;
  const local = (at: Date) => {
    const parts = Object.fromEntries(
      dateTimeFormat("en-GB", { timeZone: timezone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at).map((p) => [p.type, p.value]),
    );
    return { weekday: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday ?? "") + 1, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
  };
  const from = local(start);
  if (from.weekday < 1 || from.weekday > 5) return undefined;
  const quarter = Math.round(from.minutes / 15) * 15;
  if (quarter < 7 * 60 || quarter > 19 * 60 + 45) return undefined;
  const time = clock(quarter);
  const length = (end.getTime() - start.getTime()) / 60_000;
  const durationMinutes = MEETING_DURATIONS.reduce((best, d) => (Math.abs(d - length) < Math.abs(best - length) ? d : best), 60);
  const until = clock(local(end).minutes);
  const recurring = details.type === "Recurring";
  const text = recurring
    ? texts.meeting.proposalWeekly(texts.weekdayName(from.weekday), escapeMarkdown(shortClock(time)), escapeMarkdown(shortClock(until)))
    : texts.meeting.proposal(texts.weekdayName(from.weekday), escapeMarkdown(shortClock(time)), escapeMarkdown(shortClock(until)));
  return { weekday: from.weekday, time, durationMinutes, ...(recurring ? { frequency: "weekly" as const } : {}), text };
}

const clock = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** "10:00" → "10", "10:30" → "10.30", as Danes write times in a sentence. */
const shortClock = (time: string) => (time.endsWith(":00") ? String(Number(time.slice(0, 2))) : `${Number(time.slice(0, 2))}.${time.slice(3)}`);
