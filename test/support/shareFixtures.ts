import assert from "node:assert/strict";
import path from "node:path";
import { loadFramework } from "../../src/content/loadContent";
import { asReflectionId, asTenantId, asUserId } from "../../src/domain/ids";
import { completeDraft, createDraft, LIMITS, recordAnswer, recordFocus, recordRatings, type Reflection } from "../../src/domain/reflection";
import type { TeamPulseRecord } from "../../src/domain/teamPulse";
import { projectRoot } from "../../src/kernel/paths";

/** A leader's stored data for Til min leder's tests: whole reflections and closed Vi-pulses, at any length. */

export const framework = loadFramework(path.join(projectRoot, "content", "ledelsesgrundlag.da.json"));
export const leader = { tenantId: asTenantId("tenant-a"), userId: asUserId("leader-a") };

/**
 * A completed reflection on a theme, every field written to `length` characters (notes, answers,
 * focus, the plan and its follow-ups) and every statement rated `rating`.
 */
export function storedReflection(args: { id: string; themeIndex?: number; completedAt: string; rating?: number | ((i: number) => number); length?: number; followUps?: number; roleId?: string; filler?: string }): Reflection {
  const now = new Date(args.completedAt);
  const theme = framework.themes[args.themeIndex ?? 0]!;
  const roleId = args.roleId ?? framework.individualRoles[0]!.id;
  const length = args.length ?? 20;
  // Emoji, Danish letters and Markdown (every special character is escaped, so the text grows on a card).
  const filler = args.filler ?? "æ😀 [x](y) *b*";
  const text = (mark: string, max: number) => `${mark} ${filler.repeat(Math.ceil(Math.min(length, max) / filler.length))}`.slice(0, Math.min(length, max));
  let draft = createDraft(framework, roleId as never, theme.id, args.id, now);
  const ratingOf = (i: number) => (typeof args.rating === "function" ? args.rating(i) : (args.rating ?? 3));
  const rated = recordRatings(draft, Object.fromEntries(draft.statements.flatMap((s, i) => [[`rating:${s.id}`, String(ratingOf(i))], [`note:${s.id}`, text("note", LIMITS.note)]])), now);
  assert.ok(rated.ok, JSON.stringify(rated));
  draft = rated.value;
  if (draft.step.kind === "focus") {
    const focused = recordFocus(draft, { focusDeeper: text("deeper", LIMITS.focusAnswer), focusStrength: text("strength", LIMITS.focusAnswer) }, now);
    assert.ok(focused.ok);
    draft = focused.value;
  }
  for (let i = 0; i < draft.questions.length; i += 1) {
    const answered = recordAnswer(draft, i, text("answer", LIMITS.answer), now);
    assert.ok(answered.ok);
    draft = answered.value;
  }
  const done = completeDraft(draft, leader, { commitment: text("plan", LIMITS.commitment), followUpDate: "" }, now);
  assert.ok(done.ok, JSON.stringify(done));
  const followUps = Array.from({ length: args.followUps ?? 1 }, (_, i) => ({ text: text(`followUp${i}`, LIMITS.followUp), at: new Date(now.getTime() + (i + 1) * 86_400_000).toISOString() }));
  return { ...done.value, id: asReflectionId(args.id), followUps };
}

/** A closed Vi-pulse of the leader's team on a theme: counts only, shown or below the threshold. */
export function closedPulse(args: { pulseId: string; themeIndex?: number; shown: boolean; closedAt?: string }): TeamPulseRecord {
  const theme = framework.themes[args.themeIndex ?? 0]!;
  const statements = framework.sharedRole ? framework.statements(theme.id, framework.sharedRole.id) : [];
  const closedAt = args.closedAt ?? "2026-11-08T09:00:00.000Z";
  return {
    pulseId: args.pulseId,
    groupId: "19:team",
    groupName: "Team",
    themeId: theme.id,
    openedAt: "2026-11-01T09:00:00.000Z",
    closesAt: closedAt,
    self: Object.fromEntries(statements.map((s) => [s.id, 4])),
    result: { closedAt, answered: args.shown ? 7 : 3, shown: args.shown, ...(args.shown ? { distributions: Object.fromEntries(statements.map((s) => [s.id, [0, 1, 2, 3, 1]])) } : {}) },
  };
}
