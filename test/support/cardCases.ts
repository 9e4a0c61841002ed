import { shareEndedCard, shareNoticeCard, shareQuestionsCard, shareQuestionsErasedCard } from "../../src/cards/shareCards";
import { SHARE_LIMITS } from "../../src/domain/sharing/content";
import assert from "node:assert/strict";
import { trusted } from "../../src/kernel/shown";
import path from "node:path";
import { focusCard } from "../../src/cards/reflectionCards";
import { guessCard } from "../../src/cards/views";
import { confirmCancelCard, questionCard, resumeCard, roleChoiceCard, savedCard, statementsCard, summaryCard, themeChoiceCard, ratingsReceipt } from "../../src/cards/reflectionCards";
import { helpCard, offerCard, privateOnlyCard } from "../../src/cards/views";
import { historyCard, reflectionDetailCard, progressCard, exportCard, confirmDeleteCard } from "../../src/cards/myDataCards";
import { remindersCard, nudgeCard, pauseCard, followUpCard } from "../../src/cards/reminderCards";
import { Groups } from "../../src/group/groups";
import { groupStatusCard, weeklyThemeCard } from "../../src/cards/groupCards";
import { defaultGroupSettings, withProposal } from "../../src/domain/group/groupSettings";
import { pulseAnswerCard, pulseAnsweredCard, pulseInvitationCard, pulseResultCard } from "../../src/cards/pulseCards";
import { pulseResult, tally } from "../../src/domain/group/pulse";
import { agreementEditCard, agreementReminderCard, agreementsCard, agreementsListCard, invitationCard, meetingStartCard, minutesDownloadCard, pointSharedCard, sharePointCard, sharePreviewCard } from "../../src/cards/meetingCards";
import { AGREEMENT_LIMITS, type GroupMeeting } from "../../src/domain/group/model";
import { progressByTheme, suggestedFocus } from "../../src/domain/progress";
import { type CardAttachment } from "../../src/cards/renderCard";
import { loadFramework } from "../../src/content/loadContent";
import { asTenantId, asUserId } from "../../src/domain/ids";
import { completeDraft, createDraft, LIMITS, recordAnswer, recordFocus, recordRatings, type ReflectionDraft } from "../../src/domain/reflection";
import { themeChoices } from "../../src/domain/themeSuggestion";
import { projectRoot } from "../../src/kernel/paths";
import { testDaysOff } from "../support/teamsChat";
import { mySharesCard, shareChoiceCard, sharePreviewCards } from "../../src/cards/sharingCards";
import { shareContentOf } from "../../src/domain/sharing/selection";
import { closedPulse, storedReflection } from "../support/shareFixtures";


export const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));
export const now = new Date("2026-11-23T09:00:00Z");
const user = { tenantId: asTenantId("t"), userId: asUserId("u") };

/** A draft rated, focused and answered, every answer `answerLength` characters long. */
export function answeredDraft(roleId: string, themeId: string, answerLength: number): ReflectionDraft {
  let draft = createDraft(framework, roleId as never, themeId as never, "d", now);
  const inputs = Object.fromEntries(draft.statements.flatMap((s) => [[`rating:${s.id}`, "5"], [`note:${s.id}`, "n".repeat(LIMITS.note)]]));
  const rated = recordRatings(draft, inputs, now);
  assert.ok(rated.ok);
  // The focus card's two answers at their longest, too.
  const focusAnswer = "æ😀\n".repeat(Math.floor(Math.min(answerLength, LIMITS.focusAnswer) / 4));
  const focused = recordFocus(rated.value, { focusDeeper: focusAnswer, focusStrength: focusAnswer }, now);
  assert.ok(focused.ok);
  draft = focused.value;
  for (let i = 0; i < draft.questions.length; i += 1) {
    const answered = recordAnswer(draft, i, "æ😀\n".repeat(Math.floor(answerLength / 4)), now);
    assert.ok(answered.ok);
    draft = answered.value;
  }
  return draft;
}

/**
 * Every card the bot sends, each at its largest or in each of its states, with sample data:
 * one list for the Node checks (test/cards) and the browser's themes (test/e2e/cardThemes).
 */
export function cardCases(): Array<[string, () => CardAttachment]> {
  const cases: Array<[string, () => CardAttachment]> = [
    ["role choice with the welcome", () => roleChoiceCard({ token: "t", roles: framework.individualRoles, currentRole: undefined, welcome: true })],
    ["role choice when changing role", () => roleChoiceCard({ token: "t", roles: framework.individualRoles, currentRole: framework.individualRoles[2], welcome: false })],
    ["theme choice", () => themeChoiceCard({ token: "t", role: framework.individualRoles[2]!, choices: themeChoices(framework.themes, { drift: "2026-10-01T10:00:00Z" }) })],
    ["resume", () => resumeCard({ token: "t", draft: answeredDraft("chef", "drift", 100) })],
    ["confirm cancel", () => confirmCancelCard({ token: "t", draft: answeredDraft("chef", "drift", 100) })],
    ["help (personal)", () => helpCard({ inPersonalChat: true })],
    ["help (channel)", () => helpCard({ inPersonalChat: false })],
    ["private only", () => privateOnlyCard({ chatUrl: "https://teams.microsoft.com/l/chat/0/0?users=28%3Aabc" })],
    ["ratings receipt", () => ratingsReceipt(answeredDraft("leder-af-leder", "drift", 10))],
    ["Til min leder's notice", () => shareNoticeCard({ sharerName: "Mette [Leder](https://evil.example)", expiresAt: "2026-12-23T23:00:00.000Z", openUrl: "https://teams.microsoft.com/l/entity/app/til-min-leder" })],
    ["Til min leder's ended notice", () => shareEndedCard()],
    ["Til min leder's questions, five of the longest", () => shareQuestionsCard({ readerName: "Jonas Chef", questions: Array.from({ length: SHARE_LIMITS.questions }, () => "æ😀 ".repeat(SHARE_LIMITS.questionLength / 3)), shareId: "AAAAAAAAAAAAAAAAAAAAAA" })],
    ["Til min leder's erased questions", () => shareQuestionsErasedCard()],
  ];
  for (const role of framework.individualRoles) {
    for (const theme of framework.themes) {
      const label = `${role.id} / ${theme.id}`;
      cases.push([`statements for ${label}`, () => statementsCard({ token: "t", draft: createDraft(framework, role.id, theme.id, "d", now) })]);
      cases.push([`last question for ${label} with the longest answers`, () => {
        const draft = answeredDraft(role.id, theme.id, LIMITS.answer);
        return questionCard({ token: "t", draft: { ...draft, step: { kind: "question", index: draft.questions.length - 1 } }, index: draft.questions.length - 1 });
      }]);
      cases.push([`summary for ${label} with the longest answers and notes`, () => summaryCard({ token: "t", draft: answeredDraft(role.id, theme.id, LIMITS.answer), today: "2026-11-23", nextStep: framework.nextStep })]);
    }
  }
  const dated = (day: number, rating: number) => {
    const done = completeDraft({ ...answeredDraft("chef", "drift", 10), ratings: { "drift.chef.1": rating, "drift.chef.2": 5, "drift.chef.3": 5, "drift.chef.4": 5 } }, user, { commitment: "c", followUpDate: "2026-12-01" }, new Date(Date.UTC(2026, 10, day, 9)));
    assert.ok(done.ok);
    return { ...done.value, followUps: [{ text: "Det gik fint", at: new Date(Date.UTC(2026, 10, day + 1)).toISOString() }] };
  };
  cases.push(["history", () => historyCard({ reflections: [dated(3, 2), dated(4, 3)], more: "{\"token\":\"+RID:abc==#RT:1\"}", continued: false })]);
  cases.push(["history, empty", () => historyCard({ reflections: [], more: undefined, continued: false })]);
  cases.push(["reflection detail", () => reflectionDetailCard(dated(3, 2))]);
  cases.push(["progress", () => progressCard({ progress: progressByTheme([dated(3, 2), dated(4, 3)], framework.themes), focus: suggestedFocus([dated(3, 2)]), scaleMax: 5 })]);
  cases.push(["progress with the team's Vi-pulses beside the leader's own rating", () => progressCard({ progress: progressByTheme([dated(3, 2), dated(4, 3)], framework.themes), focus: undefined, scaleMax: 5, teamPulses: Array.from({ length: 12 }, (_, i) => ({ pulseId: `p${i}`, groupId: "19:x", groupName: "Team", themeId: framework.themes[i % 4]!.id, openedAt: "2026-11-01T09:00:00.000Z", closesAt: "2026-11-08T09:00:00.000Z", self: { "drift.faelles.1": 4 }, result: { closedAt: "2026-11-08T09:00:00.000Z", answered: 9, shown: i % 3 !== 0, distributions: { "drift.faelles.1": [1, 2, 3, 2, 1] } } })) })]);
  cases.push(["progress, empty", () => progressCard({ progress: progressByTheme([], framework.themes), focus: undefined, scaleMax: 5 })]);
  cases.push(["export", () => exportCard({ summary: trusted("2 refleksioner."), markdownUrl: "https://bot.example/export/a~b", jsonUrl: "https://bot.example/export/c~d" })]);
  cases.push(["confirm delete", () => confirmDeleteCard({ token: "t", facts: [{ title: trusted("Refleksioner"), value: trusted("2 refleksioner") }] })]);
  cases.push(["reminders", () => remindersCard({ frequency: "biweekly", weekday: 2, time: "09:00", nextText: trusted("Påmindelse hver anden tirsdag kl. 09:00.") })]);
  cases.push(["nudge", () => nudgeCard({ themeTitle: trusted("Sammen skaber vi løsninger"), lastReflectedAt: "2026-11-01T10:00:00Z" })]);
  cases.push(["nudge asking to remind less often, after a pause", () => nudgeCard({ themeTitle: trusted("Sammen skaber vi løsninger"), lastReflectedAt: undefined, catchUp: true, gentler: ["biweekly", "monthly", "off"] })]);
  cases.push(["pause", () => pauseCard({ today: "2026-11-23", pausedUntil: undefined, timezone: "Europe/Copenhagen" })]);
  cases.push(["pause while paused", () => pauseCard({ today: "2026-11-23", pausedUntil: "2026-12-17", timezone: "Europe/Copenhagen" })]);
  cases.push(["follow-up", () => followUpCard(dated(3, 2))]);
  const groups = new Groups({ framework, documents: undefined as never, schedules: undefined as never, outbox: undefined as never, clock: () => now, daysOff: testDaysOff() });
  const channelSettings = defaultGroupSettings(framework, "Europe/Copenhagen");
  const settingsCardArgs = { token: "t", eTag: "e", stewardsText: trusted("Kun du."), chat: false };
  cases.push(["channel settings", () => groups.settings.card({ ...channelSettings, themeFrequency: "weekly" }, settingsCardArgs)]);
  cases.push(["channel settings in a chat", () => groups.settings.card(channelSettings, { ...settingsCardArgs, chat: true })]);
  cases.push(["group questions", () => groups.schedules.questions(channelSettings, framework.themes[2]!, trusted("Før mødet 8. december")).attachments![0] as CardAttachment]);
  cases.push(["weekly theme", () => weeklyThemeCard(framework, channelSettings, framework.themes[3]!)]);
  cases.push(["channel status", () => groupStatusCard({ next: [{ what: trusted("Ugens tema"), when: trusted("1. december 2026 kl. 09:00") }], recent: [{ when: trusted("24. november 2026 kl. 09:00"), outcome: trusted("Ugens tema: sendt") }], changedBy: { name: "Mette", when: trusted("23. november 2026 kl. 09:00") } })]);
  cases.push(["channel status, empty", () => groupStatusCard({ next: [], recent: [] })]);
  cases.push(["channel settings in a meeting chat, with the proposed series", () => groups.settings.card(withProposal(channelSettings, { weekday: 2, time: "10:15", durationMinutes: 90, text: trusted("Jeres møde ser ud til at ligge tirsdag kl. 10.15–11.45. Passer det?") }), { ...settingsCardArgs, chat: true, proposalText: trusted("Jeres møde ser ud til at ligge tirsdag kl. 10.15–11.45. Passer det?") })]);
  // The largest a group's card gets: five agreements from each of several meetings, at their longest.
  const person = { name: "Mette Leder", aadObjectId: "00000000-0000-4000-8000-000000000001" };
  const meetingWithAgreements = (start: string): GroupMeeting => ({
    id: `meeting|${start}`, pk: "channel|19:x", type: "meeting", start, end: start, themeId: "drift", source: "series", people: [person.aadObjectId],
    agreements: Array.from({ length: AGREEMENT_LIMITS.count }, (_, i) => ({
      id: `a${i + 1}`, text: "æ".repeat(AGREEMENT_LIMITS.text), responsible: "r".repeat(AGREEMENT_LIMITS.responsible), due: "2026-12-24", status: "inProgress" as const,
      createdBy: person, createdAt: start, changes: [{ at: start, by: person, status: "inProgress" as const }, { at: start, by: person, before: { text: "før", responsible: "x" } }],
    })),
  });
  const history = ["2026-11-03T09:00:00.000Z", "2026-11-10T09:00:00.000Z", "2026-11-17T09:00:00.000Z"].map(meetingWithAgreements);
  const today: GroupMeeting = { ...meetingWithAgreements("2026-11-24T09:00:00.000Z"), agreements: [], agreementsToken: "t" };
  const questions = framework.questions(framework.themes[0]!.id, framework.individualRoles[2]!.id, "ledergruppen").map((q) => q.text);
  cases.push(["meeting start (Dagens refleksion), with the open agreements of three meetings", () => meetingStartCard({ meeting: today, theme: framework.themes[0]!, questions, open: history.flatMap((meeting) => meeting.agreements.map((agreement) => ({ meeting, agreement }))), timezone: "Europe/Copenhagen" })]);
  cases.push(["meeting start, nothing to follow up", () => meetingStartCard({ meeting: today, theme: framework.themes[1]!, questions, open: [], timezone: "Europe/Copenhagen" })]);
  cases.push(["agreements (Hvad aftalte I?)", () => agreementsCard(today, "Europe/Copenhagen")]);
  cases.push(["agreements list", () => agreementsListCard(history, "Europe/Copenhagen")]);
  const longPoint = "æ".repeat(280);
  cases.push(["meeting start with points, named and not", () => meetingStartCard({ meeting: { ...today, points: Array.from({ length: 30 }, (_, i) => ({ id: `p-${i}`, text: longPoint, ...(i % 2 ? { by: person } : {}) })) }, theme: framework.themes[0]!, questions, open: [], timezone: "Europe/Copenhagen" })]);
  cases.push(["agreement reminder", () => agreementReminderCard({ agreement: history[0]!.agreements[0]!, groupName: "Ledergruppen", meeting: history[0]!, timezone: "Europe/Copenhagen" })]);
  cases.push(["meeting invitation", () => invitationCard({ title: trusted("I morgen: ledergruppens møde om *Sammen styrker vi resultaterne*"), groupName: "Ledergruppen", whenText: trusted("1. december 2026 kl. 10:00"), themeId: "resultater", groupId: "19:x@thread.v2", meetingId: "meeting|2026-12-01T09:00:00.000Z" })]);
  cases.push(["share a point, with answers to pick from", () => sharePointCard({ meetingText: trusted("På kortet »Dagens refleksion« i ledergruppen, når mødet 1. december 2026 kl. 10:00 starter."), groupId: "19:x", meetingId: "meeting|2026-12-01T09:00:00.000Z", point: "", showName: false, answers: Array.from({ length: 9 }, () => "svar ".repeat(400)) })]);
  cases.push(["share a point, no answers", () => sharePointCard({ meetingText: trusted("xxxxxxxxxxxxxxxxxxxx"), groupId: "19:x", meetingId: "m", point: longPoint, showName: true, answers: [] })]);
  cases.push(["share preview", () => sharePreviewCard({ whereText: trusted("På kortet »Dagens refleksion« i ledergruppen."), point: longPoint, byText: "en leder", replaces: true, token: "t", groupId: "19:x", meetingId: "m" })]);
  cases.push(["point shared", () => pointSharedCard({ whereText: trusted("På kortet »Dagens refleksion« i ledergruppen."), point: longPoint, byText: "Mette Leder", groupId: "19:x", meetingId: "m", pointId: "p-1" })]);
  const sharedStatements = framework.statements(framework.themes[0]!.id, framework.sharedRole!.id);
  const pulseIds = sharedStatements.map((st) => st.id);
  const shownPulse = pulseResult(tally(Array.from({ length: 9 }, (_, i) => Object.fromEntries(pulseIds.map((id) => [id, (i % 5) + 1]))), pulseIds), pulseIds, 9, 5);
  const target = { pulseId: "AbCdEfGhIjKlMnOp", groupId: "19:team@thread.v2" };
  cases.push(["Vi-pulse answer card, with the member's earlier choices", () => pulseAnswerCard({ ...target, themeTitle: framework.themes[0]!.title, statements: sharedStatements, current: { [pulseIds[0]!]: 3, [pulseIds[1]!]: 0 }, closesText: trusted("7. december 2026 kl. 09:00"), privacyText: trusted("Din leder ser kun samlede tal.") })]);
  cases.push(["Vi-pulse invitation in a team's chat", () => pulseInvitationCard({ ...target, themeTitle: framework.themes[0]!.title, leaderName: "Mette *Leder*", statementCount: 3, closesText: trusted("7. december 2026 kl. 09:00") })]);
  cases.push(["Vi-pulse answered, shown to the one who answered", () => pulseAnsweredCard({ ...target, statements: sharedStatements, ratings: { [pulseIds[0]!]: 4, [pulseIds[1]!]: 0, [pulseIds[2]!]: 5 }, closesText: trusted("7. december 2026"), self: false, privacyText: trusted("Din leder ser kun samlede tal.") })]);
  cases.push(["Vi-pulse result for the leader, beside their own rating", () => pulseResultCard({ themeTitle: framework.themes[0]!.title, statements: sharedStatements, result: shownPulse, closedText: trusted("7. december 2026"), self: { [pulseIds[0]!]: 4 }, k: 5 })]);
  cases.push(["Vi-pulse result hidden (4 answers)", () => pulseResultCard({ themeTitle: framework.themes[0]!.title, statements: sharedStatements, result: { kind: "hidden", answered: 4, needed: 5, because: "too-few" }, closedText: trusted("7. december 2026"), k: 5 })]);
  cases.push(["meeting start with the group's Vi-pulse", () => meetingStartCard({ meeting: today, theme: framework.themes[0]!, questions, open: history.flatMap((meeting) => meeting.agreements.map((agreement) => ({ meeting, agreement }))), timezone: "Europe/Copenhagen", pulse: { statements: sharedStatements, result: shownPulse, k: 5, open: false } })]);
  cases.push(["meeting start while the Vi-pulse waits for answers", () => meetingStartCard({ meeting: today, theme: framework.themes[0]!, questions, open: [], timezone: "Europe/Copenhagen", pulse: { statements: sharedStatements, result: { kind: "hidden", answered: 3, needed: 5, because: "too-few" }, k: 5, open: true } })]);
  cases.push(["statements, opening with the team's Vi-pulse beside the leader's rating", () => {
    const draft = createDraft(framework, framework.individualRoles[2]!.id, framework.themes[0]!.id, "d", now);
    return statementsCard({ token: "t", draft: { ...draft, teamPulse: { closedAt: "2026-12-07T09:00:00.000Z", answered: 9, shown: true, statements: { [pulseIds[0]!]: { team: 3.1, self: 4 }, [pulseIds[1]!]: { self: 0 } } } } });
  }]);
  cases.push(["meeting invitation with the Vi-pulse", () => invitationCard({ title: trusted("I morgen: ledergruppens møde"), groupName: "Ledergruppen", whenText: trusted("1. december 2026 kl. 10:00"), themeId: "resultater", groupId: "19:x@thread.v2", meetingId: "meeting|2026-12-01T09:00:00.000Z", pulseId: "AbCdEfGhIjKlMnOp" })]);
  cases.push(["focus after the ratings, with the longest answers", () => {
    const draft = answeredDraft("leder-af-leder", "drift", LIMITS.answer);
    return focusCard({ token: "t", draft: { ...draft, step: { kind: "focus" } } });
  }]);
  cases.push(["an offer of a short or a whole reflection", () => offerCard({ text: trusted("Hej Mette. Så passer en kort refleksion: vurderinger, et spadestik dybere og din plan – cirka tre minutter."), buttons: [{ title: "Kort refleksion", verb: "startReflection", inputs: { short: "true" } }, { title: "Hel refleksion", verb: "startReflection" }] })]);
  cases.push(["a guess for a text that is not a command", () => guessCard({ text: "[hjælpp](https://evil.example) " + "x".repeat(300), command: "help" })]);
  cases.push(["minutes download (referat alle)", () => minutesDownloadCard({ summary: trusted("45 møder siden 2. september 2025, samlet i én fil (Markdown)."), url: "https://bot.example/minutes/abc_def-123" })]);
  cases.push(["agreement edit, at its longest", () => agreementEditCard(history[0]!, history[0]!.agreements[0]!, "Europe/Copenhagen")]);
  cases.push(["agreements list, empty", () => agreementsListCard([], "Europe/Copenhagen")]);
  cases.push(["saved", () => {
    const done = completeDraft(answeredDraft("chef", "drift", 100), user, { commitment: "c".repeat(LIMITS.commitment), followUpDate: "2026-12-24" }, now);
    assert.ok(done.ok);
    return savedCard(done.value);
  }]);

  // Til min leder, the sharer's side: the choice (with and without the manager), each part of the preview, »mine delinger».
  const sharable = Array.from({ length: 3 }, (_, i) => storedReflection({ id: `s${i}`, themeIndex: i, completedAt: new Date(Date.UTC(2026, 10, 3 + i)).toISOString(), length: LIMITS.answer, followUps: 3 }));
  cases.push(["Til min leder: the choice, with the manager on the people picker", () => shareChoiceCard({ reflections: sharable, closedPulses: 2, manager: { aadObjectId: "00000000-0000-4000-8000-000000000002", name: "Jonas Chef" }, today: "2026-12-07", yearAgo: "2025-12-07" })]);
  cases.push(["Til min leder: the choice, with an empty people picker", () => shareChoiceCard({ reflections: sharable, closedPulses: 0, manager: undefined, today: "2026-12-07", yearAgo: "2025-12-07" })]);
  const copyWithoutChange = shareContentOf({ reflectionIds: sharable.map((r) => r.id), reflectionDetail: "whole", focus: true, plan: true, pulse: true }, { reflections: sharable, pulses: [closedPulse({ pulseId: "p1", shown: true }), closedPulse({ pulseId: "p2", shown: false })] }, framework, now, "Europe/Copenhagen");
  assert.ok(copyWithoutChange.ok);
  sharePreviewCards({ content: copyWithoutChange.value, readerName: "Jonas Chef", until: trusted("6.\u00a0januar 2027"), token: "t" }).forEach((card, i) => cases.push([`Til min leder: the preview, part ${i + 1}`, () => card]));
  cases.push(["Til min leder: mine delinger", () => mySharesCard({ now, timezone: "Europe/Copenhagen", shares: [
    { id: "aaaaaaaaaaaaaaaaaaaaaa", tenantId: "t", sharer: { userId: "u", name: "Mette" }, reader: { aadObjectId: "r", tenantId: "t", name: "Jonas Chef" }, createdAt: "2026-11-20T10:00:00.000Z", expiresAt: "2026-12-20T10:00:00.000Z", state: "active", opens: 2, firstOpenedAt: "2026-11-21T08:00:00.000Z", content: null, questions: [{ text: "Hvad vil du have mere af?", at: "2026-11-21T09:00:00.000Z" }] },
    { id: "bbbbbbbbbbbbbbbbbbbbbb", tenantId: "t", sharer: { userId: "u", name: "Mette" }, reader: { aadObjectId: "r", tenantId: "t", name: "Jonas Chef" }, createdAt: "2026-10-20T10:00:00.000Z", expiresAt: "2026-11-20T10:00:00.000Z", state: "withdrawn", endedAt: "2026-10-22T10:00:00.000Z", opens: 0, content: null, questions: [] },
  ] })]);

  return cases;
}
