import { ConversationState, UserState } from "botbuilder";
import { createAdapter, installTurnErrorHandler } from "./bot/adapter";
import { LederrefleksionBot } from "./bot/lederrefleksionBot";
import type { AppConfig } from "./config";
import type { Logger } from "./log";
import { createHttpServer, type HttpServer } from "./server";
import { CosmosStateStorage } from "./storage/cosmosStateStorage";
import { openCosmosStore, type CosmosStore } from "./storage/cosmosDatabase";

export interface RunningApp {
  readonly port: number;
  readonly http: HttpServer;
  readonly store: CosmosStore;
  /** Graceful: stop accepting, finish turns in flight, close storage. Safe to call twice. */
  stop(): Promise<void>;
}

/** Wires config → storage → bot → server. index.ts and the HTTP tests both start the app here. */
export async function startApp(config: AppConfig, log: Logger): Promise<RunningApp> {
  if (!config.bot.appId) {
    log.warn(
      "MicrosoftAppId is empty: the bot accepts unauthenticated requests. Fine for local use and the Playground; never deploy like this.",
    );
  }
  const store = await openCosmosStore(config.cosmos, log);
  try {
    const stateStorage = new CosmosStateStorage(store.containers.state);
    const conversationState = new ConversationState(stateStorage);
    const userState = new UserState(stateStorage);
    const adapter = createAdapter(config.bot);
    installTurnErrorHandler(adapter, conversationState, log);
    const bot = new LederrefleksionBot(conversationState, userState, log);

    const http = createHttpServer({
      adapter,
      runTurn: (context) => bot.run(context),
      readiness: { storage: () => store.ping() },
      log,
    });
    const port = await http.listen(config.port, config.host);
    log.info({ port, host: config.host }, "Lederrefleksion is listening");

    let stopping: Promise<void> | undefined;
    return {
      port,
      http,
      store,
      stop: () =>
        (stopping ??= (async () => {
          await http.close();
          await store.close();
        })()),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
