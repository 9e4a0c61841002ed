import type { PageAnswer } from "../insight/insightPages";
import { shareFragment, shareListFragment, shareMessage, shareShell } from "../cards/sharePage";
import type { ReaderIdentity } from "../domain/sharing/share";
import { ErrorCodes } from "../kernel/errors";
import type { Logger } from "../kernel/log";
import { texts } from "../kernel/texts";
import { authenticateTab, type SigningKeys, type TabTokenSettings } from "../tabs/tabToken";
import type { ShareService } from "./shareService";

export interface SharePagesDeps {
  readonly shares: Pick<ShareService, "listForReader" | "open" | "askQuestions">;
  /**
   * Production: Teams SSO (any signed-in person; what they may read is theirs alone). Local (no
   * app id): open on loopback, reading as the person the page names (`?som=`), in the local tenant.
   */
  readonly access: { readonly kind: "entra"; readonly settings: TabTokenSettings; readonly keys: SigningKeys } | { readonly kind: "local"; readonly tenantId: string };
  readonly clock: () => Date;
  readonly log: Logger;
}

const HTML = "text/html; charset=utf-8";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The reader's tab, independent of restify. Access is checked at every request: the token's
 * tenant and object id must be the share's reader, and the share must be live. A share that is
 * not the signed-in person's, ended, or never existed, and a token that does not pass, all get
 * one and the same answer (NOT_FOUND), so nothing tells whether a share exists.
 */
export class SharePages {
  constructor(private readonly deps: SharePagesDeps) {}

  get localMode(): boolean {
    return this.deps.access.kind === "local";
  }

  shell(shareParam: unknown, localUserParam: unknown): PageAnswer {
    const shareId = typeof shareParam === "string" && shareParam.length <= 64 ? shareParam : "";
    const localUser = this.localMode && typeof localUserParam === "string" && GUID.test(localUserParam) ? localUserParam : "";
    return { status: 200, contentType: HTML, body: shareShell({ localMode: this.localMode, shareId, localUser }) };
  }

  /** The shares the signed-in person can read now. */
  async list(authorization: string | undefined, localUser: unknown, requestId: string): Promise<PageAnswer> {
    const identity = await this.identify(authorization, localUser, requestId);
    if (!identity) return { status: 401, contentType: HTML, body: shareMessage(texts.shareReaderPage.signIn) };
    return this.guarded(requestId, async () => ({ status: 200, contentType: HTML, body: shareListFragment(await this.deps.shares.listForReader(identity, this.deps.clock())) }));
  }

  /** One share, for its reader: it counts as opened. */
  async one(authorization: string | undefined, localUser: unknown, shareId: string, requestId: string): Promise<PageAnswer> {
    const identity = await this.identify(authorization, localUser, requestId);
    if (!identity) return NOT_FOUND;
    return this.guarded(requestId, async () => {
      const share = await this.deps.shares.open(identity, shareId, this.deps.clock());
      if (!share) return NOT_FOUND;
      this.deps.log.info({ reqId: requestId, shareId: share.id }, "Til min leder: a share was read");
      return { status: 200, contentType: HTML, body: shareFragment(share) };
    });
  }

  /** Questions back: the share again, with what happened to them. */
  async ask(authorization: string | undefined, localUser: unknown, shareId: string, body: unknown, requestId: string): Promise<PageAnswer> {
    const identity = await this.identify(authorization, localUser, requestId);
    if (!identity) return NOT_FOUND;
    const questions = (body as { questions?: unknown } | undefined)?.questions;
    const asked = Array.isArray(questions) ? questions : [];
    return this.guarded(requestId, async () => {
      const now = this.deps.clock();
      const outcome = await this.deps.shares.askQuestions(identity, shareId, asked, now);
      if (!outcome.ok && outcome.reason === "notFound") return NOT_FOUND;
      const refused = outcome.ok ? undefined : outcome.reason === "notFound" ? undefined : outcome.reason;
      // The share as it is now, questions included; sending a form is not another opening.
      const share = (await this.deps.shares.listForReader(identity, now)).find((s) => s.id === shareId);
      if (!share) return NOT_FOUND;
      const t = texts.shareReaderPage;
      const note = refused ? { kind: "error" as const, text: t.refused[refused] } : { kind: "sent" as const, text: t.sent };
      return { status: outcome.ok ? 200 : 422, contentType: HTML, body: shareFragment(share, note) };
    });
  }

  private async identify(authorization: string | undefined, localUser: unknown, requestId: string): Promise<ReaderIdentity | undefined> {
    const access = this.deps.access;
    if (access.kind === "local") return typeof localUser === "string" && GUID.test(localUser) ? { tenantId: access.tenantId, aadObjectId: localUser.toLowerCase() } : undefined;
    const identity = await authenticateTab(authorization, access.settings, access.keys, this.deps.clock());
    if (identity.ok) return { tenantId: identity.tenantId, aadObjectId: identity.userId };
    // The reason only (never the token or its claims): what an operator needs to help.
    this.deps.log.warn({ reqId: requestId, code: ErrorCodes.shareTokenRefused.code, reason: identity.reason }, ErrorCodes.shareTokenRefused.description);
    return undefined;
  }

  private async guarded(requestId: string, run: () => Promise<PageAnswer>): Promise<PageAnswer> {
    try {
      return await run();
    } catch (err) {
      this.deps.log.error({ reqId: requestId, code: ErrorCodes.sharePageFailed.code, err }, ErrorCodes.sharePageFailed.description);
      return { status: 503, contentType: HTML, body: shareMessage(texts.shareReaderPage.failed) };
    }
  }
}

/** The one answer for everything a person may not read, whatever the reason. */
const NOT_FOUND: PageAnswer = { status: 404, contentType: HTML, body: shareMessage(texts.shareReaderPage.notFound) };
