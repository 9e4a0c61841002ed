import type { Container } from "@azure/cosmos";
import type { Logger } from "../kernel/log";
import { deleteIfPresent } from "./conditionalWrites";
import { containerSpec, type ContainerRole } from "./containerDefinitions";

const SWEEP_INTERVAL_MS = 60_000;

/**
 * The embedded server ignores `ttl`; Azure Cosmos deletes an item `ttl` seconds after its last
 * write (`_ts`). Locally this does the same, with the same rule, so a local run behaves like
 * production and tests can see expired items go.
 */
export class TtlSweeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly containers: Readonly<Record<ContainerRole, Container>>,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Deletes every item whose ttl has run out; returns how many. */
  async sweep(): Promise<number> {
    const now = this.clock().getTime() / 1000;
    let deleted = 0;
    for (const [role, container] of Object.entries(this.containers) as Array<[ContainerRole, Container]>) {
      const keyField = containerSpec(role).partitionKey.paths[0]!.slice(1);
      const { resources } = await container.items
        .query<Record<string, unknown> & { id: string; _ts: number; ttl: number }>("SELECT * FROM c WHERE IS_DEFINED(c.ttl)")
        .fetchAll();
      for (const item of resources) {
        if (typeof item.ttl === "number" && item.ttl > 0 && item._ts + item.ttl <= now && (await deleteIfPresent(container, item.id, String(item[keyField])))) deleted += 1;
      }
    }
    return deleted;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.sweep().then(
        (deleted) => deleted > 0 && this.log.debug({ deleted }, "Deleted expired items (local TTL)"),
        (err: unknown) => this.log.warn({ err }, "Local TTL sweep failed; it runs again in a minute"),
      );
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
