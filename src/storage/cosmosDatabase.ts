import { CosmosClient, type Container, type Database } from "@azure/cosmos";
import type { CosmosConfig } from "../config";
import type { Logger } from "../log";
import { startEmbeddedCosmos, type EmbeddedCosmos } from "./embeddedCosmos";
import { LocalSnapshot } from "./localSnapshot";

/** The containers the app uses, keyed by role, with the partition key each is created with. */
export const CONTAINER_PARTITION_KEYS = {
  userData: "/pk",
  exports: "/id",
  channels: "/pk",
  outbox: "/id",
} as const;

export type ContainerRole = keyof typeof CONTAINER_PARTITION_KEYS;

export interface CosmosStore {
  readonly client: CosmosClient;
  readonly database: Database;
  readonly containers: Readonly<Record<ContainerRole, Container>>;
  /** Cheap round trip used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens Cosmos and makes sure the database and containers exist. With no endpoint configured it
 * starts the embedded server first; from then on the code path is identical to production.
 */
export async function openCosmosStore(config: CosmosConfig, log: Logger): Promise<CosmosStore> {
  let embedded: EmbeddedCosmos | undefined;
  let endpoint: string;
  let key: string;
  if (config.connection.kind === "embedded") {
    embedded = await startEmbeddedCosmos();
    ({ endpoint, key } = embedded);
    log.info({ endpoint }, "COSMOS_ENDPOINT is not set: using the embedded Cosmos server on loopback");
  } else {
    ({ endpoint, key } = config.connection);
  }

  const client = new CosmosClient({
    endpoint,
    key,
    // Azure Cosmos is https only; a plain-http endpoint is a local Cosmos-protocol server, which
    // advertises an https:// write region that endpoint discovery would wrongly follow.
    connectionPolicy: { enableEndpointDiscovery: !endpoint.startsWith("http://") },
  });

  try {
    const { database } = await client.databases.createIfNotExists({ id: config.database });
    const containers = {} as Record<ContainerRole, Container>;
    for (const role of Object.keys(CONTAINER_PARTITION_KEYS) as ContainerRole[]) {
      const { container } = await database.containers.createIfNotExists({
        id: config.containers[role],
        partitionKey: { paths: [CONTAINER_PARTITION_KEYS[role]] },
        // TTL on, per item: used export-link records carry their own ttl. (The embedded server ignores it.)
        ...(role === "exports" ? { defaultTtl: -1 } : {}),
      });
      containers[role] = container;
    }

    const snapshot =
      config.connection.kind === "embedded"
        ? new LocalSnapshot(config.connection.snapshotFile, containers, log)
        : undefined;
    if (snapshot) await snapshot.restore();
    snapshot?.startPeriodicSave();

    return {
      client,
      database,
      containers,
      async ping() {
        await database.read();
      },
      async close() {
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
