import assert from "node:assert/strict";
import { AppError, ErrorCodes } from "../../src/kernel/errors";
import { DeliveryError } from "../../src/nudges/messenger";
import { isTransientStorageFailure } from "../../src/storage/cosmosErrors";

describe("which failures are storage's (LR-1401)", () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8081"), { code: "ECONNREFUSED" });

  it("calls Cosmos throttling, timeouts and a refused connection transient storage failures", () => {
    for (const error of [{ code: 429 }, { code: 503 }, refused, new AppError(ErrorCodes.storageInconsistent, { cause: { code: 429 } })]) {
      assert.ok(isTransientStorageFailure(error), JSON.stringify(error));
    }
  });

  it("never calls a failure Teams or Graph was named for a storage failure, even when its cause is a refused connection", () => {
    for (const error of [new AppError(ErrorCodes.sendFailed, { cause: refused }), new DeliveryError(0, "ECONNREFUSED", undefined, "connect ECONNREFUSED"), new AppError(ErrorCodes.graphFailed, { cause: refused })]) {
      assert.equal(isTransientStorageFailure(error), false, error.message);
    }
  });
});
