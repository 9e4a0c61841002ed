import type { ShareService } from "../sharing/shareService";
import type { Framework } from "../domain/framework";
import { exportJson, exportMarkdown, type UserDataExport } from "../cards/exportDocument";
import { signExportToken, verifyExportToken, type ExportFormat } from "../domain/exportToken";
import { partitionKeyOf, type UserKey } from "../domain/identity";
import { describeRecurrence } from "../domain/recurrence";
import type { ScheduleStore } from "../nudges/scheduleStore";
import type { ExportLinkLedger } from "../storage/exportLinks";
import type { GroupContributions } from "../group/contributions";
import type { ReflectionRepository } from "../storage/reflections";
import type { SessionStore } from "../storage/userSessions";

import type { Download } from "../domain/download";

/**
 * "eksport": signed, single-use, 15-minute links to all of a user's data, served by the bot's
 * own server. The link carries who it is for; the server never takes a user id from a request.
 */
export class ExportService {
  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly sessions: SessionStore;
      readonly reflections: ReflectionRepository;
      readonly schedules: Pick<ScheduleStore, "forOwner">;
      readonly groups: Pick<GroupContributions, "collect">;
      readonly ledger: ExportLinkLedger;
      /** Til min leder: the shares the person made and those made to them. */
      readonly shares?: Pick<ShareService, "exportFor">;
      readonly signingKey: Buffer;
      readonly publicBaseUrl: string;
      readonly clock: () => Date;
    },
  ) {}

  linkFor(user: UserKey, format: ExportFormat): string {
    return `${this.deps.publicBaseUrl}/export/${signExportToken(user, format, this.deps.clock(), this.deps.signingKey)}`;
  }

  async collect(user: UserKey): Promise<UserDataExport> {
    const [{ session, eTag }, reflections, schedules, groupContributions, shares] = await Promise.all([
      this.deps.sessions.load(user),
      this.deps.reflections.listNewestFirst(user),
      this.deps.schedules.forOwner(partitionKeyOf(user)),
      this.deps.groups.collect(user.userId),
      this.deps.shares?.exportFor(user.tenantId, user.userId),
    ]);
    const exists = eTag !== undefined;
    return {
      exportedAt: this.deps.clock().toISOString(),
      frameworkTitle: this.deps.framework.title,
      frameworkInSentence: this.deps.framework.titleInSentence,
      roleName: exists && session.profile.roleId ? this.deps.framework.role(session.profile.roleId)?.name : undefined,
      profile: exists ? session.profile : undefined,
      draft: exists ? session.draft : undefined,
      reflections,
      // What and when, not the machinery (leases, outcomes).
      // Indsigt's pending changes are machinery too; the contribution itself is exported below.
      schedules: schedules.filter((s) => s.kind !== "insight-change").map((s) => ({
        kind: s.kind,
        active: s.active,
        nextRunAt: s.nextRunAt,
        ...(s.recurrence ? { recurrence: describeRecurrence(s.recurrence) } : {}),
      })),
      groupContributions,
      sharedPoints: exists ? (session.sharedPoints ?? []) : [],
      ...(exists && session.insight ? { insightContribution: session.insight } : {}),
      teamPulses: exists ? (session.teamPulses ?? []) : [],
      // Til min leder, the sharer's own side: a preview not yet sent, and which shares' questions they took along (ids only).
      ...(exists && (session.pendingLeaderShare || session.questionsTaken) ? { sharing: { ...(session.pendingLeaderShare ? { preview: session.pendingLeaderShare } : {}), questionsTaken: session.questionsTaken ?? [] } } : {}),
      ...(shares ? { shares } : {}),
    };
  }

  /**
   * Whether the link is genuine, unexpired and unused, without using it up: a link scanner's
   * GET must leave it working for the person (see the server's download page).
   */
  async isUsable(token: string): Promise<boolean> {
    const claims = verifyExportToken(token, this.deps.signingKey, this.deps.clock());
    return claims !== undefined && !(await this.deps.ledger.isUsed(claims.jti));
  }

  /** The download for a genuine, unexpired, unused token, using it up; undefined otherwise (the server says 404). */
  async download(token: string): Promise<Download | undefined> {
    const claims = verifyExportToken(token, this.deps.signingKey, this.deps.clock());
    if (!claims) return undefined;
    if (!(await this.deps.ledger.claim(claims.jti, new Date(claims.exp * 1000)))) return undefined;
    const data = await this.collect(claims);
    const day = data.exportedAt.slice(0, 10);
    return claims.format === "md"
      ? { contentType: "text/markdown; charset=utf-8", filename: `lederrefleksion-${day}.md`, body: exportMarkdown(data) }
      : { contentType: "application/json; charset=utf-8", filename: `lederrefleksion-${day}.json`, body: exportJson(data) };
  }
}
