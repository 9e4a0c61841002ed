import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { projectRoot } from "../src/paths";

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
  it("exits with code 2 and names the variable when a setting is invalid", async () => {
    const exit = await runEntryPoint({ PORT: "abc" });
    assert.equal(exit.code, 2);
    assert.match(exit.stderr, /PORT: must be a whole number from 0 to 65535; got "abc"/);
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
