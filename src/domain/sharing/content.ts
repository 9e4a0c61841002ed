import type { Shown } from "../../kernel/shown";
import type { PlanOutcome } from "../reflection";

/**
 * Til min leder: what a leader chose to bring to their own leader, and the frozen copy of it that
 * the other leader reads.
 *
 * The copy is made when the leader presses send, from the leader's own stored data, and never
 * follows it afterwards: the preview showed exactly this, so this is exactly what is read. A
 * later reflection, an edited plan or an erased reflection does not change a share already
 * sent (erasure of the person ends the share itself).
 *
 * Texts keep their kind, as everywhere: the framework's words are `Shown` (the editors' Markdown),
 * the leader's own words are plain strings, escaped for each surface by the view that shows them
 * (an Adaptive Card for the preview, HTML for the reader's page).
 */

/** What the leader ticked on the card. Nothing is ticked by default: an empty selection shares nothing. */
export interface ShareSelection {
  /** The reflections chosen, by id, from the leader's own. */
  readonly reflectionIds: readonly string[];
  /** For the chosen reflections: everything (statements, notes, answers) or only the ratings. */
  readonly reflectionDetail: "whole" | "ratings";
  /** The focus of the chosen reflections and what the leader wrote to it. */
  readonly focus: boolean;
  /** The plan of the chosen reflections and how it went (the follow-ups). */
  readonly plan: boolean;
  /** The change per statement over a period (YYYY-MM-DD, both included), from all the leader's reflections in it. */
  readonly change?: { readonly from: string; readonly to: string };
  /** The leader's own Vi-pulse results (counts only, as the leader got them) beside their self-rating. */
  readonly pulse: boolean;
}

export interface SharedStatement {
  readonly text: Shown;
  readonly rating: number;
  readonly ratingLabel: Shown;
  /** The leader's note on the statement; only with reflectionDetail "whole". */
  readonly note?: string | null;
}

export interface SharedReflection {
  readonly themeTitle: Shown;
  readonly roleName: Shown;
  readonly completedAt: string;
  readonly short?: true;
  readonly statements: readonly SharedStatement[];
  /** The framework's questions and the leader's answers; only with reflectionDetail "whole". */
  readonly questions?: ReadonlyArray<{ readonly text: Shown; readonly answer: string | null }>;
  /** Only when the focus was ticked. */
  readonly focus?: {
    readonly deeper: { readonly statement: Shown; readonly prompt: Shown; readonly answer: string | null };
    readonly strength?: { readonly statement: Shown; readonly prompt: Shown; readonly answer: string | null };
  };
  /** Only when the plan was ticked. */
  readonly plan?: {
    readonly commitment: string | null;
    readonly followUps: ReadonlyArray<{ readonly text: string; readonly at: string; readonly outcome?: PlanOutcome }>;
  };
}

/** The change per statement between the first and the last reflection on its theme within the period. */
export interface SharedChange {
  readonly from: string;
  readonly to: string;
  readonly statements: ReadonlyArray<{ readonly themeTitle: Shown; readonly text: Shown; readonly first: number; readonly last: number; readonly reflections: number }>;
}

/** A closed Vi-pulse of the leader's own team beside the leader's own rating: averages of counts only, never an answer. */
export interface SharedPulse {
  readonly themeTitle: Shown;
  readonly closedAt: string;
  readonly answered: number;
  /** False when fewer than the anonymity threshold answered: then no team numbers are kept here either. */
  readonly shown: boolean;
  readonly statements: ReadonlyArray<{ readonly text: Shown; readonly team?: number; readonly self?: number }>;
}

/** The frozen copy the other leader reads. Its size is bounded by SHARE_LIMITS. */
export interface ShareContent {
  readonly version: 1;
  /** When the copy was made (the send). */
  readonly madeAt: string;
  readonly reflections: readonly SharedReflection[];
  readonly change?: SharedChange;
  readonly pulses?: readonly SharedPulse[];
}

/** The bounds of a share: what one share may carry, and for how long. */
export const SHARE_LIMITS = {
  /** Reflections one share may carry. */
  reflections: 12,
  /** Vi-pulses one share may carry. */
  pulses: 8,
  /** Days a share lasts unless the leader says otherwise, and the most it may. */
  defaultDays: 30,
  maxDays: 90,
  /** Questions the other leader may send back, and how long each may be (after cleaning). */
  questions: 5,
  questionLength: 500,
  /** The stored share document, content and questions included, in UTF-8 bytes (Cosmos takes 2 MB). */
  documentBytes: 256 * 1024,
} as const;
