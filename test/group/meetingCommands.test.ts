import assert from "node:assert/strict";
import { ConnectorGroupMembership } from "../../src/bot/groupMembership";
import { createAdapter } from "../../src/bot/adapter";
import { parseConfig } from "../../src/kernel/config";
import { utf16Bytes } from "../../src/domain/messageSize";
import type { Activity } from "botbuilder";
import { exportMarkdown } from "../../src/cards/exportDocument";
import { asTenantId, asUserId } from "../../src/domain/ids";

import { fixtureJson, jonas, meetingActivity, MEETING_CHAT, mette, type TeamsUser } from "../support/activities";
import { FakeConnector } from "../support/fakeConnector";
import { answerAll, ratingInputs } from "../support/reflectionSteps";
import { cardContent, cardText, createHarness, findActions, inputValues, tickScheduler, type Harness } from "../support/teamsChat";
import { groupPartition } from "../../src/domain/group/partition";

type Json = Record<string, unknown>;

/**
 * The leader group's meeting loop in a Teams meeting's chat: the real bot on a TestAdapter,
 * Cosmos behind the strict double, a fake Bot Connector serving the meeting's details, and the
 * scheduler and delivery ticking on a controlled clock.
 */
/** For reading what is stored: every meeting, whatever its date. */
const EVERY_MEETING = new Date("9999-12-31T23:59:59.999Z");

describe("the leader group's meeting loop (meeting chat, TestAdapter, Cosmos, fake Connector)", () => {
  let h: Harness;
  let connector: FakeConnector;
  let now: Date;
  let meetingInfo: Json;
  let members: Json;

  beforeEach(async () => {
    now = new Date("2026-11-30T08:00:00.000Z"); // Monday 09:00 in Copenhagen
    h = await createHarness({ clock: () => now });
    connector = new FakeConnector();
    await connector.start();
    meetingInfo = fixtureJson("meeting-info");
    members = fixtureJson("meeting-members");
    connector.respond = (call) => {
      if (call.method === "GET" && call.path.startsWith("/v1/meetings/")) return { status: 200, body: meetingInfo };
      if (call.method === "GET" && call.path.startsWith(`/v3/conversations/${encodeURIComponent(MEETING_CHAT)}/pagedmembers`)) return { status: 200, body: members };
      return { status: 200 };
    };
  });
  afterEach(async () => {
    await connector.stop();
    await h.close();
  });

  const send = (activity: Json) => h.adapter.processActivity(activity as Partial<Activity>);
  /** What the bot answered in the turn. */
  const turn = async (activity: Json) => {
    const before = h.adapter.sent.length;
    await send(activity);
    return h.adapter.sent.slice(before);
  };
  const say = (user: TeamsUser, text: string) => turn(meetingActivity("meeting-chat-message", user, { text: `<at>Lederrefleksion</at> ${text}`, serviceUrl: connector.serviceUrl }));
  const event = (name: "meeting-start" | "meeting-end", at?: string) => {
    const activity = meetingActivity(name, mette, { serviceUrl: connector.serviceUrl });
    if (at) activity.value = { ...(activity.value as Json), [name === "meeting-start" ? "StartTime" : "EndTime"]: at };
    return send(activity);
  };
  /** Clicks a button on a card in the meeting chat, as Teams sends it: the button's data with the card's inputs. */
  const click = (user: TeamsUser, card: Partial<Activity>, title: string, inputs: Json = {}, which = 0) => {
    const content = cardContent(card);
    const action = findActions(content).filter((a) => a.title === title)[which];
    if (!action) throw new Error(`No button "${title}"; buttons: ${findActions(content).map((a) => a.title).join(", ")}`);
    return turn(meetingActivity("meeting-chat-message", user, { text: undefined, replyToId: card.id, value: { ...action.data, ...inputValues(content), ...inputs }, serviceUrl: connector.serviceUrl }));
  };
  /** Runs the scheduler and delivery once at `at`; returns what was posted proactively. */
  const tick = (at: string) => tickScheduler(h, () => (now = new Date(at)));
  /** "referat alle": one card with a link; the file as the link gives it (the server route is tested in test/privacy). */
  const allMinutes = async (user: TeamsUser) => {
    const replies = await say(user, "referat alle");
    assert.equal(replies.length, 1, "one message");
    const url = /"url":"([^"]+\/minutes\/[^"]+)"/.exec(JSON.stringify(cardContent(replies[0]!)))?.[1];
    assert.ok(url, "the card links to the minutes");
    return { card: replies[0]!, body: (await h.minutes.download(url.slice(url.lastIndexOf("/") + 1)))!.body };
  };
  /** A proactive post as a message in the chat, so its buttons can be clicked. */
  const posted = (post: { message: { attachments?: readonly unknown[] } }, id: string): Partial<Activity> => ({ id, attachments: post.message.attachments as Activity["attachments"] });
  const text = (post: { message: { attachments?: readonly unknown[] } }) => cardText(cardContent(posted(post, "x")));
  const lastText = (replies: Array<Partial<Activity>>) => replies.map((r) => r.text ?? "").filter(Boolean).join("\n");

  /** A card as it stands now in a 1:1 chat (after the bot replaced it in place), to click again. */
  const asShown = (chat: ReturnType<Harness["chatAs"]>, card: Partial<Activity>): Partial<Activity> => ({ ...card, attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: chat.current(card) }] });

  /** Leaders with the app: each has installed it and chosen a role, and has no reflection open. */
  async function withTheApp(...users: TeamsUser[]): Promise<Array<ReturnType<Harness["chatAs"]>>> {
    const chats = users.map((user) => h.chatAs(user));
    for (const chat of chats) {
      await chat.install();
      await chat.click(chat.lastCard(), "Vælg rolle", { roleId: "leder-af-leder" });
      await chat.say("annuller");
    }
    return chats;
  }

  /** "opsæt" in the meeting chat, saved as proposed but every week. */
  async function setUpWeekly(): Promise<void> {
    const [card] = await say(mette, "opsæt");
    await click(mette, card!, "Gem opsætning", { meetingFrequency: "weekly" });
  }

  it("proposes the series from the meeting's details on 'opsæt', and schedules the loop's posts", async () => {
    const [card] = await say(mette, "opsæt");
    const content = cardContent(card!);
    // The fixture's meeting recurs in Teams: the card proposes every week, and says so.
    assert.match(cardText(content), /Jeres møde gentages i Teams og ser ud til at ligge hver uge tirsdag kl\. 10–11/);
    const inputs = inputValues(content);
    assert.deepEqual([inputs.meetingFrequency, inputs.meetingWeekday, inputs.meetingTime, inputs.meetingMinutes], ["weekly", "2", "10:00", "60"]);
    assert.ok(connector.calls.some((c) => c.method === "GET" && c.path === `/v1/meetings/${encodeURIComponent(String((meetingInfo.details as Json).id))}`), "asks Teams for the meeting's details");

    // Saved as shown, without touching the card: the series Teams suggested.
    await click(mette, card!, "Gem opsætning");
    const schedules = await h.schedules.forOwner(groupPartition(MEETING_CHAT));
    assert.deepEqual(schedules.map((s) => [s.id, s.nextRunAt]).sort(), [
      ["channel-meeting", "2026-11-30T09:00:00.000Z"],
      ["meeting-end", "2026-12-01T10:00:00.000Z"],
      ["meeting-invitations", "2026-11-30T09:00:00.000Z"],
      ["meeting-start", "2026-12-01T09:10:00.000Z"],
    ]);
    // "status" names each of them for what it posts.
    const status = cardText(cardContent((await say(mette, "status"))[0]!));
    for (const post of [/Spørgsmål før møde \(hver tirsdag kl\. 10:00\)/, /Invitation til medlemmerne dagen før mødet/, /»Dagens refleksion« når mødet starter/, /»Hvad aftalte I\?« når mødet slutter/]) assert.match(status, post);
    assert.doesNotMatch(status, /Ugens tema/);
  });

  it("invites each member with the app the day before, and carries a point from the 1:1 chat to the start card, named or not", async () => {
    const [metteChat, jonasChat] = (await withTheApp(mette, jonas)) as [ReturnType<Harness["chatAs"]>, ReturnType<Harness["chatAs"]>];
    await setUpWeekly();
    assert.deepEqual((await h.groups.document(MEETING_CHAT))?.members?.map((m) => m.name), ["Mette Leder", "Jonas Chef", "Sara Leder"]);

    // The day before: the questions in the chat and an invitation to Mette and Jonas (Sara has no chat with the bot).
    const posts = await tick("2026-11-30T09:00:05.000Z");
    const invitations = posts.filter((p) => p.conversation.conversationType === "personal");
    assert.deepEqual(invitations.map((p) => p.conversation.conversationId).sort(), [jonas.conversationId, mette.conversationId].sort());
    const invitation = posted(invitations.find((p) => p.conversation.conversationId === mette.conversationId)!, "invitation");
    assert.match(text(invitations[0]!), /I morgen: ledergruppens møde om \*Sammen styrker vi resultaterne\*/);

    // "Reflektér over temaet" starts the reflection on the meeting's theme, without choosing it.
    await metteChat.click(invitation, "Reflektér over temaet");
    assert.match(cardText(cardContent(metteChat.lastCard())), /Trin 1 af 3 · Udsagn[\s\S]*Sammen styrker vi resultaterne/);
    await metteChat.say("annuller");

    // Sharing: nothing leaves the 1:1 chat before "Del med gruppen", and the preview shows exactly what will stand where.
    const [compose] = await metteChat.click(invitation, "Del et punkt med gruppen");
    await metteChat.click(compose!, "Se, hvordan det vil stå", { point: "Hvordan deler vi viden om ventetider på tværs?", showName: "true" });
    const preview = asShown(metteChat, compose!);
    const previewText = cardText(cardContent(preview));
    assert.match(previewText, /På kortet »Dagens refleksion« i ledergruppen, når mødet 1\.\sdecember 2026 kl\. 10:00 starter\./);
    assert.match(previewText, /• Hvordan deler vi viden om ventetider på tværs\?\n– Mette Leder/);
    const meetingId = "meeting|2026-12-01T09:00:00.000Z";
    const pointsNow = async () => ((await h.meetings.read(groupPartition(MEETING_CHAT), meetingId))?.points ?? []).map((p) => `${p.text} – ${p.by?.name ?? "(uden navn)"}`);
    assert.deepEqual(await pointsNow(), [], "the preview shares nothing");
    assert.match(lastText(await metteChat.click(preview, "Del med gruppen")), /Dit punkt er delt/);
    assert.match(lastText(await metteChat.click(preview, "Del med gruppen")), /allerede besvaret/, "a second click shares nothing more");

    // Jonas shares without his name, withdraws it, and shares another.
    const jonasInvitation = posted(invitations.find((p) => p.conversation.conversationId === jonas.conversationId)!, "jonas-invitation");
    const share = async (point: string) => {
      const [card] = await jonasChat.click(jonasInvitation, "Del et punkt med gruppen");
      await jonasChat.click(card!, "Se, hvordan det vil stå", { point, showName: "false" });
      assert.match(cardText(cardContent(asShown(jonasChat, card!))), new RegExp(`• ${point}\\n– en leder`));
      await jonasChat.click(asShown(jonasChat, card!), "Del med gruppen");
      return asShown(jonasChat, card!);
    };
    const first = await share("Vi mangler overblik over sygefraværet");
    assert.deepEqual(await pointsNow(), ["Hvordan deler vi viden om ventetider på tværs? – Mette Leder", "Vi mangler overblik over sygefraværet – (uden navn)"]);
    await jonasChat.click(first, "Træk punktet tilbage");
    assert.deepEqual(await pointsNow(), ["Hvordan deler vi viden om ventetider på tværs? – Mette Leder"], "the withdrawn point is gone from the group");
    assert.match(cardText(cardContent(asShown(jonasChat, first))), /Dit punkt er trukket tilbage/);
    await share("Kan vi dele en vikarpulje");
    assert.deepEqual(await pointsNow(), ["Hvordan deler vi viden om ventetider på tværs? – Mette Leder", "Kan vi dele en vikarpulje – (uden navn)"]);
    const stored = JSON.stringify(await h.meetings.read(groupPartition(MEETING_CHAT), meetingId));
    assert.doesNotMatch(stored, /0000000002|Jonas/, "the group's data does not say who shared an unnamed point");

    // Someone outside the group cannot share into it with a forged card.
    const ole = { ...jonas, aadObjectId: "00000000-0000-4000-8000-000000000009", conversationId: "a:1personal-ole", name: "Ole Udenfor" };
    const [forged] = await h.chatAs(ole).submit(jonasInvitation, { verb: "sharePoint", step: "compose", groupId: MEETING_CHAT, meetingId });
    assert.match(String(forged?.text), /Jeg kan ikke se dig blandt ledergruppens deltagere/);

    // The meeting starts: the points are on the card; a point can no longer be withdrawn.
    now = new Date("2026-12-01T09:01:12.000Z");
    await event("meeting-start");
    const [start] = await tick("2026-12-01T09:01:13.000Z");
    assert.match(text(start!), /Punkter fra gruppen\n• Hvordan deler vi viden om ventetider på tværs\?\n– Mette Leder\n• Kan vi dele en vikarpulje\n– en leder/);
    assert.match(lastText(await say(mette, "referat")), /\*\*Punkter fra gruppen\*\*\n- Hvordan deler vi viden om ventetider på tværs\? – Mette Leder\n- Kan vi dele en vikarpulje – en leder/);
    const [metteShared] = [asShown(metteChat, compose!)];
    assert.match(lastText(await metteChat.click(metteShared, "Træk punktet tilbage")), /Mødet er startet, så punktet kan ikke trækkes tilbage nu/);

    // Mette's export lists her point; Jonas's erasure takes his unnamed point out of the group.
    const markdown = exportMarkdown(await h.exports.collect({ tenantId: asTenantId(mette.tenantId), userId: asUserId(mette.aadObjectId) }));
    assert.match(markdown, /- Punkt delt med ledergruppen til mødet 1\.\sdecember 2026 \(med dit navn\): Hvordan deler vi viden om ventetider på tværs\?/);
    const [confirm] = await jonasChat.say("slet mine data");
    const receipt = await jonasChat.click(confirm!, "Ja, slet alt");
    assert.deepEqual(await pointsNow(), ["Hvordan deler vi viden om ventetider på tværs? – Mette Leder"]);
    // The start card already in the chat is updated in place, and the outbox's copy of it too; so is Mette's "referat".
    assert.match(lastText(receipt), /2 opslag fra mig i ledergrupperne viser dig ikke længere\. Opslag i ledergrupperne, der er mere end 30 dage gamle, kan jeg ikke finde igen/);
    const update = h.proactive.updated.find((u) => u.activityId === start!.activityId);
    assert.ok(update, "the post, by the id Teams gave it when it was sent");
    assert.match(cardText(update!.message.attachments![0]!.content as Json), /Hvordan deler vi viden om ventetider på tværs/);
    assert.doesNotMatch(JSON.stringify(update!.message), /vikarpulje/);
    const [copy] = await h.outbox.posted(groupPartition(MEETING_CHAT), "meeting-start");
    assert.doesNotMatch(JSON.stringify(copy?.message), /vikarpulje/, "the outbox's copy of the post forgets it too");
    const minutes = h.proactive.updated.find((u) => u.activityId !== start!.activityId);
    assert.match(String(minutes?.message.text), /\*\*Punkter fra gruppen\*\*\n- Hvordan deler vi viden om ventetider på tværs\? – Mette Leder\n/);
    assert.doesNotMatch(String(minutes?.message.text), /vikarpulje/, "the minutes Mette asked for no longer show his point");

    // Mette turns the invitations off, and Jonas erased his data (his chat reference with it): next week nobody is invited.
    await metteChat.click(invitation, "Ingen invitationer fra ledergrupper");
    const nextWeek = (await tick("2026-12-07T09:00:05.000Z")).filter((p) => p.conversation.conversationType === "personal");
    assert.deepEqual(nextWeek, []);
  });

  it("offers to share a point at the end of a reflection started from the invitation, with its answers to pick from", async () => {
    const [metteChat] = (await withTheApp(mette)) as [ReturnType<Harness["chatAs"]>];
    await setUpWeekly();
    const invitation = posted((await tick("2026-11-30T09:00:05.000Z")).find((p) => p.conversation.conversationId === mette.conversationId)!, "invitation");
    now = new Date("2026-11-30T12:00:00.000Z");
    await metteChat.click(invitation, "Reflektér over temaet");
    await metteChat.click(metteChat.lastCard(), "Næste", ratingInputs(metteChat.lastCard(), "4"));
    await answerAll(metteChat, ["Vi bruger data for lidt i hverdagen", "", "Vi kunne dele mål på tværs"]);
    const offer = (await metteChat.click(metteChat.lastCard(), "Gem refleksion")).at(-1);
    const content = cardContent(offer!);
    assert.match(cardText(content), /Del et punkt med ledergruppen[\s\S]*Vi bruger data for lidt i hverdagen\n0\nVi kunne dele mål på tværs\n1/);
    await metteChat.click(offer!, "Se, hvordan det vil stå", { point: "", fromAnswer: "1" });
    assert.match(cardText(cardContent(asShown(metteChat, offer!))), /• Vi kunne dele mål på tværs\n– en leder/);
  });

  it("reminds the members an agreement names, the working day before its date, if they have the app", async () => {
    for (const user of [mette, jonas]) await h.chatAs(user).install();
    await setUpWeekly();
    now = new Date("2026-12-01T10:02:40.000Z");
    await event("meeting-end");
    const [end] = await tick("2026-12-01T10:02:41.000Z");
    await click(mette, posted(end!, "agreements"), "Gem aftalerne", {
      text1: "Fælles sygefraværsopfølgning", who1: "Mette", due1: "2026-12-15",
      text2: "Data om ventetider", who2: "Jonas og Mette", due2: "2026-12-10",
      text3: "Ny vikarpulje", who3: "Sara", due3: "2026-12-10",
      text4: "Temadag", who4: "Alle", due4: "2026-12-10",
    });
    const reminders = async (at: string) => (await tick(at)).filter((p) => p.conversation.conversationType === "personal").map((p) => `${p.conversation.conversationId}: ${text(p).split("\n")[1]}`).sort();
    assert.deepEqual(await reminders("2026-12-09T07:59:00.000Z"), []);
    // Sara has no chat with the bot, and "Alle" names nobody in particular: only Jonas and Mette hear of agreement 2.
    assert.deepEqual(await reminders("2026-12-09T08:00:05.000Z"), [`${jonas.conversationId}: Data om ventetider`, `${mette.conversationId}: Data om ventetider`]);
    // Agreement 1 is done before its reminder: none goes out.
    const meetingId = "meeting|2026-12-01T09:00:00.000Z";
    await turn(meetingActivity("meeting-chat-message", jonas, { text: undefined, serviceUrl: connector.serviceUrl, value: { verb: "setAgreementStatus", meetingId, agreementId: "a1", status: "done", cardMeetingId: meetingId } }));
    assert.deepEqual(await reminders("2026-12-14T08:00:05.000Z"), []);
  });

  it("skips the loop's posts for meetings on closed days instead of moving them to another day", async () => {
    now = new Date("2026-12-21T08:00:00.000Z");
    const [card] = await say(mette, "opsæt");
    await click(mette, card!, "Gem opsætning", { meetingFrequency: "weekly", meetingWeekday: "4" });
    const schedules = await h.schedules.forOwner(groupPartition(MEETING_CHAT));
    const next = Object.fromEntries(schedules.map((s) => [s.id, s.nextRunAt]));
    // Thursdays 24 and 31 December are in "Jul og nytår": the first meeting is 7 January.
    assert.equal(next["meeting-start"], "2027-01-07T09:10:00.000Z");
    assert.equal(next["meeting-end"], "2027-01-07T10:00:00.000Z");
  });

  it("asks for the time when the meeting has no scheduled details (an instant meeting)", async () => {
    meetingInfo = { details: { id: "instant", type: "MeetNow", title: "Møde nu" } };
    const [card] = await say(mette, "opsæt");
    assert.match(cardText(cardContent(card!)), /Jeg kunne ikke læse mødets tidspunkt/);
  });

  it("carries a group from the questions before the meeting through agreements to their follow-up and the minutes", async () => {
    await setUpWeekly();

    // The day before: the theme's questions.
    const [questions] = await tick("2026-11-30T09:00:05.000Z");
    assert.match(text(questions!), /Før mødet 1\.\sdecember 2026 kl\. 10:00\nSammen styrker vi resultaterne/);

    // The meeting starts: "Dagens refleksion", once, even when the fallback time passes after the event.
    now = new Date("2026-12-01T09:01:12.000Z");
    await event("meeting-start");
    const [start] = await tick("2026-12-01T09:01:13.000Z");
    assert.equal(start?.conversation.conversationId, MEETING_CHAT);
    const startText = text(start!);
    // The same theme as the questions the day before.
    assert.match(startText, /Dagens refleksion: Sammen styrker vi resultaterne/);
    assert.match(startText, /Hvordan udvikler og forbedrer vi som gruppe resultater på baggrund af data og ny forskning\?/);
    assert.match(startText, /Ingen åbne aftaler fra tidligere møder/);
    assert.deepEqual(await tick("2026-12-01T09:10:05.000Z"), [], "the scheduled fallback finds the card already sent");

    // The meeting ends: "Hvad aftalte I?", once, whichever of the event and the schedule comes first.
    now = new Date("2026-12-01T10:02:40.000Z");
    await event("meeting-end");
    const [end] = await tick("2026-12-01T10:02:41.000Z");
    assert.match(text(end!), /Hvad aftalte I\?/);
    assert.deepEqual(await tick("2026-12-01T10:05:00.000Z"), []);

    // Mette fills it in; a mistake keeps the card as typed and saves nothing.
    const agreementsCard = posted(end!, "agreements-card");
    const noOne = await click(mette, agreementsCard, "Gem aftalerne", { text1: "Fælles sygefraværsopfølgning", who1: "" });
    assert.match(lastText(noOne), /Skriv, hvem der er ansvarlig \(aftale 1\)\. Intet er gemt\./);
    const saved = await click(mette, agreementsCard, "Gem aftalerne", {
      text1: "Fælles sygefraværsopfølgning", who1: "Mette", due1: "2026-12-15",
      text2: "Del data om ventetider på næste møde", who2: "Jonas",
    });
    assert.match(lastText(saved), /2 aftaler er gemt/);
    assert.match(cardText(cardContent(h.adapter.updates.find((u) => u.id === "agreements-card")!)), /Jeres aftaler er gemt[\s\S]*Fælles sygefraværsopfølgning \(senest 15\.\sdecember 2026\)/);
    // A second click, by anyone, saves nothing more and says whose agreements stand.
    const again = await click(jonas, agreementsCard, "Gem aftalerne", { text1: "Noget andet", who1: "Jonas" });
    assert.match(lastText(again), /allerede gemt af Mette Leder/);
    const [meeting] = await h.meetings.forGroup(groupPartition(MEETING_CHAT), EVERY_MEETING);
    assert.deepEqual(meeting?.agreements.map((a) => [a.text, a.responsible, a.due ?? null, a.status]), [
      ["Fælles sygefraværsopfølgning", "Mette", "2026-12-15", "notStarted"],
      ["Del data om ventetider på næste møde", "Jonas", null, "notStarted"],
    ]);

    // Next week nobody starts the meeting in Teams: the card comes ten minutes in, with the open agreements.
    assert.deepEqual(await tick("2026-12-08T09:09:00.000Z"), []);
    const [next] = await tick("2026-12-08T09:10:05.000Z");
    const nextText = text(next!);
    assert.match(nextText, /Ledergruppens møde 8\.\sdecember 2026 kl\. 10:00/);
    assert.match(nextText, /Aftaler fra tidligere møder\nFælles sygefraværsopfølgning\nAnsvarlig: Mette · senest 15\.\sdecember 2026 · aftalt 1\.\sdecember 2026\nStatus: Ikke startet/);

    // A status click is recorded with who and when, and the card updates in place.
    const nextCard = posted(next!, "next-card");
    const done = await click(jonas, nextCard, "Gjort");
    assert.match(lastText(done), /»Fælles sygefraværsopfølgning« er nu markeret som gjort\./);
    assert.match(cardText(cardContent(h.adapter.updates.find((u) => u.id === "next-card")!)), /Fælles sygefraværsopfølgning[\s\S]*Status: Gjort \(Jonas Chef, 8\.\sdecember 2026 kl\. 10:10\)/);
    const twice = await click(jonas, nextCard, "Gjort");
    assert.match(lastText(twice), /står allerede som »Gjort«/);
    const [, first] = await h.meetings.forGroup(groupPartition(MEETING_CHAT), EVERY_MEETING);
    assert.deepEqual(first?.agreements[0]?.changes.map((c) => [c.status, c.by.name, c.at]), [["done", "Jonas Chef", "2026-12-08T09:10:05.000Z"]]);

    // The minutes of the last meeting, in Markdown.
    now = new Date("2026-12-08T10:30:00.000Z");
    const minutes = lastText(await say(mette, "referat"));
    assert.match(minutes, /^\*\*Referat: ledergruppens møde 8\.\sdecember 2026 kl\. 10:00\*\*/);
    assert.match(minutes, /\*\*Tema:\*\* Sammen skaber vi løsninger\n\n\*\*Spørgsmål til ledergruppen\*\*\n1\. Hvordan kan vi bruge hinanden/);
    assert.match(minutes, /\*\*Opfølgning på tidligere aftaler\*\*\n- Fælles sygefraværsopfølgning \(Mette, aftalt 1\.\sdecember 2026\): Gjort\n- Del data om ventetider på næste møde \(Jonas, aftalt 1\.\sdecember 2026\): Ikke startet/);
    assert.match(minutes, /\*\*Aftaler\*\*\nIngen aftaler skrevet endnu\./);

    // "referat alle": the group's whole record, oldest meeting first.
    const all = await allMinutes(mette);
    assert.match(cardText(cardContent(all.card)), /Hele referatet er klar\n2 møder siden 1\.\sdecember 2026, samlet i én fil/);
    assert.match(all.body, /^# (.+: )?Ledergruppens møder \(2 møder siden 1\.\sdecember 2026\)\n\n\*\*Referat: ledergruppens møde 1\.\sdecember 2026 kl\. 10:00\*\*[\s\S]*\n---\n[\s\S]*\*\*Referat: ledergruppens møde 8\.\sdecember 2026 kl\. 10:00\*\*/);

    // "aftaler" lists them; an edit is kept with who made it.
    const [list] = await say(jonas, "aftaler");
    assert.match(cardText(cardContent(list!)), /Ledergruppens aftaler[\s\S]*Del data om ventetider på næste møde/);
    const [editCard] = await click(jonas, list!, "Ret aftalen", {}, 1);
    assert.deepEqual([inputValues(cardContent(editCard!)).text, inputValues(cardContent(editCard!)).who], ["Del data om ventetider på næste møde", "Jonas"]);
    const [staleCard] = await click(mette, list!, "Ret aftalen", {}, 1);
    const edited = await click(jonas, { ...editCard!, id: "list-card" }, "Gem rettelsen", { text: "Del data om ventetider i januar", who: "Jonas og Mette" });
    assert.match(lastText(edited), /Aftalen er rettet\./);
    // Mette's card was shown before Jonas's edit: hers is refused, not written over his.
    const stale = await click(mette, staleCard!, "Gem rettelsen", { text: "Noget helt andet" });
    assert.match(lastText(stale), /Aftalen er ændret, siden kortet blev vist/);
    const afterEdit = cardText(cardContent(h.adapter.updates.find((u) => u.id === "list-card")!));
    assert.match(afterEdit, /Del data om ventetider i januar\nAnsvarlig: Jonas og Mette/);
    assert.match(afterEdit, /Rettet af Jonas Chef 8\.\sdecember 2026 kl\. 11:30/);

    // Mette's export has what she wrote in the group.
    const markdown = exportMarkdown(await h.exports.collect({ tenantId: asTenantId(mette.tenantId), userId: asUserId(mette.aadObjectId) }));
    assert.match(markdown, /## I ledergrupper[\s\S]*- Skrevet ved mødet 1\.\sdecember 2026: Fælles sygefraværsopfølgning\n- Skrevet ved mødet 1\.\sdecember 2026: Del data om ventetider i januar/);

    // Jonas erases his data: the agreements stay with the group, his name goes.
    const jonasChat = h.chatAs(jonas);
    const [confirm] = await jonasChat.say("slet mine data");
    assert.match(cardText(cardContent(confirm!)), /Ledergrupper\ndit navn ved 2 aftaler og statusændringer/);
    const erased = await jonasChat.click(confirm!, "Ja, slet alt");
    assert.match(lastText(erased), /I ledergrupperne står der nu »en tidligere deltager« i stedet for dit navn \(2 steder\)/);
    const [, dec1] = await h.meetings.forGroup(groupPartition(MEETING_CHAT), EVERY_MEETING);
    assert.deepEqual(dec1?.agreements[0]?.changes.map((c) => c.by), [{ name: "en tidligere deltager" }]);
    assert.deepEqual(dec1?.agreements[1]?.changes.map((c) => c.by), [{ name: "en tidligere deltager" }]);
    assert.deepEqual(dec1?.people, [mette.aadObjectId]);
    assert.equal(dec1?.agreements[1]?.text, "Del data om ventetider i januar");
    const [listAfter] = await say(mette, "aftaler");
    assert.match(cardText(cardContent(listAfter!)), /Status: Gjort \(en tidligere deltager, 8\.\sdecember 2026 kl\. 10:10\)/);
    assert.doesNotMatch(cardText(cardContent(listAfter!)), /Jonas Chef/);

    // Indsigt counts the group once, its two meetings, the 2 agreements, and at the next meeting's end, 1 of them done.
    await tick("2026-12-08T10:31:00.000Z");
    await tick("2026-12-08T10:32:00.000Z");
    const bucket = await h.buckets.read(mette.tenantId, "2026-Q4");
    assert.deepEqual(
      Object.fromEntries(Object.entries(bucket?.counts ?? {}).filter(([k]) => k.startsWith("G|"))),
      { "G|groups": 1, "G|meetings": 2, "G|agreements": 2, "G|due": 2, "G|done": 1 },
    );
    assert.deepEqual(Object.keys(bucket?.shown ?? {}).filter((k) => k.startsWith("G|")), [], "one group: nothing shows until 5 groups have changed it");
  });

  it("follows Teams' roster: a member who left gets no invitation and cannot share; a guest reads but writes nothing", async () => {
    const gaest: TeamsUser = { aadObjectId: "00000000-0000-4000-8000-0000000000ee", tenantId: mette.tenantId, conversationId: "a:1personal-gaest", name: "Gæst Ude" };
    members = { ...members, members: [...(members.members as Json[]), { id: `29:${gaest.aadObjectId}`, name: gaest.name, aadObjectId: gaest.aadObjectId, tenantId: mette.tenantId, userRole: "guest" }] };
    const chats = await withTheApp(mette, jonas, gaest);
    await setUpWeekly();
    const [, jonasChat] = chats;

    // Jonas leaves the meeting's chat: Teams says so, and the roster follows at once.
    await send(meetingActivity("meeting-chat-message", mette, { type: "conversationUpdate", text: undefined, membersRemoved: [{ id: `29:${jonas.aadObjectId}`, aadObjectId: jonas.aadObjectId }], serviceUrl: connector.serviceUrl }));
    assert.deepEqual((await h.groups.document(MEETING_CHAT))?.members?.map((m) => m.name), ["Mette Leder", "Sara Leder", "Gæst Ude"]);

    // The day before: an invitation to Mette only (Jonas left, the guest reads along, Sara has no chat).
    const invitations = (await tick("2026-11-30T09:00:05.000Z")).filter((p) => p.conversation.conversationType === "personal");
    assert.deepEqual(invitations.map((p) => p.conversation.conversationId), [mette.conversationId]);
    const invitation = posted(invitations[0]!, "invitation");
    const meetingId = String((findActions(cardContent(invitation)).find((a) => a.title === "Del et punkt med gruppen")?.data as Json).meetingId);
    const [left] = await jonasChat!.submit(invitation, { verb: "sharePoint", step: "compose", groupId: MEETING_CHAT, meetingId });
    assert.match(String(left?.text), /Jeg kan ikke se dig blandt ledergruppens deltagere/);
    const [guestShare] = await chats[2]!.submit(invitation, { verb: "sharePoint", step: "compose", groupId: MEETING_CHAT, meetingId });
    assert.match(String(guestShare?.text), /Som gæst i ledergruppen kan du læse med/);

    // The guest cannot save the meeting's agreements either; Mette can.
    now = new Date("2026-12-01T10:02:40.000Z");
    await event("meeting-end");
    const [end] = await tick("2026-12-01T10:02:41.000Z");
    const card = posted(end!, "agreements-card");
    assert.match(lastText(await click(gaest, card, "Gem aftalerne", { text1: "Gæstens aftale", who1: "Alle" })), /Som gæst i ledergruppen kan du læse med/);
    assert.match(lastText(await click(mette, card, "Gem aftalerne", { text1: "Mettes aftale", who1: "Alle" })), /1 aftale er gemt/);
  });

  it("asks Teams at the moment a point is shared: someone who just left shares nothing, though the stored roster still lists them", async () => {
    await h.close();
    // A registered bot asks Teams' single-member lookup; here through the fake Connector.
    h = await createHarness({ clock: () => now, membership: new ConnectorGroupMembership(createAdapter(parseConfig({}).bot), "") });
    const [metteChat, jonasChat] = (await withTheApp(mette, jonas)) as [ReturnType<Harness["chatAs"]>, ReturnType<Harness["chatAs"]>];
    await setUpWeekly();
    const invitations = (await tick("2026-11-30T09:00:05.000Z")).filter((p) => p.conversation.conversationType === "personal");
    const invitationFor = (user: TeamsUser) => posted(invitations.find((p) => p.conversation.conversationId === user.conversationId)!, `invitation-${user.name}`);
    const lookups: string[] = [];
    const answer = connector.respond;
    connector.respond = (call) => {
      const member = /\/v3\/conversations\/[^/]+\/members\/([^/?]+)$/.exec(call.path)?.[1];
      if (call.method === "GET" && member) {
        lookups.push(decodeURIComponent(member));
        if (decodeURIComponent(member) === jonas.aadObjectId) return { status: 404, body: { error: { code: "MemberNotFoundInConversation", message: "not a member" } } };
        return { status: 200, body: { id: `29:${member}`, aadObjectId: decodeURIComponent(member), name: "Mette Leder" } };
      }
      return answer(call);
    };
    const share = async (chat: ReturnType<Harness["chatAs"]>, user: TeamsUser) => {
      const [compose] = await chat.click(invitationFor(user), "Del et punkt med gruppen");
      await chat.click(compose!, "Se, hvordan det vil stå", { point: `${user.name}s punkt`, showName: "true" });
      return chat.click(asShown(chat, compose!), "Del med gruppen");
    };
    assert.match(lastText(await share(jonasChat, jonas)), /Jeg kan ikke se dig blandt ledergruppens deltagere/);
    assert.match(lastText(await share(metteChat, mette)), /delt/i);
    assert.deepEqual(lookups, [jonas.aadObjectId, mette.aadObjectId]);
    const [stored] = await h.meetings.forGroup(groupPartition(MEETING_CHAT), EVERY_MEETING);
    assert.deepEqual(stored?.points?.map((p) => p.by?.name), ["Mette Leder"]);
  });

  it("answers a card naming a meeting after the next one, even in year 3000 or 9999, and stores nothing", async () => {
    const [metteChat] = (await withTheApp(mette)) as [ReturnType<Harness["chatAs"]>];
    await setUpWeekly();
    const invitation = posted((await tick("2026-11-30T09:00:05.000Z")).find((p) => p.conversation.conversationId === mette.conversationId)!, "invitation");
    for (const start of ["2026-12-08T09:00:00.000Z", "3000-12-02T09:00:00.000Z", "9999-12-28T09:00:00.000Z"]) {
      for (const step of ["compose", "preview"]) {
        const [answer] = await metteChat.submit(invitation, { verb: "sharePoint", step, groupId: MEETING_CHAT, meetingId: `meeting|${start}`, point: "Et punkt" });
        assert.match(String(answer?.text), /Du kan dele et punkt til ledergruppens næste møde, ikke til et senere/, `${step} for ${start}`);
      }
    }
    // Even the next meeting gets no document from composing and previewing: only a shared point makes one.
    const [compose] = await metteChat.click(invitation, "Del et punkt med gruppen");
    await metteChat.click(compose!, "Se, hvordan det vil stå", { point: "Et punkt", showName: "false" });
    assert.deepEqual(await h.meetings.forGroup(groupPartition(MEETING_CHAT), EVERY_MEETING), []);
  });

  /** A Markdown link as a member could type it (as an agreement, a name, a chat's name); shown as typed, it reads `\[Sara\]\(…\)`. */
  const LINK = "[Sara](https://evil.example/r)";
  const AS_TYPED = "\\[Sara\\]\\(https://evil.example/r\\)";
  /** The text shows the link as typed, `times` times, and nothing in it is a live Markdown link. */
  const assertInert = (shown: string, surface: string, times = 1) => {
    assert.equal(shown.split(AS_TYPED).length - 1, times, `${surface} shows the link as typed: ${shown}`);
    assert.doesNotMatch(shown, /(^|[^\\])\[[^\]]*\]\(/, `${surface} has no live Markdown link`);
  };
  /** "opsæt" saved weekly by Mette in the meeting's chat, whose name (any member can rename a chat) Teams gives as a link. */
  async function setUpWeeklyInChatNamedLink(): Promise<void> {
    const named = (activity: Json) => ({ ...activity, conversation: { ...(activity.conversation as Json), name: LINK } });
    const [card] = await turn(named(meetingActivity("meeting-chat-message", mette, { text: "<at>Lederrefleksion</at> opsæt", serviceUrl: connector.serviceUrl })));
    const content = cardContent(card!);
    const save = findActions(content).find((a) => a.title === "Gem opsætning")!;
    await turn(named(meetingActivity("meeting-chat-message", mette, { text: undefined, replyToId: card!.id, value: { ...save.data, ...inputValues(content), meetingFrequency: "weekly" }, serviceUrl: connector.serviceUrl })));
    assert.equal((await h.groups.document(MEETING_CHAT))?.conversation.name, LINK);
  }

  it("shows an agreement and its responsible typed as links as typed: in the receipt after 'Gem aftalerne', the status confirmation and the start card a click re-draws", async () => {
    await setUpWeekly();
    now = new Date("2026-12-01T10:02:40.000Z");
    await event("meeting-end");
    const [end] = await tick("2026-12-01T10:02:41.000Z");
    await click(mette, posted(end!, "agreements-card"), "Gem aftalerne", { text1: `Opdatér ${LINK} inden fredag`, who1: LINK });
    assertInert(cardText(cardContent(h.adapter.updates.find((u) => u.id === "agreements-card")!)), "the receipt that replaces 'Hvad aftalte I?'", 2);

    const [next] = await tick("2026-12-08T09:10:05.000Z");
    const done = await click(jonas, posted(next!, "next-card"), "Gjort");
    assertInert(lastText(done), "the message after a status click");
    assertInert(cardText(cardContent(h.adapter.updates.find((u) => u.id === "next-card")!)), "the start card the click re-draws", 2);
  });

  it("shows a display name written as a link as typed: in 'allerede gemt af …' and in the status card's 'Sidst ændret af …'", async () => {
    // Jonas, as Teams names him after he renamed himself.
    const renamed: TeamsUser = { ...jonas, name: LINK };
    const [card] = await say(renamed, "opsæt");
    await click(renamed, card!, "Gem opsætning", { meetingFrequency: "weekly" });
    assertInert(cardText(cardContent((await say(mette, "status"))[0]!)), "the status card");

    now = new Date("2026-12-01T10:02:40.000Z");
    await event("meeting-end");
    const [end] = await tick("2026-12-01T10:02:41.000Z");
    await click(renamed, posted(end!, "agreements-card"), "Gem aftalerne", { text1: "Noget vi gør", who1: "Alle" });
    const again = await click(mette, posted(end!, "agreements-card"), "Gem aftalerne", { text1: "Noget andet", who1: "Mette" });
    assert.match(lastText(again), /allerede gemt af/);
    assertInert(lastText(again), "'allerede gemt af …'");
  });

  it("shows a group chat's name written as a link as typed in every member's invitation", async () => {
    await withTheApp(mette, jonas);
    await setUpWeeklyInChatNamedLink();
    const invitations = (await tick("2026-11-30T09:00:05.000Z")).filter((p) => p.conversation.conversationType === "personal");
    assert.equal(invitations.length, 2);
    for (const invitation of invitations) assertInert(text(invitation), `the invitation in ${invitation.conversation.conversationId}`);
  });

  it("shows another member's agreement and the group's name, written as links, as typed in the 'eksport' Markdown", async () => {
    const [metteChat] = (await withTheApp(mette)) as [ReturnType<Harness["chatAs"]>];
    await setUpWeeklyInChatNamedLink();
    const invitation = posted((await tick("2026-11-30T09:00:05.000Z")).find((p) => p.conversation.conversationId === mette.conversationId)!, "invitation");
    const [compose] = await metteChat.click(invitation, "Del et punkt med gruppen");
    await metteChat.click(compose!, "Se, hvordan det vil stå", { point: "Vikarer", showName: "true" });
    await metteChat.click(asShown(metteChat, compose!), "Del med gruppen");
    now = new Date("2026-12-01T10:02:40.000Z");
    await event("meeting-end");
    const [end] = await tick("2026-12-01T10:02:41.000Z");
    await click(jonas, posted(end!, "agreements-card"), "Gem aftalerne", { text1: `Opdatér ${LINK} inden fredag`, who1: "Jonas" });
    const [next] = await tick("2026-12-08T09:10:05.000Z");
    await click(mette, posted(next!, "next-card"), "Gjort");

    const [offer] = await metteChat.say("eksport");
    const url = (cardContent(offer!).actions as Array<{ url: string }>)[0]!.url;
    const markdown = (await h.exports.download(url.slice(url.lastIndexOf("/") + 1)))!.body;
    assert.match(markdown, /Punkt delt med .* til mødet/);
    assertInert(markdown, "the export's Markdown", 2);
  });

  it("keeps a hostile agreement inert on every surface, and an agreement clicked over and over small", async () => {
    await setUpWeekly();
    now = new Date("2026-12-01T10:02:40.000Z");
    await event("meeting-end");
    const [end] = await tick("2026-12-01T10:02:41.000Z");
    const phishing = "[Budget 2027](https://evil.example/login) \u202E– Jens Hansen\u202C";
    await click(mette, posted(end!, "agreements-card"), "Gem aftalerne", { text1: phishing, who1: "Mette\u0000 [her](https://evil.example)" });
    const [stored] = await h.meetings.forGroup(groupPartition(MEETING_CHAT), EVERY_MEETING);
    assert.equal(stored?.agreements[0]?.text, "[Budget 2027](https://evil.example/login) – Jens Hansen", "controls and bidi overrides are gone before anything is stored");
    assert.equal(stored?.agreements[0]?.responsible, "Mette [her](https://evil.example)");

    const [next] = await tick("2026-12-08T09:10:05.000Z");
    const [list] = await say(mette, "aftaler");
    now = new Date("2026-12-08T10:30:00.000Z");
    const minutes = (await allMinutes(mette)).body;
    const surfaces = { "the start card": JSON.stringify(cardContent(posted(next!, "x"))), "the aftaler card": JSON.stringify(cardContent(list!)), "the minutes": minutes };
    for (const [surface, shown] of Object.entries(surfaces)) {
      assert.doesNotMatch(shown, /(^|[^\\])\[[^\]]*\]\(/, `${surface} has no live Markdown link`);
      assert.doesNotMatch(shown, /[\u202A-\u202E\u2066-\u2069]|\\u202e/i, `${surface} has no bidi override`);
      assert.match(shown, /Budget 2027/, `${surface} still shows the text`);
    }

    // A member clicking status over and over: five changes within ten minutes, then a calm refusal.
    const nextCard = posted(next!, "next-card");
    now = new Date("2026-12-08T09:11:00.000Z");
    for (let i = 0; i < 5; i += 1) assert.match(lastText(await click(jonas, nextCard, i % 2 === 0 ? "Gjort" : "I gang")), /er nu markeret som/);
    assert.match(lastText(await click(jonas, nextCard, "Ikke startet")), /Aftalen er ændret mange gange på kort tid/);
    for (let minute = 0; minute < 200; minute += 1) {
      now = new Date(Date.parse("2026-12-08T09:30:00.000Z") + minute * 180_000);
      await click(jonas, nextCard, minute % 2 === 0 ? "I gang" : "Gjort");
    }
    const [, dec1] = await h.meetings.forGroup(groupPartition(MEETING_CHAT), EVERY_MEETING);
    assert.equal(dec1?.agreements[0]?.changes.length, 5, "the agreement keeps its last five changes");
    assert.equal((dec1?.agreements[0]?.olderChanges ?? 0) + 5, 205);
    assert.ok(JSON.stringify(dec1).length < 10_000, `the meeting's document stays small (${JSON.stringify(dec1).length} characters)`);
  });

  it("keeps 'aftaler', 'referat' and 'referat alle' within Teams' limit after 45 meetings of full agreements, losing no agreement", async () => {
    await setUpWeekly();
    const pk = groupPartition(MEETING_CHAT);
    const full = (meeting: number, row: number) => `Aftale ${meeting}.${row}: ${"vi deler data om ventetider og følger op på digitaliseringsprojektet ".repeat(5)}`.slice(0, 300);
    for (let i = 0; i < 45; i += 1) {
      const start = new Date(Date.parse("2025-09-02T08:00:00.000Z") + i * 7 * 86_400_000).toISOString();
      await h.meetings.open({
        id: `meeting|${start}`, pk, type: "meeting", start, end: start, themeId: "drift", source: "series", people: [],
        agreements: [1, 2, 3, 4, 5].map((row) => ({ id: `a${row}`, text: full(i, row), responsible: "Mette og Jonas ".repeat(7).slice(0, 100), status: "inProgress" as const, createdBy: { name: "Mette Leder" }, createdAt: start, changes: [] })),
      });
    }
    now = new Date("2026-08-01T10:00:00.000Z");
    const budget = 40 * 1024;
    const sent: Record<string, Array<Partial<Activity>>> = {};
    for (const command of ["aftaler", "referat"]) {
      sent[command] = await say(mette, command);
      for (const reply of sent[command]!) assert.ok(utf16Bytes(reply) <= budget, `${command}: a message of ${utf16Bytes(reply)} bytes`);
      assert.ok(!sent[command]!.some((r) => /blev for stort/.test(r.text ?? "")), `${command} fits without the guard stepping in`);
    }
    // "referat alle" is one small message; the record is in the file behind its link.
    const { card, body } = await allMinutes(mette);
    assert.ok(utf16Bytes(card) < 4096, `'referat alle': one message of ${utf16Bytes(card)} bytes`);
    assert.match(body, /45 møder siden 2\.\sseptember 2025/);
    // The whole record is heavy: once in ten minutes per group.
    assert.match(lastText(await say(jonas, "referat alle")), /Hele referatet blev hentet for mindre end ti minutter siden/);
    now = new Date(now.getTime() + 10 * 60_000);
    await allMinutes(jonas);
    for (let i = 0; i < 45; i += 1) for (let row = 1; row <= 5; row += 1) assert.ok(body.includes(full(i, row)), `agreement ${i}.${row} is whole in 'referat alle'`);
  });

  it("refuses a tampered status click and one from another group's card, changing nothing", async () => {
    await setUpWeekly();
    now = new Date("2026-12-01T10:02:40.000Z");
    await event("meeting-end");
    const [end] = await tick("2026-12-01T10:02:41.000Z");
    await click(mette, posted(end!, "a"), "Gem aftalerne", { text1: "Noget vi gør", who1: "Alle" });
    const forged = { verb: "setAgreementStatus", meetingId: "meeting|2026-12-01T09:00:00.000Z", agreementId: "a1", status: "done", cardMeetingId: "meeting|2026-12-01T09:00:00.000Z" };
    const bad = (value: Json) => turn(meetingActivity("meeting-chat-message", jonas, { text: undefined, value, serviceUrl: connector.serviceUrl }));
    assert.match(lastText(await bad({ ...forged, status: "deleted" })), /kunne ikke læse svaret fra kortet/);
    assert.match(lastText(await bad({ ...forged, meetingId: "meeting|../../x" })), /kunne ikke læse svaret fra kortet/);
    assert.match(lastText(await bad({ ...forged, agreementId: "a4" })), /Den aftale findes ikke længere/);
    // The same click from another chat looks in that chat's partition and finds no meeting.
    const elsewhere = meetingActivity("meeting-chat-message", jonas, {
      text: undefined, value: forged, serviceUrl: connector.serviceUrl,
      conversation: { isGroup: true, conversationType: "groupChat", id: "19:meeting_other@thread.v2", tenantId: jonas.tenantId },
    });
    assert.match(lastText(await turn(elsewhere)), /kan ikke finde det møde/);
    const [meeting] = await h.meetings.forGroup(groupPartition(MEETING_CHAT), EVERY_MEETING);
    assert.equal(meeting?.agreements[0]?.status, "notStarted");
  });

  it("runs an instant meeting without a series: the start card on the event, the agreements card at its end", async () => {
    now = new Date("2026-12-03T13:00:00.000Z");
    await event("meeting-start", "2026-12-03T13:00:00.0000000Z");
    const [start] = await tick("2026-12-03T13:00:01.000Z");
    assert.match(text(start!), /Dagens refleksion/);
    now = new Date("2026-12-03T13:40:00.000Z");
    await event("meeting-end", "2026-12-03T13:40:00.0000000Z");
    const [end] = await tick("2026-12-03T13:40:01.000Z");
    assert.match(text(end!), /Hvad aftalte I\?/);
    const meetings = await h.meetings.forGroup(groupPartition(MEETING_CHAT), EVERY_MEETING);
    assert.equal(meetings.length, 1, "start and end are the same meeting");
    assert.equal(meetings[0]?.source, "instant");
  });

  it("posts nothing after the bot was removed from the meeting chat", async () => {
    await setUpWeekly();
    await send(meetingActivity("meeting-chat-message", mette, {
      type: "conversationUpdate", text: undefined, serviceUrl: connector.serviceUrl,
      membersRemoved: [{ id: "28:00000000-0000-4000-8000-0000000000b0" }],
    }));
    assert.deepEqual(await tick("2026-12-01T09:10:05.000Z"), []);
    assert.deepEqual(await tick("2026-12-01T10:00:05.000Z"), []);
  });

  it("stands in for Teams' meeting events locally with 'start mødet nu' and 'afslut mødet nu', and only locally", async () => {
    assert.match(lastText(await say(mette, "start mødet nu")), /Mødet er startet \(lokal test\)/);
    assert.match(text((await tick("2026-11-30T08:00:01.000Z"))[0]!), /Dagens refleksion/);
    assert.match(lastText(await say(mette, "afslut mødet nu")), /Mødet er slut \(lokal test\)/);
    assert.match(text((await tick("2026-11-30T08:00:02.000Z"))[0]!), /Hvad aftalte I\?/);

    const production = await createHarness({ clock: () => now, database: h.database, allowTimeTravel: false });
    try {
      const activity = meetingActivity("meeting-chat-message", mette, { text: "<at>Lederrefleksion</at> start mødet nu", serviceUrl: connector.serviceUrl });
      await production.adapter.processActivity(activity as Partial<Activity>);
      assert.match(String(production.adapter.sent.at(-1)?.text), /»start mødet nu« virker kun, når jeg kører lokalt til test/);
    } finally {
      await production.close();
    }
  });

  it("shows the meeting commands on 'hjælp' in a meeting chat", async () => {
    const [help] = await say(mette, "hjælp");
    const content = cardText(cardContent(help!));
    assert.match(content, /I mødets chat hjælper jeg ledergruppen gennem mødet/);
    assert.match(content, /aftaler\nSe gruppens aftaler og deres status/);
    assert.match(content, /referat\nFå det seneste møde som tekst til referatet/);
  });

  it("sends each card and each invitation once when two instances get the start and end events and tick together", async () => {
    for (const user of [mette, jonas]) await h.chatAs(user).install();
    await setUpWeekly();
    const other = await createHarness({ clock: () => now, database: h.database });
    /** Both instances' schedulers, then both deliveries, at `at`. */
    const tickBoth = async (at: string) => {
      now = new Date(at);
      await Promise.all([h.scheduler.tick(), other.scheduler.tick()]);
      await Promise.all([h.delivery.tick(), other.delivery.tick()]);
    };
    /** Teams sends a meeting event; both instances get it (a retry, or two behind the load balancer). */
    const eventToBoth = async (name: "meeting-start" | "meeting-end", at: string) => {
      now = new Date(at);
      const activity = meetingActivity(name, mette, { serviceUrl: connector.serviceUrl });
      await Promise.all([send(activity), other.adapter.processActivity({ ...activity } as Partial<Activity>)]);
    };
    const sentByBoth = () => [...h.proactive.sent, ...other.proactive.sent];
    try {
      await tickBoth("2026-11-30T09:00:05.000Z");
      const invited = sentByBoth().filter((p) => p.conversation.conversationType === "personal").map((p) => p.conversation.conversationId);
      assert.deepEqual(invited.sort(), [jonas.conversationId, mette.conversationId].sort());

      await eventToBoth("meeting-start", "2026-12-01T09:01:12.000Z");
      await tickBoth("2026-12-01T09:10:05.000Z");
      assert.equal(sentByBoth().filter((p) => /Dagens refleksion/.test(text(p))).length, 1);

      // Both get the end event, and both tick past the scheduled end: "Hvad aftalte I?" once.
      await eventToBoth("meeting-end", "2026-12-01T10:00:30.000Z");
      await tickBoth("2026-12-01T10:00:45.000Z");
      await tickBoth("2026-12-01T10:05:00.000Z");
      assert.equal(sentByBoth().filter((p) => /Hvad aftalte I\?/.test(text(p))).length, 1);
    } finally {
      await other.close();
    }
  });
});
