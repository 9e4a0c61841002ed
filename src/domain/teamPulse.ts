/**
 * A Vi-pulse the leader asked their team for, kept in their own partition: their own rating of
 * the statements (never counted with the team's), and the team's result once it closed, as
 * counts only. The next reflection on the theme opens with both.
 */
export interface TeamPulseRecord {
  readonly pulseId: string;
  readonly groupId: string;
  readonly groupName: string;
  readonly themeId: string;
  readonly themeTitle?: string;
  readonly openedAt: string;
  readonly closesAt: string;
  /** The leader's own rating (1–5, 0 for "Ved ikke") per statement. */
  readonly self?: Readonly<Record<string, number>>;
  readonly result?: {
    readonly closedAt: string;
    readonly answered: number;
    readonly shown: boolean;
    /** Per statement shown: how many gave 1–5. */
    readonly distributions?: Readonly<Record<string, readonly number[]>>;
  };
}
