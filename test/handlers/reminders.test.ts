import assert from "node:assert/strict";
import { asTenantId, asUserId } from "../../src/domain/ids";
import { partitionKeyOf } from "../../src/domain/identity";
import { mette, teamsActivity } from "../support/activities";
import { completeReflection } from "../support/reflectionSteps";
import { cardContent, cardText, createHarness, type Harness } from "../support/teamsChat";


const METTE = { tenantId: asTenantId(mette.tenantId), userId: asUserId(mette.aadObjectId) };
const MONDAY_0900_CPH = new Date("2026-11-23T08:00:00.000Z");

describe("personal reminders and follow-ups (TestAdapter, embedded Cosmos, recorded Connector)", () => {
  let h: Harness;
  let now: Date;
  beforeEach(async () => {
    now = MONDAY_0900_CPH;
    h = await createHarness({ clock: () => now });
  });
  afterEach(() => h.close());

  const runScheduledWork = async () => {
    await h.scheduler.tick();
    return h.delivery.tick();
  };
  const proactiveText = () => h.proactive.sent.map((s) => cardText(s.message.attachments![0]!.content as Record<string, unknown>));

  it("suggests every other week, and stores what the leader chooses", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat);
    await chat.say("påmindelser");
    const card = chat.lastCard();
    assert.match(JSON.stringify(cardContent(card)), /"id":"frequency"[^}]*"value":"biweekly"/);
    assert.match(cardText(cardContent(card)), /Forslag – intet er sat, før du trykker »Gem påmindelser«: Påmindelse hver anden/, "a suggestion is not shown as if it were set");

    await chat.click(card, "Gem påmindelser", { frequency: "weekly", weekday: "3", time: "10:30" });
    assert.match(cardText(chat.current(card)), /Påmindelse hver onsdag kl\. 10:30\. De næste: 25\.\snovember 2026, 2\.\sdecember 2026, 9\.\sdecember 2026\./);
    const schedule = await h.schedules.get(partitionKeyOf(METTE), "nudge");
    assert.equal(schedule?.nextRunAt, "2026-11-25T09:30:00.000Z");
  });

  it("shows a pause on the reminders card, and lists only dates after it", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat);
    await chat.say("påmindelser");
    await chat.click(chat.lastCard(), "Gem påmindelser", { frequency: "weekly", weekday: "3", time: "10:30" });
    await chat.say("pause påmindelser");
    await chat.click(chat.lastCard(), "Sæt påmindelser på pause", { until: "2026-12-10" });
    await chat.say("påmindelser");
    const shown = cardText(cardContent(chat.lastCard()));
    assert.match(shown, /Sådan er det nu: Påmindelserne er sat på pause til 10\.\sdecember 2026; den dag får du én påmindelse\. Påmindelse hver onsdag kl\. 10:30\. De næste: 16\.\sdecember 2026/);
    assert.doesNotMatch(shown, /25\.\snovember|2\.\sdecember|9\.\sdecember/, "no date inside the pause is promised");
  });

  it("refuses settings that are not on the card", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat);
    await chat.say("påmindelser");
    const replies = await chat.submit(chat.lastCard(), { verb: "saveReminders", frequency: "hourly", weekday: "6", time: "03:00" });
    assert.match(String(replies[0]?.text), /kunne ikke læses/);
    assert.equal(await h.schedules.get(partitionKeyOf(METTE), "nudge"), undefined);
  });

  it("sends the nudge in the personal chat when it is due, suggesting the least recently used theme", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat);
    await chat.say("påmindelser");
    await chat.click(chat.lastCard(), "Gem påmindelser", { frequency: "weekly", weekday: "2", time: "09:00" });

    assert.deepEqual(await runScheduledWork(), { sent: 0, retried: 0, failed: 0, handedOver: 0 }, "nothing is due yet");
    now = new Date("2026-11-24T08:00:30.000Z");
    assert.deepEqual(await runScheduledWork(), { sent: 1, retried: 0, failed: 0, handedOver: 0 });
    const [sent] = h.proactive.sent;
    assert.equal(sent?.conversation.conversationId, mette.conversationId);
    assert.match(proactiveText()[0]!, /Tid til et øjebliks refleksion\?[\s\S]*Forslag: \*\*Sammen styrker vi resultaterne\*\*/);
    assert.deepEqual(await runScheduledWork(), { sent: 0, retried: 0, failed: 0, handedOver: 0 }, "and only once");
  });

  it("sends a reminder at night only when asked for with the local 'påmind mig nu'", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat);
    await chat.say("påmindelser");
    await chat.click(chat.lastCard(), "Gem påmindelser", { frequency: "weekly", weekday: "1", time: "09:00" });
    now = new Date("2026-11-30T02:00:00.000Z"); // 03:00 in Copenhagen
    await h.schedules.upsert({ ...(await h.schedules.get(partitionKeyOf(METTE), "nudge"))!, nextRunAt: now.toISOString() });
    await runScheduledWork();
    assert.equal(h.proactive.sent.length, 0, "a recurring reminder waits for working hours");
    await chat.say("påmind mig nu");
    await runScheduledWork();
    assert.equal(h.proactive.sent.length, 1);
  });

  it("reminds again tomorrow on 'Påmind mig i morgen'", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat);
    await chat.say("påmind mig nu");
    await runScheduledWork();
    assert.equal(h.proactive.sent.length, 1);

    // The nudge card's button, clicked in the personal chat.
    await chat.submit({ id: "nudge-message" }, { verb: "snoozeNudge" });
    const snoozed = (await h.schedules.forOwner(partitionKeyOf(METTE))).find((s) => s.id === "nudge-snooze");
    assert.equal(snoozed?.nextRunAt, "2026-11-24T08:00:00.000Z");
    now = new Date("2026-11-24T08:01:00.000Z");
    await runScheduledWork();
    assert.equal(h.proactive.sent.length, 2);
  });

  it("follows up on a commitment on its date, and keeps the answer as the reflection's opfølgning", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat, { commitment: "Tal med teamet om kompetencer", followUpDate: "2026-12-01" });
    now = new Date("2026-12-01T08:00:10.000Z");
    await runScheduledWork();
    assert.match(proactiveText()[0]!, /Hvordan gik det\?[\s\S]*Tal med teamet om kompetencer/);

    const followUpCard = { id: "follow-up-message", attachments: h.proactive.sent[0]!.message.attachments as never };
    await chat.click(followUpCard, "Gem opfølgning", { followUp: "Det gik godt." });
    const [reflection] = await h.reflections.listNewestFirst(METTE);
    assert.deepEqual(reflection?.followUps?.map((f) => f.text), ["Det gik godt."]);
  });

  it("sends nothing to a user who uninstalled the app", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat);
    await chat.say("påmind mig nu");
    await h.adapter.processActivity(teamsActivity("personal-install", mette, { action: "remove" }) as never);
    await runScheduledWork();
    assert.equal(h.proactive.sent.length, 0);
    const schedule = await h.schedules.get(partitionKeyOf(METTE), "nudge-now");
    assert.match(String(schedule?.lastOutcome), /inactive \(uninstalled\)/);
  });

  it("exports the planned reminders and follow-ups", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat, { commitment: "Tal med teamet om kompetencer", followUpDate: "2026-12-01" });
    await chat.say("påmindelser");
    await chat.click(chat.lastCard(), "Gem påmindelser", { frequency: "biweekly", weekday: "2", time: "09:00" });
    const data = await h.exports.collect(METTE);
    assert.deepEqual(
      data.schedules.map((s) => [s.kind, s.recurrence ?? null]).sort(),
      [["follow-up", null], ["personal-nudge", "hver anden tirsdag kl. 09:00"]],
    );
  });

  it("deletes the user's schedules and outbox messages with 'slet mine data'", async () => {
    const chat = h.chatAs(mette);
    await completeReflection(chat, { commitment: "Tal med teamet om kompetencer", followUpDate: "2026-12-01" });
    await chat.say("påmindelser");
    await chat.click(chat.lastCard(), "Gem påmindelser", { frequency: "biweekly", weekday: "2", time: "09:00" });
    // The follow-up and the reminders, and beside them the reflection's change to Indsigt's counts.
    assert.deepEqual((await h.schedules.forOwner(partitionKeyOf(METTE))).map((s) => s.kind).sort(), ["follow-up", "personal-nudge"]);
    assert.equal((await h.pendingChanges.forOwner(partitionKeyOf(METTE))).length, 1);
    now = new Date("2026-12-01T08:00:10.000Z");
    await h.scheduler.tick(); // the follow-up, with Mette's commitment, now waits in the outbox
    assert.equal((await h.outbox.recentFor(partitionKeyOf(METTE), 10)).length, 1);

    await chat.say("slet mine data");
    const replies = await chat.click(chat.lastCard(), "Ja, slet alt");
    assert.match(String(replies.at(-1)?.text), /Alt er slettet: 1 refleksion, 2 planlagte påmindelser, 1 besked i kø samt din profil/);
    assert.deepEqual(await h.schedules.forOwner(partitionKeyOf(METTE)), []);
    assert.deepEqual(await h.pendingChanges.forOwner(partitionKeyOf(METTE)), []);
    assert.deepEqual(await h.outbox.recentFor(partitionKeyOf(METTE), 10), []);
    assert.deepEqual(await h.delivery.tick(), { sent: 0, retried: 0, failed: 0, handedOver: 0 }, "nothing is sent after deletion");
  });
});
