import assert from "node:assert/strict";
import { startApp, type RunningApp } from "../../src/app";
import type { GroupMeeting } from "../../src/domain/group/model";
import { groupPartition } from "../../src/domain/group/partition";
import { silentLogger } from "../../src/kernel/log";
import { GroupMeetings } from "../../src/storage/meetingStore";
import { fixtureJson, jonas, meetingActivity, MEETING_CHAT, mette } from "../support/activities";
import { FakeConnector, type ConnectorCall } from "../support/fakeConnector";
import { httpCall } from "../support/http";
import { cardText } from "../support/teamsChat";
import { testConfig } from "../support/testConfig";

type Json = Record<string, unknown>;

/** The agreement issue 29 found active twice: in the status message, and on the re-drawn start card. */
const PHISHING = "Opdatér [mødeplanen](https://evil.example/login) inden fredag";
/** A Markdown link is `[text](target)` with the brackets unescaped. */
const LIVE_LINK = /(^|[^\\])\[[^\]]*\]\(/;

/**
 * A status click on "Dagens refleksion" through the real HTTP server (/api/messages), with the
 * replies as the Bot Connector receives them: a member's agreement written as a Markdown link
 * shows as typed on both surfaces the click draws.
 */
describe("a status click on an agreement written as a link (real server, fake Connector)", () => {
  const now = new Date("2026-12-08T09:20:00.000Z");
  const pk = groupPartition(MEETING_CHAT);
  const lastWeek = "meeting|2026-12-01T09:00:00.000Z";
  const today = "meeting|2026-12-08T09:00:00.000Z";
  let app: RunningApp;
  let connector: FakeConnector;

  beforeEach(async () => {
    connector = new FakeConnector();
    await connector.start();
    const meetingInfo = fixtureJson("meeting-info");
    const members = fixtureJson("meeting-members");
    connector.respond = (call) => {
      if (call.method === "GET" && call.path.startsWith("/v1/meetings/")) return { status: 200, body: meetingInfo };
      if (call.method === "GET" && call.path.includes("/pagedmembers")) return { status: 200, body: members };
      return { status: 200, body: { id: `sent-${connector.calls.length}` } };
    };
    app = await startApp(testConfig(), silentLogger, { clock: () => now });
    // Last week's meeting saved the agreement as Mette typed it; today's start card follows it up.
    const meetings = new GroupMeetings(app.store.containers.channels);
    const meeting = (id: string, start: string, agreements: GroupMeeting["agreements"]): GroupMeeting => ({
      id, pk, type: "meeting", start, end: new Date(Date.parse(start) + 3_600_000).toISOString(), themeId: "drift", source: "series",
      agreements, people: [mette.aadObjectId], openCount: agreements.length,
    });
    await meetings.open(meeting(lastWeek, "2026-12-01T09:00:00.000Z", [
      { id: "a1", text: PHISHING, responsible: "Mette", status: "notStarted", createdBy: { name: "Mette Leder", aadObjectId: mette.aadObjectId }, createdAt: "2026-12-01T10:05:00.000Z", changes: [] },
    ]));
    await meetings.open(meeting(today, "2026-12-08T09:00:00.000Z", []));
  });
  afterEach(async () => {
    await app.stop();
    await connector.stop();
  });

  it("says »…« er nu markeret som gjort and re-draws Dagens refleksion with the agreement as typed, never as a link", async () => {
    const click = meetingActivity("meeting-chat-message", jonas, {
      text: undefined,
      replyToId: "start-card",
      value: { verb: "setAgreementStatus", meetingId: lastWeek, agreementId: "a1", status: "done", cardMeetingId: today },
      serviceUrl: connector.serviceUrl,
    });
    const answer = await httpCall(app.port, "POST", "/api/messages", click);
    assert.ok(answer.status >= 200 && answer.status < 300, `the click is taken (${answer.status})`);

    const sent = (method: string) => connector.calls.filter((c: ConnectorCall) => c.method === method && c.path.includes("/activities"));
    const message = sent("POST").map((c) => String(c.body.text ?? "")).find((text) => /er nu markeret som/.test(text));
    assert.ok(message, `the status is confirmed in words; sent: ${JSON.stringify(sent("POST").map((c) => c.body.text))}`);
    // Shortened to 60 characters as the sentence always is, the brackets still escaped.
    assert.equal(message, "»Opdatér \\[mødeplanen\\]\\(https://evil.example/login\\) inden …« er nu markeret som gjort.");
    assert.doesNotMatch(message, LIVE_LINK);

    const update = sent("PUT").find((c) => c.activityId === "start-card");
    assert.ok(update, "the clicked start card is re-drawn in place");
    const card = ((update.body.attachments as Json[] | undefined)?.[0]?.content ?? {}) as Json;
    const shown = cardText(card);
    assert.match(shown, /Dagens refleksion|Ledergruppens møde/);
    assert.ok(shown.includes("Opdatér \\[mødeplanen\\]\\(https://evil.example/login\\) inden fredag"), `the agreement shows as typed: ${shown}`);
    assert.doesNotMatch(JSON.stringify(card), LIVE_LINK, "no TextBlock of the re-drawn card holds a live link");
    assert.match(shown, /Status: Gjort \(Jonas Chef, /);
  });
});
