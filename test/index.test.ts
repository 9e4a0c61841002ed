import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { CosmosClient } from "@azure/cosmos";
import { projectRoot } from "../src/kernel/paths";
import { sharedCosmos } from "./support/rootHooks";
import { provisionCosmos, testConfig } from "./support/testConfig";

/**
 * One start of the real entry point costs about 2 s of CPU on a quiet machine and many times
 * that on a busy one (over 15 s beside another `npm test`), so nothing here races a wall clock:
 * each test waits for the child's own exit, or for a line it logs. The one limit guards against
 * a child that never ends; it is far beyond any load, and it reports the child's output rather
 * than stalling the run.
 */
const HANG_GUARD_MS = 10 * 60_000;

interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** The real entry point, run as `npm start` does, with the given environment. */
class EntryPoint {
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private stdout = "";
  private stderr = "";

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    this.child.stdout!.on("data", (c: Buffer) => (this.stdout += c.toString()));
    this.child.stderr!.on("data", (c: Buffer) => (this.stderr += c.toString()));
    this.exited = new Promise((resolve, reject) => {
      const guard = setTimeout(() => {
        this.child.kill("SIGKILL");
        reject(new Error(`still running after ${HANG_GUARD_MS / 60_000} minutes (a hang, not a slow machine); stdout: ${this.stdout}; stderr: ${this.stderr}`));
      }, HANG_GUARD_MS);
      // "close", not "exit": the output is complete only once the child's pipes have closed.
      this.child.once("close", (code) => {
        clearTimeout(guard);
        resolve({ code, stderr: this.stderr, stdout: this.stdout });
      });
      this.child.once("error", reject);
    });
  }

  /** The first match of `pattern` in what the child logs, or undefined when it ends without one. */
  logged(pattern: RegExp): Promise<RegExpExecArray | undefined> {
    const found = () => pattern.exec(this.stdout) ?? undefined;
    return new Promise((resolve) => {
      const settle = () => {
        this.child.stdout!.off("data", onData);
        resolve(found());
      };
      const onData = () => {
        if (found()) settle();
      };
      this.child.stdout!.on("data", onData);
      this.exited.then(settle, settle);
      onData();
    });
  }

  /** Ends the child if it still runs, and waits until it has. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    await this.exited.catch(() => undefined);
  }
}

/** Runs the real entry point on loopback, logging only errors, until it exits by itself. */
function runEntryPoint(env: Record<string, string>): Promise<Exit> {
  return new EntryPoint({ LOG_LEVEL: "error", PORT: "0", HOST: "127.0.0.1", ...env }).exited;
}

describe("start-up of the real entry point", function () {
  // Mocha's own limit stays behind the hang guard, so a hang is reported with the child's output.
  this.timeout(HANG_GUARD_MS + 60_000);

  it("listens on 127.0.0.1 only when started with no settings at all", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "no-settings-"));
    const entry = new EntryPoint({ PORT: "0", LOCAL_DATA_FILE: path.join(dir, "cosmos.json"), SCHEDULER_ENABLED: "false" });
    try {
      const listening = await entry.logged(/"host":"([^"]+)","msg":"Lederrefleksion is listening"/);
      if (!listening) assert.fail(`exited without listening: ${JSON.stringify(await entry.exited)}`);
      assert.equal(listening[1], "127.0.0.1");
    } finally {
      await entry.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits with code 1 and LR-1103 when its port is already taken, instead of staying up serving nothing", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as AddressInfo).port;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "taken-port-"));
    const entry = new EntryPoint({ HOST: "127.0.0.1", PORT: String(port), LOCAL_DATA_FILE: path.join(dir, "cosmos.json"), SCHEDULER_ENABLED: "false" });
    try {
      // The fault this guards against: the process guard logged the failed listen and kept running.
      const keptRunning = await entry.logged(/"code":"LR-110[12]"/);
      assert.equal(keptRunning?.[0], undefined, "logged the failed listen through the process guard and kept running");
      const exit = await entry.exited;
      assert.equal(exit.code, 1);
      assert.match(exit.stdout, /"level":60,[^\n]*"code":"LR-1103"/);
      assert.match(exit.stderr, new RegExp(`127\\.0\\.0\\.1:${port}: EADDRINUSE`));
    } finally {
      await entry.stop();
      await new Promise((resolve) => holder.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits with code 2 when told to listen beyond loopback without an app id, and says why", async () => {
    const exit = await runEntryPoint({ HOST: "0.0.0.0" });
    assert.equal(exit.code, 2);
    assert.match(exit.stderr, /HOST: is "0\.0\.0\.0", beyond loopback, while MicrosoftAppId is empty/);
  });

  it("exits with code 2 when an app id is set but COSMOS_ENDPOINT is not", async () => {
    const exit = await runEntryPoint({ MicrosoftAppId: "8e0f5a83-0000-4000-8000-000000000000", MicrosoftAppPassword: "s", MicrosoftAppTenantId: "11111111-1111-4111-8111-111111111111" });
    assert.equal(exit.code, 2);
    assert.match(exit.stderr, /COSMOS_ENDPOINT: is required when MicrosoftAppId is set/);
  });

  it("exits with code 2 and names EXPORT_SIGNING_KEY when an app id is set without it (a key per process would break links and Vi-pulse marks)", async () => {
    const cosmos = sharedCosmos();
    const exit = await runEntryPoint({ MicrosoftAppId: "8e0f5a83-0000-4000-8000-000000000000", MicrosoftAppPassword: "s", MicrosoftAppTenantId: "11111111-1111-4111-8111-111111111111", COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: cosmos.key });
    assert.equal(exit.code, 2);
    assert.match(exit.stderr, /\[LR-0001\] Invalid configuration:\n {2}EXPORT_SIGNING_KEY: is required when MicrosoftAppId is set/);
  });

  it("exits with code 2 and names the variable when a setting is invalid", async () => {
    const exit = await runEntryPoint({ PORT: "abc" });
    assert.equal(exit.code, 2);
    assert.match(exit.stderr, /PORT: must be a whole number from 0 to 65535; got "abc"/);
  });

  it("exits with code 2 and names the container when COSMOS_ENDPOINT is set and a container is missing", async () => {
    const cosmos = sharedCosmos();
    const config = testConfig({ COSMOS_DATABASE: `missing-${process.pid}` });
    await provisionCosmos(config);
    const client = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    try {
      await client.database(config.cosmos.database).container("outbox").delete();
    } finally {
      client.dispose();
    }
    const exit = await runEntryPoint({ COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: cosmos.key, COSMOS_DATABASE: config.cosmos.database });
    assert.equal(exit.code, 2);
    assert.match(exit.stderr, /Cosmos DB container "outbox" \(database "missing-\d+"\) does not exist/);
  });

  it("exits with code 2 and names the file and reason when the closed-days file is broken", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broken-closed-days-"));
    const file = path.join(dir, "closed.json");
    fs.writeFileSync(file, JSON.stringify({ version: 1, closedDays: [{ name: "Temadag", from: "31-12" }] }));
    try {
      const exit = await runEntryPoint({ CLOSED_DAYS_PATH: file });
      assert.equal(exit.code, 2);
      assert.ok(exit.stderr.includes(file), exit.stderr);
      assert.match(exit.stderr, /\$\.closedDays\[0\]\.from/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits with code 2 and names file, JSON path and reason when the content is broken", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broken-content-"));
    const file = path.join(dir, "framework.json");
    const doc = JSON.parse(fs.readFileSync(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"), "utf8")) as {
      questions: Array<{ theme: string }>;
    };
    doc.questions[0]!.theme = "ukendt";
    fs.writeFileSync(file, JSON.stringify(doc));
    try {
      const exit = await runEntryPoint({ CONTENT_PATH: file });
      assert.equal(exit.code, 2);
      assert.ok(exit.stderr.includes(file), exit.stderr);
      assert.match(exit.stderr, /\$\.questions\[0\]\.theme: unknown theme "ukendt"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
