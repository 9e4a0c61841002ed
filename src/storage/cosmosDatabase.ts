import { CosmosClient, type Container, type Database } from "@azure/cosmos";
import type { TokenCredential } from "@azure/identity";
import type { CosmosConfig } from "../kernel/config";
import type { Logger } from "../kernel/log";
import { CONTAINER_ROLES, createMissingContainers, MissingCosmosResourceError, type ContainerRole } from "./containerDefinitions";
import { isNotFound } from "./cosmosErrors";
import type { EmbeddedCosmos } from "./embeddedCosmos";
import type { LocalSnapshot } from "./localSnapshot";
import type { TtlSweeper } from "./ttlSweeper";
import { AppError, ErrorCodes } from "../kernel/errors";

export type { ContainerRole };

/** The id /readyz reads: a point read of an item that never exists costs one RU and proves the account answers. */
const READINESS_PROBE_ID = "readyz-probe";

export interface CosmosStore {
  readonly client: CosmosClient;
  readonly database: Database;
  readonly containers: Readonly<Record<ContainerRole, Container>>;
  /** Cheap round trip used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens Cosmos. Containers are infrastructure (infra/containers.json, deployed by the Bicep): in
 * production the app checks that the database and every container exist and names what is
 * missing; it never creates them, so it needs no more than data-plane rights. Only the embedded
 * server (and test or emulator accounts with COSMOS_CREATE_MISSING=true) get them created from
 * the same definitions. With no endpoint configured it starts the embedded server first; from
 * then on the code path is identical to production.
 */
export async function openCosmosStore(config: CosmosConfig, log: Logger): Promise<CosmosStore> {
  let embedded: EmbeddedCosmos | undefined;
  let endpoint: string;
  let auth: { key: string } | { aadCredentials: TokenCredential };
  // The embedded server (with its query compiler) and @azure/identity are loaded only on the path
  // that uses them: together they are about a third of an idle production process.
  if (config.connection.kind === "embedded") {
    const { startEmbeddedCosmos } = loadLazily<typeof import("./embeddedCosmos")>("./embeddedCosmos");
    embedded = await startEmbeddedCosmos();
    endpoint = embedded.endpoint;
    auth = { key: embedded.key };
    log.info({ endpoint }, "COSMOS_ENDPOINT is not set: using the embedded Cosmos server on loopback");
  } else if (config.connection.kind === "managed-identity") {
    endpoint = config.connection.endpoint;
    // Keyless: Entra ID tokens for the app's managed identity, checked by Cosmos' data-plane RBAC.
    const { ManagedIdentityCredential } = loadLazily<typeof import("@azure/identity")>("@azure/identity");
    auth = { aadCredentials: config.connection.clientId ? new ManagedIdentityCredential({ clientId: config.connection.clientId }) : new ManagedIdentityCredential() };
  } else {
    endpoint = config.connection.endpoint;
    auth = { key: config.connection.key };
  }

  const client = new CosmosClient({
    endpoint,
    ...auth,
    // Azure Cosmos is https only; a plain-http endpoint is a local Cosmos-protocol server, which
    // advertises an https:// write region that endpoint discovery would wrongly follow.
    connectionPolicy: {
      enableEndpointDiscovery: !endpoint.startsWith("http://"),
      // Teams gives a turn about 15 s. A turn makes two or three Cosmos calls, so each gives up
      // after a few seconds, and waits out throttling (429) for a bounded time only.
      requestTimeout: config.requestTimeoutMs,
      retryOptions: { maxRetryAttemptCount: 3, maxWaitTimeInSeconds: Math.max(1, Math.floor(config.requestTimeoutMs / 1000)) },
    },
  });

  try {
    const createMissing = config.connection.kind === "embedded" || config.createMissing;
    const database = createMissing ? (await client.databases.createIfNotExists({ id: config.database })).database : client.database(config.database);
    if (createMissing) await createMissingContainers(database, config.containers);
    else await checkExists(database, config);
    const containers = Object.fromEntries(CONTAINER_ROLES.map((role) => [role, database.container(config.containers[role])])) as Record<ContainerRole, Container>;

    let snapshot: LocalSnapshot | undefined;
    let sweeper: TtlSweeper | undefined;
    if (config.connection.kind === "embedded") {
      snapshot = new (loadLazily<typeof import("./localSnapshot")>("./localSnapshot").LocalSnapshot)(config.connection.snapshotFile, containers, log);
      await snapshot.restore();
      snapshot.startPeriodicSave();
      sweeper = new (loadLazily<typeof import("./ttlSweeper")>("./ttlSweeper").TtlSweeper)(containers, log);
      sweeper.start();
    }

    return {
      client,
      database,
      containers,
      async ping() {
        // A point read, not database.read(): that spends the account's small metadata budget.
        const { statusCode } = await containers.exports.item(READINESS_PROBE_ID, READINESS_PROBE_ID).read();
        if (statusCode >= 500 || statusCode === 0) throw new AppError(ErrorCodes.storageUnavailable, { detail: `the readiness probe was answered ${statusCode}`, cause: { code: statusCode } });
      },
      async close() {
        sweeper?.stop();
        if (snapshot) await snapshot.stop();
        client.dispose();
        if (embedded) await embedded.stop();
      },
    };
  } catch (error) {
    client.dispose();
    if (embedded) await embedded.stop();
    throw error;
  }
}

/** Production: every resource must already be there; the first missing one is named. */
async function checkExists(database: Database, config: CosmosConfig): Promise<void> {
  try {
    await database.read();
  } catch (error) {
    if (isNotFound(error)) throw new MissingCosmosResourceError(`database "${config.database}"`);
    throw error;
  }
  for (const role of CONTAINER_ROLES) {
    try {
      await database.container(config.containers[role]).read();
    } catch (error) {
      if (isNotFound(error)) throw new MissingCosmosResourceError(`container "${config.containers[role]}" (database "${config.database}")`);
      throw error;
    }
  }
}

/**
 * A module loaded when first needed, not at start-up. `require`, not `import()`: the build is
 * CommonJS, and TypeScript keeps `import()` as an ES module load that would need file extensions.
 */
function loadLazily<T>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the path that needs it only
  return require(id) as T;
}
