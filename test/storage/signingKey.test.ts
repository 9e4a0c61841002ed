import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigError, parseConfig } from "../../src/kernel/config";
import { silentLogger } from "../../src/kernel/log";
import { signingKeyFor } from "../../src/storage/signingKey";
import { capturingLogger } from "../support/logLines";

/** One key for the lifetime of the data (issue 28 item 8): what a local run keeps, and what a deployment is given. */
describe("the signing key behind links and Vi-pulse marks", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "signing-key-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The key a start-up with these settings uses, read as the app reads it. */
  const keyAtStart = (env: Record<string, string> = {}) => signingKeyFor(parseConfig({ LOCAL_DATA_FILE: path.join(dir, "data", "cosmos.json"), ...env }).privacy.signingKey, silentLogger);
  const keyFile = () => path.join(dir, "data", "cosmos.signing-key");

  it("is generated once in a local run, beside the local data and readable by its owner only, and a restart reads the same one", async () => {
    const first = await keyAtStart();
    assert.ok(first.length >= 32);
    if (process.platform !== "win32") assert.equal(fs.statSync(keyFile()).mode & 0o777, 0o600);
    assert.deepEqual(await keyAtStart(), first);
    assert.deepEqual(fs.readdirSync(path.join(dir, "data")), ["cosmos.signing-key"], "no draft left behind");
  });

  it("is one key when two local instances start on fresh data at the same moment", async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => keyAtStart()));
    for (const key of keys) assert.deepEqual(key, keys[0]);
    assert.equal(fs.readFileSync(keyFile(), "utf8").trim(), keys[0]!.toString());
  });

  it("is EXPORT_SIGNING_KEY as given when it is set, and nothing is written", async () => {
    assert.deepEqual(await keyAtStart({ EXPORT_SIGNING_KEY: "a-deployment's-signing-key-0123456789abcdef" }), Buffer.from("a-deployment's-signing-key-0123456789abcdef"));
    assert.equal(fs.existsSync(path.join(dir, "data")), false);
  });

  it("stops start-up, naming LOCAL_DATA_FILE, when the kept file holds no key, and leaves the file as it was", async () => {
    fs.mkdirSync(path.join(dir, "data"));
    fs.writeFileSync(keyFile(), "short\n", { mode: 0o600 });
    await assert.rejects(keyAtStart(), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems[0]!.variable, "LOCAL_DATA_FILE");
      assert.match(error.message, /the signing key kept beside it, .*cosmos\.signing-key, holds no key of 32\+ characters/);
      return true;
    });
    assert.equal(fs.readFileSync(keyFile(), "utf8"), "short\n");
  });

  it("makes a kept key that others could read readable by its owner only, and says so", async function () {
    if (process.platform === "win32") this.skip();
    const first = await keyAtStart();
    fs.chmodSync(keyFile(), 0o644);
    const captured = capturingLogger("info");
    assert.deepEqual(await signingKeyFor(parseConfig({ LOCAL_DATA_FILE: path.join(dir, "data", "cosmos.json") }).privacy.signingKey, captured.log), first);
    assert.equal(fs.statSync(keyFile()).mode & 0o777, 0o600);
    assert.match(captured.lines.join("\n"), /readable by others; it is now readable by its owner only/);
  });
});
