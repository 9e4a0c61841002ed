import type { UserKey } from "../domain/identity";
import type { UserSession } from "../domain/session";
import type { TeamPulseRecord } from "../domain/teamPulse";
import { updateWithRetry } from "../storage/conditionalWrites";
import { ETagConflictError } from "../storage/cosmosErrors";
import type { LoadedSession, SessionStore } from "../storage/userSessions";

/** How many of a leader's team pulses their own record keeps. */
const TEAM_PULSES_KEPT = 12;

/**
 * A leader's own record of the team pulses they asked for (their session's `teamPulses`): kept
 * when they ask, their own rating when they answer, the team's counts when it closes. Written
 * with their session's eTag: their own turn may save the session at the same moment.
 */
export class TeamPulseRecords {
  constructor(private readonly sessions: Pick<SessionStore, "load" | "save">) {}

  /** Keeps a new team pulse in the leader's record (the newest TEAM_PULSES_KEPT). */
  async remember(user: UserKey, record: TeamPulseRecord): Promise<void> {
    await this.change(user, (pulses) => [...pulses.filter((p) => p.pulseId !== record.pulseId), record].slice(-TEAM_PULSES_KEPT));
  }

  /** Changes one pulse of the record; the record and the session as written (undefined when the leader has no record: they erased their data). */
  async update(user: UserKey, pulseId: string, change: (record: TeamPulseRecord) => TeamPulseRecord): Promise<{ record: TeamPulseRecord | undefined; session: UserSession | undefined }> {
    const session = await this.change(user, (all) => all.map((p) => (p.pulseId === pulseId ? change(p) : p)));
    return { record: session?.teamPulses?.find((p) => p.pulseId === pulseId), session };
  }

  /** The leader's own rating of a pulse they asked for, if they gave one. */
  async selfRating(user: UserKey, pulseId: string): Promise<Readonly<Record<string, number>> | undefined> {
    const { session } = await this.sessions.load(user);
    return session.teamPulses?.find((p) => p.pulseId === pulseId)?.self;
  }

  private async change(user: UserKey, change: (pulses: readonly TeamPulseRecord[]) => TeamPulseRecord[]): Promise<UserSession | undefined> {
    const { stored, changed } = await updateWithRetry<LoadedSession>(
      "A leader's team pulses",
      () => this.sessions.load(user),
      // Nothing is kept for someone with no record (they erased their data meanwhile).
      (loaded) => (loaded?.eTag === undefined ? undefined : { ...loaded, session: { ...loaded.session, teamPulses: change(loaded.session.teamPulses ?? []) } }),
      async (loaded, next) => {
        try {
          return { session: next.session, eTag: await this.sessions.save(user, next.session, loaded?.eTag) };
        } catch (error) {
          // Their own turn saved first: read again and apply the change to what it wrote.
          if (error instanceof ETagConflictError) return undefined;
          throw error;
        }
      },
    );
    return changed ? stored?.session : undefined;
  }
}
