// `npm run playground`: the bot (unless one already answers on PORT) and the Microsoft 365
// Agents Playground, wired together, with telemetry off. Ctrl+C stops both.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const port = Number(process.env.PORT || 3978);
const playgroundPort = Number(process.env.PLAYGROUND_PORT || 56150);
const botUrl = `http://localhost:${port}`;

const children = [];
const stopAll = (code = 0) => {
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 3000).unref();
};
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

async function botAnswers() {
  try {
    return (await fetch(`${botUrl}/healthz`)).ok;
  } catch {
    return false;
  }
}

async function waitForBot(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await botAnswers()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The bot did not answer on ${botUrl}/healthz within ${timeoutMs / 1000} s`);
}

function headless() {
  return process.platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
}

function run(command, args, name, env = {}) {
  const child = spawn(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  child.on("exit", (code, signal) => {
    if (signal !== "SIGTERM") {
      console.error(`[playground] ${name} stopped (${signal ?? `exit ${code}`}); stopping the rest.`);
      stopAll(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

if (await botAnswers()) {
  console.log(`[playground] Using the bot already running on ${botUrl}`);
} else {
  run(process.execPath, ["--import", "tsx", "src/index.ts"], "bot");
  await waitForBot(30_000);
}

const cli = require.resolve("@microsoft/m365agentsplayground/cli.js");
run(
  process.execPath,
  [cli, "--app-endpoint", `${botUrl}/api/messages`, "--channel-id", "msteams", "--port", String(playgroundPort), "--disable-telemetry"],
  "Agents Playground",
  // It opens a browser with xdg-open and crashes where there is none (a server, a container):
  // only try when a desktop session is there.
  headless() ? { TEAMSAPPTESTER_BROWSER: "none" } : {},
);
console.log(`[playground] Open http://localhost:${playgroundPort} to chat with the bot (personal chat, group chat and the team "Ledelse i Forvaltningen").`);
