import assert from "node:assert/strict";
import { MAX_ROSTER } from "../../src/bot/groupRoster";
import { AGREEMENT_HISTORY } from "../../src/domain/group/agreements";
import type { GroupDocument } from "../../src/domain/group/model";
import { GroupDocuments } from "../../src/storage/groupDocuments";
import { withIndexes } from "../../src/domain/group/meetings";
import { GroupMeetings } from "../../src/storage/meetingStore";
import { AGREEMENT_LIMITS, DOCUMENT_LIMITS, POINT_MAX, type Agreement, type GroupMember, type GroupMeeting } from "../../src/domain/group/model";
import { groupPartition } from "../../src/domain/group/partition";
import { defaultGroupSettings } from "../../src/domain/group/groupSettings";
import { loadFramework } from "../../src/content/loadContent";
import { projectRoot } from "../../src/kernel/paths";
import path from "node:path";
import { eachStoreBehindFaultyCosmos } from "../support/faultyCosmos";
import { PULSE_MAX_ROSTER, pulseLedgerPartition, type PulseDocument } from "../../src/domain/group/pulse";
import { PulseLedger } from "../../src/group/pulseLedger";
import { GroupPulses } from "../../src/storage/pulseStore";
import { pointAuthorKeyer } from "../../src/domain/pointAuthor";

const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));
const CHAT = "19:meeting_stor@thread.v2";
const PK = groupPartition(CHAT);
const utf8Bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
/** Names as long as the roster keeps them, with letters that cost two bytes each. */
const member = (i: number): GroupMember => ({ id: `29:${id(i)}`, aadObjectId: id(i), name: "Æ".repeat(200) });

describe("a group's documents at their largest stay within their stated size and Cosmos' 2 MB (strict double)", () => {
  const faulty = eachStoreBehindFaultyCosmos();

  it("holds a roster of the most members the bot keeps", async () => {
    const document: GroupDocument = {
      id: "channel", pk: PK, type: "channel",
      conversation: { channelId: "msteams", serviceUrl: "https://smba.trafficmanager.net/emea/", conversationId: CHAT, conversationType: "groupChat", tenantId: id(0), botId: "28:bot", active: true, updatedAt: new Date().toISOString() },
      settings: defaultGroupSettings(framework, "Europe/Copenhagen"),
      stewards: Array.from({ length: 21 }, (_, i) => id(i)),
      settingsCardTokens: Array.from({ length: 5 }, (_, i) => `token-${i}-${"x".repeat(16)}`),
      members: Array.from({ length: MAX_ROSTER }, (_, i) => member(i)),
      membersAt: new Date().toISOString(),
      questionsPostedAt: Object.fromEntries(framework.themes.map((t) => [t.id, new Date().toISOString()])),
    };
    process.stdout.write(`      the group's document at its largest: ${Math.round(utf8Bytes(document) / 1024)} kB (stated ${DOCUMENT_LIMITS.groupBytes / 1024} kB)\n`);
    assert.ok(utf8Bytes(document) <= DOCUMENT_LIMITS.groupBytes, `${utf8Bytes(document)} bytes`);
    const stored = await new GroupDocuments(faulty.store.containers.channels).writeIfUnchanged(undefined, document);
    assert.equal(stored?.members?.length, MAX_ROSTER);
  });

  it("holds a meeting with a point from every member and five agreements with their full history", async () => {
    const at = "2026-12-01T09:00:00.000Z";
    const who = { name: "Æ".repeat(200), aadObjectId: id(1) };
    const agreement = (row: number): Agreement => ({
      id: `a${row}`, text: "Æ".repeat(AGREEMENT_LIMITS.text), responsible: "Æ".repeat(AGREEMENT_LIMITS.responsible), due: "2026-12-15",
      status: "inProgress", createdBy: who, createdAt: at, olderChanges: 995,
      changes: Array.from({ length: AGREEMENT_HISTORY.kept }, () => ({ at, by: who, before: { text: "Æ".repeat(AGREEMENT_LIMITS.text), responsible: "Æ".repeat(AGREEMENT_LIMITS.responsible), due: "2026-12-14" } })),
    });
    const meeting: GroupMeeting = withIndexes({
      id: `meeting|${at}`, pk: PK, type: "meeting", start: at, end: at, themeId: framework.themes[0]!.id, source: "series", people: [],
      agreements: Array.from({ length: AGREEMENT_LIMITS.count }, (_, i) => agreement(i + 1)),
      points: Array.from({ length: MAX_ROSTER }, (_, i) => ({ id: `p-${"x".repeat(40)}`.slice(0, 42) + i, text: "Æ".repeat(POINT_MAX), by: { name: "Æ".repeat(200), aadObjectId: id(i) } })),
    });
    process.stdout.write(`      a meeting at its largest: ${Math.round(utf8Bytes(meeting) / 1024)} kB (stated ${DOCUMENT_LIMITS.meetingBytes / 1024} kB)\n`);
    assert.ok(utf8Bytes(meeting) <= DOCUMENT_LIMITS.meetingBytes, `${utf8Bytes(meeting)} bytes`);
    const stored = await new GroupMeetings(faulty.store.containers.channels).open(meeting);
    assert.equal(stored.points?.length, MAX_ROSTER);
  });

  it("holds an open Vi-pulse put to the most members a pulse can have", async () => {
    const marks = Array.from({ length: PULSE_MAX_ROSTER }, (_, i) => pointAuthorKeyer(Buffer.alloc(32, 9))({ tenantId: id(0), userId: id(i) }));
    const pulse: PulseDocument = {
      id: "pulse|AbCdEfGhIjKlMnOpQrStUv", pk: PK, type: "pulse", pulseId: "AbCdEfGhIjKlMnOpQrStUv", tenantId: id(0), audience: "team", themeId: "drift",
      statementIds: ["drift.faelles.1", "drift.faelles.2", "drift.faelles.3"], status: "open", openedAt: new Date().toISOString(), closesAt: new Date().toISOString(),
      eligible: marks, requestedBy: { tenantId: id(0), userId: id(1) },
    };
    process.stdout.write(`      an open Vi-pulse at its largest: ${Math.round(utf8Bytes(pulse) / 1024)} kB (stated ${DOCUMENT_LIMITS.pulseBytes / 1024} kB)\n`);
    assert.ok(utf8Bytes(pulse) <= DOCUMENT_LIMITS.pulseBytes, `${utf8Bytes(pulse)} bytes`);
    assert.equal(await new GroupPulses(faulty.store.containers.channels).open(pulse, []), true);
  });

  it("records the roster of a result shown to the most members a pulse can have, beside the ledger's head, in one batch", async () => {
    const marks = Array.from({ length: PULSE_MAX_ROSTER }, (_, i) => pointAuthorKeyer(Buffer.alloc(32, 9))({ tenantId: id(0), userId: id(i) }));
    const ledger = new PulseLedger(faulty.store.containers.channels);
    assert.equal(await ledger.showIfDisjoint(id(0), "drift", "AbCdEfGhIjKlMnOpQrStUv", marks, new Date()), "shown");
    const { resources } = await faulty.store.containers.channels.items
      .query<{ type: string }>({ query: "SELECT * FROM c WHERE c.pk = @pk", parameters: [{ name: "@pk", value: pulseLedgerPartition(id(0), "drift") }] }, { partitionKey: pulseLedgerPartition(id(0), "drift") })
      .fetchAll();
    const roster = resources.find((d) => d.type === "pulseRoster");
    process.stdout.write(`      the ledger's record of a shown result at its largest: ${Math.round(utf8Bytes(roster) / 1024)} kB (stated ${DOCUMENT_LIMITS.pulseRosterBytes / 1024} kB)\n`);
    assert.ok(utf8Bytes(roster) <= DOCUMENT_LIMITS.pulseRosterBytes, `${utf8Bytes(roster)} bytes`);
    assert.deepEqual(resources.map((d) => d.type).sort(), ["pulseLedgerHead", "pulseRoster"]);
    assert.equal(await ledger.showIfDisjoint(id(0), "drift", "another-pulse-id", marks.slice(0, 1), new Date()), "overlap", "and the next result over any of them is hidden");
  });
});
