import assert from "node:assert/strict";
import { startApp, type RunningApp } from "../../src/app";
import { asTenantId, asUserId } from "../../src/domain/ids";
import { signExportToken } from "../../src/domain/exportToken";
import { silentLogger } from "../../src/log";
import { httpCall } from "../support/http";
import { testConfig } from "../support/testConfig";

const KEY = "export-signing-key-for-tests-0123456789abcdef";
const anna = { tenantId: asTenantId("11111111-1111-4111-8111-111111111111"), userId: asUserId("00000000-0000-4000-8000-00000000000a") };

describe("export links on the real HTTP server", () => {
  let app: RunningApp;
  beforeEach(async () => {
    app = await startApp(testConfig({ EXPORT_SIGNING_KEY: KEY }), silentLogger);
  });
  afterEach(() => app.stop());

  const token = (at = new Date(), key = KEY) => signExportToken(anna, "json", at, Buffer.from(key));

  it("serves a genuine link once, as a download, and 404 the second time", async () => {
    const link = token();
    const first = await fetch(`http://127.0.0.1:${app.port}/export/${link}`);
    assert.equal(first.status, 200);
    assert.match(first.headers.get("content-disposition") ?? "", /attachment; filename="lederrefleksion-\d{4}-\d{2}-\d{2}\.json"/);
    assert.equal(((await first.json()) as { format: string }).format, "lederrefleksion-export/1");
    assert.equal((await httpCall(app.port, "GET", `/export/${link}`)).status, 404);
  });

  it("answers an expired link with 404", async () => {
    const sixteenMinutesAgo = new Date(Date.now() - 16 * 60_000);
    assert.equal((await httpCall(app.port, "GET", `/export/${token(sixteenMinutesAgo)}`)).status, 404);
  });

  const forgeries: Array<[string, () => string]> = [
    ["signed with another key", () => token(new Date(), "someone-elses-key-0123456789abcdefghij")],
    ["with the claims changed to another user", () => {
      const [body, mac] = token().split("~");
      const claims = JSON.parse(Buffer.from(body!, "base64url").toString()) as Record<string, unknown>;
      claims.userId = "00000000-0000-4000-8000-00000000000b";
      return `${Buffer.from(JSON.stringify(claims)).toString("base64url")}~${mac}`;
    }],
    ["made up", () => "abc~def"],
    ["empty-looking", () => "~"],
    ["with a dot", () => "abc.def"],
  ];
  for (const [what, forge] of forgeries) {
    it(`answers a link ${what} with 404 and reveals nothing`, async () => {
      const answer = await httpCall(app.port, "GET", `/export/${forge()}`);
      assert.equal(answer.status, 404);
      assert.deepEqual(answer.body, { error: "not_found" });
    });
  }
});
