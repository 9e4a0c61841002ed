import assert from "node:assert/strict";
import sinon from "sinon";
import { TurnContext, type Activity } from "botbuilder";
import { ConnectorClient, MicrosoftAppCredentials } from "botframework-connector";
import { toDeliveryError, toReference, withoutHiddenRetries } from "../../src/bot/connectorMessenger";
import { postActivity } from "../../src/bot/connectorPost";
import { nudgeCard } from "../../src/cards/reminderCards";
import { trusted } from "../../src/kernel/shown";
import type { StoredConversation } from "../../src/domain/conversation";
import { FakeConnector, type ConnectorCall } from "../support/fakeConnector";

/**
 * postActivity makes the request ConnectorClient's conversations.sendToConversation makes, without
 * its pipeline: each case sends the same activity both ways to a fake Connector and compares.
 */
describe("posting a proactive message to the Connector (postActivity against the Connector client)", () => {
  let connector: FakeConnector;
  let credentials: MicrosoftAppCredentials;

  beforeEach(async () => {
    connector = new FakeConnector();
    await connector.start();
    credentials = new MicrosoftAppCredentials("00000000-0000-4000-8000-00000000b075", "secret");
    // The token service is the outside world: the credentials are asked for a token, as in production.
    sinon.stub(credentials, "getToken").resolves("token-from-entra");
  });
  afterEach(async () => {
    sinon.restore();
    await connector.stop();
  });

  const conversation = (): StoredConversation => ({
    channelId: "msteams", serviceUrl: connector.serviceUrl, conversationId: "a:1Xq/ærø+=?#conversation", conversationType: "personal",
    tenantId: "11111111-1111-4111-8111-111111111111", botId: "28:bot", botName: "Lederrefleksion", userId: "29:user", aadObjectId: "00000000-0000-4000-8000-000000000001", active: true, updatedAt: "2026-11-23T08:00:00.000Z",
  });
  const reminder = () =>
    TurnContext.applyConversationReference(
      { type: "message", attachments: [nudgeCard({ themeTitle: trusted("Drift og udvikling"), lastReflectedAt: "2026-11-03T10:00:00.000Z", catchUp: false, gentler: [] })] } as Partial<Activity>,
      toReference(conversation()),
    );
  /** The Connector client as the app tunes it: no retries of its own. */
  const throughClient = (serviceUrl: string, as = credentials) => {
    const client = new ConnectorClient(as, { baseUri: serviceUrl });
    withoutHiddenRetries(client);
    return client;
  };
  const sameRequest = (ours: ConnectorCall, theirs: ConnectorCall) => {
    assert.equal(ours.method, theirs.method);
    assert.equal(ours.path, theirs.path);
    assert.equal(ours.conversationId, conversation().conversationId);
    assert.deepEqual(ours.body, theirs.body);
    assert.equal(ours.headers.authorization, "Bearer token-from-entra");
    assert.equal(ours.headers.authorization, theirs.headers.authorization);
    assert.equal(ours.headers["content-type"], theirs.headers["content-type"]);
  };

  it("sends the same method, path, JSON and token as sendToConversation, and answers the id Teams gave", async () => {
    const theirId = (await throughClient(connector.serviceUrl).conversations.sendToConversation(conversation().conversationId, reminder())).id;
    const ourId = await postActivity({ credentials }, connector.serviceUrl, conversation().conversationId, reminder());
    assert.deepEqual([theirId, ourId], ["sent-1", "sent-2"]);
    sameRequest(connector.calls[1]!, connector.calls[0]!);
  });

  it("keeps the service URL's own path (a Teams region) as the client does, with or without its last slash", async () => {
    const regional = `${connector.serviceUrl}emea`;
    await throughClient(regional).conversations.sendToConversation(conversation().conversationId, reminder());
    await postActivity({ credentials }, regional, conversation().conversationId, reminder());
    await postActivity({ credentials }, `${regional}/`, conversation().conversationId, reminder());
    sameRequest(connector.calls[1]!, connector.calls[0]!);
    sameRequest(connector.calls[2]!, connector.calls[0]!);
    assert.match(connector.calls[1]!.path, /^\/emea\/v3\/conversations\//);
  });

  it("sends no Authorization when the app has no id (a local run), as the client does", async () => {
    const anonymous = new MicrosoftAppCredentials("", "");
    await throughClient(connector.serviceUrl, anonymous).conversations.sendToConversation(conversation().conversationId, reminder());
    await postActivity({ credentials: anonymous }, connector.serviceUrl, conversation().conversationId, reminder());
    assert.deepEqual(connector.calls.map((c) => c.headers.authorization), [undefined, undefined]);
    assert.deepEqual(connector.calls[1]!.body, connector.calls[0]!.body);
  });

  for (const answer of [
    { status: 429, headers: { "retry-after": "7" }, body: { error: { code: "Throttled", message: "Too many requests" } } },
    { status: 403, body: { error: { code: "ConversationBlockedByUser", message: "User blocked the conversation with the bot." } } },
    { status: 404, body: { error: { code: "ConversationNotFound", message: "Conversation not found." } } },
    { status: 500, body: { error: { code: "InternalServerError" } } },
    { status: 502, body: "Bad gateway" },
  ]) {
    it(`turns a ${answer.status} into the same DeliveryError (status, Teams' code, Retry-After, message) as the client's error`, async () => {
      connector.respond = () => answer;
      const theirs = await throughClient(connector.serviceUrl).conversations.sendToConversation(conversation().conversationId, reminder()).then(() => assert.fail("the client sent it"), toDeliveryError);
      const ours = await postActivity({ credentials }, connector.serviceUrl, conversation().conversationId, reminder()).then(() => assert.fail("postActivity sent it"), toDeliveryError);
      assert.deepEqual({ status: ours.status, code: ours.connectorCode, retryAfterMs: ours.retryAfterMs, message: ours.message }, { status: theirs.status, code: theirs.connectorCode, retryAfterMs: theirs.retryAfterMs, message: theirs.message });
      assert.equal(ours.status, answer.status);
    });
  }

  it("turns a refused connection into the same DeliveryError as the client's error", async () => {
    const serviceUrl = connector.serviceUrl;
    await connector.refuseConnections();
    const theirs = await throughClient(serviceUrl).conversations.sendToConversation(conversation().conversationId, reminder()).then(() => assert.fail("the client sent it"), toDeliveryError);
    const ours = await postActivity({ credentials }, serviceUrl, conversation().conversationId, reminder()).then(() => assert.fail("postActivity sent it"), toDeliveryError);
    assert.deepEqual({ status: ours.status, code: ours.connectorCode }, { status: theirs.status, code: theirs.connectorCode });
    assert.deepEqual([ours.status, ours.connectorCode], [0, "ECONNREFUSED"]);
  });
});
