import assert from "node:assert/strict";
import type { Activity, TurnContext } from "botbuilder";
import { ConnectorMessenger } from "../../src/bot/connectorMessenger";
import { createAdapter } from "../../src/bot/adapter";
import { CONTAINER_ROLES } from "../../src/storage/containerDefinitions";
import { fixtureJson, jonas, meetingActivity, MEETING_CHAT, mette, teamsActivity, type TeamsUser } from "../support/activities";
import { FakeConnector } from "../support/fakeConnector";
import { completeReflection } from "../support/reflectionSteps";
import { cardContent, cardText, findActions, inputValues, createHarness, type Harness, type TeamsChat } from "../support/teamsChat";
import { testConfig } from "../support/testConfig";

type Json = Record<string, unknown>;

/** Three more members, so the group is big enough for a Vi-pulse (5 besides the one who asks). */
const others = [4, 5, 6].map((n) => ({
  id: `29:00000000-0000-4000-8000-00000000000${n}`, name: `Leder ${n}`, aadObjectId: `00000000-0000-4000-8000-00000000000${n}`,
  tenantId: mette.tenantId, userRole: "user",
}));

/** Everything that says who Jonas is: his name as Teams shows it, his Entra object id (inside his Teams id too), his 1:1 chat. */
const JONAS_TRACES = [jonas.name!, jonas.aadObjectId, `29:${jonas.aadObjectId}`, jonas.conversationId];

/** Where each trace of Jonas is, in a JSON text: "" when there is none. */
function tracesIn(text: string): string[] {
  const lower = text.toLowerCase();
  return JONAS_TRACES.filter((trace) => lower.includes(trace.toLowerCase()));
}

/**
 * "slet mine data" after a leader group's whole life, driven as Teams drives it: the real bot on
 * a TestAdapter, Cosmos behind the strict double, and the real Connector client posting to a
 * fake Connector. Afterwards every document in every container, and the latest version of every
 * message the bot posted or updated (in the group and in the other members' chats), is searched
 * for the person.
 */
describe("erasure leaves the person nowhere (whole store and every card the bot can still update)", () => {
  let h: Harness;
  let connector: FakeConnector;
  let now: Date;
  /**
   * Every message the bot sent or updated, in order: through the fake Connector (posts, and their
   * updates), or in a turn (a TestAdapter stands in for the Connector there). A turn in a 1:1 chat
   * holds its messages until its session is written, so their ids are read when asked for.
   */
  const timeline: Array<{ readonly conversationId: string; readonly activity: Json; readonly id?: string; readonly posted?: true }> = [];
  /** What each conversation shows now: every message's latest version, by its id. */
  const shownNow = () => {
    const latest = new Map<string, { conversationId: string; activity: Json }>();
    for (const entry of timeline) {
      const id = entry.id ?? (entry.activity.id as string | undefined);
      if (id) latest.set(id, entry);
    }
    return latest;
  };

  beforeEach(async () => {
    timeline.length = 0;
    now = new Date("2026-11-30T08:00:00.000Z"); // Monday 09:00 in Copenhagen
    connector = new FakeConnector();
    await connector.start();
    const meetingInfo = fixtureJson("meeting-info");
    const members = fixtureJson("meeting-members");
    const roster = { ...members, members: [...(members.members as Json[]), ...others] };
    let posts = 0;
    connector.respond = (call) => {
      if (call.method === "GET" && call.path.startsWith("/v1/meetings/")) return { status: 200, body: meetingInfo };
      if (call.method === "GET" && call.path.includes("/pagedmembers")) return { status: 200, body: roster };
      // A new message (sent as a reply to the reference's activity, or not).
      if (call.method === "POST" && call.path.includes("/activities")) {
        const id = `post-${(posts += 1)}`;
        timeline.push({ conversationId: call.conversationId, activity: call.body, id, posted: true });
        return { status: 200, body: { id } };
      }
      if (call.method === "PUT" && call.activityId) timeline.push({ conversationId: call.conversationId, activity: call.body, id: call.activityId });
      return { status: 200 };
    };
    h = await createHarness({ clock: () => now, messenger: new ConnectorMessenger(createAdapter(testConfig().bot), "") });
    h.adapter.use(async (context: TurnContext, next) => {
      const conversationId = context.activity.conversation.id;
      context.onSendActivities(async (_ctx, activities, send) => {
        for (const activity of activities) timeline.push({ conversationId, activity: activity as Json });
        return send();
      });
      context.onUpdateActivity(async (_ctx, activity, update) => {
        timeline.push({ conversationId, activity: activity as Json });
        return update();
      });
      await next();
    });
  });
  afterEach(async () => {
    await h.close();
    await connector.stop();
  });

  const here = (user: TeamsUser): TeamsUser => ({ ...user, serviceUrl: connector.serviceUrl });
  const turn = async (activity: Json) => {
    const before = h.adapter.sent.length;
    await h.adapter.processActivity(activity as Partial<Activity>);
    return h.adapter.sent.slice(before);
  };
  const inGroup = (user: TeamsUser, overrides: Json) => meetingActivity("meeting-chat-message", user, { serviceUrl: connector.serviceUrl, ...overrides });
  const say = (user: TeamsUser, text: string) => turn(inGroup(user, { text: `<at>Lederrefleksion</at> ${text}` }));
  const click = (user: TeamsUser, card: Partial<Activity>, title: string, inputs: Json = {}, which = 0) => {
    const content = cardContent(card);
    const action = findActions(content).filter((a) => a.title === title)[which];
    if (!action) throw new Error(`No button "${title}"; buttons: ${findActions(content).map((a) => a.title).join(", ")}`);
    return turn(inGroup(user, { text: undefined, replyToId: card.id, value: { ...action.data, ...inputValues(content), ...inputs } }));
  };
  const event = (name: "meeting-start" | "meeting-end") => turn(meetingActivity(name, mette, { serviceUrl: connector.serviceUrl }));
  /** An Action.Execute click (Vi-pulsen's buttons), in the group or in a 1:1 chat. */
  const execute = (user: TeamsUser, data: Json, inPersonalChat: boolean) => {
    const invoke = { type: "invoke", name: "adaptiveCard/action", text: undefined, value: { action: { type: "Action.Execute", verb: data.verb, data } } };
    return turn(inPersonalChat ? teamsActivity("personal-message", here(user), invoke) : inGroup(user, invoke));
  };
  /** Runs the scheduler and delivery at `at`; returns the posts that reached the fake Connector, as messages in their chats (to click). */
  const tick = async (at: string) => {
    now = new Date(at);
    const before = timeline.length;
    await h.scheduler.tick();
    await h.delivery.tick();
    return timeline.slice(before).filter((e) => e.posted).map((e) => ({ id: e.id, conversationId: e.conversationId, attachments: e.activity.attachments as Activity["attachments"] }));
  };
  const withText = <T extends Partial<Activity>>(posts: T[], pattern: RegExp) => posts.filter((p) => pattern.test(JSON.stringify(p)));
  /** A Vi-pulse answered with 4 on every statement, as its card asks. */
  const answerPulse = async (user: TeamsUser, data: Json, inPersonalChat: boolean) => {
    const opened = (await execute(user, { ...data, verb: "openPulse" }, inPersonalChat)).find((r) => r.type === "invokeResponse")?.value as { body: { value: Json } };
    const ratings = Object.fromEntries(Object.keys(inputValues(opened.body.value)).filter((id) => id.startsWith("pulse:")).map((id) => [id, "4"]));
    assert.ok(Object.keys(ratings).length > 0, "the pulse asks about statements");
    const answered = (await execute(user, { ...data, verb: "answerPulse", ...ratings }, inPersonalChat)).find((r) => r.type === "invokeResponse");
    assert.match(JSON.stringify(answered), /Tak – dit svar er gemt/);
  };

  async function withTheApp(user: TeamsUser): Promise<TeamsChat> {
    const chat = h.chatAs(here(user));
    await chat.install();
    await chat.click(chat.lastCard(), "Vælg rolle", { roleId: "leder-af-leder" });
    await chat.say("annuller");
    return chat;
  }

  it("finds none of his name and ids in any stored document, nor in any card or message the bot can still update", async () => {
    const jonasChat = await withTheApp(jonas);
    await withTheApp(mette);
    await completeReflection(jonasChat, { alreadyStarted: true, commitment: "Tal med Jonas' team" });

    // Jonas sets the group up: he becomes its steward, and the one who last changed its settings.
    const [setup] = await say(jonas, "opsæt");
    await click(jonas, setup!, "Gem opsætning", { meetingFrequency: "weekly" });

    // The day before: invitations, with the group's Vi-pulse; Jonas answers it and shares a point with his name.
    const jonasInvitation = (await tick("2026-11-30T09:00:05.000Z")).find((p) => p.conversationId === jonas.conversationId);
    assert.ok(jonasInvitation, "Jonas is invited");
    const meetingPulse = /"pulseId":"([^"]+)"/.exec(JSON.stringify(cardContent(jonasInvitation)))?.[1];
    assert.ok(meetingPulse, "the invitation carries the group's pulse");
    await answerPulse(jonas, { pulseId: meetingPulse, groupId: MEETING_CHAT }, true);
    const [compose] = await jonasChat.click(jonasInvitation, "Del et punkt med gruppen");
    await jonasChat.click(compose!, "Se, hvordan det vil stå", { point: "Hvordan deler vi vikarer?", showName: "true" });
    await jonasChat.click({ ...compose!, attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: jonasChat.current(compose!) }] }, "Del med gruppen");

    // The meeting: its start card shows his point; at the end he saves the agreements, one naming him.
    now = new Date("2026-12-01T09:01:12.000Z");
    await event("meeting-start");
    const [start] = withText(await tick("2026-12-01T09:01:13.000Z"), /Dagens refleksion/);
    assert.match(JSON.stringify(start), /Jonas Chef/, "the start card names him, as he chose");
    now = new Date("2026-12-01T10:02:40.000Z");
    await event("meeting-end");
    const [end] = withText(await tick("2026-12-01T10:02:41.000Z"), /Hvad aftalte I/);
    const agreementsCard = end!;
    await click(jonas, agreementsCard, "Gem aftalerne", {
      text1: "Fælles sygefraværsopfølgning", who1: "Mette", due1: "2026-12-15",
      text2: "Data om ventetider", who2: "Jonas og Mette", due2: "2026-12-10",
    });
    const again = await click(mette, agreementsCard, "Gem aftalerne", { text1: "Noget andet", who1: "Mette" });
    assert.match(String(again.at(-1)?.text), /allerede gemt af Jonas Chef/);
    // The minutes name him beside his point.
    assert.match(JSON.stringify(await say(mette, "referat")), /Hvordan deler vi vikarer\? – Jonas Chef/);

    // The next week: a point with his name again; he marks an agreement done on the start card (which shows his point) and
    // edits the other; Mette lists them and asks for "status".
    const nextInvitation = (await tick("2026-12-07T09:00:05.000Z")).find((p) => p.conversationId === jonas.conversationId);
    const [nextCompose] = await jonasChat.click(nextInvitation!, "Del et punkt med gruppen");
    await jonasChat.click(nextCompose!, "Se, hvordan det vil stå", { point: "Sygefravær i december", showName: "true" });
    await jonasChat.click({ ...nextCompose!, attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: jonasChat.current(nextCompose!) }] }, "Del med gruppen");
    const [next] = withText(await tick("2026-12-08T09:10:05.000Z"), /Dagens refleksion/);
    assert.match(cardText(cardContent(next!)), /Sygefravær i december\n– Jonas Chef/);
    now = new Date("2026-12-08T09:20:00.000Z");
    await click(jonas, next!, "Gjort");
    now = new Date("2026-12-08T10:30:00.000Z");
    const [list] = await say(jonas, "aftaler");
    const [editCard] = await click(jonas, list!, "Ret aftalen", {}, 1);
    await click(jonas, editCard!, "Gem rettelsen", { text: "Data om ventetider i januar", who: "Jonas og Mette" });
    const [metteList] = await say(mette, "aftaler");
    assert.match(JSON.stringify(metteList), /Gjort \(Jonas Chef/);
    const [status] = await say(mette, "status");
    assert.match(JSON.stringify(status), /Sidst ændret af Jonas Chef/);

    // Mette asks her group for a Vi-pulse; Jonas answers it, and it is still open when he erases his data.
    const asked = await say(mette, "puls 1");
    const pulseId = /"pulseId":"([^"]+)"/.exec(JSON.stringify(asked))?.[1];
    assert.ok(pulseId, JSON.stringify(asked.map((a) => a.text)));
    await answerPulse(jonas, { pulseId, groupId: MEETING_CHAT }, false);
    // Jonas asks for one himself: its card names him.
    assert.match(JSON.stringify(await say(jonas, "puls 4")), /Jonas Chef vil gerne høre/);
    await tick("2026-12-09T08:00:05.000Z");

    const before = await everyDocument();
    assert.ok(before.some((d) => tracesIn(JSON.stringify(d)).length > 0), "the store named him before");

    const [confirm] = await jonasChat.say("slet mine data");
    const receipt = await jonasChat.click(confirm!, "Ja, slet alt");
    // Two start cards, three "aftaler", "status", "allerede gemt af …", "referat" and his Vi-pulse's invitation.
    assert.match(String(receipt.at(-1)?.text), /9 opslag fra mig i ledergrupperne viser dig ikke længere\./);
    assert.doesNotMatch(String(receipt.at(-1)?.text), /kunne jeg ikke/);

    const left = (await everyDocument()).map((d) => `${String(d._container)}/${String(d.pk ?? "")}/${String(d.id)}: ${tracesIn(JSON.stringify(d)).join(", ")}`).filter((l) => !l.endsWith(": "));
    assert.deepEqual(left, [], "no stored document keeps his name or ids");

    // His own 1:1 chat is his; everywhere else, every message as it stands now.
    const cards = [...shownNow().entries()]
      .filter(([, v]) => v.conversationId !== jonas.conversationId)
      // What people read (the envelope names whom a reply answers, as Teams addresses it).
      .map(([id, v]) => `${v.conversationId}/${id}: ${tracesIn(JSON.stringify([v.activity.text, v.activity.attachments])).join(", ")}`)
      .filter((l) => !l.endsWith(": "));
    assert.deepEqual(cards, [], "no message the bot can still update shows him");
    const metteAsked = asked.find((a) => a.attachments?.length);
    assert.match(cardText(cardContent(shownNow().get(metteAsked!.id!)!.activity)), /Mette Leder vil gerne høre/, "the pulse Mette asked for still says so");
  });

  /** Every document in every container, as stored (cross-partition, every page). */
  async function everyDocument(): Promise<Json[]> {
    const all: Json[] = [];
    for (const role of CONTAINER_ROLES) {
      const { resources } = await h.store.containers[role].items.query<Json>("SELECT * FROM c").fetchAll();
      all.push(...resources.map((r) => ({ ...r, _container: role })));
    }
    return all;
  }
});
