/**
 * The agreements a group makes: reading them from the card, their changes (bounded, and at
 * a calm pace), and which of them a meeting follows up.
 */
import { cardTextInput, isCalendarDate } from "./cardInput";
import { withIndexes } from "./meetings";
import { type Agreement, AGREEMENT_LIMITS, AGREEMENT_STATUSES, type AgreementChange, type AgreementStatus, type GroupMeeting, type Person } from "./model";

/**
 * What an agreement remembers of its changes, and how fast it may change. Each change costs its
 * who, when and the old text (up to about 1 kB), so an agreement's history is bounded at `kept`
 * and a meeting's document at five agreements of that (under 20 kB; Cosmos' limit is 2 MB). At
 * most `kept` changes within `windowMs`: enough for a meeting setting things right, not for a
 * script.
 */
export const AGREEMENT_HISTORY = { kept: 5, windowMs: 10 * 60_000 } as const;

/** Every change an agreement has had, the let-go ones included: the edit card's version. */
export function changeCount(agreement: Agreement): number {
  return agreement.changes.length + (agreement.olderChanges ?? 0);
}

/** What a change to an agreement came to: the changed agreement, nothing to change, or refused and why. */
export type AgreementChangeOutcome =
  | { readonly kind: "changed"; readonly agreement: Agreement }
  | { readonly kind: "same" }
  | { readonly kind: "refused"; readonly why: "too-often" };

function withChange(agreement: Agreement, fields: Partial<Pick<Agreement, "text" | "responsible" | "status">>, change: AgreementChange, at: Date): AgreementChangeOutcome {
  const recent = agreement.changes.filter((c) => Date.parse(c.at) > at.getTime() - AGREEMENT_HISTORY.windowMs).length;
  if (recent >= AGREEMENT_HISTORY.kept) return { kind: "refused", why: "too-often" };
  const changes = [...agreement.changes, change];
  const letGo = Math.max(0, changes.length - AGREEMENT_HISTORY.kept);
  const olderChanges = (agreement.olderChanges ?? 0) + letGo;
  return { kind: "changed", agreement: { ...agreement, ...fields, changes: changes.slice(letGo), ...(olderChanges > 0 ? { olderChanges } : {}) } };
}

export type AgreementsProblem = "none" | "too-long" | "bad-date" | "no-responsible";

/**
 * The "Aftaler" card's rows as agreements: rows with no text are left out; a row with text
 * needs someone responsible; dates are YYYY-MM-DD. At most five.
 */
export function parseAgreements(
  inputs: Readonly<Record<string, unknown>>,
  by: Person,
  at: Date,
): { readonly ok: true; readonly agreements: Agreement[] } | { readonly ok: false; readonly problem: AgreementsProblem; readonly row?: number } {
  const agreements: Agreement[] = [];
  for (let row = 1; row <= AGREEMENT_LIMITS.count; row += 1) {
    const text = cardTextInput(inputs[`text${row}`]);
    const responsible = cardTextInput(inputs[`who${row}`]);
    const due = cardTextInput(inputs[`due${row}`]);
    if (text === null || responsible === null || due === null) return { ok: false, problem: "too-long", row };
    if (text === "") continue;
    if (text.length > AGREEMENT_LIMITS.text || responsible.length > AGREEMENT_LIMITS.responsible) return { ok: false, problem: "too-long", row };
    if (responsible === "") return { ok: false, problem: "no-responsible", row };
    if (due !== "" && !isCalendarDate(due)) return { ok: false, problem: "bad-date", row };
    agreements.push({ id: `a${row}`, text, responsible, ...(due ? { due } : {}), status: "notStarted", createdBy: by, createdAt: at.toISOString(), changes: [] });
  }
  return agreements.length > 0 ? { ok: true, agreements } : { ok: false, problem: "none" };
}

export function isAgreementStatus(value: unknown): value is AgreementStatus {
  return typeof value === "string" && (AGREEMENT_STATUSES as readonly string[]).includes(value);
}

/** A status change, recorded with who and when; "same" when the status is already that. */
export function withStatus(agreement: Agreement, status: AgreementStatus, by: Person, at: Date): AgreementChangeOutcome {
  if (agreement.status === status) return { kind: "same" };
  return withChange(agreement, { status }, { at: at.toISOString(), by, status }, at);
}

/** An edit of an agreement's text, responsible or date, keeping what it was before. */
export function withEdit(agreement: Agreement, edit: { text: string; responsible: string; due?: string }, by: Person, at: Date): AgreementChangeOutcome {
  if (agreement.text === edit.text && agreement.responsible === edit.responsible && (agreement.due ?? "") === (edit.due ?? "")) return { kind: "same" };
  const { due: _old, ...rest } = agreement;
  const before = { text: agreement.text, responsible: agreement.responsible, ...(agreement.due ? { due: agreement.due } : {}) };
  return withChange({ ...rest, ...(edit.due ? { due: edit.due } : {}) }, { text: edit.text, responsible: edit.responsible }, { at: at.toISOString(), by, before }, at);
}

/**
 * The agreements a meeting follows up, newest meeting first: those from earlier meetings that
 * were still open when it started. One marked done during the meeting stays on its card (with
 * who marked it), so a slip of the finger can be set right; the next meeting no longer lists it.
 */
export function openAgreements(meetings: readonly GroupMeeting[], meetingStart: Date): Array<{ meeting: GroupMeeting; agreement: Agreement }> {
  const from = meetingStart.getTime();
  const doneBefore = (a: Agreement) => a.status === "done" && !a.changes.some((c) => Date.parse(c.at) >= from);
  return meetings
    .filter((m) => Date.parse(m.start) < from)
    .sort((a, b) => b.start.localeCompare(a.start))
    .flatMap((meeting) => meeting.agreements.filter((a) => !doneBefore(a)).map((agreement) => ({ meeting, agreement })));
}

/** What a change to a meeting's agreements came to: the meeting to write, nothing to write, or refused and why. */
export type MeetingChange =
  | { readonly kind: "changed"; readonly meeting: GroupMeeting }
  | { readonly kind: "same" }
  | { readonly kind: "refused"; readonly why: "gone" | "stale" | "too-often" | "already-saved" | "token-used" | "invalid" };

/**
 * Saving the "Hvad aftalte I?" card: once per meeting, with the card's one-time token, and only
 * rows that parse. Refused as already saved before the token is looked at, so whoever comes
 * second learns who saved.
 */
export function saveChange(meeting: GroupMeeting, token: string, parsed: ReturnType<typeof parseAgreements>, by: Person, at: Date): MeetingChange {
  if (meeting.agreementsSavedAt) return { kind: "refused", why: "already-saved" };
  if (meeting.agreementsToken !== token) return { kind: "refused", why: "token-used" };
  if (!parsed.ok) return { kind: "refused", why: "invalid" };
  const { agreementsToken: _used, ...rest } = meeting;
  return { kind: "changed", meeting: withIndexes({ ...rest, agreements: parsed.agreements, agreementsSavedAt: at.toISOString(), agreementsSavedBy: by }) };
}

/** One agreement of a meeting changed by `change`, as a change of the meeting. */
function changeAgreement(meeting: GroupMeeting, agreementId: string, change: (agreement: Agreement) => AgreementChangeOutcome | "stale"): MeetingChange {
  const agreement = meeting.agreements.find((a) => a.id === agreementId);
  if (!agreement) return { kind: "refused", why: "gone" };
  const outcome = change(agreement);
  if (outcome === "stale") return { kind: "refused", why: "stale" };
  if (outcome.kind !== "changed") return outcome;
  return { kind: "changed", meeting: withIndexes({ ...meeting, agreements: meeting.agreements.map((a) => (a.id === agreementId ? outcome.agreement : a)) }) };
}

/** A status click on a meeting's agreement. */
export function statusChange(meeting: GroupMeeting, agreementId: string, status: AgreementStatus, by: Person, at: Date): MeetingChange {
  return changeAgreement(meeting, agreementId, (agreement) => withStatus(agreement, status, by, at));
}

/** An edit from the edit card, refused as stale when the agreement changed since the card showed version `version`. */
export function editChange(meeting: GroupMeeting, agreementId: string, version: number, edit: { text: string; responsible: string; due?: string }, by: Person, at: Date): MeetingChange {
  return changeAgreement(meeting, agreementId, (agreement) => (changeCount(agreement) !== version ? "stale" : withEdit(agreement, edit, by, at)));
}
