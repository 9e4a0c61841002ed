import type { UserKey } from "../domain/identity";
import type { GraphClient } from "./graphClient";

/** Whether a leader is away (their automatic replies are on) at a moment. */
export interface AbsenceCheck {
  isAway(user: UserKey, at: Date): Promise<boolean>;
}

interface AutomaticReplies {
  readonly status?: "disabled" | "alwaysEnabled" | "scheduled";
  readonly scheduledStartDateTime?: { readonly dateTime?: string; readonly timeZone?: string };
  readonly scheduledEndDateTime?: { readonly dateTime?: string; readonly timeZone?: string };
}

/**
 * Out of office through Microsoft Graph (application permission MailboxSettings.Read, granted by
 * a tenant admin; off unless OUT_OF_OFFICE_CHECK=true). Reads only the automatic-replies status
 * and window, never the message.
 */
export class GraphOutOfOffice implements AbsenceCheck {
  constructor(private readonly graph: GraphClient) {}

  async isAway(user: UserKey, at: Date): Promise<boolean> {
    const replies = await this.graph.get<AutomaticReplies>(`/users/${encodeURIComponent(user.userId)}/mailboxSettings/automaticRepliesSetting`);
    if (replies.status === "alwaysEnabled") return true;
    if (replies.status !== "scheduled") return false;
    const start = utc(replies.scheduledStartDateTime);
    const end = utc(replies.scheduledEndDateTime);
    return start !== undefined && end !== undefined && at >= start && at < end;
  }
}

/** Graph returns these windows in UTC when asked without a Prefer header. */
function utc(value: { readonly dateTime?: string; readonly timeZone?: string } | undefined): Date | undefined {
  if (!value?.dateTime || (value.timeZone && value.timeZone !== "UTC")) return undefined;
  const parsed = new Date(/Z$|[+-]\d\d:\d\d$/.test(value.dateTime) ? value.dateTime : `${value.dateTime}Z`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
