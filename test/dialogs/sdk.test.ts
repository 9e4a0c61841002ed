import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as dialogsIndex from "botbuilder-dialogs";
import * as sdk from "../../src/dialogs/sdk";
import { projectRoot } from "../../src/kernel/paths";

describe("the parts of botbuilder-dialogs the bot loads (src/dialogs/sdk.ts)", () => {
  it("are the package index's own classes, so dialogs behave exactly as through the index", () => {
    for (const name of ["ComponentDialog", "Dialog", "DialogReason", "DialogTurnStatus", "DialogSet", "WaterfallDialog"] as const) {
      assert.equal(sdk[name], dialogsIndex[name], name);
    }
  });

  it("leave Microsoft's text recognizers (numbers, dates, choices) unloaded when the whole bot is composed", function () {
    this.timeout(30_000);
    // A process of its own: this one has loaded the index above, recognizers and all.
    const script = `require("./src/composition"); process.stdout.write(String(Object.keys(require.cache).filter((f) => /recognizers-text-(suite|number|date-time|choice|sequence)/.test(f)).length));`;
    const loaded = execFileSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: projectRoot, encoding: "utf8" });
    assert.equal(loaded, "0");
  });
});
