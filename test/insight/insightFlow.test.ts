import assert from "node:assert/strict";
import type { Activity } from "botbuilder";
import { added, shareOf, type Counts } from "../../src/domain/insight/aggregate";
import { InsightPages } from "../../src/insight/insightPages";
import { createHttpServer, type HttpServer } from "../../src/server";
import { partitionKeyOf } from "../../src/domain/identity";
import { asTenantId, asUserId } from "../../src/domain/ids";
import type { TeamsUser } from "../support/activities";
import { capturingLogger } from "../support/logLines";
import { answerAll, ratingInputs, startReflection } from "../support/reflectionSteps";
import { cardContent, createHarness, DEFAULT_NOW, inputIds, tickScheduler, type Harness } from "../support/teamsChat";

const TENANT = "11111111-1111-4111-8111-111111111111";
/** Typed into every free-text field: it must never reach a bucket, the page, the CSV or the log. */
const MARKER = "ZQX-markør-7731";
const leader = (i: number): TeamsUser => ({
  aadObjectId: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, "0")}`,
  tenantId: TENANT,
  conversationId: `a:1personal-conversation-leader-${i}`,
  name: `Leder ${MARKER} ${i}`,
});
const keyOf = (user: TeamsUser) => ({ tenantId: asTenantId(user.tenantId), userId: asUserId(user.aadObjectId) });

/** A whole reflection with the marker in the note, the focus answers, every question and the plan. */
async function reflectWithMarker(h: Harness, user: TeamsUser, roleId: string): Promise<void> {
  const chat = h.chatAs(user);
  const statements: Partial<Activity> = await startReflection(chat, roleId, 0);
  const ids = inputIds(cardContent(statements));
  const noteFor = ids.find((id) => id.startsWith("rating:"))?.slice("rating:".length) ?? "";
  const free = Object.fromEntries(ids.filter((id) => !id.startsWith("rating:") && id !== "noteFor" && id !== "lastPlanOutcome").map((id) => [id, MARKER]));
  await chat.click(statements, "Næste", { ...ratingInputs(statements, "2"), ...free, noteFor });
  await answerAll(chat, [MARKER, MARKER, MARKER], { deeper: MARKER, strength: MARKER });
  await chat.click(chat.lastCard(), "Gem refleksion", { commitment: `Hvis ${MARKER}, så vil jeg ${MARKER}`, followUpDate: "" });
}

describe("Indsigt end to end: real dialogs, the scheduler, the strict double and the HTTP server", () => {
  let h: Harness;
  let http: HttpServer;
  let port: number;
  let now: Date;
  const captured = capturingLogger("info");

  beforeEach(async () => {
    now = DEFAULT_NOW;
    h = await createHarness({ clock: () => now, log: captured.log });
    const pages = new InsightPages({ framework: h.framework, buckets: h.buckets, k: 5, access: { kind: "local", tenantId: TENANT }, clock: () => now, log: captured.log });
    http = createHttpServer({ messages: async () => ({ status: 200 }), readiness: {}, log: captured.log, insight: pages });
    port = await http.listen(0, "127.0.0.1");
  });
  afterEach(async () => {
    await http.close();
    await h.close();
  });

  const page = async (path: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: response.status, text: await response.text(), headers: response.headers };
  };
  const bucket = async () => h.buckets.read(TENANT, "2026-Q4");
  /** What the remaining leaders' own contributions add up to: the buckets "as if the others had never been there". */
  const sumOfShares = async (users: readonly TeamsUser[]): Promise<Counts> => {
    let sum: Counts = {};
    for (const user of users) {
      const part = (await h.sessions.load(keyOf(user))).session.insight?.quarters["2026-Q4"];
      if (part) sum = added(sum, shareOf(part));
    }
    return sum;
  };

  it("counts 5 leaders' reflections within a scheduler tick, and the page shows them; no text reaches the bucket, the page, the CSV or the log", async () => {
    const five = [1, 2, 3, 4, 5].map(leader);
    for (const user of five) await reflectWithMarker(h, user, "leder-af-medarbejder");
    await tickScheduler(h, () => (now = new Date(now.getTime() + 60_000)));

    const stored = (await bucket())!;
    assert.equal(stored.counts["A|leder-af-medarbejder"], 5);
    assert.equal(stored.shown["A|leder-af-medarbejder"], 5, "five different leaders: the cell shows");
    const numbers = await page("/indsigt/tal");
    const csv = await page("/indsigt/tal.csv");
    assert.equal(numbers.status, 200);
    assert.match(numbers.text, /<th scope="row">Leder af medarbejder<\/th><td>5<\/td>/);
    assert.match(csv.text, /Brug;Leder af medarbejder;;;Ledere, der har reflekteret;5\r\n/);
    for (const [where, text] of [["bucket", JSON.stringify(stored)], ["page", numbers.text], ["csv", csv.text], ["log", captured.lines.join("\n")]] as const) {
      assert.ok(!text.includes(MARKER), `the marker reached the ${where}`);
      for (const user of five) assert.ok(!text.includes(user.aadObjectId), `a leader's id reached the ${where}`);
    }
    assert.ok(captured.lines.length > 0, "the log was written to (so its silence about the marker means something)");
  });

  it("shows nothing about 4 leaders, and their numbers when a 5th reflects", async () => {
    for (const i of [1, 2, 3, 4]) await reflectWithMarker(h, leader(i), "chef");
    await tickScheduler(h, () => (now = new Date(now.getTime() + 60_000)));
    let numbers = await page("/indsigt/tal");
    assert.match(numbers.text, /<th scope="row">Chef<\/th>(<td><span class="hidden-value">færre end 5<\/span><\/td>){5}/);
    assert.doesNotMatch(numbers.text, /<svg/);
    const csv = await page("/indsigt/tal.csv");
    assert.match(csv.text, /Brug;Chef;;;Refleksioner;\r\n/);
    assert.equal((await bucket())!.counts["A|chef"], 4, "counted, not shown");

    await reflectWithMarker(h, leader(5), "chef");
    await tickScheduler(h, () => (now = new Date(now.getTime() + 60_000)));
    numbers = await page("/indsigt/tal");
    assert.match(numbers.text, /<th scope="row">Chef<\/th><td>5<\/td><td>5<\/td>/);
    assert.match(numbers.text, /<svg role="img"/);
  });

  it("takes a leader's numbers out on 'mine tal tæller ikke med', as if they had never counted, and counts them again on 'mine tal tæller med'", async () => {
    const six = [1, 2, 3, 4, 5, 6].map(leader);
    for (const user of six) await reflectWithMarker(h, user, "leder-af-leder");
    await tickScheduler(h, () => (now = new Date(now.getTime() + 60_000)));
    const replies = await h.chatAs(six[0]!).say("mine tal tæller ikke med");
    assert.match(String(replies.at(-1)?.text), /tæller ikke længere med i Indsigt/);
    await tickScheduler(h, () => (now = new Date(now.getTime() + 60_000)));
    assert.deepEqual((await bucket())!.counts, await sumOfShares(six.slice(1)));
    assert.equal((await h.sessions.load(keyOf(six[0]!))).session.insight, undefined);

    // Another reflection while opted out adds nothing.
    await h.chatAs(six[0]!).say("start");
    const before = (await bucket())!.counts;
    await tickScheduler(h, () => (now = new Date(now.getTime() + 60_000)));
    assert.deepEqual((await bucket())!.counts, before);

    const back = await h.chatAs(six[0]!).say("mine tal tæller med");
    assert.match(String(back.at(-1)?.text), /tæller med i Indsigt fra nu af/);
  });

  it("takes an erased leader's numbers out of every bucket, also a change the scheduler had not applied yet", async () => {
    const six = [1, 2, 3, 4, 5, 6].map(leader);
    for (const user of six.slice(0, 5)) await reflectWithMarker(h, user, "leder-af-leder");
    await tickScheduler(h, () => (now = new Date(now.getTime() + 60_000)));
    // The sixth reflects, and erases before any tick: their change still waits in their partition.
    await reflectWithMarker(h, six[5]!, "leder-af-leder");
    const chat = h.chatAs(six[5]!);
    await chat.say("slet mine data");
    const receipt = await chat.click(chat.lastCard(), "Ja, slet alt");
    assert.match(String(receipt.at(-1)?.text), /Alt er slettet: 1 refleksion, 0 planlagte påmindelser/);
    await tickScheduler(h, () => (now = new Date(now.getTime() + 60_000)));
    assert.deepEqual((await bucket())!.counts, await sumOfShares(six.slice(0, 5)));
    assert.deepEqual(await h.schedules.forOwner(partitionKeyOf(keyOf(six[5]!))), []);
  });

  it("tells a leader on the welcome and help cards that anonymous numbers, never text, count in Indsigt, and how to say no", async () => {
    const chat = h.chatAs(leader(1));
    const [welcome] = await chat.install();
    const said = (activity: Partial<Activity> | undefined) => JSON.stringify(cardContent(activity!));
    assert.match(said(welcome), /anonyme tal i Indsigt[^"]*aldrig din tekst[^"]*mindst 5 ledere[^"]*»mine tal tæller ikke med«/);
    const [help] = await chat.say("hjælp");
    assert.match(said(help), /»mine tal tæller ikke med«/);
  });

  it("counts nobody under INSIGHT_CONSENT=opt-in until they say 'mine tal tæller med'", async () => {
    await http.close();
    await h.close();
    h = await createHarness({ clock: () => now, log: captured.log, insightConsent: "opt-in" });
    http = createHttpServer({ messages: async () => ({ status: 200 }), readiness: {}, log: captured.log, insight: new InsightPages({ framework: h.framework, buckets: h.buckets, k: 5, access: { kind: "local", tenantId: TENANT }, clock: () => now, log: captured.log }) });
    port = await http.listen(0, "127.0.0.1");
    const [welcome] = await h.chatAs(leader(1)).install();
    assert.match(JSON.stringify(cardContent(welcome!)), /Hvis du vil, kan dine tal tælle med i kommunens Indsigt[^"]*»mine tal tæller med«/);
    await reflectWithMarker(h, leader(1), "chef");
    await tickScheduler(h, () => (now = new Date(now.getTime() + 60_000)));
    assert.equal(await bucket(), undefined, "nothing counted");
    const yes = await h.chatAs(leader(2)).say("mine tal tæller med");
    assert.match(String(yes.at(-1)?.text), /tæller med i Indsigt fra nu af/);
    await reflectWithMarker(h, leader(2), "chef");
    await tickScheduler(h, () => (now = new Date(now.getTime() + 60_000)));
    assert.equal((await bucket())?.counts["A|chef"], 1);
  });

  it("answers the page with Teams-only framing, no inline script and no sniffing", async () => {
    for (const path of ["/indsigt", "/indsigt/tal", "/indsigt/tal.csv", "/indsigt/tab-signin.js", "/indsigt/indsigt.js", "/indsigt/teams.js"]) {
      const answer = await page(path);
      assert.equal(answer.status, 200, path);
      const csp = answer.headers.get("content-security-policy") ?? "";
      assert.match(csp, /frame-ancestors 'self' https:\/\/teams\.microsoft\.com https:\/\/\*\.teams\.microsoft\.com/, path);
      assert.match(csp, /script-src 'self';/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
      assert.equal(answer.headers.get("x-content-type-options"), "nosniff", path);
    }
    const shell = await page("/indsigt");
    assert.doesNotMatch(shell.text, /<script>|<script [^>]*>[^<]|style=/, "no inline script or style");
    assert.match(shell.text, /Lokal udgave/, "the local run says it is open");
    const unknown = await page("/indsigt/tal?kvartal=1999-Q1");
    assert.equal(unknown.status, 400);
    assert.match(unknown.text, /Ukendt kvartal/);
    const twice = await page("/indsigt/tal?kvartal=2026-Q4&kvartal=2026-Q3");
    assert.equal(twice.status, 200, "a repeated parameter is read as none: the current quarter");
  });
});
