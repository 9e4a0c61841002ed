import assert from "node:assert/strict";
import { trusted } from "../../src/kernel/shown";
import path from "node:path";
import type { Activity } from "botbuilder";
import sinon from "sinon";
import { createAdapter, installTurnErrorHandler } from "../../src/bot/adapter";
import { toReference } from "../../src/bot/connectorMessenger";
import { composeBot } from "../../src/composition";
import { loadFramework } from "../../src/content/loadContent";
import type { StoredConversation } from "../../src/domain/conversation";
import { asTenantId, asUserId } from "../../src/domain/ids";
import { LocalMemberDirectory } from "../../src/graph/memberRoles";
import { groupPartition } from "../../src/domain/group/partition";
import type { DeliveryReport } from "../../src/nudges/delivery";
import type { OutboxRecord } from "../../src/nudges/outbox";
import { projectRoot } from "../../src/kernel/paths";
import { openCosmosStore, type CosmosStore } from "../../src/storage/cosmosDatabase";
import { texts } from "../../src/kernel/texts";
import { mette, jonas, teamsActivity, type TeamsUser } from "../support/activities";
import { FakeConnector, type ConnectorCall } from "../support/fakeConnector";
import { capturingLogger } from "../support/logLines";
import { cardContent, findActions, inputValues, testDaysOff } from "../support/teamsChat";
import { testConfig } from "../support/testConfig";

const START = new Date("2026-11-23T08:00:00.000Z"); // Monday 09:00 in Copenhagen
const anne: TeamsUser = { aadObjectId: "00000000-0000-4000-8000-000000000003", tenantId: mette.tenantId, conversationId: "a:1personal-conversation-anne", name: "Anne Leder" };
const GROUP = "19:meeting_refused@thread.v2";
/** The Teams id of the "Dagens refleksion" card the bot posted in the group before the test. */
const POSTED = "1700000000042";
const MEETING = "meeting|2026-11-20T09:00:00.000Z";

type Json = Record<string, unknown>;

/**
 * Acceptance 2 of issue 28: the app's own adapter (CloudAdapter with the app's onTurnError), the
 * real Connector client and the real outbox, against a Connector that answers every proactive
 * send and update with 429 (Retry-After), then 500, then refuses connections, then 200.
 */
describe("proactive sends and updates Teams refuses (app's adapter and turn error handler, real Connector client, fake Connector)", function () {
  this.timeout(60_000);
  let store: CosmosStore;
  let connector: FakeConnector;
  let clock: sinon.SinonFakeTimers;
  let composed: ReturnType<typeof composeBot>;
  let run: (activity: Json) => Promise<void>;
  let lines: string[];
  /** Ids of the activities users sent: a POST that replies to one of them is a turn's answer; any other is proactive. */
  const userActivityIds = new Set<string>();
  const arrived: Array<{ call: ConnectorCall; at: number }> = [];
  let phase: "throttled" | "failing" | "up" = "throttled";

  const isProactive = (call: ConnectorCall) => (call.method === "POST" && !userActivityIds.has(call.activityId ?? "")) || (call.method === "PUT" && call.activityId === POSTED);
  const userTurn = async (user: TeamsUser, overrides: Json) => {
    const activity = teamsActivity(overrides.type === "installationUpdate" ? "personal-install" : "personal-message", user, { serviceUrl: connector.serviceUrl, ...overrides });
    userActivityIds.add(String(activity.id));
    await run(activity);
  };
  const lastCardTo = (user: TeamsUser) => {
    const card = connector.sentActivities().reverse().find((a) => (a.conversation as { id: string }).id === user.conversationId && Array.isArray(a.attachments) && a.attachments.length > 0);
    if (!card) throw new Error(`no card to ${user.name}`);
    return card as Partial<Activity>;
  };
  const click = async (user: TeamsUser, title: string, inputs: Json = {}) => {
    const card = lastCardTo(user);
    const action = findActions(cardContent(card)).find((a) => a.title === title);
    if (!action) throw new Error(`no button "${title}"`);
    await userTurn(user, { text: undefined, value: { ...action.data, ...inputValues(cardContent(card)), ...inputs }, replyToId: card.id });
  };
  const dialogStateOf = async (user: TeamsUser) => (await composed.sessions.load({ tenantId: asTenantId(user.tenantId), userId: asUserId(user.aadObjectId) })).session.dialogState;
  /** What the outbox holds to send: the reminders and the queued card update (not the post made before the test). */
  const queued = async () =>
    (await store.containers.outbox.items.query<OutboxRecord>("SELECT * FROM c WHERE IS_DEFINED(c.status) AND c.id != 'posted-start'").fetchAll()).resources.sort((a, b) => a.id.localeCompare(b.id));

  beforeEach(async () => {
    const config = testConfig();
    store = await openCosmosStore(config.cosmos, capturingLogger().log);
    connector = new FakeConnector();
    await connector.start();
    phase = "throttled";
    arrived.length = 0;
    connector.respond = (call) => {
      if (!isProactive(call)) return { status: 200 };
      if (phase === "throttled") return { status: 429, headers: { "retry-after": "1" }, body: { error: { code: "Throttled", message: "Too many requests" } } };
      if (phase === "failing") return { status: 500, body: { error: { code: "ServiceError", message: "Internal server error" } } };
      arrived.push({ call, at: Date.now() });
      return { status: 200, body: { id: call.activityId ?? `posted-${arrived.length}` } };
    };
    // Only Date is faked: Cosmos and HTTP keep their real timers; delivery's waits move the fake clock.
    clock = sinon.useFakeTimers({ now: START, toFake: ["Date"] });
    const captured = capturingLogger("info");
    lines = captured.lines;
    // Wired as src/app.ts wires it: one adapter for users' turns and proactive sends, with the app's turn error handler.
    const adapter = createAdapter(config.bot);
    composed = composeBot({
      store,
      framework: loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json")),
      adapter,
      botAppId: "",
      exportSigningKey: Buffer.from("test-signing-key-test-signing-key-0123456789"),
      publicBaseUrl: "https://bot.example",
      nudges: config.nudges,
      allowTimeTravel: true,
      log: captured.log,
      clock: () => new Date(),
      sleep: async (ms) => void clock.tick(ms),
      instanceId: "test",
      members: new LocalMemberDirectory(),
      daysOff: testDaysOff(),
    });
    installTurnErrorHandler(adapter, (context) => composed.bot.resetDialogsAfterError(context), captured.log);
    run = async (activity) => {
      await adapter.runAuthenticatedTurn(await adapter.authenticate(activity, ""), activity as unknown as Activity, (context) => composed.bot.run(context));
    };

    // A meeting in a leader group where Jonas shared a point, and its start card, posted before.
    const pk = groupPartition(GROUP);
    const group: StoredConversation = { channelId: "msteams", serviceUrl: connector.serviceUrl, conversationId: GROUP, conversationType: "groupChat", tenantId: mette.tenantId, botId: "28:bot", active: true, updatedAt: START.toISOString() };
    await composed.meetings.open({
      id: MEETING, pk, type: "meeting", start: "2026-11-20T09:00:00.000Z", end: "2026-11-20T10:00:00.000Z", themeId: "drift", source: "series", agreements: [],
      points: [{ id: "p-1", text: "Jonas' eget punkt", by: { name: jonas.name!, aadObjectId: jonas.aadObjectId } }], people: [jonas.aadObjectId],
    });
    await composed.outbox.enqueue({
      id: "posted-start", status: "sent", tenantId: mette.tenantId, ownerPk: pk, scheduleId: "meeting-start", kind: "meeting-start", meetingId: MEETING, conversation: group,
      message: { text: "Dagens refleksion: Jonas' eget punkt – Jonas Chef" }, createdAt: START.toISOString(), attempts: 1, nextAttemptAt: START.toISOString(), activityId: POSTED,
    });
  });
  afterEach(async () => {
    clock.restore();
    await connector.stop();
    await store.close();
  });

  it("sends every reminder and card update once, after 429, 500 and no connection, never marked sent before it arrived, and leaves the users' conversations alone", async () => {
    // Mette is mid-reflection (role chosen, the themes before her); Anne has just installed the app.
    await userTurn(mette, { type: "installationUpdate" });
    await click(mette, "Vælg rolle", { roleId: "leder-af-leder" });
    const midReflection = await dialogStateOf(mette);
    assert.ok(midReflection, "Mette's reflection is under way");
    await userTurn(anne, { type: "installationUpdate" });

    // Teams throttles from here on. Jonas erases his data: the group's card must be updated without him.
    await userTurn(jonas, { type: "installationUpdate" });
    await userTurn(jonas, { text: "slet mine data" });
    await click(jonas, "Ja, slet alt");
    const receipt = connector.sentActivities().filter((a) => (a.conversation as { id: string }).id === jonas.conversationId).at(-1);
    assert.match(String(receipt?.text), /1 opslag i ledergrupperne retter jeg om lidt/, "the receipt does not say the card will be updated");
    // And Mette and Anne get a reminder now.
    for (const user of [mette, anne]) await composed.personalNudges.runNow({ tenantId: asTenantId(user.tenantId), userId: asUserId(user.aadObjectId) });
    assert.equal(await composed.scheduler.tick(), 2);
    assert.deepEqual((await queued()).map((r) => [r.kind, r.status]), [["personal-nudge", "pending"], ["personal-nudge", "pending"], ["post-update", "pending"]], "two reminders and the card's update wait in the outbox");

    const reports: DeliveryReport[] = [];
    for (const next of ["throttled", "failing", "refused", "up"] as const) {
      if (next === "refused") await connector.refuseConnections();
      if (next === "up") await connector.start();
      phase = next === "refused" ? "up" : next;
      clock.tick(5_000); // past every retry's Retry-After or backoff
      reports.push(await composed.delivery.tick());
      if (next !== "up") {
        assert.deepEqual((await queued()).map((r) => r.status), ["pending", "pending", "pending"], `nothing is marked sent while Teams is ${next}`);
        assert.equal(arrived.length, 0);
      }
    }

    assert.deepEqual(reports, [
      { sent: 0, retried: 3, failed: 0, handedOver: 0 },
      { sent: 0, retried: 3, failed: 0, handedOver: 0 },
      { sent: 0, retried: 3, failed: 0, handedOver: 0 },
      { sent: 3, retried: 0, failed: 0, handedOver: 0 },
    ], "the ticks count what happened");
    const targets = arrived.map(({ call }) => `${call.method} ${call.conversationId}`).sort();
    assert.deepEqual(targets, [`POST ${mette.conversationId}`, `POST ${anne.conversationId}`, `PUT ${GROUP}`].sort(), "each arrived once");
    for (const record of await queued()) {
      assert.equal(record.status, "sent");
      const arrival = arrived.find(({ call }) => call.conversationId === record.conversation.conversationId)!;
      assert.ok(new Date(record.sentAt!).getTime() >= arrival.at, `${record.id} was marked sent after it arrived`);
      assert.equal(record.attempts, 4);
    }
    assert.doesNotMatch(JSON.stringify(arrived.find(({ call }) => call.method === "PUT")?.call.body), /Jonas/, "the card shows the meeting without Jonas");

    // Nobody's conversation was touched: no apology anywhere, and Mette goes on where she was.
    const apologies = connector.calls.filter((c) => c.method === "POST" && [texts.tryAgainSoon, texts.unexpectedError(trusted("LR-1001"))].some((t) => String(c.body.text ?? "").startsWith(t.slice(0, 30))));
    assert.deepEqual(apologies, []);
    assert.deepEqual(await dialogStateOf(mette), midReflection);
    const codes = lines.map((l) => (JSON.parse(l) as { code?: string }).code).filter(Boolean);
    for (const code of ["LR-1001", "LR-1003", "LR-1004", "LR-1401"]) assert.ok(!codes.includes(code), `nothing was logged as ${code}`);
    assert.deepEqual([codes.filter((c) => c === "LR-1604").length, codes.filter((c) => c === "LR-1601").length], [3, 6], "three throttles and six failures, each logged as the Connector's");
  });
});

describe("the app's turn error handler, for a turn the bot started itself", () => {
  let connector: FakeConnector;
  beforeEach(async () => {
    connector = new FakeConnector();
    await connector.start();
  });
  afterEach(() => connector.stop());

  it("hands a proactive turn's error back to the caller, resetting nobody's dialogs and sending no apology", async () => {
    const adapter = createAdapter(testConfig().bot);
    const resets: unknown[] = [];
    const { log, lines } = capturingLogger("info");
    installTurnErrorHandler(adapter, async (context) => void resets.push(context.activity.from), log);
    const mettesChat: StoredConversation = {
      channelId: "msteams", serviceUrl: connector.serviceUrl, conversationId: mette.conversationId, conversationType: "personal", tenantId: mette.tenantId,
      botId: "28:bot", userId: `29:${mette.aadObjectId}`, aadObjectId: mette.aadObjectId, active: true, updatedAt: START.toISOString(),
    };
    const boom = new Error("throttled");
    await assert.rejects(adapter.continueConversationAsync("", toReference(mettesChat), async () => Promise.reject(boom)), (err) => err === boom);
    assert.deepEqual([resets, connector.calls, lines], [[], [], []]);
  });
});
