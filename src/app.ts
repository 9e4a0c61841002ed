import { InsightPages } from "./insight/insightPages";
import { MeetingPanelPages } from "./meetings/meetingPanelPages";
import { SharePages } from "./sharing/sharePages";
import { EntraSigningKeys, tabResource } from "./tabs/tabToken";
import { createAdapter, installTurnErrorHandler } from "./bot/adapter";
import { graphTokenProvider } from "./bot/graphToken";
import { createMessageEndpoint } from "./bot/messageEndpoint";
import { loadClosedDays } from "./content/closedDays";
import { GraphClient } from "./graph/graphClient";
import { danishDaysOff } from "./nudges/danishHolidays";
import { GraphMemberDirectory, LocalMemberDirectory } from "./graph/memberRoles";
import { GraphOutOfOffice } from "./graph/outOfOffice";
import { GraphPeople, PlaygroundPeople } from "./graph/people";
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "./kernel/paths";
import { composeBot } from "./composition";
import { compileAllCards } from "./cards/renderCard";
import type { AppConfig } from "./kernel/config";
import { startNudgeLoops } from "./nudges/runner";
import type { Framework } from "./domain/framework";
import { loadFramework } from "./content/loadContent";
import type { Logger } from "./kernel/log";
import { createHttpServer, type HttpServer } from "./server";
import { startRetentionJob } from "./privacy/retentionJob";
import { openCosmosStore, type CosmosStore } from "./storage/cosmosDatabase";
import { signingKeyFor } from "./storage/signingKey";

/** The Agents Playground's pretend organisation: the people picker's names in an anonymous local run. */
const PLAYGROUND_CONFIG = path.join(projectRoot, ".m365agentsplayground.yml");

export interface RunningApp {
  readonly port: number;
  readonly http: HttpServer;
  readonly store: CosmosStore;
  readonly framework: Framework;
  /** Graceful: stop accepting, finish turns in flight, close storage. Safe to call twice. */
  stop(): Promise<void>;
}

/** What only tests change: the browser test runs the bot on a calendar day it chooses. */
export interface StartOptions {
  readonly clock?: () => Date;
}

/** Wires config → storage → bot → server. index.ts and the HTTP tests both start the app here. */
export async function startApp(config: AppConfig, log: Logger, options: StartOptions = {}): Promise<RunningApp> {
  if (!config.bot.appId && config.exposure.allowUnauthenticated) {
    log.warn(
      { host: config.host },
      "ALLOW_UNAUTHENTICATED=true: without an app id, anyone who reaches this port can pose as any user. Only for a throw-away test machine; never deploy like this.",
    );
  } else if (!config.bot.appId) {
    log.info({ host: config.host }, "Local mode (no MicrosoftAppId): only this machine can reach the bot, for the Playground and tests");
  }
  if (config.bot.appId && config.bot.appType === "MultiTenant") {
    log.warn("MicrosoftAppType=MultiTenant works only for a bot registered before 31 July 2025: Azure creates no new multi-tenant bots (docs/platform.md)");
  }
  // Content first: a broken framework file should stop start-up before anything is opened.
  const framework = loadFramework(config.contentPath);
  const closedDays = loadClosedDays(config.closedDaysPath);
  const daysOff = danishDaysOff(closedDays);
  log.info(
    { file: config.contentPath, contentVersion: framework.contentVersion, themes: framework.themes.length, roles: framework.roles.length },
    "Loaded leadership framework",
  );
  log.info({ file: config.closedDaysPath, closedDays: closedDays.length }, "Loaded the organisation's closed days");
  // Every card template compiled now, so no user's turn pays for it (and a broken one stops the start).
  log.info({ cards: compileAllCards() }, "Compiled the card templates");
  const store = await openCosmosStore(config.cosmos, log);
  try {
    // After the store: a deployment missing a container stops on that first, with its own message.
    const exportSigningKey = await signingKeyFor(config.privacy.signingKey, log);
    const adapter = createAdapter(config.bot);
    const graph = config.bot.appId ? new GraphClient(config.graph.baseUrl, graphTokenProvider(config.bot)) : undefined;
    if (config.nudges.outOfOfficeCheck && !graph) log.warn("OUT_OF_OFFICE_CHECK needs MicrosoftAppId (Graph); it is off in this anonymous run");
    const { bot, meetingPanel, exports, minutes, reflections, scheduler, delivery, outbox, buckets, insight, shares } = composeBot({
      store,
      framework,
      adapter,
      botAppId: config.bot.appId,
      exportSigningKey,
      publicBaseUrl: config.privacy.publicBaseUrl,
      teamsAppId: config.teamsApp.teamsAppId,
      nudges: config.nudges,
      // Only an anonymous (local) bot lets a user move their reminder to now.
      allowTimeTravel: !config.bot.appId,
      daysOff,
      ...(config.privacy.retentionDays !== undefined ? { retentionDays: config.privacy.retentionDays } : {}),
      // Anonymous runs are loopback-only development: no Graph, and the one local user may set up.
      members: graph ? new GraphMemberDirectory(graph) : new LocalMemberDirectory(),
      // Til min leder's manager and names: Graph when registered (User.Read.All; docs/til-min-leder.md); the people picker alone otherwise.
      ...(graph ? { people: new GraphPeople(graph) } : fs.existsSync(PLAYGROUND_CONFIG) ? { people: new PlaygroundPeople(fs.readFileSync(PLAYGROUND_CONFIG, "utf8")) } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(graph && config.nudges.outOfOfficeCheck ? { absence: new GraphOutOfOffice(graph) } : {}),
      log,
    });
    installTurnErrorHandler(adapter, (context) => bot.resetDialogsAfterError(context), log);

    // The tabs' sign-in (Teams SSO), one for Indsigt, Til min leder and the meeting's side panel: same app registration, same keys.
    const tabAccess = config.bot.appId
      ? {
          kind: "entra" as const,
          settings: {
            appId: config.teamsApp.insightAppId,
            // The manifest's webApplicationInfo.resource, from the same PUBLIC_BASE_URL (npm run package).
            resource: tabResource(new URL(config.privacy.publicBaseUrl).hostname, config.teamsApp.insightAppId, config.bot.appId),
            allowedTenants: config.bot.allowedTenants === "*" ? [] : config.bot.allowedTenants,
            authority: config.entra.authority,
          },
          keys: new EntraSigningKeys(config.entra.authority),
        }
      : { kind: "local" as const, tenantId: config.nudges.insightLocalTenant };
    const clock = options.clock ?? (() => new Date());
    const http = createHttpServer({
      messages: createMessageEndpoint({ adapter, credentials: config.bot, runTurn: (context) => bot.run(context), log }),
      readiness: {
        storage: () => store.ping(),
        // Validated before the server listened; shown so an operator can see which version runs.
        content: async () => ({ contentVersion: framework.contentVersion }),
      },
      log,
      exports,
      minutes,
      insight: new InsightPages({ framework, buckets, k: config.nudges.insightMinLeaders, access: tabAccess, clock, log }),
      shares: new SharePages({ shares, access: tabAccess, clock, log }),
      // The same sign-in as Indsigt's (the manifest has one webApplicationInfo), without an app role: the group's roster decides.
      meetingPanel: new MeetingPanelPages({ panel: meetingPanel, access: tabAccess, clock, log }),
    });
    const port = await http.listen(config.port, config.host);
    const retention =
      config.privacy.retentionDays !== undefined
        ? startRetentionJob({ retentionDays: config.privacy.retentionDays, reflections, log })
        : undefined;
    const keepMs = config.nudges.outboxKeepDays * 86_400_000;
    const loops = config.nudges.schedulerEnabled
      ? startNudgeLoops({ scheduler, delivery, tickMs: config.nudges.tickMs, log, daily: () => outbox.pruneSettledBefore(new Date(Date.now() - keepMs)), tally: () => insight.tally(), expireShares: () => shares.expireDue(clock()) })
      : undefined;
    if (!loops) log.info("SCHEDULER_ENABLED=false: this instance sends no scheduled messages");
    log.info({ port, host: config.host }, "Lederrefleksion is listening");

    let stopping: Promise<void> | undefined;
    return {
      port,
      http,
      store,
      framework,
      stop: () =>
        (stopping ??= (async () => {
          retention?.stop();
          await loops?.stop();
          await http.close();
          await store.close();
        })()),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
