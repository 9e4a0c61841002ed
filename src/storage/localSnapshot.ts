import fs from "node:fs/promises";
import path from "node:path";
import type { Container } from "@azure/cosmos";
import type { Logger } from "../kernel/log";
import { withoutSystemFields } from "./systemFields";

const SAVE_INTERVAL_MS = 15_000;

interface SnapshotFile {
  readonly format: "lederrefleksion-local-snapshot";
  readonly version: 1;
  readonly savedAt: string;
  readonly containers: Record<string, unknown[]>;
}

/**
 * The embedded Cosmos server keeps data in memory only. For local use we copy every container to
 * one JSON file (on shutdown, and every few seconds in case the process is killed) and load it
 * back on start. It goes through the public client API, so it knows nothing of the server's
 * internals; etags are new after a restore, which is what a real failover looks like too.
 */
export class LocalSnapshot {
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly containers: Readonly<Record<string, Container>>,
    private readonly log: Logger,
  ) {}

  async restore(): Promise<void> {
    let parsed: SnapshotFile;
    try {
      parsed = JSON.parse(await fs.readFile(this.file, "utf8")) as SnapshotFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        this.log.info({ file: this.file }, "No local data yet; starting empty. Data is saved here on shutdown.");
        return;
      }
      // A corrupt file must not be overwritten by an empty database: keep it aside for the developer.
      const aside = `${this.file}.unreadable-${Date.now()}`;
      await fs.rename(this.file, aside);
      this.log.error({ file: this.file, movedTo: aside, err: error }, "Local data file unreadable; moved aside, starting empty");
      return;
    }
    let restored = 0;
    for (const [role, container] of Object.entries(this.containers)) {
      for (const item of parsed.containers[role] ?? []) {
        await container.items.upsert(item as Record<string, unknown>);
        restored += 1;
      }
    }
    this.log.info({ file: this.file, items: restored, savedAt: parsed.savedAt }, "Restored local data from the last run");
  }

  startPeriodicSave(): void {
    this.timer = setInterval(() => {
      void this.save().catch((err: unknown) => this.log.warn({ err }, "Periodic local data save failed"));
    }, SAVE_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.save();
    this.log.info({ file: this.file }, "Saved local data for the next start");
  }

  /** Serialised, so a periodic save and the shutdown save never interleave their writes. */
  save(): Promise<void> {
    this.saving = this.saving.catch(() => undefined).then(() => this.writeFile());
    return this.saving;
  }

  private async writeFile(): Promise<void> {
    const containers: Record<string, unknown[]> = {};
    for (const [role, container] of Object.entries(this.containers)) {
      const { resources } = await container.items.readAll().fetchAll();
      containers[role] = resources.map((item) => withoutSystemFields(item));
    }
    const snapshot: SnapshotFile = {
      format: "lederrefleksion-local-snapshot",
      version: 1,
      savedAt: new Date().toISOString(),
      containers,
    };
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // Write then rename, so a crash mid-write never leaves half a file behind. The file holds
    // leaders' reflections: readable by this user only (mode applies when the file is created).
    const temporary = `${this.file}.tmp-${process.pid}`;
    await fs.writeFile(temporary, JSON.stringify(snapshot), { mode: 0o600 });
    await fs.chmod(temporary, 0o600);
    await fs.rename(temporary, this.file);
  }
}
