import assert from "node:assert/strict";
import { mySharesCard, shareChoiceCard, sharePreviewCards } from "../../src/cards/sharingCards";
import type { CardAttachment } from "../../src/cards/renderCard";
import { shownAsTyped as md } from "../../src/domain/cleanText";
import { TEAMS_MESSAGE_BUDGET_BYTES, TEXT_BUDGET_BYTES, utf16Bytes } from "../../src/domain/messageSize";
import { LIMITS } from "../../src/domain/reflection";
import { SHARE_LIMITS, type ShareContent } from "../../src/domain/sharing/content";
import { shareContentOf } from "../../src/domain/sharing/selection";
import type { Share } from "../../src/domain/sharing/share";
import { trusted } from "../../src/kernel/shown";
import { closedPulse, framework, storedReflection } from "../support/shareFixtures";

const zone = "Europe/Copenhagen";
const now = new Date("2026-12-07T10:00:00Z");

/** Every TextBlock's text and every button's title on the cards, in order. */
function textsOn(cards: readonly CardAttachment[]): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    if (n.type === "TextBlock" && typeof n.text === "string") out.push(n.text);
    if (typeof n.type === "string" && n.type.startsWith("Action.") && typeof n.title === "string") out.push(n.title);
    Object.values(n).forEach(walk);
  };
  cards.forEach((c) => walk(c.content));
  return out;
}

/** The largest copy a share accepts: as many whole reflections at their longest, with focus, plan and all, as fit SHARE_LIMITS. */
function largestCopy(filler?: string): ShareContent {
  const reflections = Array.from({ length: SHARE_LIMITS.reflections }, (_, i) =>
    storedReflection({ id: `max${i}`, themeIndex: i % 4, completedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(), length: LIMITS.answer, followUps: LIMITS.followUpsPerReflection, ...(filler ? { filler } : {}) }),
  ).reverse();
  const pulses = Array.from({ length: SHARE_LIMITS.pulses + 2 }, (_, i) => closedPulse({ pulseId: `p${i}`, themeIndex: i % 4, shown: i % 2 === 0 }));
  for (let count = SHARE_LIMITS.reflections; count > 0; count -= 1) {
    const made = shareContentOf(
      { reflectionIds: reflections.slice(0, count).map((r) => r.id), reflectionDetail: "whole", focus: true, plan: true, change: { from: "2026-01-01", to: "2026-12-07" }, pulse: true },
      { reflections, pulses },
      framework,
      now,
      zone,
    );
    if (made.ok) return made.value;
  }
  throw new Error("no copy fits a share");
}

describe("Til min leder: the sharer's cards", () => {
  for (const [label, filler] of [["Danish, emoji and Markdown", undefined], ["nothing but Markdown's special characters", "[*_]"]] as const) {
    it(`draws the largest copy a share accepts (${label}) as messages that each fit Teams' budget, leaving nothing out`, () => {
      const content = largestCopy(filler);
      const cards = sharePreviewCards({ content, readerName: "Birgitte Bonde", until: trusted("6.\u00a0januar 2027"), token: "tok" });
      assert.ok(cards.length > 1, "the largest copy takes more than one message");
      for (const card of cards) {
        assert.ok(utf16Bytes(card) <= TEXT_BUDGET_BYTES, `a part is ${utf16Bytes(card)} bytes`);
        assert.ok(utf16Bytes({ type: "message", attachments: [card] }) <= TEAMS_MESSAGE_BUDGET_BYTES);
      }
      const shown = textsOn(cards);
      for (const reflection of content.reflections) {
        for (const q of reflection.questions ?? []) assert.ok(shown.includes(md(q.answer!)), "every answer is shown whole");
        for (const s of reflection.statements) assert.ok(shown.includes(`Note: ${md(s.note!)}`), "every note is shown whole");
        for (const f of reflection.plan!.followUps) assert.ok(shown.includes(md(f.text)), "every follow-up shared is shown");
      }
      for (const s of content.change!.statements) assert.ok(shown.some((t) => t.includes(s.text)));
      assert.equal(shown.filter((t) => t.startsWith("Vi-puls: ")).length, content.pulses!.length);
    });
  }

  it("says on the last message only who will see it and until when, and only there offers »Send« and »Ret i det valgte«", () => {
    const cards = sharePreviewCards({ content: largestCopy(), readerName: "Birgitte *Bonde*", until: trusted("6.\u00a0januar 2027"), token: "tok" });
    const last = textsOn([cards.at(-1)!]);
    assert.ok(last.includes("Kun **Birgitte \\*Bonde\\*** kan se det – i appen, ikke her i chatten – og kun til og med 6.\u00a0januar 2027. Du kan trække det tilbage når som helst i **mine delinger**."));
    assert.ok(last.includes("Send til Birgitte *Bonde*") && last.includes("Ret i det valgte"));
    for (const card of cards.slice(0, -1)) assert.equal(JSON.stringify(card.content).includes("Action.Submit"), false);
    assert.equal(textsOn([cards[0]!])[0], "Sådan ser Birgitte \\*Bonde\\* det");
  });

  it("offers the choice with nothing ticked, the leader's newest reflections, and the manager filled in on Teams' people picker", () => {
    const reflections = Array.from({ length: 15 }, (_, i) => storedReflection({ id: `r${i}`, completedAt: new Date(Date.UTC(2026, 10, 20 - i)).toISOString() }));
    const card = shareChoiceCard({ reflections, closedPulses: 0, manager: { aadObjectId: "00000000-0000-4000-8000-000000000002", name: "Jonas Chef" }, today: "2026-12-07", yearAgo: "2025-12-07" }).content as unknown as { body: Array<Record<string, unknown>> };
    const input = (id: string) => card.body.flatMap((b) => [b, ...((b.columns as Array<{ items: Array<Record<string, unknown>> }> | undefined) ?? []).flatMap((c) => c.items)]).find((b) => b.id === id);
    assert.equal(input("reflectionIds")?.value, "");
    assert.equal((input("reflectionIds")?.choices as unknown[]).length, SHARE_LIMITS.reflections);
    assert.equal(input("detail")?.value, "");
    for (const toggle of ["focus", "plan", "change"]) assert.equal(input(toggle)?.value, "false", toggle);
    assert.equal(input("pulse"), undefined, "no Vi-pulse to offer, no toggle");
    assert.equal(input("days")?.value, 30);
    assert.equal(input("days")?.max, 90);
    const picker = input("reader")!;
    assert.deepEqual(picker["choices.data"], { type: "Data.Query", dataset: "graph.microsoft.com/users" });
    assert.deepEqual(picker.choices, [{ title: "Jonas Chef", value: "00000000-0000-4000-8000-000000000002" }]);
    assert.equal(picker.value, "00000000-0000-4000-8000-000000000002");
  });

  it("lists twenty shares with five questions each at their longest within Teams' budget, and counts the ones left out", () => {
    const question = "[?]*".repeat(SHARE_LIMITS.questionLength / 4);
    const shares: Share[] = Array.from({ length: 25 }, (_, i) => ({
      id: `share${String(i).padStart(17, "0")}`,
      tenantId: "t",
      sharer: { userId: "u", name: "Mette" },
      reader: { aadObjectId: "r", tenantId: "t", name: "Jonas Chef".repeat(20) },
      createdAt: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(),
      expiresAt: new Date(Date.UTC(2026, 11, 1 + i)).toISOString(),
      state: "active",
      opens: i,
      ...(i % 2 ? { firstOpenedAt: new Date(Date.UTC(2026, 10, 2 + i)).toISOString() } : {}),
      content: null,
      questions: Array.from({ length: SHARE_LIMITS.questions }, (_, q) => ({ text: `${q}${question}`, at: "2026-11-05T10:00:00.000Z" })),
    }));
    const card = mySharesCard({ shares, now, timezone: zone });
    assert.ok(utf16Bytes(card) <= TEXT_BUDGET_BYTES, `${utf16Bytes(card)} bytes`);
    assert.match(textsOn([card]).at(-1)!, /^Og \d+ ældre delinger, som ikke er plads til her\.$/);
  });
});
