import assert from "node:assert/strict";
import { startApp, type RunningApp } from "../../src/app";
import { asTenantId, asUserId } from "../../src/domain/ids";
import { signExportToken, signMinutesToken } from "../../src/domain/exportToken";
import { GroupDocuments } from "../../src/storage/groupDocuments";
import { GroupMeetings } from "../../src/storage/meetingStore";
import { groupPartition } from "../../src/domain/group/partition";
import { silentLogger } from "../../src/kernel/log";
import { testConfig } from "../support/testConfig";

const KEY = "export-signing-key-for-tests-0123456789abcdef";

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/**
 * Other spellings of a sealed token's bytes, which Node's loose base64url decoding reads the
 * same: a character appended (a lone trailing character is dropped) and, where the last
 * character has bits to spare, one of those set.
 */
function otherSpellings(token: string): string[] {
  const spare = [0, 0, 0b1111, 0b11][token.length % 4]!;
  const last = BASE64URL.indexOf(token.at(-1)!);
  const spellings = [`${token}A`, ...(spare ? [`${token.slice(0, -1)}${BASE64URL[last ^ 1]}`] : [])];
  return spellings.filter((spelling) => Buffer.from(spelling, "base64url").equals(Buffer.from(token, "base64url")));
}
const anna = { tenantId: asTenantId("11111111-1111-4111-8111-111111111111"), userId: asUserId("00000000-0000-4000-8000-00000000000a") };

describe("export links on the real HTTP server", () => {
  let app: RunningApp;
  beforeEach(async () => {
    app = await startApp(testConfig({ EXPORT_SIGNING_KEY: KEY }), silentLogger);
  });
  afterEach(() => app.stop());

  const token = (at = new Date(), key = KEY) => signExportToken(anna, "json", at, Buffer.from(key));

  const open = (link: string) => fetch(`http://127.0.0.1:${app.port}/export/${link}`);
  const download = (link: string) => fetch(`http://127.0.0.1:${app.port}/export/${link}`, { method: "POST" });

  it("shows a page with a download button on GET, and a link scanner's GETs leave the link working", async () => {
    const link = token();
    for (let scan = 0; scan < 3; scan += 1) {
      const page = await open(link);
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
      const html = await page.text();
      assert.match(html, /<form method="post"><button type="submit">Hent mine data<\/button><\/form>/);
      assert.doesNotMatch(html, /<script/);
    }
    assert.equal((await download(link)).status, 200);
  });

  it("serves a genuine link once, on the page's POST, as a download, and 404 the second time", async () => {
    const link = token();
    const first = await download(link);
    assert.equal(first.status, 200);
    assert.match(first.headers.get("content-disposition") ?? "", /attachment; filename="lederrefleksion-\d{4}-\d{2}-\d{2}\.json"/);
    assert.equal(((await first.json()) as { format: string }).format, "lederrefleksion-export/1");
    assert.equal((await download(link)).status, 404);
    const page = await open(link);
    assert.equal(page.status, 404);
    assert.match(await page.text(), /Linket virker ikke længere/);
  });

  it("keeps the link opaque: no tenant or user id can be read from it", () => {
    const decoded = Buffer.from(token(), "base64url").toString("latin1");
    assert.doesNotMatch(decoded, new RegExp(`${anna.userId}|${anna.tenantId}|userId|tenantId`));
  });

  it("answers an expired link with 404", async () => {
    const sixteenMinutesAgo = new Date(Date.now() - 16 * 60_000);
    assert.equal((await download(token(sixteenMinutesAgo))).status, 404);
    assert.equal((await open(token(sixteenMinutesAgo))).status, 404);
  });

  it("opens a link only as it was written: the same bytes spelled another way answer 404, and the link still works once", async () => {
    const link = token();
    const spellings = otherSpellings(link);
    assert.ok(spellings.length > 0, "a spelling Node decodes to the same bytes");
    for (const spelling of spellings) {
      assert.equal((await open(spelling)).status, 404, spelling);
      assert.equal((await download(spelling)).status, 404, spelling);
    }
    assert.equal((await download(link)).status, 200);
  });

  const forgeries: Array<[string, () => string]> = [
    ["signed with another key", () => token(new Date(), "someone-elses-key-0123456789abcdefghij")],
    ["with one bit of the sealed claims flipped", () => {
      const raw = Buffer.from(token(), "base64url");
      raw[20] = raw[20]! ^ 1;
      return raw.toString("base64url");
    }],
    ["made up", () => "abc~def"],
    ["empty-looking", () => "~"],
    ["with a dot", () => "abc.def"],
  ];
  for (const [what, forge] of forgeries) {
    it(`answers a link ${what} with 404 and reveals nothing`, async () => {
      const link = forge();
      for (const answer of [await open(link), await download(link)]) {
        assert.equal(answer.status, 404);
        assert.match(await answer.text(), /Linket er brugt, udløbet eller ugyldigt/);
      }
    });
  }
});

describe("a leader group's minutes link on the real HTTP server ('referat alle')", () => {
  const GROUP = "19:meeting_minutes@thread.v2";
  const start = "2026-11-03T09:00:00.000Z";
  let app: RunningApp;
  beforeEach(async () => {
    app = await startApp(testConfig({ EXPORT_SIGNING_KEY: KEY }), silentLogger);
    const conversation = { channelId: "msteams", serviceUrl: "http://127.0.0.1:9/", conversationId: GROUP, conversationType: "groupChat" as const, tenantId: anna.tenantId, botId: "28:bot", active: true, updatedAt: start, name: "Ledergruppe *Nord*" };
    await new GroupDocuments(app.store.containers.channels).update(groupPartition(GROUP), () => ({ id: "channel", pk: groupPartition(GROUP), type: "channel", conversation }));
    await new GroupMeetings(app.store.containers.channels).open({
      id: `meeting|${start}`, pk: groupPartition(GROUP), type: "meeting", start, end: start, themeId: "drift", source: "series", people: [],
      agreements: [{ id: "a1", text: "Vi deler data om ventetider", responsible: "Alle", status: "inProgress", createdBy: { name: "Mette" }, createdAt: start, changes: [] }],
    });
  });
  afterEach(() => app.stop());

  const link = (group = GROUP, tenantId: string = anna.tenantId, at = new Date(), key = KEY) => signMinutesToken({ tenantId, groupId: group }, at, Buffer.from(key));
  const open = (token: string) => fetch(`http://127.0.0.1:${app.port}/minutes/${token}`);
  const download = (token: string) => fetch(`http://127.0.0.1:${app.port}/minutes/${token}`, { method: "POST" });

  it("shows the page on GET and gives the whole record as a Markdown file on its POST, to everyone in the group until it expires", async () => {
    const token = link();
    const page = await open(token);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<button type="submit">Hent referatet<\/button>/);
    for (const member of ["Mette", "Jonas"]) {
      const file = await download(token);
      assert.equal(file.status, 200, member);
      assert.match(file.headers.get("content-disposition") ?? "", /attachment; filename="ledergruppe-referat-\d{4}-\d{2}-\d{2}\.md"/);
      assert.match(await file.text(), /^# Ledergruppe \\\*Nord\\\*: Ledergruppens møder \(1 møde siden 3\.\snovember 2026\)[\s\S]*- Vi deler data om ventetider – ansvarlig: Alle/);
    }
  });

  it("opens a minutes link only as it was written: `token + \"A\"` and any other spelling of its bytes answer 404", async () => {
    const token = link();
    const spellings = otherSpellings(token);
    assert.ok(spellings.includes(`${token}A`), "this token's length leaves a trailing character to be dropped");
    for (const spelling of spellings) assert.equal((await download(spelling)).status, 404, spelling);
    assert.equal((await download(token)).status, 200);
  });

  const refused: Array<[string, () => string]> = [
    ["expired", () => link(GROUP, anna.tenantId, new Date(Date.now() - 16 * 60_000))],
    ["for the same group id in another tenant", () => link(GROUP, "22222222-2222-4222-8222-222222222222")],
    ["for a group the bot does not know", () => link("19:other@thread.v2")],
    ["signed with another key", () => link(GROUP, anna.tenantId, new Date(), "someone-elses-key-0123456789abcdefghij")],
    ["that is a personal export link", () => signExportToken(anna, "md", new Date(), Buffer.from(KEY))],
  ];
  for (const [what, forge] of refused) {
    it(`answers a minutes link ${what} with 404 and nothing of the group`, async () => {
      const answer = await download(forge());
      assert.equal(answer.status, 404);
      const html = await answer.text();
      assert.match(html, /Linket er udløbet eller ugyldigt/);
      assert.doesNotMatch(html, /ventetider|Nord/);
    });
  }
});
