import type { Framework } from "../domain/framework";
import type { Logger } from "../kernel/log";
import { ErrorCodes } from "../kernel/errors";
import { texts } from "../kernel/texts";
import { insightFragment, insightMessage, insightShell } from "../cards/insightPage";
import { quarterBefore, quarterOf, QUARTERS_KEPT } from "../domain/insight/aggregate";
import type { BucketStore } from "../storage/insightBuckets";
import { insightCsv } from "../cards/insightCsv";
import { authenticateTab, type SigningKeys, type TabTokenSettings } from "../tabs/tabToken";

/** The app role that opens Indsigt (the manifest's app registration assigns it to HR). */
export const INSIGHT_ROLE = "Indsigt.Laes";
import { insightView } from "../domain/insight/insightView";

/** What the server sends: a status, a content type and a body. */
export interface PageAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly filename?: string;
}

export interface InsightPagesDeps {
  readonly framework: Framework;
  readonly buckets: Pick<BucketStore, "read">;
  /** INSIGHT_MIN_LEADERS. */
  readonly k: number;
  /**
   * Production: the token check (Teams SSO). Local (no app id): the page is open on loopback,
   * showing `localTenantId`'s numbers, with a banner saying so.
   */
  readonly access: { readonly kind: "entra"; readonly settings: TabTokenSettings; readonly keys: SigningKeys } | { readonly kind: "local"; readonly tenantId: string };
  readonly clock: () => Date;
  readonly log: Logger;
}

const HTML = "text/html; charset=utf-8";

/**
 * Indsigt's answers, independent of restify: the shell, the numbers of a quarter (as an HTML
 * fragment) and the same numbers as CSV. Each reads two buckets (the quarter and the one
 * before, for the change): two point reads, whatever the number of leaders.
 */
export class InsightPages {
  constructor(private readonly deps: InsightPagesDeps) {}

  get localMode(): boolean {
    return this.deps.access.kind === "local";
  }

  /** The quarters one can choose: the current and the seven before, newest first. */
  quarters(): string[] {
    const current = quarterOf(this.deps.clock().toISOString());
    return Array.from({ length: QUARTERS_KEPT }, (_, i) => quarterBefore(current, i));
  }

  shell(quarterParam: unknown): PageAnswer {
    const quarters = this.quarters();
    const quarter = typeof quarterParam === "string" && quarters.includes(quarterParam) ? quarterParam : quarters[0]!;
    return { status: 200, contentType: HTML, body: insightShell({ localMode: this.localMode, quarters, quarter }) };
  }

  async numbers(authorization: string | undefined, quarterParam: unknown, requestId: string): Promise<PageAnswer> {
    const decided = await this.decide(authorization, quarterParam, requestId);
    if ("answer" in decided) return decided.answer;
    this.deps.log.info({ reqId: requestId, quarter: decided.view.quarter, format: "html" }, "Indsigt's numbers served");
    return { status: 200, contentType: HTML, body: insightFragment(decided.view) };
  }

  async csv(authorization: string | undefined, quarterParam: unknown, requestId: string): Promise<PageAnswer> {
    const decided = await this.decide(authorization, quarterParam, requestId);
    if ("answer" in decided) return decided.answer;
    this.deps.log.info({ reqId: requestId, quarter: decided.view.quarter, format: "csv" }, "Indsigt's numbers served");
    return { status: 200, contentType: "text/csv; charset=utf-8", body: insightCsv(decided.view), filename: `indsigt-${decided.view.quarter}.csv` };
  }

  private async decide(authorization: string | undefined, quarterParam: unknown, requestId: string) {
    const message = (status: number, m: { title: string; text: string }) => ({ answer: { status, contentType: HTML, body: insightMessage(m) } as PageAnswer });
    let tenantId: string;
    if (this.deps.access.kind === "local") tenantId = this.deps.access.tenantId;
    else {
      const identity = await authenticateTab(authorization, this.deps.access.settings, this.deps.access.keys, this.deps.clock(), INSIGHT_ROLE);
      if (!identity.ok) {
        // The reason only (never the token or its claims): what an operator needs to help.
        this.deps.log.warn({ reqId: requestId, code: ErrorCodes.insightTokenRefused.code, status: identity.status, reason: identity.reason }, ErrorCodes.insightTokenRefused.description);
        return message(identity.status, identity.status === 403 ? texts.insightPage.denied : texts.insightPage.signIn);
      }
      tenantId = identity.tenantId;
    }
    const quarter = quarterParam === undefined || quarterParam === "" ? this.quarters()[0]! : quarterParam;
    if (typeof quarter !== "string" || !this.quarters().includes(quarter)) return message(400, texts.insightPage.badQuarter);
    try {
      const [current, previous] = await Promise.all([this.deps.buckets.read(tenantId, quarter), this.deps.buckets.read(tenantId, quarterBefore(quarter))]);
      return { view: insightView(this.deps.framework, quarter, current?.shown ?? {}, previous?.shown ?? {}, this.deps.k) };
    } catch (err) {
      this.deps.log.error({ reqId: requestId, code: ErrorCodes.insightPageFailed.code, err }, ErrorCodes.insightPageFailed.description);
      return message(503, texts.insightPage.failed);
    }
  }
}
