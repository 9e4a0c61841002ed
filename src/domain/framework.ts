import type { Shown } from "../kernel/shown";
import type { QuestionId, RoleId, StatementId, ThemeId } from "./ids";

/** Who a question is put to: the individual leader, or the leader group in its channel. */
export type Audience = "lederen" | "ledergruppen";
export const AUDIENCES: readonly Audience[] = ["lederen", "ledergruppen"];

/**
 * The framework's texts are `Shown` (kernel/shown.ts): the municipality's editors wrote them for
 * these surfaces, and the loader is the one place that vouches for them.
 */
export interface Role {
  readonly id: RoleId;
  readonly name: Shown;
  /** How it reads in a sentence: "leder af ledere" (the name is the column's heading, "Leder af leder"). */
  readonly inSentence: Shown;
  /** "shared" is the Fælles column everybody sees for context; "individual" roles reflect. */
  readonly kind: "shared" | "individual";
}

export interface Statement {
  readonly id: StatementId;
  readonly text: Shown;
}

export interface Question {
  readonly id: QuestionId;
  readonly text: Shown;
  readonly audience: Audience;
  /** True when the role has no questions of its own for this theme and gets the general ones. */
  readonly isFallback: boolean;
}

export interface Theme {
  readonly id: ThemeId;
  readonly title: Shown;
}

export interface RatingLevel {
  readonly value: number;
  readonly label: Shown;
}

/** The loaded, validated framework. Read-only: the same object serves every turn. */
export interface Framework {
  readonly title: Shown;
  /** The title inside a sentence, definite (»ledelsesgrundlaget«). */
  readonly titleInSentence: Shown;
  readonly language: string;
  /** Set by the editors of the file. */
  readonly version: string;
  /** First 12 hex characters of the file's SHA-256: changes whenever a byte changes. */
  readonly hash: string;
  /** `version#hash`, stored with every reflection. */
  readonly contentVersion: string;
  readonly roles: readonly Role[];
  /** The roles a user can choose (all but the shared column). */
  readonly individualRoles: readonly Role[];
  readonly sharedRole: Role | undefined;
  readonly themes: readonly Theme[];
  readonly ratingScale: { readonly question: Shown; readonly levels: readonly RatingLevel[] };
  /** How the summary invites the next step: as an if-then plan ("Hvis …, så vil jeg …"). */
  readonly nextStep: { readonly heading: Shown; readonly label: Shown; readonly placeholder: Shown };
  /** The follow-up prompts after the ratings; {statement} and {rating} are filled in. */
  readonly focusPrompts: { readonly heading: Shown; readonly deeper: Shown; readonly deeperAtLowest: Shown; readonly strength: Shown };

  theme(id: string): Theme | undefined;
  role(id: string): Role | undefined;
  statements(themeId: ThemeId, roleId: RoleId): readonly Statement[];
  /** The role's own questions for the theme, or the general fallback prompts when it has none. */
  questions(themeId: ThemeId, roleId: RoleId, audience: Audience): readonly Question[];
}
