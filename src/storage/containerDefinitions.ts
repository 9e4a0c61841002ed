import fs from "node:fs";
import path from "node:path";
import type { ContainerDefinition, Database, IndexingPolicy, PartitionKeyDefinition } from "@azure/cosmos";
import { projectRoot } from "../kernel/paths";
import { AppError, ErrorCodes } from "../kernel/errors";

/**
 * The roles the app knows its containers by; their names come from configuration. "channels"
 * holds the leader groups: the role keeps the name its container and setting are deployed under.
 */
export type ContainerRole = "userData" | "exports" | "channels" | "outbox" | "insight";
export const CONTAINER_ROLES: readonly ContainerRole[] = ["userData", "exports", "channels", "outbox", "insight"];

export interface ContainerSpec {
  readonly role: ContainerRole;
  readonly defaultName: string;
  readonly partitionKey: PartitionKeyDefinition;
  readonly defaultTtl: number;
  readonly indexingPolicy: IndexingPolicy;
}

export const CONTAINERS_FILE = path.join(projectRoot, "infra", "containers.json");

let specs: readonly ContainerSpec[] | undefined;

/** infra/containers.json: the one definition of each container, shared with the Bicep. */
export function containerSpecs(): readonly ContainerSpec[] {
  specs ??= (JSON.parse(fs.readFileSync(CONTAINERS_FILE, "utf8")) as { containers: ContainerSpec[] }).containers;
  return specs;
}

export function containerSpec(role: ContainerRole): ContainerSpec {
  const spec = containerSpecs().find((s) => s.role === role);
  if (!spec) throw new AppError(ErrorCodes.cosmosResourceMissing, { detail: `${CONTAINERS_FILE} has no container for the role "${role}"` });
  return spec;
}

/** A Cosmos database or container the app needs is not there. index.ts turns it into exit code 2. */
export class MissingCosmosResourceError extends AppError {
  constructor(readonly resource: string) {
    super(ErrorCodes.cosmosResourceMissing, {
      message: `Cosmos DB ${resource} does not exist. Deploy infra/main.bicep (it declares every container), or create it as infra/containers.json describes.`,
    });
    this.name = "MissingCosmosResourceError";
  }
}

/** The definition to create a container with (local and test servers only). */
export function definitionFor(role: ContainerRole, name: string): ContainerDefinition {
  const spec = containerSpec(role);
  return { id: name, partitionKey: spec.partitionKey, defaultTtl: spec.defaultTtl, indexingPolicy: spec.indexingPolicy };
}

/** Creates whatever is missing from the definitions: the embedded path, and tests that stand in for the Bicep. */
export async function createMissingContainers(database: Database, names: Readonly<Record<ContainerRole, string>>): Promise<void> {
  for (const role of CONTAINER_ROLES) await database.containers.createIfNotExists(definitionFor(role, names[role]));
}
