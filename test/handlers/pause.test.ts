import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { asTenantId, asUserId } from "../../src/domain/ids";
import { partitionKeyOf } from "../../src/domain/identity";
import { GraphClient } from "../../src/graph/graphClient";
import { GraphOutOfOffice } from "../../src/graph/outOfOffice";
import { mette } from "../support/activities";
import { FakeGraph } from "../support/fakeGraph";
import { completeReflection } from "../support/reflectionSteps";
import { cardContent, cardText, createHarness, findActions, type Harness } from "../support/teamsChat";
import { capturingLogger } from "../support/logLines";

const METTE = { tenantId: asTenantId(mette.tenantId), userId: asUserId(mette.aadObjectId) };
/** Monday 23 November 2026, 09:00 in Copenhagen. */
const START = new Date("2026-11-23T08:00:00.000Z");
const DAY = 86_400_000;

/** A leader with weekly reminders on Tuesdays at 09:00, in a harness whose clock the test moves. */
async function leaderWithWeeklyReminders(options: Parameters<typeof createHarness>[0] = {}) {
  let now = START;
  const h = await createHarness({ ...options, clock: () => now });
  const chat = h.chatAs(mette);
  await completeReflection(chat);
  await chat.say("påmindelser");
  await chat.click(chat.lastCard(), "Gem påmindelser", { frequency: "weekly", weekday: "2", time: "09:00" });
  const reminders: string[] = [];
  /** The reminders as messages in the chat, so a test can click their buttons. */
  const cards: Array<Partial<Activity>> = [];
  /** Moves the clock to an instant and runs the scheduler and delivery, as the loops would. */
  const runAt = async (iso: string) => {
    now = new Date(iso);
    await h.scheduler.tick();
    await h.delivery.tick();
    for (const sent of h.proactive.sent.splice(0)) {
      const attachment = sent.message.attachments![0]!;
      reminders.push(cardText(attachment.content as Record<string, unknown>));
      cards.push({ id: `reminder-${cards.length + 1}`, conversation: { id: mette.conversationId } as never, attachments: [attachment as never] });
    }
  };
  /** Every Tuesday 09:00:30 from the start, for `weeks` weeks. */
  const tuesdays = async (weeks: number, from = 1) => {
    for (let week = 0; week < weeks; week += 1) await runAt(new Date(START.getTime() + from * DAY + week * 7 * DAY + 30_000).toISOString());
  };
  return { h, chat, reminders, cards, runAt, tuesdays };
}

describe("pausing reminders (TestAdapter, embedded Cosmos, scheduler)", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("sends nothing before the chosen date, then exactly one catch-up reminder, then the usual ones", async () => {
    const leader = await leaderWithWeeklyReminders();
    h = leader.h;
    await leader.chat.say("pause påmindelser");
    const card = leader.chat.lastCard();
    assert.match(cardText(cardContent(card)), /Første dag med påmindelser igen/);
    // Back on Thursday 17 December: three Tuesdays are skipped.
    await leader.chat.click(card, "Sæt påmindelser på pause", { until: "2026-12-17" });
    assert.match(cardText(leader.chat.current(card)), /Påmindelser er sat på pause til 17\.\sdecember 2026/);

    await leader.tuesdays(3);
    assert.deepEqual(leader.reminders, [], "nothing while paused");
    await leader.runAt("2026-12-17T08:00:30.000Z");
    assert.equal(leader.reminders.length, 1, "one catch-up reminder, not a pile");
    assert.match(leader.reminders[0]!, /Velkommen tilbage/);
    await leader.runAt("2026-12-22T08:00:30.000Z");
    assert.equal(leader.reminders.length, 2, "the usual Tuesday reminder again");
  });

  it("opens the pause card from a button on any reminder, and can be lifted early", async () => {
    const leader = await leaderWithWeeklyReminders();
    h = leader.h;
    await leader.runAt("2026-11-24T08:00:30.000Z");
    assert.equal(leader.cards.length, 1);
    await leader.chat.click(leader.cards[0]!, "Sæt påmindelser på pause");
    const card = leader.chat.lastCard();
    assert.match(cardText(cardContent(card)), /Første dag med påmindelser igen/);
    await leader.chat.click(card, "Sæt påmindelser på pause", { until: "2027-01-10" });
    await leader.chat.say("pause påmindelser");
    const again = leader.chat.lastCard();
    assert.match(cardText(cardContent(again)), /sat på pause til 10\.\sjanuar 2027/);
    await leader.chat.click(again, "Genoptag påmindelser nu");
    assert.equal(await h.schedules.get(partitionKeyOf(METTE), "nudge-catch-up"), undefined);
    await leader.tuesdays(1, 8);
    assert.equal(leader.reminders.length, 2, "reminders come again at once");
  });

  const badDates: Array<[string, string, RegExp]> = [
    ["today", "2026-11-23", /fra i morgen/],
    ["more than a year ahead", "2028-01-01", /højst vare et år/],
    ["not a date", "i morgen", /kunne ikke læses/],
  ];
  for (const [what, until, answer] of badDates) {
    it(`refuses a pause until ${what}, and changes nothing`, async () => {
      const leader = await leaderWithWeeklyReminders();
      h = leader.h;
      await leader.chat.say("pause påmindelser");
      const replies = await leader.chat.submit(leader.chat.lastCard(), { verb: "savePause", until });
      assert.match(String(replies[0]?.text), answer);
      assert.equal(await h.schedules.get(partitionKeyOf(METTE), "nudge-catch-up"), undefined);
    });
  }
});

describe("a habit, not nagging (TestAdapter, embedded Cosmos, scheduler)", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("asks once, on the fourth reminder after three without a reflection, whether to remind less often", async () => {
    const leader = await leaderWithWeeklyReminders();
    h = leader.h;
    await leader.tuesdays(5);
    const asking = leader.reminders.map((text) => /Skal jeg minde dig sjældnere\?/.test(text));
    assert.deepEqual(asking, [false, false, false, true, false]);
    assert.ok(leader.reminders.every((text) => !/\d+ (uger|gange) i træk|streak/i.test(text)), "never counts out loud");
  });

  it("offers gentler choices on the card, and choosing one changes the reminders", async () => {
    const leader = await leaderWithWeeklyReminders();
    h = leader.h;
    await leader.tuesdays(4);
    const asking = leader.cards[3]!;
    const choices = findActions(cardContent(asking)).map((a) => a.title);
    assert.deepEqual(choices.slice(0, 4), ["Hver anden uge", "Én gang om måneden", "Slå påmindelser fra", "Behold som nu"]);
    await leader.chat.click(asking, "Én gang om måneden");
    assert.match(cardText(leader.chat.current(asking)), /Påmindelse 1\.\stirsdag i måneden kl\. 09:00/);
    const settings = (await h.sessions.load(METTE)).session.profile.nudges;
    assert.equal(settings?.frequency, "monthly");
    assert.equal(settings?.weekday, 2);
  });

  it("starts counting again after a reflection", async () => {
    const leader = await leaderWithWeeklyReminders();
    h = leader.h;
    await leader.tuesdays(2);
    await completeReflection(leader.chat, { alreadyStarted: true });
    await leader.tuesdays(3, 15);
    // Tuesday 29 December is closed (jul og nytår): that reminder comes on Monday 4 January.
    await leader.runAt("2027-01-04T08:00:30.000Z");
    assert.deepEqual(leader.reminders.map((text) => /sjældnere/.test(text)), [false, false, false, false, false, true]);
  });
});

describe("out of office (optional Graph check against a local stand-in)", () => {
  let h: Harness;
  let graph: FakeGraph;
  beforeEach(async () => {
    graph = new FakeGraph();
    await graph.start();
  });
  afterEach(async () => {
    await h.close();
    await graph.stop();
  });
  const absence = () => new GraphOutOfOffice(new GraphClient(graph.baseUrl, async () => "graph-token"));

  it("sends no reminder while automatic replies are on, and reminders again when they are off", async () => {
    const leader = await leaderWithWeeklyReminders({ absence: absence() });
    h = leader.h;
    graph.automaticReplies.set(mette.aadObjectId, { status: "alwaysEnabled" });
    await leader.tuesdays(1);
    assert.equal(leader.reminders.length, 0);
    graph.automaticReplies.set(mette.aadObjectId, { status: "disabled" });
    await leader.tuesdays(1, 8);
    assert.equal(leader.reminders.length, 1);
  });

  it("honours a scheduled out-of-office window", async () => {
    const leader = await leaderWithWeeklyReminders({ absence: absence() });
    h = leader.h;
    graph.automaticReplies.set(mette.aadObjectId, {
      status: "scheduled",
      scheduledStartDateTime: { dateTime: "2026-11-23T00:00:00.0000000", timeZone: "UTC" },
      scheduledEndDateTime: { dateTime: "2026-11-28T00:00:00.0000000", timeZone: "UTC" },
    });
    await leader.tuesdays(2);
    assert.equal(leader.reminders.length, 1, "the first Tuesday is inside the window, the second after it");
  });

  it("never lets a Graph failure stop a reminder, and logs the failure with its code", async () => {
    const { log, lines } = capturingLogger("warn");
    const leader = await leaderWithWeeklyReminders({ absence: absence(), log });
    h = leader.h;
    graph.failWith = 503;
    await leader.tuesdays(1);
    assert.equal(leader.reminders.length, 1);
    assert.ok(graph.requests.some((r) => r.path.endsWith("/mailboxSettings/automaticRepliesSetting")));
    assert.ok(lines.some((line) => JSON.parse(line).code === "LR-1303"), "the out-of-office failure is logged as LR-1303");
  });
});
