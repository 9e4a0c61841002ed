import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../src/kernel/paths";
import { SECTIONS, settingSchemas, valueShape, type SettingSchema } from "../src/kernel/settings";

/**
 * `.env.example` and the settings table in docs/settings.md, made from the one schema (src/kernel/settings.ts).
 * `npm run settings:docs` writes both; test/settings.test.ts fails when either has drifted.
 */

export const ENV_EXAMPLE = path.join(projectRoot, ".env.example");
export const README = path.join(projectRoot, "docs", "settings.md");
const TABLE_START = "<!-- settings:start (made by npm run settings:docs from src/kernel/settings.ts) -->";
const TABLE_END = "<!-- settings:end -->";

/** The values a setting takes, in words: "whole number 0–65535", "true or false", "one of …". */
export function valuesOf(schema: SettingSchema): string {
  const { literals, flag, numeric } = valueShape(schema);
  const named = literals.map((l) => `\`${l}\``).join(", ");
  const range = numeric && `${numeric.whole ? "whole number" : "number"} ${numeric.minimum}–${numeric.maximum}${numeric.unit ? ` ${numeric.unit}` : ""}`;
  if (named && range) return `${named} or a ${range}`;
  if (named) return named;
  if (flag) return "`true` or `false`";
  return range || "text";
}

function defaultOf(schema: SettingSchema): string {
  if (schema.defaultText) return schema.defaultText;
  return schema.default === "" ? "empty" : `\`${String(schema.default)}\``;
}

export function readmeSettingsTable(): string {
  const rows = settingSchemas().map(([name, schema]) => `| \`${name}\` | ${defaultOf(schema)} | ${valuesOf(schema)} | ${schema.description} |`);
  return [TABLE_START, "", "| Variable | Default | Values | Meaning |", "|---|---|---|---|", ...rows, "", TABLE_END].join("\n");
}

/** Comment text wrapped at 100 columns, as the rest of the project. */
function comment(text: string): string[] {
  const lines: string[] = [];
  let line = "#";
  for (const word of text.split(" ")) {
    if (line.length + word.length + 1 > 100 && line !== "#") {
      lines.push(line);
      line = "#";
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

export function envExample(): string {
  const out = [
    "# Lederrefleksion settings. Copy to .env for local overrides; real environment variables win.",
    "# Every setting is optional for local use: with none set, the bot runs anonymously on port 3978",
    "# with an embedded Cosmos server whose data is kept in .data/.",
    "# Made by `npm run settings:docs` from src/kernel/settings.ts: change the schema, not this file.",
  ];
  for (const section of SECTIONS) {
    out.push("", `# --- ${section} ---`);
    for (const [name, schema] of settingSchemas().filter(([, s]) => s.section === section)) {
      const shown = schema.defaultText || schema.secret || schema.default === "" ? "" : String(schema.default);
      const values = valuesOf(schema) === "text" ? "" : ` Values: ${valuesOf(schema).replace(/`/g, "")}.`;
      const defaultNote = schema.defaultText ? ` Default: ${schema.defaultText}.` : "";
      out.push(...comment(`${schema.description}${values}${defaultNote}`), `${name}=${shown}`);
    }
  }
  return out.join("\n") + "\n";
}

/** The README with its settings table replaced by the generated one; undefined when the markers are missing. */
export function readmeWithTable(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(0, start) + readmeSettingsTable() + readme.slice(end + TABLE_END.length);
}

if (require.main === module) {
  fs.writeFileSync(ENV_EXAMPLE, envExample());
  const readme = readmeWithTable(fs.readFileSync(README, "utf8"));
  if (readme === undefined) {
    process.stderr.write(`docs/settings.md has no ${TABLE_START} … ${TABLE_END} markers\n`);
    process.exit(1);
  }
  fs.writeFileSync(README, readme);
  process.stdout.write("Wrote .env.example and the settings table in docs/settings.md from src/kernel/settings.ts\n");
}
