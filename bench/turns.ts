/**
 * `npm run bench:turns`: per-turn processing time of the guided reflection, against the
 * embedded Cosmos server and against in-memory storage, next to a bare botbuilder echo bot in
 * the same process; and how many Cosmos requests each kind of turn makes.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { ActivityHandler, ConversationState, MemoryStorage, TestAdapter, type Activity, type TurnContext } from "botbuilder";
import { ComponentDialog, DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog } from "botbuilder-dialogs";
import { LederrefleksionBot } from "../src/bot/lederrefleksionBot";
import { parseConfig } from "../src/kernel/config";
import { loadFramework } from "../src/content/loadContent";
import { PersonalChat } from "../src/dialogs/personalChat";
import type { ReflectionServices } from "../src/dialogs/services";
import { partitionKeyOf, type UserKey } from "../src/domain/identity";
import type { Reflection } from "../src/domain/reflection";
import type { UserSession } from "../src/domain/session";
import type { StagedDocument } from "../src/domain/turnSession";
import { silentLogger } from "../src/kernel/log";
import { projectRoot } from "../src/kernel/paths";
import { openCosmosStore } from "../src/storage/cosmosDatabase";
import { ETagConflictError } from "../src/storage/cosmosErrors";
import { startEmbeddedCosmos } from "../src/storage/embeddedCosmos";
import { ReflectionRepository } from "../src/storage/reflections";
import { UserSessionStore, type LoadedSession, type SessionStore } from "../src/storage/userSessions";
import { RecordingAdapter, TeamsChat, cardContent, inputIds } from "../test/support/teamsChat";
import type { TeamsUser } from "../test/support/activities";
import { SMOKE, benchSize } from "./smoke";

const REFLECTIONS = benchSize("BENCH_REFLECTIONS", 150, 20);
const WARMUP = SMOKE ? 5 : 20;

/** Same contract as the Cosmos store (eTag checks included), in a Map: the "in-memory storage" baseline. */
class InMemorySessionStore implements SessionStore {
  private readonly documents = new Map<string, { json: string; eTag: string }>();
  async load(user: UserKey): Promise<LoadedSession> {
    const found = this.documents.get(partitionKeyOf(user));
    return found ? { session: JSON.parse(found.json) as UserSession, eTag: found.eTag } : { session: { profile: { lastReflectedAt: {} } }, eTag: undefined };
  }
  /** The documents written alongside are kept in the same Map, in the same step: all or nothing. */
  async save(user: UserKey, session: UserSession, eTag: string | undefined, alongside: readonly StagedDocument[] = []): Promise<string> {
    const key = partitionKeyOf(user);
    if (this.documents.get(key)?.eTag !== eTag) throw new ETagConflictError(key);
    const next = randomUUID();
    this.documents.set(key, { json: JSON.stringify(session), eTag: next });
    for (const document of alongside) this.documents.set(`${key}/${document.id}`, { json: JSON.stringify(document), eTag: next });
    return next;
  }
  async beginErasure(user: UserKey): Promise<{ insight: undefined; withdrawalId: string }> {
    this.documents.delete(partitionKeyOf(user));
    return { insight: undefined, withdrawalId: "00000000-0000-0000-0000-000000000000" };
  }
}

class InMemoryReflections {
  documentOf(reflection: Reflection): StagedDocument {
    return { ...reflection, pk: partitionKeyOf(reflection) };
  }
}

type TurnKind = "install" | "role" | "theme" | "statements" | "focus" | "question" | "save";
interface Sample {
  kind: TurnKind;
  ms: number;
  cosmosRequests: number;
}

const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));

function services(reflections: ReflectionServices["reflections"]): ReflectionServices {
  return { framework, reflections, clock: () => new Date(), newId: () => randomUUID(), newToken: () => randomUUID().slice(0, 12) };
}

/**
 * A bot with the reflection flow alone. The turns measured here never reach history,
 * reminders or a channel, so those collaborators are left out on purpose.
 */
function reflectionBot(sessions: SessionStore, reflections: ReflectionServices["reflections"]): LederrefleksionBot {
  const unused = undefined as never;
  return new LederrefleksionBot(sessions, { chat: new PersonalChat(services(reflections), unused), myData: unused, reminders: unused, preparation: unused, pulses: unused }, silentLogger, unused, unused, unused, unused, unused, unused);
}

function userNumber(i: number): TeamsUser {
  const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
  return { aadObjectId: id, tenantId: "11111111-1111-4111-8111-111111111111", conversationId: `a:bench-${i}` };
}

/** Time spent in the bot's own run() for the last turn; set by the adapter's logic below. */
let lastRunMs = 0;

async function timedRun(run: () => Promise<void>): Promise<void> {
  const start = process.hrtime.bigint();
  await run();
  lastRunMs = Number(process.hrtime.bigint() - start) / 1e6;
}

/** One complete reflection, 9 turns, timing each turn's processing (not the test client's card handling). */
async function reflect(chat: TeamsChat, count: () => number, samples: Sample[]): Promise<void> {
  const timed = async (kind: TurnKind, turn: () => Promise<unknown>) => {
    const before = count();
    await turn();
    samples.push({ kind, ms: lastRunMs, cosmosRequests: count() - before });
  };
  await timed("install", () => chat.install());
  await timed("role", () => chat.click(chat.lastCard(), "Vælg rolle", { roleId: "leder-af-leder" }));
  const themeCard = chat.lastCard();
  const token = /"token":"([^"]+)"/.exec(JSON.stringify(cardContent(themeCard)))?.[1];
  await timed("theme", () => chat.submit(themeCard, { verb: "chooseTheme", token, step: "theme", themeId: "drift" }));
  const statements = chat.lastCard();
  const ratings = Object.fromEntries(inputIds(cardContent(statements)).filter((id) => id.startsWith("rating:")).map((id) => [id, "4"]));
  await timed("statements", () => chat.click(statements, "Næste", ratings));
  await timed("focus", () => chat.click(chat.lastCard(), "Næste", { focusDeeper: "Et svar om fokus" }));
  for (const answer of ["Et svar med æøå", "Endnu et svar", "Det tredje svar"]) {
    await timed("question", () => chat.click(chat.lastCard(), "Næste", { answer }));
  }
  await timed("save", () => chat.click(chat.lastCard(), "Gem refleksion", { commitment: "Næste skridt" }));
}

async function runFlow(label: string, make: () => Promise<{ bot: LederrefleksionBot; count: () => number; close: () => Promise<void> }>): Promise<Sample[]> {
  const { bot, count, close } = await make();
  const adapter = new RecordingAdapter((context) => timedRun(() => bot.run(context)));
  const samples: Sample[] = [];
  for (let i = 0; i < WARMUP + REFLECTIONS; i += 1) {
    const run: Sample[] = [];
    await reflect(new TeamsChat(adapter, userNumber(i)), count, run);
    if (i >= WARMUP) samples.push(...run);
    adapter.sent.length = 0;
    adapter.updates.length = 0;
    adapter.activeQueue.length = 0;
  }
  await close();
  process.stdout.write(`  measured ${label}: ${samples.length} turns\n`);
  return samples;
}

/** The bare echo bot: ActivityHandler, one sendActivity. */
function echoBot(): (context: TurnContext) => Promise<void> {
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`Du skrev: ${context.activity.text}`);
    await next();
  });
  return (context) => bot.run(context);
}

class EchoDialog extends ComponentDialog {
  constructor() {
    super("echo");
    this.addDialog(new TextPrompt("text"));
    this.addDialog(
      new WaterfallDialog("loop", [
        (step) => step.prompt("text", "Skriv noget"),
        async (step) => {
          await step.context.sendActivity(`Du skrev: ${String(step.result)}`);
          return step.replaceDialog("loop");
        },
      ]),
    );
    this.initialDialogId = "loop";
  }
}

/**
 * The same echo through botbuilder-dialogs (a ComponentDialog with a TextPrompt loop) and
 * ConversationState on MemoryStorage: the floor the dialog system itself sets per turn.
 */
function dialogEchoBot(): (context: TurnContext) => Promise<void> {
  const state = new ConversationState(new MemoryStorage());
  const dialogs = new DialogSet(state.createProperty("dialogState"));
  dialogs.add(new EchoDialog());
  return async (context) => {
    const dc = await dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog("echo");
    await state.saveChanges(context);
  };
}

async function runEcho(turns: number, logic: (context: TurnContext) => Promise<void>): Promise<number[]> {
  const adapter = new TestAdapter((context) => timedRun(() => logic(context)));
  const times: number[] = [];
  for (let i = 0; i < WARMUP * 8 + turns; i += 1) {
    await adapter.processActivity({ type: "message", text: `hej ${i}` } as Partial<Activity>);
    if (i >= WARMUP * 8) times.push(lastRunMs);
    adapter.activeQueue.length = 0;
  }
  return times;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const f = (ms: number) => ms.toFixed(3).padStart(8);

async function main(): Promise<void> {
  process.stdout.write(`bench:turns — ${REFLECTIONS} reflections of 9 turns each (after ${WARMUP} warm-up), Node ${process.version}\n`);

  const cosmos = await runFlow("reflection flow, embedded Cosmos", async () => {
    const server = await startEmbeddedCosmos();
    // The bench stands in for the Bicep, which creates the containers in production.
    const config = parseConfig({ COSMOS_ENDPOINT: server.endpoint, COSMOS_KEY: server.key, COSMOS_DATABASE: `bench-${randomUUID()}`, COSMOS_CREATE_MISSING: "true" });
    const store = await openCosmosStore(config.cosmos, silentLogger);
    const bot = reflectionBot(new UserSessionStore(store.containers.userData), new ReflectionRepository(store.containers.userData));
    return { bot, count: () => server.requestCount(), close: async () => (await store.close(), await server.stop()) };
  });
  const memory = await runFlow("reflection flow, in-memory storage", async () => {
    const bot = reflectionBot(new InMemorySessionStore(), new InMemoryReflections());
    return { bot, count: () => 0, close: async () => undefined };
  });
  const echo = await runEcho(memory.length, echoBot());
  const dialogEcho = await runEcho(memory.length, dialogEchoBot());
  process.stdout.write(`  measured echo bots: ${echo.length} turns each\n\n`);

  const cosmosMs = cosmos.map((s) => s.ms);
  const memoryMs = memory.map((s) => s.ms);
  process.stdout.write("per-turn processing time (ms)        p50      p99\n");
  process.stdout.write(`reflection flow, embedded Cosmos  ${f(percentile(cosmosMs, 50))} ${f(percentile(cosmosMs, 99))}\n`);
  process.stdout.write(`reflection flow, in-memory        ${f(percentile(memoryMs, 50))} ${f(percentile(memoryMs, 99))}\n`);
  process.stdout.write(`bare echo bot (TestAdapter)       ${f(percentile(echo, 50))} ${f(percentile(echo, 99))}\n`);
  process.stdout.write(`echo bot through a dialog         ${f(percentile(dialogEcho, 50))} ${f(percentile(dialogEcho, 99))}\n`);
  const ratio = (a: number[], b: number[], p: number) => (percentile(a, p) / percentile(b, p)).toFixed(2).padStart(8);
  process.stdout.write(`ratio in-memory flow / bare echo  ${ratio(memoryMs, echo, 50)} ${ratio(memoryMs, echo, 99)}   (target ≤ 3)\n`);
  process.stdout.write(`ratio in-memory flow / dialog echo${ratio(memoryMs, dialogEcho, 50)} ${ratio(memoryMs, dialogEcho, 99)}\n\n`);

  process.stdout.write("Cosmos requests per turn (embedded server)   mean   max\n");
  const kinds: TurnKind[] = ["install", "role", "theme", "statements", "focus", "question", "save"];
  for (const kind of kinds) {
    const of = cosmos.filter((s) => s.kind === kind).map((s) => s.cosmosRequests);
    process.stdout.write(`  ${kind.padEnd(40)} ${(of.reduce((a, b) => a + b, 0) / of.length).toFixed(2).padStart(5)} ${String(Math.max(...of)).padStart(5)}\n`);
  }
  const all = cosmos.map((s) => s.cosmosRequests);
  process.stdout.write(`  ${"all turns".padEnd(40)} ${(all.reduce((a, b) => a + b, 0) / all.length).toFixed(2).padStart(5)} ${String(Math.max(...all)).padStart(5)}   (one state read and one write per turn; choosing the theme also reads the last reflection on it)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
