import { randomUUID } from "node:crypto";
import { TestAdapter, type Activity, type TurnContext } from "botbuilder";
import { ConnectorClient, MicrosoftAppCredentials } from "botframework-connector";
import { createAdapter, installTurnErrorHandler } from "../../src/bot/adapter";
import { composeBot } from "../../src/composition";
import type { StoredConversation } from "../../src/domain/conversation";
import type { Messenger, OutgoingMessage } from "../../src/nudges/messenger";
import type { Framework } from "../../src/domain/framework";
import { loadFramework } from "../../src/content/loadContent";
import { LocalMemberDirectory, type MemberDirectory } from "../../src/graph/memberRoles";
import type { AbsenceCheck } from "../../src/graph/outOfOffice";
import type { PeopleDirectory } from "../../src/graph/people";
import type { GroupMembership } from "../../src/domain/group/roster";
import { loadClosedDays } from "../../src/content/closedDays";
import { danishDaysOff } from "../../src/nudges/danishHolidays";
import { silentLogger, type Logger } from "../../src/kernel/log";
import { projectRoot } from "../../src/kernel/paths";
import { isLoopbackHost } from "../../src/kernel/config";
import { openCosmosStore, type CosmosStore } from "../../src/storage/cosmosDatabase";
import { teamsActivity, type TeamsUser } from "./activities";
import { testConfig } from "./testConfig";
import { refusingConnectorUrl } from "./rootHooks";
import path from "node:path";

type Json = Record<string, unknown>;

/** A TestAdapter that remembers everything the bot sent and every in-place card update. */
export class RecordingAdapter extends TestAdapter {
  readonly sent: Array<Partial<Activity>> = [];
  readonly updates: Array<Partial<Activity>> = [];

  override async sendActivities(context: TurnContext, activities: Array<Partial<Activity>>) {
    const responses = await super.sendActivities(context, activities);
    this.sent.push(...activities);
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>) {
    this.updates.push(activity);
    return super.updateActivity(context, activity);
  }
}

export interface Harness extends ReturnType<typeof composeBot> {
  readonly adapter: RecordingAdapter;
  readonly store: CosmosStore;
  readonly framework: Framework;
  readonly database: string;
  /** What the bot sent proactively (nudges, follow-ups, channel posts), instead of the Bot Connector. */
  readonly proactive: RecordingMessenger;
  chatAs(user: TeamsUser): TeamsChat;
  close(): Promise<void>;
}

/** Stands in for the Bot Connector for proactive sends: records them, or fails as told. */
export class RecordingMessenger implements Messenger {
  readonly sent: Array<{ conversation: StoredConversation; message: OutgoingMessage; activityId: string }> = [];
  readonly updated: Array<{ conversation: StoredConversation; message: OutgoingMessage; activityId: string }> = [];
  async send(conversation: StoredConversation, message: OutgoingMessage): Promise<string> {
    const activityId = `posted-${this.sent.length + 1}`;
    this.sent.push({ conversation, message, activityId });
    return activityId;
  }
  async update(conversation: StoredConversation, activityId: string, message: OutgoingMessage): Promise<void> {
    this.updated.push({ conversation, message, activityId });
  }
}

/**
 * Runs the scheduler, delivery and Indsigt's tally once, after `setNow` moved the harness's
 * clock; returns what was posted proactively.
 */
export async function tickScheduler(h: Harness, setNow: () => void): Promise<Harness["proactive"]["sent"]> {
  setNow();
  const before = h.proactive.sent.length;
  await h.scheduler.tick();
  await h.delivery.tick();
  await h.insight.tally();
  return h.proactive.sent.slice(before);
}

export const DEFAULT_NOW = new Date("2026-11-23T09:00:00.000Z");

/** Denmark's holidays and the shipped closed-days file, as the app has them. */
export function testDaysOff() {
  return danishDaysOff(loadClosedDays(path.join(projectRoot, "content", "closed-days.json")));
}

/** The real bot, dialogs and Cosmos repositories, on a TestAdapter. Pass `database` to "restart" on the same data. */
export async function createHarness(
  options: {
    database?: string;
    contentPath?: string;
    clock?: () => Date;
    members?: MemberDirectory;
    absence?: AbsenceCheck;
    /** Talk to Cosmos through this endpoint (a fault-injecting proxy) instead of the shared server. */
    cosmosEndpoint?: string;
    cosmosRequestTimeoutMs?: number;
    /** As the app has it: true only for the anonymous, local bot. */
    allowTimeTravel?: boolean;
    /** The bot's logger; silent unless a test reads what was logged. */
    log?: Logger;
    /** Teams' single-member lookup (a registered bot's); none by default, as in local runs. */
    membership?: GroupMembership;
    /** INSIGHT_CONSENT, when a test needs opt-in. */
    insightConsent?: "opt-out" | "opt-in";
    /** The secret links and Vi-pulse marks derive from, when a test takes it from settings as the app does. */
    exportSigningKey?: Buffer;
    /** Proactive sends through this (the real Connector client to a fake Connector) instead of recording them in `proactive`. */
    messenger?: Messenger;
    /** Til min leder's manager and names (Graph's, against a FakeGraph); none by default, as in local runs. */
    people?: PeopleDirectory;
  } = {},
): Promise<Harness> {
  const config = testConfig({
    ...(options.database ? { COSMOS_DATABASE: options.database } : {}),
    ...(options.cosmosEndpoint ? { COSMOS_ENDPOINT: options.cosmosEndpoint } : {}),
    ...(options.cosmosRequestTimeoutMs ? { COSMOS_REQUEST_TIMEOUT_MS: String(options.cosmosRequestTimeoutMs) } : {}),
    ...(options.insightConsent ? { INSIGHT_CONSENT: options.insightConsent } : {}),
  });
  const store = await openCosmosStore(config.cosmos, silentLogger);
  const framework = loadFramework(options.contentPath ?? path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));
  const proactive = new RecordingMessenger();
  const composed = composeBot({
    store,
    framework,
    adapter: createAdapter(config.bot),
    botAppId: "",
    exportSigningKey: options.exportSigningKey ?? Buffer.from("test-signing-key-test-signing-key-0123456789"),
    publicBaseUrl: "https://bot.example",
    nudges: config.nudges,
    allowTimeTravel: options.allowTimeTravel ?? true,
    log: options.log ?? silentLogger,
    clock: options.clock ?? (() => DEFAULT_NOW),
    newToken: () => randomUUID().slice(0, 12),
    messenger: options.messenger ?? proactive,
    instanceId: "test",
    members: options.members ?? new LocalMemberDirectory(),
    daysOff: testDaysOff(),
    ...(options.absence ? { absence: options.absence } : {}),
    ...(options.membership ? { membership: options.membership } : {}),
    ...(options.people ? { people: options.people } : {}),
  });
  const adapter = new RecordingAdapter((context) => composed.bot.run(context));
  // What CloudAdapter does for every turn: a Connector client for the activity's serviceUrl, so
  // TeamsInfo (meeting details, rosters) reaches whatever Connector the activity names.
  // Tests never leave the machine: an activity addressed to Teams' public Connector gets a local
  // one that refuses at once, instead of waiting out a lookup on a machine without network.
  adapter.use(async (context, next) => {
    const baseUri = isLoopbackUrl(context.activity.serviceUrl) ? context.activity.serviceUrl : refusingConnectorUrl();
    context.turnState.set(context.adapter.ConnectorClientKey, new ConnectorClient(new MicrosoftAppCredentials("", ""), { baseUri }));
    await next();
  });
  installTurnErrorHandler(adapter, (context) => composed.bot.resetDialogsAfterError(context), silentLogger);
  return {
    ...composed,
    adapter,
    store,
    framework,
    proactive,
    database: config.cosmos.database,
    chatAs: (user) => new TeamsChat(adapter, user),
    close: () => store.close(),
  };
}

export interface CardAction {
  readonly title: string;
  readonly data: Json;
  readonly associatedInputs?: string;
}

/** One user's personal chat, driven the way the Teams client drives it. */
export class TeamsChat {
  constructor(
    readonly adapter: RecordingAdapter,
    readonly user: TeamsUser,
  ) {}

  /** Sends a typed message and returns what the bot sent during that turn. */
  async say(text: string): Promise<Array<Partial<Activity>>> {
    return this.turn(teamsActivity("personal-message", this.user, { text }));
  }

  async install(): Promise<Array<Partial<Activity>>> {
    return this.turn(teamsActivity("personal-install", this.user));
  }

  /**
   * Clicks a button on a card the bot sent: like Teams, the submit carries the action's data
   * merged with the card's input values (the card's own values, overridden by `inputs`).
   */
  async click(card: Partial<Activity>, buttonTitle: string, inputs: Json = {}): Promise<Array<Partial<Activity>>> {
    const content = cardContent(card);
    const action = findActions(content).find((a) => a.title === buttonTitle);
    if (!action) throw new Error(`No button "${buttonTitle}" on the card; buttons: ${findActions(content).map((a) => a.title).join(", ")}`);
    const values = action.associatedInputs === "none" ? {} : { ...inputValues(content), ...inputs };
    return this.submit(card, { ...action.data, ...values });
  }

  /** Sends a raw submit for a card, as a tampering client could. */
  async submit(card: Partial<Activity>, value: Json): Promise<Array<Partial<Activity>>> {
    return this.turn(teamsActivity("personal-message", this.user, { text: undefined, value, replyToId: card.id }));
  }

  private async turn(activity: Json): Promise<Array<Partial<Activity>>> {
    const before = this.adapter.sent.length;
    await this.adapter.processActivity(activity as Partial<Activity>);
    return this.adapter.sent.slice(before);
  }

  /** The newest card the bot sent in this chat. */
  lastCard(): Partial<Activity> {
    const card = [...this.adapter.sent].reverse().find((a) => a.conversation?.id === this.user.conversationId && a.attachments?.length);
    if (!card) throw new Error("The bot has sent no card yet");
    return card;
  }

  /** The card's content as it stands now (after any in-place update). */
  current(card: Partial<Activity>): Json {
    const updated = [...this.adapter.updates].reverse().find((u) => u.id === card.id);
    return cardContent(updated ?? card);
  }
}

export function cardContent(activity: Partial<Activity>): Json {
  const content = activity.attachments?.[0]?.content as Json | undefined;
  if (!content) throw new Error(`Not a card: ${JSON.stringify(activity).slice(0, 200)}`);
  return content;
}

/** All text a person would read on a card, joined, for assertions. */
export function cardText(content: Json): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Json;
      for (const key of ["text", "title", "label", "value", "placeholder"]) if (typeof n[key] === "string") parts.push(n[key] as string);
      for (const child of Object.values(n)) if (typeof child === "object") walk(child);
    }
  };
  walk(content.body);
  walk(content.actions);
  return parts.join("\n");
}

export function findActions(content: Json): CardAction[] {
  const found: CardAction[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Json;
      if (n.type === "Action.Submit") found.push({ title: String(n.title), data: (n.data as Json) ?? {}, associatedInputs: n.associatedInputs as string | undefined });
      for (const child of Object.values(n)) if (typeof child === "object") walk(child);
    }
  };
  walk(content);
  return found;
}

export function inputValues(content: Json): Json {
  const values: Json = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Json;
      if (typeof n.type === "string" && n.type.startsWith("Input.") && typeof n.id === "string") values[n.id] = n.value ?? "";
      for (const child of Object.values(n)) if (typeof child === "object") walk(child);
    }
  };
  walk(content.body);
  return values;
}

export function inputIds(content: Json): string[] {
  return Object.keys(inputValues(content));
}

export function texts(activities: Array<Partial<Activity>>): string[] {
  return activities.map((a) => a.text ?? "").filter(Boolean);
}

function isLoopbackUrl(url: string | undefined): boolean {
  try {
    return isLoopbackHost(new URL(url ?? "").hostname);
  } catch {
    return false;
  }
}
