import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { projectRoot } from "../src/kernel/paths";

/** The project's own lint configuration, run on snippets placed where they would live in src/. */
async function problemsIn(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: projectRoot });
  const [result] = await eslint.lintText(code, { filePath: path.join(projectRoot, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("the lint rules that keep the architecture", function () {
  this.timeout(30_000);

  it("refuses a bare Error thrown in src/, and points to the catalogue", async () => {
    const problems = await problemsIn("src/domain/example.ts", 'export function f(): never {\n  throw new Error("x");\n}\n');
    assert.ok(problems.some((p) => /no-restricted-syntax: Throw an AppError/.test(p)), problems.join("\n"));
  });

  it("refuses an error class that does not extend AppError", async () => {
    const problems = await problemsIn("src/storage/example.ts", "export class Oops extends Error {}\n");
    assert.ok(problems.some((p) => /extend AppError/.test(p)), problems.join("\n"));
  });

  it("accepts an AppError with a catalogue entry", async () => {
    const problems = await problemsIn(
      "src/domain/example.ts",
      'import { AppError, ErrorCodes } from "../errors";\nexport function f(): never {\n  throw new AppError(ErrorCodes.invariantBroken, { detail: "x" });\n}\n',
    );
    assert.deepEqual(problems, []);
  });

  it("keeps botbuilder out of the domain", async () => {
    const problems = await problemsIn("src/domain/example.ts", 'import { TurnContext } from "botbuilder";\nexport type T = TurnContext;\n');
    assert.ok(problems.some((p) => /no-restricted-imports/.test(p)), problems.join("\n"));
  });

  it("leaves tests free to throw plain errors", async () => {
    const problems = await problemsIn("test/example.test.ts", 'export function f(): never {\n  throw new Error("x");\n}\n');
    assert.deepEqual(problems, []);
  });

  it("refuses an import cycle in src/", async () => {
    // Two real files: the rule follows imports on disk. A folder of its own, removed afterwards.
    const dir = path.join(projectRoot, "src", `lint-probe-${process.pid}`);
    fs.mkdirSync(dir);
    try {
      fs.writeFileSync(path.join(dir, "a.ts"), 'import { b } from "./b";\nexport const a = (): number => b() + 1;\n');
      fs.writeFileSync(path.join(dir, "b.ts"), 'import { a } from "./a";\nexport const b = (): number => (a.length > 5 ? 1 : 0);\n');
      const [result] = await new ESLint({ cwd: projectRoot }).lintFiles([path.join(dir, "a.ts")]);
      assert.ok(result?.messages.some((m) => m.ruleId === "import-x/no-cycle"), JSON.stringify(result?.messages));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a view that vouches for a person's text as Shown without escaping it", async () => {
    const problems = await problemsIn("src/cards/example.ts", 'import { markdownEscaped } from "../kernel/shown";\nexport const shownRaw = (text: string) => markdownEscaped(text);\n');
    assert.ok(problems.some((p) => /no-restricted-imports: .*Escape what a person typed with escapeMarkdown/.test(p)), problems.join("\n"));
    assert.deepEqual(await problemsIn("src/domain/cleanText.ts", 'import { markdownEscaped } from "../kernel/shown";\nexport const escaped = (text: string) => markdownEscaped(text.replace(/[[\\]]/g, "\\\\$&"));\n'), [], "the escaper itself may");
  });

  it("refuses an import that climbs a layer: the domain reaching up into a feature", async () => {
    const problems = await problemsIn("src/domain/example.ts", 'import type { Pulses } from "../group/pulses";\nexport type P = Pulses;\n');
    assert.ok(problems.some((p) => /import-x\/no-restricted-paths: .*src\/domain may import only from its own layer/.test(p)), problems.join("\n"));
  });

  it("refuses an import between siblings of one layer: a view reaching into storage", async () => {
    const problems = await problemsIn("src/cards/example.ts", 'import type { SessionStore } from "../storage/userSessions";\nexport type S = SessionStore;\n');
    assert.ok(problems.some((p) => /import-x\/no-restricted-paths: .*src\/cards may import/.test(p)), problems.join("\n"));
  });

  it("refuses a lower folder reaching the composition at src/'s top", async () => {
    const problems = await problemsIn("src/nudges/example.ts", 'import type { RunningApp } from "../app";\nexport type A = RunningApp;\n');
    assert.ok(problems.some((p) => /import-x\/no-restricted-paths/.test(p)), problems.join("\n"));
  });

  it("lets a feature import the layers below it", async () => {
    const problems = await problemsIn(
      "src/group/example.ts",
      'import type { GroupMeeting } from "../domain/group/model";\nimport type { Outbox } from "../nudges/outbox";\nimport { texts } from "../kernel/texts";\nexport type M = [GroupMeeting, Outbox, typeof texts];\n',
    );
    assert.deepEqual(problems, []);
  });
});
