import assert from "node:assert/strict";
import { agreementReminderCard, agreementsAlreadySavedText, agreementsListCard, agreementsSavedCard, invitationCard, meetingStartCard, pointSharedCard, sharePreviewCard, statusChangedText } from "../../src/cards/meetingCards";
import { groupStatusCard } from "../../src/cards/groupCards";
import { allMeetingsMinutes, meetingMinutes } from "../../src/cards/minutes";
import { historyCard, reflectionDetailCard } from "../../src/cards/myDataCards";
import { exportMarkdown } from "../../src/cards/exportDocument";
import { insightMessage } from "../../src/cards/insightPage";
import type { CardAttachment } from "../../src/cards/renderCard";
import { loadFramework } from "../../src/content/loadContent";
import { cleanText, escapeMarkdown } from "../../src/domain/cleanText";
import type { Agreement, GroupMeeting } from "../../src/domain/group/model";
import { asReflectionId, asRoleId, asTenantId, asThemeId, asUserId } from "../../src/domain/ids";
import type { Reflection } from "../../src/domain/reflection";
import { trusted } from "../../src/kernel/shown";
import { projectRoot } from "../../src/kernel/paths";
import path from "node:path";

/** What a hostile or careless member could write as an agreement, a point, a note or their name. */
const HOSTILE = [
  "Opdatér [mødeplanen](https://evil.example/login) inden fredag",
  "# Overskrift der råber",
  "*fed* og _kursiv_ og ~~streg~~",
  "![billede](https://evil.example/x.png)",
  "- en liste",
  "1. et nummer",
  "<b>fed</b> | en | tabel |",
  "> et citat med `kode`",
  "Mette \u202Erednel ne –\u202C",
  "Nul\u0000tegn\u0007 og \u0085 og \u2066isolat\u2069",
];

const CONTROL_OR_BIDI = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const LIVE_LINK = /(^|[^\\])!?\[[^\]]*\]\(/;

/** The texts Teams renders as Markdown on a card: TextBlocks and facts (inputs and buttons show as they are). */
function shownTexts(card: CardAttachment): string[] {
  const texts: string[] = [];
  const walk = (node: unknown, inFacts: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, inFacts));
    if (!node || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    if (n.type === "TextBlock" && typeof n.text === "string") texts.push(n.text);
    if (inFacts) for (const key of ["title", "value"]) if (typeof n[key] === "string") texts.push(n[key] as string);
    for (const [key, value] of Object.entries(n)) walk(value, key === "facts" || (inFacts && key !== "actions"));
  };
  walk(card.content, false);
  return texts;
}

/**
 * The hostile text shows as typed: cleaned of what no one can see and every Markdown character
 * escaped (so no heading, list, quote or emphasis starts from it), never raw, and no link,
 * control or bidi character anywhere on the surface.
 */
function assertInert(surface: string, texts: readonly string[], hostile: string): void {
  const all = texts.join("\n");
  assert.doesNotMatch(all, CONTROL_OR_BIDI, `${surface}: no control or bidi character`);
  assert.doesNotMatch(all, LIVE_LINK, `${surface}: no live Markdown link or image`);
  const typed = cleanText(hostile);
  const escaped = escapeMarkdown(typed);
  // Long sentences are shortened on some surfaces ("»…«"): the first 20 characters show escaped.
  assert.ok(all.includes(escaped.slice(0, 20)), `${surface}: shows ${JSON.stringify(escaped.slice(0, 20))} in ${JSON.stringify(all.slice(0, 400))}`);
  // Wherever the text shows, it shows escaped: take the escaped copies out, and no raw one is left.
  const rest = all.split(escaped).join("");
  if (escaped !== typed) assert.ok(!rest.includes(typed.slice(0, 20)), `${surface}: never the raw ${JSON.stringify(typed.slice(0, 20))}`);
}

const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));
const theme = framework.themes[0]!;
const timezone = "Europe/Copenhagen";

function meetingsWith(hostile: string): { earlier: GroupMeeting; today: GroupMeeting; agreement: Agreement } {
  const by = { name: hostile, aadObjectId: "00000000-0000-4000-8000-000000000009" };
  const agreement: Agreement = {
    id: "a1", text: hostile, responsible: hostile, due: "2026-12-15", status: "done", createdBy: by, createdAt: "2026-12-01T10:05:00.000Z",
    changes: [{ at: "2026-12-08T09:15:00.000Z", by, status: "done" }, { at: "2026-12-08T09:16:00.000Z", by, before: { text: "før", responsible: "Mette" } }],
  };
  const base = { pk: "group|x", type: "meeting" as const, themeId: theme.id, source: "series" as const, people: [] };
  const earlier: GroupMeeting = { ...base, id: "meeting|2026-12-01T09:00:00.000Z", start: "2026-12-01T09:00:00.000Z", end: "2026-12-01T10:00:00.000Z", agreements: [agreement], points: [{ id: "p1", text: hostile, by }], agreementsSavedBy: by, agreementsSavedAt: "2026-12-01T10:05:00.000Z" };
  const today: GroupMeeting = { ...base, id: "meeting|2026-12-08T09:00:00.000Z", start: "2026-12-08T09:00:00.000Z", end: "2026-12-08T10:00:00.000Z", agreements: [], points: [{ id: "p2", text: hostile, by }] };
  return { earlier, today, agreement };
}

function reflectionWith(hostile: string): Reflection {
  return {
    id: asReflectionId("r1"), tenantId: asTenantId("t"), userId: asUserId("u"), roleId: asRoleId("leder-af-leder"), roleName: trusted("Leder af leder"),
    themeId: asThemeId(theme.id), themeTitle: theme.title, contentVersion: "1#abc", sharedStatements: [],
    statements: [{ id: "s1" as never, text: trusted("Jeg sikrer driften"), rating: 2, ratingLabel: trusted("I nogen grad"), note: hostile }, { id: "s2" as never, text: trusted("Jeg lytter"), rating: 4, ratingLabel: trusted("I høj grad"), note: null }],
    questions: [{ id: "q1" as never, text: trusted("Hvad lykkes?"), isFallback: false, answer: hostile }],
    commitment: hostile, followUpDate: null, startedAt: "2026-12-01T09:00:00.000Z", completedAt: "2026-12-01T09:30:00.000Z",
    followUps: [{ text: hostile, at: "2026-12-05T09:00:00.000Z" }],
  };
}

describe("text a member wrote as Markdown, bidi or controls, on every surface (table over the views)", () => {
  for (const hostile of HOSTILE) {
    describe(`${JSON.stringify(hostile)}`, () => {
      const { earlier, today, agreement } = meetingsWith(hostile);
      const questions = framework.questions(theme.id, asRoleId("leder-af-leder"), "ledergruppen").map((q) => q.text);

      it("shows as typed on the cards and the updated cards of the meeting loop", () => {
        const cards: Record<string, CardAttachment> = {
          "Dagens refleksion (as posted and as a status click re-draws it)": meetingStartCard({ meeting: today, theme, questions, open: [{ meeting: earlier, agreement }], timezone }),
          "aftaler": agreementsListCard([earlier], timezone),
          "the saved agreements": agreementsSavedCard([agreement], timezone),
          "the 1:1 reminder": agreementReminderCard({ agreement, groupName: hostile, meeting: earlier, timezone }),
          "the invitation": invitationCard({ title: trusted("I morgen"), groupName: hostile, whenText: trusted("8. december"), themeId: theme.id, groupId: "19:x", meetingId: today.id }),
          "the share preview": sharePreviewCard({ whereText: trusted("På kortet"), point: hostile, byText: hostile, replaces: false, token: "t", groupId: "19:x", meetingId: today.id }),
          "the shared point": pointSharedCard({ whereText: trusted("På kortet"), point: hostile, byText: hostile, groupId: "19:x", meetingId: today.id, pointId: "p2" }),
          "status": groupStatusCard({ next: [], recent: [], changedBy: { name: hostile, when: trusted("i dag") } }),
        };
        for (const [surface, card] of Object.entries(cards)) assertInert(surface, shownTexts(card), hostile);
      });

      it("shows as typed in message text", () => {
        assertInert("»…« står nu som gjort", [statusChangedText(agreement)], hostile);
        assertInert("already saved by", [agreementsAlreadySavedText(earlier, timezone)], hostile);
      });

      it("shows as typed in the minutes and the whole record", () => {
        const minutes = meetingMinutes({ meeting: earlier, dateText: trusted("1. december"), themeTitle: theme.title, questions, followedUp: [{ agreement, dateText: trusted("1. december") }], dateOf: () => trusted("15. december") });
        assertInert("referat", [minutes], hostile);
        assertInert("referat alle", [allMeetingsMinutes({ groupName: hostile, firstDateText: trusted("1. december"), meetings: [minutes] })], hostile);
      });

      it("shows as typed on the leader's own cards and in the export", () => {
        const reflection = reflectionWith(hostile);
        assertInert("a reflection opened from the history", shownTexts(reflectionDetailCard(reflection)), hostile);
        assertInert("historik", shownTexts(historyCard({ reflections: [reflection], more: undefined, continued: false })), hostile);
        const data = { exportedAt: "2026-12-08T09:00:00.000Z", frameworkTitle: framework.title, frameworkInSentence: framework.titleInSentence, roleName: undefined, profile: undefined, draft: undefined, reflections: [reflection], schedules: [], groupContributions: [], sharedPoints: [{ groupName: hostile, meetingStart: today.start, showName: true, text: hostile, sharedAt: today.start } as never], teamPulses: [] };
        assertInert("the export's Markdown", [exportMarkdown(data)], hostile);
      });

      it("is HTML-escaped on a page", () => {
        const page = insightMessage({ title: hostile, text: hostile });
        assert.doesNotMatch(page, /<(?!\/?(section|h2|p)\b)/, "no tag but the page's own");
      });
    });
  }
});
