import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CosmosClient } from "@azure/cosmos";
import { projectRoot } from "../src/paths";
import { sharedCosmos } from "./support/rootHooks";
import { provisionCosmos, testConfig } from "./support/testConfig";

interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Runs the real entry point as `npm start` does, with the given environment, until it exits. */
function runEntryPoint(env: Record<string, string>, timeoutMs = 15_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "error", PORT: "0", HOST: "127.0.0.1", ...env },
    });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe("start-up of the real entry point", () => {
  it("listens on 127.0.0.1 only when started with no settings at all", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "no-settings-"));
    const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? "", PORT: "0", LOCAL_DATA_FILE: path.join(dir, "cosmos.json"), SCHEDULER_ENABLED: "false" },
    });
    try {
      const host = await new Promise<string>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`did not start: ${out}`)), 20_000);
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const listening = /"host":"([^"]+)","msg":"Lederrefleksion is listening"/.exec(out);
          if (listening) {
            clearTimeout(timer);
            resolve(listening[1]!);
          }
        });
      });
      assert.equal(host, "127.0.0.1");
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
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
