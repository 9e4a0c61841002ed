import { meetingPanelConfig, meetingPanelFragment, meetingPanelMessage, meetingPanelShell } from "../cards/meetingPanelPage";
import { ErrorCodes } from "../kernel/errors";
import type { Logger } from "../kernel/log";
import { texts } from "../kernel/texts";
import { authenticateTab, type SigningKeys, type TabTokenSettings } from "../tabs/tabToken";
import type { PageAnswer } from "../insight/insightPages";
import type { Admitted, MeetingPanel, PanelCaller } from "./meetingPanel";

/** A page answer that may carry the panel's version (ETag). */
export interface PanelPageAnswer extends PageAnswer {
  readonly etag?: string;
}

export interface MeetingPanelPagesDeps {
  readonly panel: MeetingPanel;
  /**
   * Production: Teams SSO, checked as Indsigt's token is, with no app role (the group's roster
   * decides). Local (no app id, loopback only): the caller is the user the page names, in the
   * local tenant, as the anonymous bot trusts whoever calls it.
   */
  readonly access: { readonly kind: "entra"; readonly settings: TabTokenSettings; readonly keys: SigningKeys } | { readonly kind: "local"; readonly tenantId: string };
  readonly clock: () => Date;
  readonly log: Logger;
}

const HTML = "text/html; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";

/**
 * The side panel's answers, independent of restify: the shell, the configuration page, today's
 * meeting as an HTML fragment (304 when the caller's version is current), and the two writes.
 * Whoever may not see the group (no token, a token for another app or tenant, a chat id that is
 * not theirs, someone who left) gets one and the same answer: nothing, 404.
 */
export class MeetingPanelPages {
  constructor(private readonly deps: MeetingPanelPagesDeps) {}

  get localMode(): boolean {
    return this.deps.access.kind === "local";
  }

  shell(): PageAnswer {
    return { status: 200, contentType: HTML, body: meetingPanelShell({ localMode: this.localMode }) };
  }

  config(): PageAnswer {
    return { status: 200, contentType: HTML, body: meetingPanelConfig() };
  }

  /** Today's meeting; 304 without reading the meetings when `ifNoneMatch` is the current version. */
  async panel(authorization: string | undefined, query: { readonly chat?: string; readonly user?: string }, ifNoneMatch: string | undefined, requestId: string): Promise<PanelPageAnswer> {
    const admitted = await this.admit(authorization, query.chat, query.user, requestId);
    if (!admitted) return nothing();
    const etag = await this.deps.panel.tag(admitted);
    if (ifNoneMatch === etag) return { status: 304, contentType: HTML, body: "", etag };
    return { status: 200, contentType: HTML, body: meetingPanelFragment(await this.deps.panel.view(admitted)), etag };
  }

  /** A status button or "Gem aftalerne": the chat's decision and its answer, as JSON. */
  async write(what: "status" | "agreements", authorization: string | undefined, body: unknown, query: { readonly user?: string }, requestId: string): Promise<PageAnswer> {
    const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Readonly<Record<string, unknown>>) : {};
    const admitted = await this.admit(authorization, fields.chat, query.user, requestId);
    if (!admitted) return nothing();
    const { changed, answer } = what === "status" ? await this.deps.panel.setStatus(admitted, fields) : await this.deps.panel.saveAgreements(admitted, fields);
    this.deps.log.info({ reqId: requestId, what, changed, role: admitted.role }, "A write from the meeting's side panel");
    // A guest is answered as in the chat, with a refusal's status.
    return { status: admitted.role === "member" ? 200 : 403, contentType: JSON_TYPE, body: JSON.stringify({ changed, answer }) };
  }

  private async admit(authorization: string | undefined, chat: unknown, localUser: string | undefined, requestId: string): Promise<Admitted | undefined> {
    const caller = await this.caller(authorization, localUser, requestId);
    return caller && (await this.deps.panel.admit(caller, chat));
  }

  private async caller(authorization: string | undefined, localUser: string | undefined, requestId: string): Promise<PanelCaller | undefined> {
    const { access } = this.deps;
    if (access.kind === "local") return localUser ? { tenantId: access.tenantId, userId: localUser } : undefined;
    const identity = await authenticateTab(authorization, access.settings, access.keys, this.deps.clock());
    if (identity.ok) return { tenantId: identity.tenantId, userId: identity.userId };
    this.deps.log.info({ reqId: requestId, code: ErrorCodes.meetingPanelTokenRefused.code, reason: identity.reason }, "The meeting panel's token was refused");
    return undefined;
  }
}

/** The one answer for everyone who may not see a group's panel. */
function nothing(): PageAnswer {
  return { status: 404, contentType: HTML, body: meetingPanelMessage(texts.meetingPanel.nothing) };
}
