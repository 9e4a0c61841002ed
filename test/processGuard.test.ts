import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { createLogger } from "../src/kernel/log";
import { installProcessGuard } from "../src/processGuard";

describe("the process guard", () => {
  it("logs an uncaught exception and an unhandled rejection with their codes, and keeps the process", () => {
    const lines: string[] = [];
    const processLike = new EventEmitter();
    const uninstall = installProcessGuard(createLogger("info", { write: (l: string) => void lines.push(l) }), processLike);
    processLike.emit("uncaughtException", new Error("boom from a socket"));
    processLike.emit("unhandledRejection", new Error("a promise nobody awaited"));
    uninstall();
    const parsed = lines.map((l) => JSON.parse(l) as { code: string; level: number; err: { message: string } });
    assert.deepEqual(parsed.map((p) => [p.code, p.err.message]), [
      ["LR-1101", "boom from a socket"],
      ["LR-1102", "a promise nobody awaited"],
    ]);
    assert.equal(processLike.listenerCount("uncaughtException"), 0);
  });
});
