import { SHARE_TAB_ENTITY_ID, SHARE_TAB_PATH } from "../src/sharing/shareTab";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AppManifest } from "@microsoft/app-manifest";
import JSZip from "jszip";
import { PNG } from "pngjs";
import { parseConfig } from "../src/kernel/config";
import { buildAppPackage, manifestValues, MANIFEST_DIR, PackageError, type ManifestValues } from "../scripts/packageApp";

const values: ManifestValues = manifestValues(
  parseConfig({
    MicrosoftAppId: "8e0f5a83-0000-4000-8000-000000000000",
    MicrosoftAppPassword: "secret",
    MicrosoftAppTenantId: "11111111-1111-4111-8111-111111111111",
    PUBLIC_BASE_URL: "https://lederrefleksion.kommune.example",
  }, { forServing: false }),
  "1.2.3",
);

/** A copy of manifest/ to break things in. */
function scratchManifestDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "manifest-"));
  for (const file of ["manifest.template.json", "color.png", "outline.png"]) fs.copyFileSync(path.join(MANIFEST_DIR, file), path.join(dir, file));
  return dir;
}

async function problemsOf(build: () => Promise<unknown>): Promise<string[]> {
  try {
    await build();
  } catch (error) {
    assert.ok(error instanceof PackageError, String(error));
    return [...error.problems];
  }
  assert.fail("the package was made");
}

describe("the Teams app package (npm run package)", () => {
  it("validates with 0 errors and zips the manifest with both icons", async () => {
    const dir = scratchManifestDir();
    const { zipFile } = await buildAppPackage(values, dir);
    const zip = await JSZip.loadAsync(fs.readFileSync(zipFile));
    assert.deepEqual(Object.keys(zip.files).sort(), ["color.png", "manifest.json", "outline.png"]);
    const json = JSON.parse(await zip.file("manifest.json")!.async("string")) as AppManifest;
    assert.equal(json.manifestVersion, "1.22");
    assert.equal(json.bots?.[0]?.botId, "8e0f5a83-0000-4000-8000-000000000000");
    assert.deepEqual(json.validDomains, ["lederrefleksion.kommune.example"]);
    assert.deepEqual(json.bots?.[0]?.scopes, ["personal", "team", "groupChat"]);
  });

  it("has the Indsigt tab, signed in with Teams SSO for the app's own resource", async () => {
    const { manifest } = await buildAppPackage(values, scratchManifestDir());
    const app = manifest as { staticTabs?: Array<{ entityId: string; name?: string; contentUrl?: string; scopes: string[] }>; webApplicationInfo?: { id: string; resource?: string } };
    const tab = app.staticTabs?.find((t) => t.entityId === "indsigt");
    assert.deepEqual([tab?.name, tab?.contentUrl, tab?.scopes], ["Indsigt", "https://lederrefleksion.kommune.example/indsigt", ["personal"]]);
    assert.ok(app.staticTabs?.some((t) => t.entityId === "conversations"), "the chat stays the app's first tab");
    // Til min leder's reader tab: personal, the same SSO registration (webApplicationInfo is the app's, one for all tabs).
    const reader = app.staticTabs?.find((t) => t.entityId === SHARE_TAB_ENTITY_ID);
    assert.deepEqual([reader?.name, reader?.contentUrl, reader?.scopes], ["Til min leder", `https://lederrefleksion.kommune.example${SHARE_TAB_PATH}`, ["personal"]]);
    // Sharing the bot's registration, the resource is the form Teams asks of an app with a bot and a tab.
    assert.deepEqual(app.webApplicationInfo, { id: "8e0f5a83-0000-4000-8000-000000000000", resource: "api://lederrefleksion.kommune.example/botid-8e0f5a83-0000-4000-8000-000000000000" });
    // A managed-identity bot cannot expose an API: the tab then signs in with an app registration of its own.
    const own = "5a5a5a5a-0000-4000-8000-000000000000";
    const ownValues = manifestValues(
      parseConfig({ MicrosoftAppId: "8e0f5a83-0000-4000-8000-000000000000", MicrosoftAppPassword: "secret", MicrosoftAppTenantId: "11111111-1111-4111-8111-111111111111", PUBLIC_BASE_URL: "https://lederrefleksion.kommune.example", INSIGHT_APP_ID: own }, { forServing: false }),
      "1.2.3",
    );
    const { manifest: withOwn } = await buildAppPackage(ownValues, scratchManifestDir());
    assert.deepEqual((withOwn as { webApplicationInfo?: object }).webApplicationInfo, { id: own, resource: `api://lederrefleksion.kommune.example/${own}` });
  });

  it("has the meeting's side panel: a configurable tab for a meeting's side panel, chat and details, in group chats and teams, configured at /moede/opsaet", async () => {
    const { manifest } = await buildAppPackage(values, scratchManifestDir());
    const tabs = (manifest as { configurableTabs?: Array<{ configurationUrl: string; canUpdateConfiguration?: boolean; scopes: string[]; context?: string[] }> }).configurableTabs;
    assert.deepEqual(tabs, [
      {
        configurationUrl: "https://lederrefleksion.kommune.example/moede/opsaet",
        // Nothing to configure: the panel always shows the group that owns the chat.
        canUpdateConfiguration: false,
        scopes: ["groupChat", "team"],
        context: ["meetingSidePanel", "meetingChatTab", "meetingDetailsTab"],
      },
    ]);
  });

  it("asks, per team and per chat, to read its members (owners and guests apart) and its meetings' details and events", async () => {
    const { manifest } = await buildAppPackage(values, scratchManifestDir());
    const rsc = (manifest as { authorization?: { permissions?: { resourceSpecific?: Array<{ name: string; type: string }> } } }).authorization?.permissions?.resourceSpecific;
    assert.deepEqual(rsc, [
      { name: "TeamMember.Read.Group", type: "Application" },
      { name: "ChatMember.Read.Chat", type: "Application" },
      // Meeting details (TeamsInfo.getMeetingInfo) and the meetingStart/meetingEnd events, in a
      // meeting's chat and in a channel meeting.
      { name: "OnlineMeeting.ReadBasic.Chat", type: "Application" },
      { name: "ChannelMeeting.ReadBasic.Group", type: "Application" },
    ]);
    assert.equal((manifest as { webApplicationInfo?: { id: string } }).webApplicationInfo?.id, "8e0f5a83-0000-4000-8000-000000000000");
  });

  it("lists the Danish commands per scope", async () => {
    const { manifest } = await buildAppPackage(values, scratchManifestDir());
    const lists = (manifest.bots?.[0]?.commandLists ?? []) as Array<{ scopes: string[]; commands: Array<{ title: string }> }>;
    const commands = Object.fromEntries(lists.map((l) => [l.scopes.join(","), l.commands.map((c) => c.title)]));
    assert.deepEqual(commands.personal, ["start", "historik", "udvikling", "påmindelser", "hjælp"]);
    assert.deepEqual(commands.team, ["opsæt", "spørgsmål", "status", "aftaler", "referat"]);
    assert.deepEqual(commands.groupChat, ["opsæt", "spørgsmål", "status", "aftaler", "referat", "hjælp"]);
  });

  it("fails with the reason when the bot id is missing", async () => {
    const problems = await problemsOf(() => buildAppPackage({ ...values, BOT_ID: "" }, scratchManifestDir()));
    assert.ok(problems.some((p) => /BOT_ID is empty \(set MicrosoftAppId/.test(p)), problems.join("\n"));
  });

  it("fails with the schema's reason for a manifest that breaks it", async () => {
    const problems = await problemsOf(() => buildAppPackage({ ...values, TEAMS_APP_ID: "not-a-guid" }, scratchManifestDir()));
    assert.ok(problems.some((p) => p.startsWith("manifest.json: /id must match pattern")), problems.join("\n"));
  });

  it("fails when the version is not semver, which Teams requires on upload", async () => {
    const problems = await problemsOf(() => buildAppPackage({ ...values, APP_VERSION: "one" }, scratchManifestDir()));
    assert.deepEqual(problems, ['manifest.json: version "one" must be semver (major.minor.patch)']);
  });

  it("fails when an icon has the wrong pixel size", async () => {
    const dir = scratchManifestDir();
    const wrong = new PNG({ width: 64, height: 64 });
    fs.writeFileSync(path.join(dir, "outline.png"), PNG.sync.write(wrong));
    const problems = await problemsOf(() => buildAppPackage(values, dir));
    assert.deepEqual(problems, ["outline.png is 64×64 pixels; Teams wants 32×32"]);
  });

  it("ships a transparent, white outline icon", () => {
    const png = PNG.sync.read(fs.readFileSync(path.join(MANIFEST_DIR, "outline.png")));
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i + 3]! > 0) assert.deepEqual([...png.data.subarray(i, i + 3)], [255, 255, 255]);
    }
    assert.equal(png.data[3], 0, "the corner is transparent");
  });
});
