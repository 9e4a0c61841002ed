import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { ConfigError, type SigningKeySource } from "../kernel/config";
import type { Logger } from "../kernel/log";

/** As EXPORT_SIGNING_KEY's own rule: a key shorter than this is not one this app wrote. */
const MIN_KEY_CHARACTERS = 32;

/**
 * The secret behind sealed links and the Vi-pulse's keyed marks, for the lifetime of the data.
 * A deployment sets it (EXPORT_SIGNING_KEY; config refuses an app id without it). A local run
 * generates one the first time and keeps it beside the local data, readable by the user only,
 * so a restart finds the same key: the marks still match the ledger, and links still open.
 */
export async function signingKeyFor(source: SigningKeySource, log: Logger): Promise<Buffer> {
  if (source.kind === "configured") return Buffer.from(source.secret);
  return Buffer.from(await localKey(source.file, log));
}

async function localKey(file: string, log: Logger): Promise<string> {
  const existing = await readKey(file, log);
  if (existing !== undefined) return existing;
  const draft = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await fs.writeFile(draft, `${randomBytes(48).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
    // link() refuses an existing name: of two processes starting at once, the first key wins
    // whole, and the other reads it below. Never half a key, never two.
    await fs.link(draft, file);
    log.info({ file }, "Generated this machine's signing key for links and Vi-pulse marks (EXPORT_SIGNING_KEY is not set); it is kept with the local data");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw unusable(file, `could not be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    await fs.rm(draft, { force: true });
  }
  const written = await readKey(file, log);
  if (written === undefined) throw unusable(file, "vanished while it was being written");
  return written;
}

/** The key in the file; undefined when there is none yet. */
async function readKey(file: string, log: Logger): Promise<string | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw unusable(file, `could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const key = text.trim();
  if (key.length < MIN_KEY_CHARACTERS) throw unusable(file, `holds no key of ${MIN_KEY_CHARACTERS}+ characters`);
  if (process.platform !== "win32" && ((await fs.stat(file)).mode & 0o077) !== 0) {
    await fs.chmod(file, 0o600);
    log.warn({ file }, "The local signing key was readable by others; it is now readable by its owner only");
  }
  return key;
}

/**
 * Deleting the file would make a new key, and with it new marks and dead links over the same
 * data, so a broken one stops start-up (exit code 2) instead of being replaced.
 */
function unusable(file: string, why: string): ConfigError {
  return new ConfigError([
    {
      variable: "LOCAL_DATA_FILE",
      problem: `the signing key kept beside it, ${file}, ${why}. Fix or restore the file, or set EXPORT_SIGNING_KEY (deleting it starts a new key: old links and Vi-pulse marks stop matching)`,
    },
  ]);
}
