import type { Shown } from "./shown";

/**
 * What was wrong with what a leader typed or ticked, as data. The rules that find it live in
 * domain/, the calm Danish that says it lives in texts; this shared shape sits below both, so
 * the sentences never import the rules.
 */
export type InputProblem =
  | { readonly code: "missing-rating"; readonly statement: Shown }
  | { readonly code: "invalid-rating"; readonly statement: Shown }
  | { readonly code: "unknown-statement"; readonly field: string }
  | { readonly code: "too-long"; readonly field: "answer" | "note" | "commitment" | "followUp"; readonly max: number }
  | { readonly code: "empty" }
  | { readonly code: "note-without-statement" }
  | { readonly code: "too-many-follow-ups"; readonly max: number }
  | { readonly code: "not-text"; readonly field: string }
  | { readonly code: "invalid-date" }
  | { readonly code: "date-out-of-range" }
  | { readonly code: "wrong-step" };
