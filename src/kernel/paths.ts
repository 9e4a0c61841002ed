import fs from "node:fs";
import path from "node:path";
import { AppError, ErrorCodes } from "./errors";

/**
 * The repository root, found by walking up to package.json, so that `cards/` and `content/`
 * resolve the same whether we run from `src/` (tsx) or from `dist/` (compiled).
 */
export const projectRoot: string = findProjectRoot(__dirname);

function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new AppError(ErrorCodes.invariantBroken, { detail: `no package.json above ${start}` });
    dir = parent;
  }
}
