/**
 * `npm run package`: fills manifest/manifest.template.json from the settings, validates it
 * offline against the Teams schema bundled in @microsoft/app-manifest, checks the icons' pixel
 * sizes, and writes manifest/build/appPackage.zip. Any problem stops it with the reason.
 */
import fs from "node:fs";
import { tabResource } from "../src/tabs/tabToken";
import path from "node:path";
import { AppManifestUtils, type AppManifest } from "@microsoft/app-manifest";
import JSZip from "jszip";
import { PNG } from "pngjs";
import { ConfigError, loadConfig, type AppConfig } from "../src/kernel/config";
import { projectRoot } from "../src/kernel/paths";

export const MANIFEST_DIR = path.join(projectRoot, "manifest");
const ICONS = { "color.png": 192, "outline.png": 32 } as const;

export class PackageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The Teams app package was not made:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "PackageError";
  }
}

export interface ManifestValues {
  readonly BOT_ID: string;
  readonly TEAMS_APP_ID: string;
  readonly INSIGHT_APP_ID: string;
  readonly INSIGHT_RESOURCE: string;
  readonly BOT_DOMAIN: string;
  readonly PUBLIC_BASE_URL: string;
  readonly APP_VERSION: string;
  readonly DEVELOPER_NAME: string;
}

export function manifestValues(config: AppConfig, appVersion: string): ManifestValues {
  const base = new URL(config.privacy.publicBaseUrl);
  return {
    BOT_ID: config.bot.appId,
    TEAMS_APP_ID: config.teamsApp.teamsAppId,
    INSIGHT_APP_ID: config.teamsApp.insightAppId,
    INSIGHT_RESOURCE: tabResource(base.hostname, config.teamsApp.insightAppId, config.bot.appId),
    BOT_DOMAIN: base.hostname,
    PUBLIC_BASE_URL: `${base.origin}`,
    APP_VERSION: appVersion,
    DEVELOPER_NAME: config.teamsApp.developerName,
  };
}

/** Replaces every ${{NAME}}; a placeholder without a value, or an empty value, is a problem. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): { text: string; problems: string[] } {
  const problems: string[] = [];
  const text = template.replace(/\$\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (!value) {
      problems.push(`${name} is empty (${hintFor(name)})`);
      return "";
    }
    return value.replace(/["\\]/g, (c) => `\\${c}`);
  });
  return { text, problems };
}

export async function validateManifest(manifest: AppManifest): Promise<string[]> {
  const errors = await AppManifestUtils.validateAgainstSchema(manifest);
  return errors.map((e) => `manifest.json: ${e}`);
}

export function iconProblems(dir: string): string[] {
  const problems: string[] = [];
  for (const [name, size] of Object.entries(ICONS)) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) {
      problems.push(`${name} is missing in ${dir}`);
      continue;
    }
    const png = PNG.sync.read(fs.readFileSync(file));
    if (png.width !== size || png.height !== size) problems.push(`${name} is ${png.width}×${png.height} pixels; Teams wants ${size}×${size}`);
  }
  return problems;
}

export async function buildAppPackage(values: ManifestValues, dir = MANIFEST_DIR): Promise<{ zipFile: string; manifest: AppManifest }> {
  const filled = fillTemplate(fs.readFileSync(path.join(dir, "manifest.template.json"), "utf8"), { ...values });
  if (filled.problems.length > 0) throw new PackageError(filled.problems);
  const manifest = JSON.parse(filled.text) as AppManifest;
  const problems = [...(await validateManifest(manifest)), ...iconProblems(dir)];
  // The schema only describes this rule; Teams enforces it on upload.
  if (!/^\d+\.\d+\.\d+$/.test(manifest.version)) problems.push(`manifest.json: version "${manifest.version}" must be semver (major.minor.patch)`);
  if (problems.length > 0) throw new PackageError(problems);

  const zip = new JSZip();
  zip.file("manifest.json", JSON.stringify(manifest, null, 2));
  for (const icon of Object.keys(ICONS)) zip.file(icon, fs.readFileSync(path.join(dir, icon)));
  const buildDir = path.join(dir, "build");
  fs.mkdirSync(buildDir, { recursive: true });
  const zipFile = path.join(buildDir, "appPackage.zip");
  fs.writeFileSync(zipFile, await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" }));
  return { zipFile, manifest };
}

function hintFor(name: string): string {
  switch (name) {
    case "BOT_ID":
      return "set MicrosoftAppId to the bot's app (client) id";
    case "INSIGHT_APP_ID":
      return "set INSIGHT_APP_ID, or MicrosoftAppId, which it defaults to";
    case "TEAMS_APP_ID":
      return "set TEAMS_APP_ID, or MicrosoftAppId, which it defaults to";
    case "BOT_DOMAIN":
    case "PUBLIC_BASE_URL":
      return "set PUBLIC_BASE_URL to the bot's public https address";
    default:
      return `set ${name}`;
  }
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig({ forServing: false });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const version = (JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { version: string }).version;
  try {
    const { zipFile, manifest } = await buildAppPackage(manifestValues(config, version));
    process.stdout.write(`Wrote ${path.relative(projectRoot, zipFile)}: manifest ${manifest.manifestVersion}, 0 validation errors.\n`);
  } catch (error) {
    if (error instanceof PackageError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

if (require.main === module) void main();
