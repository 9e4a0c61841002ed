import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { projectRoot } from "../src/paths";

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
});
