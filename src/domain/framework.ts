import type { QuestionId, RoleId, StatementId, ThemeId } from "./ids";

/** Who a question is put to: the individual leader, or the leader group in its channel. */
export type Audience = "lederen" | "ledergruppen";
export const AUDIENCES: readonly Audience[] = ["lederen", "ledergruppen"];

export interface Role {
  readonly id: RoleId;
  readonly name: string;
  /** How it reads in a sentence: "leder af ledere" (the name is the column's heading, "Leder af leder"). */
  readonly inSentence: string;
  /** "shared" is the Fælles column everybody sees for context; "individual" roles reflect. */
  readonly kind: "shared" | "individual";
}

export interface Statement {
  readonly id: StatementId;
  readonly text: string;
}

export interface Question {
  readonly id: QuestionId;
  readonly text: string;
  readonly audience: Audience;
  /** True when the role has no questions of its own for this theme and gets the general ones. */
  readonly isFallback: boolean;
}

export interface Theme {
  readonly id: ThemeId;
  readonly title: string;
}

export interface RatingLevel {
  readonly value: number;
  readonly label: string;
}

/** The loaded, validated framework. Read-only: the same object serves every turn. */
export interface Framework {
  readonly title: string;
  /** The title inside a sentence, definite (»ledelsesgrundlaget«). */
  readonly titleInSentence: string;
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
  readonly ratingScale: { readonly question: string; readonly levels: readonly RatingLevel[] };
  /** How the summary invites the next step: as an if-then plan ("Hvis …, så vil jeg …"). */
  readonly nextStep: { readonly heading: string; readonly label: string; readonly placeholder: string };
  /** The follow-up prompts after the ratings; {statement} and {rating} are filled in. */
  readonly focusPrompts: { readonly heading: string; readonly deeper: string; readonly deeperAtLowest: string; readonly strength: string };

  theme(id: string): Theme | undefined;
  role(id: string): Role | undefined;
  statements(themeId: ThemeId, roleId: RoleId): readonly Statement[];
  /** The role's own questions for the theme, or the general fallback prompts when it has none. */
  questions(themeId: ThemeId, roleId: RoleId, audience: Audience): readonly Question[];
}
