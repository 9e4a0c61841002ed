import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Activity } from "botbuilder";
import { meetingActivity, mette, type TeamsUser } from "../support/activities";
import { FakeConnector } from "../support/fakeConnector";
import { createHarness, type Harness } from "../support/teamsChat";
import { testConfig } from "../support/testConfig";
import { silentLogger } from "../../src/kernel/log";
import { signingKeyFor } from "../../src/storage/signingKey";

type Json = Record<string, unknown>;

const TENANT = mette.tenantId;
const FIRST_CHAT = "19:marks-first-team@thread.v2";
const SECOND_CHAT = "19:marks-second-team@thread.v2";
const team: TeamsUser[] = Array.from({ length: 6 }, (_, i) => ({
  aadObjectId: `00000000-0000-4000-8000-0000000003${String(i).padStart(2, "0")}`,
  tenantId: TENANT,
  conversationId: `a:1personal-marks-${i}`,
  name: `Medarbejder ${i + 1}`,
}));
const member = (u: TeamsUser) => ({ id: `29:${u.aadObjectId}`, name: u.name, aadObjectId: u.aadObjectId, userRole: "user" });

/**
 * Issue 28, acceptance 9: the differencing rule recognises a person by a mark keyed with the
 * signing key, so the key must outlive any one process. Two instances answer and close the first
 * pulse; then every instance stops and a new one starts on the same data, taking its key from
 * the settings as a restart does (src/storage/signingKey.ts), and closes a second pulse whose
 * roster is the first's plus one person. Shown, the two results' difference would be that
 * person's answers; it must be hidden.
 */
describe("the Vi-pulse's marks across two instances and a restart (one signing key for the lifetime of the data)", () => {
  let connector: FakeConnector;
  let now: Date;
  let dir: string;
  const running: Harness[] = [];

  beforeEach(async () => {
    now = new Date("2026-11-30T08:00:00.000Z");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulse-marks-"));
    connector = new FakeConnector();
    await connector.start();
    // The second chat: the first chat's people and one more.
    const rosters: Record<string, Json[]> = { [FIRST_CHAT]: [mette, ...team.slice(0, 5)].map(member), [SECOND_CHAT]: [mette, ...team].map(member) };
    connector.respond = (call) => {
      const roster = Object.entries(rosters).find(([chat]) => call.path.startsWith(`/v3/conversations/${encodeURIComponent(chat)}/pagedmembers`));
      return roster ? { status: 200, body: { members: roster[1] } } : { status: 200 };
    };
  });
  afterEach(async () => {
    for (const h of running.splice(0)) await h.close();
    await connector.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** An instance started from these settings, its signing key read as the app reads it at start-up. */
  async function start(settings: Record<string, string>, database?: string): Promise<Harness> {
    const exportSigningKey = await signingKeyFor(testConfig(settings).privacy.signingKey, silentLogger);
    const h = await createHarness({ ...(database ? { database } : {}), clock: () => now, exportSigningKey });
    running.push(h);
    return h;
  }
  async function stopAll(): Promise<void> {
    for (const h of running.splice(0)) await h.close();
  }

  const inChat = (user: TeamsUser, chat: string, overrides: Json) =>
    meetingActivity("meeting-chat-message", user, {
      serviceUrl: connector.serviceUrl,
      conversation: { isGroup: true, conversationType: "groupChat", id: chat, tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      ...overrides,
    }) as Partial<Activity>;

  /** Mette, with the app in her 1:1 chat, asks a chat for a pulse on "drift"; returns its id. */
  async function ask(h: Harness, chat: string): Promise<string> {
    const before = h.adapter.sent.length;
    await h.adapter.processActivity(inChat(mette, chat, { text: "<at>Lederrefleksion</at> puls drift" }));
    const card = h.adapter.sent.slice(before).find((r) => r.attachments?.length);
    assert.ok(card, "the pulse's card is posted");
    return /"pulseId":"([^"]+)"/.exec(JSON.stringify(card.attachments![0]!.content))![1]!;
  }
  /** A member answers every statement with 4 (Action.Execute, as Teams sends it). */
  async function answer(h: Harness, user: TeamsUser, chat: string, pulseId: string): Promise<void> {
    const ratings = Object.fromEntries(h.pulses.statements("drift").map((s) => [`pulse:${s.id}`, "4"]));
    const data = { verb: "answerPulse", pulseId, groupId: chat, ...ratings };
    await h.adapter.processActivity(inChat(user, chat, { type: "invoke", name: "adaptiveCard/action", text: undefined, value: { action: { type: "Action.Execute", verb: "answerPulse", data } } }));
  }
  /** Eight days on: the pulse's close is due, and the leader's result is delivered. */
  async function closeOnSchedule(h: Harness): Promise<string> {
    now = new Date(now.getTime() + 8 * 86_400_000);
    const before = h.proactive.sent.length;
    await h.scheduler.tick();
    await h.delivery.tick();
    const results = h.proactive.sent.slice(before).filter((p) => p.conversation.conversationId === mette.conversationId && JSON.stringify(p.message).includes("Dit teams Vi-puls"));
    assert.equal(results.length, 1, "one result for the leader");
    return JSON.stringify(results[0]!.message);
  }

  const deployments: Array<[string, () => Record<string, string>]> = [
    ["locally (no app id: the key generated once beside the local data)", () => ({ LOCAL_DATA_FILE: path.join(dir, "cosmos.json") })],
    [
      "with an app id (EXPORT_SIGNING_KEY)",
      () => ({ MicrosoftAppId: "8e0f5a83-0000-4000-8000-000000000000", MicrosoftAppPassword: "secret", MicrosoftAppTenantId: TENANT, EXPORT_SIGNING_KEY: "the-deployment's-signing-key-0123456789abcdef" }),
    ],
  ];
  for (const [where, settings] of deployments) {
    it(`${where}: a pulse closed after a restart is hidden when its roster overlaps one two instances showed before it`, async () => {
      const first = await start(settings());
      const second = await start(settings(), first.database);
      const chat = first.chatAs(mette);
      await chat.install();
      await chat.click(chat.lastCard(), "Vælg rolle", { roleId: "leder-af-leder" });
      await chat.say("annuller");

      const firstPulse = await ask(first, FIRST_CHAT);
      for (const [i, u] of team.slice(0, 5).entries()) await answer(i % 2 ? second : first, u, FIRST_CHAT, firstPulse);
      assert.match(await closeOnSchedule(second), /Gennemsnit/, "the first pulse's result is shown");

      await stopAll();
      const restarted = await start(settings(), first.database);
      const secondPulse = await ask(restarted, SECOND_CHAT);
      for (const u of team) await answer(restarted, u, SECOND_CHAT, secondPulse);
      const result = await closeOnSchedule(restarted);
      assert.match(result, /nogle af jer var også med i en anden puls om samme tema inden for 30 dage/);
      assert.doesNotMatch(result, /Gennemsnit/);
    });
  }
});
