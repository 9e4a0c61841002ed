import { startApp } from "./app";
import { ConfigError, loadConfig } from "./kernel/config";
import { ContentError } from "./content/loadContent";
import { AppError, ErrorCodes } from "./kernel/errors";
import { createLogger } from "./kernel/log";
import { installProcessGuard } from "./processGuard";
import { MissingCosmosResourceError } from "./storage/containerDefinitions";

/** Exit codes an operator can act on: 2 = fix a setting or the content file, 1 = anything else. */
const EXIT_INVALID_SETUP = 2;
const EXIT_FAILURE = 1;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`[${error.code}] ${error.message}\nSee .env.example or docs/settings.md for every setting.\n`);
      process.exit(EXIT_INVALID_SETUP);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  installProcessGuard(log);
  let app;
  try {
    app = await startApp(config, log);
  } catch (error) {
    // A local signing key that cannot be read or kept (src/storage/signingKey.ts): fix the file or the setting.
    if (error instanceof ConfigError) {
      log.fatal({ code: error.code }, "A setting cannot be used");
      process.stderr.write(`[${error.code}] ${error.message}\n`);
      process.exit(EXIT_INVALID_SETUP);
    }
    if (error instanceof MissingCosmosResourceError) {
      log.fatal({ code: error.code, resource: error.resource }, "A Cosmos DB resource is missing");
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_INVALID_SETUP);
    }
    if (error instanceof ContentError) {
      log.fatal({ file: error.file, jsonPath: error.jsonPath, reason: error.reason }, "Invalid content file");
      process.stderr.write(
        `${error.message}\nFix the file, or point CONTENT_PATH or CLOSED_DAYS_PATH at a valid one (schemas: content/schema.json, content/closed-days.schema.json).\n`,
      );
      process.exit(EXIT_INVALID_SETUP);
    }
    if (error instanceof AppError && error.code === ErrorCodes.listenFailed.code) {
      // Exit rather than idle: App Service or a supervisor restarts a process that ends.
      log.fatal({ code: error.code, err: error }, error.message);
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_FAILURE);
    }
    throw error;
  }

  const shutdown = (signal: string): void => {
    log.info({ signal }, "Shutting down");
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "Shutdown failed");
        process.exit(EXIT_FAILURE);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`Lederrefleksion failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit((error as { exitCode?: number }).exitCode ?? EXIT_FAILURE);
});
