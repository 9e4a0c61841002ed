import fs from "node:fs";
import path from "node:path";

type Json = Record<string, unknown>;

const fixtures = new Map<string, string>();

/** A fresh copy of a fixture activity each time (read from disk once). */
function fixture(name: string): Json {
  let text = fixtures.get(name);
  if (text === undefined) {
    text = fs.readFileSync(path.join(__dirname, "..", "fixtures", "activities", `${name}.json`), "utf8");
    fixtures.set(name, text);
  }
  return JSON.parse(text) as Json;
}

export interface TeamsUser {
  readonly aadObjectId: string;
  readonly tenantId: string;
  readonly conversationId: string;
  readonly name?: string;
  /** Where their activities say the Connector is (a fake Connector's, so the bot's proactive sends to them reach it); the fixture's otherwise. */
  readonly serviceUrl?: string;
}

export const mette: TeamsUser = {
  aadObjectId: "00000000-0000-4000-8000-000000000001",
  tenantId: "11111111-1111-4111-8111-111111111111",
  conversationId: "a:1personal-conversation-mette",
  name: "Mette Leder",
};

export const jonas: TeamsUser = {
  aadObjectId: "00000000-0000-4000-8000-000000000002",
  tenantId: "11111111-1111-4111-8111-111111111111",
  conversationId: "a:1personal-conversation-jonas",
  name: "Jonas Chef",
};

let sequence = 0;

/** A Teams-shaped activity from the fixture, re-addressed to a user and a serviceUrl. */
export function teamsActivity(
  name: "personal-message" | "personal-install",
  user: TeamsUser,
  overrides: Json = {},
): Json {
  const base = fixture(name);
  return fromUser(base, user, {
    conversation: { ...(base.conversation as Json), id: user.conversationId, tenantId: user.tenantId },
    channelData: { ...(base.channelData as Json), tenant: { id: user.tenantId } },
    ...(user.serviceUrl ? { serviceUrl: user.serviceUrl } : {}),
    ...overrides,
  });
}

/** A fixture sent by `user`, with an id of its own. */
function fromUser(base: Json, user: TeamsUser, overrides: Json): Json {
  sequence += 1;
  return {
    ...base,
    id: `${String(base.id)}-${sequence}`,
    from: { ...(base.from as Json), id: `29:${user.aadObjectId}`, aadObjectId: user.aadObjectId, name: user.name },
    ...overrides,
  };
}

/** The meeting chat the meeting fixtures are from. */
export const MEETING_CHAT = "19:meeting_NDQ4MGRhYjgtMzc5MS00ZWMxLWJiZjEtOTIxZmM5Mzg3ZGFi@thread.v2";

/**
 * A Teams-shaped activity in a meeting's chat (a message, or the meeting start and end events),
 * from `user`, to the given serviceUrl (a fake Connector that serves the meeting's details).
 */
export function meetingActivity(
  name: "meeting-chat-message" | "meeting-start" | "meeting-end",
  user: TeamsUser,
  overrides: Json = {},
): Json {
  // The meeting's chat stays as the fixture has it; only the sender changes.
  return fromUser(fixture(name), user, overrides);
}

/** A fixture as Microsoft documents it (Connector answers, for a fake Connector to serve). */
export function fixtureJson(name: string): Json {
  return fixture(name);
}

export function teamsMessage(user: TeamsUser, text: string, overrides: Json = {}): Json {
  return teamsActivity("personal-message", user, { text, ...overrides });
}
