import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { TeamsUser } from "../support/activities";
import { createHarness, DEFAULT_NOW, type Harness } from "../support/teamsChat";
import { sharedReflection, shareContent } from "../support/shareContent";

const TENANT = "11111111-1111-4111-8111-111111111111";
const OTHER_TENANT = "44444444-4444-4444-8444-444444444444";

type Op =
  | { readonly kind: "share"; readonly from: number; readonly to: number; readonly days: number }
  | { readonly kind: "open"; readonly who: number; readonly share: number }
  | { readonly kind: "withdraw"; readonly who: number; readonly share: number }
  | { readonly kind: "time"; readonly hours: number }
  | { readonly kind: "expire" }
  | { readonly kind: "ask"; readonly who: number; readonly share: number }
  | { readonly kind: "deliver" }
  | { readonly kind: "erase"; readonly who: number };

/** Three leaders in one tenant (0–2), and a stranger in another tenant with leader 1's object id (3). */
const PEOPLE = 4;
const person = fc.integer({ min: 0, max: PEOPLE - 1 });
const leader = fc.integer({ min: 0, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("share" as const), from: leader, to: leader, days: fc.integer({ min: 1, max: 3 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("open" as const), who: person, share: fc.nat(8) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("withdraw" as const), who: person, share: fc.nat(8) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("time" as const), hours: fc.integer({ min: 0, max: 60 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("expire" as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("ask" as const), who: person, share: fc.nat(8) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("deliver" as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("erase" as const), who: leader }), weight: 1 },
);

interface Modelled {
  readonly id: string;
  readonly sharer: number;
  readonly reader: number;
  readonly expiresAt: string;
  ended: boolean;
}

/**
 * Acceptance 4: over random sequences of share, open, questions back, delivery, withdraw, time
 * passing, the expiry job and erasure by either person, on the real service and store, after
 * every step: a share is read by its named reader only, and by nobody once it has ended
 * (withdrawn, expired, erased); and after an erasure nothing of that person (name, questions,
 * read log, content) is left in anyone else's data.
 */
describe("Til min leder, as a property: only the named person ever reads a share, and nobody after it ends", function () {
  this.timeout(600_000);
  let h: Harness;
  let now: Date;

  before(async () => {
    now = DEFAULT_NOW;
    h = await createHarness({ clock: () => now });
  });
  after(() => h.close());

  it("holds over random sequences of share, open, questions, delivery, withdraw, expire and erase, and an erasure leaves nothing of the person in the other's data", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), async (ops) => {
        now = DEFAULT_NOW;
        // New people for every run: runs share one store and must not see each other's shares.
        const ids = [randomUUID(), randomUUID(), randomUUID()];
        // Names, questions and content unique to the run and person, to look for after an erasure.
        const nameOf = (i: number) => (i < ids.length ? `Leder ${i} ${ids[i]!.slice(0, 8)}` : `Fremmed ${ids[1]!.slice(0, 8)}`);
        const wordsOf = (i: number) => `Indhold fra ${nameOf(i)}`;
        const questionOf = (i: number) => `Spørgsmål fra ${nameOf(i)}`;
        const people: TeamsUser[] = [
          ...ids.map((id, i) => ({ aadObjectId: id, tenantId: TENANT, conversationId: `a:1personal-${id}`, name: nameOf(i) })),
          { aadObjectId: ids[1]!, tenantId: OTHER_TENANT, conversationId: `a:1personal-other-${ids[1]}`, name: nameOf(3) },
        ];
        for (const p of people) await h.chatAs(p).install();
        const identity = (i: number) => ({ tenantId: people[i]!.tenantId, aadObjectId: people[i]!.aadObjectId });
        const shares: Modelled[] = [];
        const live = (s: Modelled) => !s.ended && now.toISOString() < s.expiresAt;

        for (const step of ops) {
          switch (step.kind) {
            case "share": {
              const result = await h.shares.offer(
                {
                  tenantId: TENANT,
                  sharer: { userId: ids[step.from]!, name: nameOf(step.from) },
                  reader: { aadObjectId: ids[step.to]!, name: nameOf(step.to) },
                  content: shareContent({ reflections: [sharedReflection({ plan: { commitment: wordsOf(step.from), followUps: [] } })] }),
                  days: step.days,
                },
                now,
              );
              if (step.from === step.to) assert.deepEqual(result, { ok: false, reason: "self" });
              else {
                assert.equal(result.ok, true);
                if (result.ok) shares.push({ id: result.share.id, sharer: step.from, reader: step.to, expiresAt: result.share.expiresAt, ended: false });
              }
              break;
            }
            case "open":
              // Checked with every other read below.
              break;
            case "withdraw": {
              const s = shares[step.share % Math.max(1, shares.length)];
              if (!s) break;
              const who = identity(step.who);
              const outcome = await h.shares.withdraw(who.tenantId, who.aadObjectId, s.id, now);
              if (step.who === s.sharer && !s.ended) {
                assert.equal(outcome, "withdrawn");
                s.ended = true;
              } else assert.notEqual(outcome, "withdrawn");
              break;
            }
            case "time":
              // Time passes; the job may not have run yet: a share past its expiry is unreadable all the same.
              now = new Date(now.getTime() + step.hours * 3_600_000);
              break;
            case "expire":
              await h.shares.expireDue(now);
              for (const s of shares) if (now.toISOString() >= s.expiresAt) s.ended = true;
              break;
            case "ask": {
              const s = shares[step.share % Math.max(1, shares.length)];
              if (!s) break;
              const outcome = await h.shares.askQuestions(identity(step.who), s.id, [questionOf(step.who)], now);
              if (outcome.ok) assert.equal(step.who === s.reader && live(s), true, "only the reader asks, while the share is live");
              break;
            }
            case "deliver":
              await h.delivery.tick();
              break;
            case "erase": {
              const who = step.who;
              await h.shares.eraseFor(TENANT, ids[who]!, now);
              for (const s of shares) if (s.sharer === who || s.reader === who) s.ended = true;
              // Nothing of the erased person is left in anyone else's data: name, questions, read log, content.
              const own = `${TENANT}|${ids[who]}`;
              const others = await Promise.all([
                h.store.containers.userData.items.query({ query: "SELECT * FROM c WHERE c.pk != @pk", parameters: [{ name: "@pk", value: own }] }).fetchAll(),
                h.store.containers.outbox.items.query({ query: "SELECT * FROM c WHERE c.ownerPk != @pk", parameters: [{ name: "@pk", value: own }] }).fetchAll(),
              ]);
              const left = JSON.stringify(others.flatMap((r) => r.resources));
              for (const trace of [nameOf(who), questionOf(who), wordsOf(who)]) assert.ok(!left.includes(trace), `${trace} is left after their erasure`);
              const readLogs = others[0].resources.filter((d: { type?: string; reader?: { aadObjectId?: string; tenantId?: string } }) => d.type === "share" && d.reader?.aadObjectId === ids[who] && d.reader?.tenantId === TENANT);
              assert.deepEqual(readLogs, [], "a share to the erased person is left in a sharer's log");
              break;
            }
          }
          // After every step: every person against every share, by id and in their list.
          for (const s of shares) {
            for (let p = 0; p < PEOPLE; p += 1) {
              const expected = p === s.reader && live(s);
              const opened = await h.shares.open(identity(p), s.id, now);
              assert.equal(opened !== undefined, expected, `person ${p} opening share of ${s.sharer} to ${s.reader} (ended: ${s.ended}) after ${JSON.stringify(step)}`);
              if (opened) assert.notEqual(opened.content, null);
            }
          }
          for (let p = 0; p < PEOPLE; p += 1) {
            const listed = (await h.shares.listForReader(identity(p), now)).map((s) => s.id).sort();
            assert.deepEqual(listed, shares.filter((s) => s.reader === p && live(s)).map((s) => s.id).sort(), `person ${p}'s list`);
          }
        }
        // Ended shares keep nothing readable in storage either: no content in the sharer's log.
        for (const i of [0, 1, 2]) for (const s of await h.shares.listForSharer(TENANT, ids[i]!)) if (s.state !== "active") assert.equal(s.content, null);
      }),
      {
        numRuns: 25,
        // Always tried: the reader erases after the share ended (their questions and read log sat in the sharer's log).
        examples: [
          [
            [
              { kind: "share", from: 0, to: 1, days: 2 },
              { kind: "open", who: 1, share: 0 },
              { kind: "ask", who: 1, share: 0 },
              { kind: "deliver" },
              { kind: "withdraw", who: 0, share: 0 },
              { kind: "erase", who: 1 },
            ],
          ],
        ],
      },
    );
  });
});
