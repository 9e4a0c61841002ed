/**
 * The catalogue of coded errors, after Agents-for-js's errorHelper: each has a stable code that a
 * leader can quote from the apology they see and an operator can search the logs for. Every error
 * src/ throws is an AppError with one of these entries (lint enforces it). Expected situations in
 * a conversation (bad input, stale cards) are not thrown: they get their own Danish answer.
 */
export interface ErrorDefinition {
  readonly code: string;
  /** For the operator (English, like the rest of the log). */
  readonly description: string;
}

export const ErrorCodes = {
  // Start-up: the process exits with code 2 and this line.
  configInvalid: { code: "LR-0001", description: "A setting is invalid; the process exits with code 2" },
  contentInvalid: { code: "LR-0002", description: "A content file (the framework, the closed days) cannot be served; the process exits with code 2" },
  cosmosResourceMissing: { code: "LR-0003", description: "A Cosmos database or container the app needs does not exist; the process exits with code 2" },
  // A turn.
  turnFailed: { code: "LR-1001", description: "Unhandled error in a turn" },
  activityFailed: { code: "LR-1002", description: "Could not process an activity around its turn" },
  dialogResetFailed: { code: "LR-1003", description: "Could not reset the dialog stack after an error" },
  apologyFailed: { code: "LR-1004", description: "Could not tell the user about an error" },
  invariantBroken: { code: "LR-1005", description: "A condition the code relies on did not hold (a bug; the detail says which)" },
  requestRefused: { code: "LR-1010", description: "/api/messages refused a request (status and reason in the same line)" },
  // The process.
  uncaughtException: { code: "LR-1101", description: "Uncaught exception; the process keeps serving" },
  unhandledRejection: { code: "LR-1102", description: "Unhandled promise rejection; the process keeps serving" },
  listenFailed: { code: "LR-1103", description: "The HTTP server could not listen (the port is taken, or not allowed); the process exits with code 1" },
  exportFailed: { code: "LR-1201", description: "Could not build an export" },
  erasureIncomplete: { code: "LR-1202", description: "Erasure could not change one group meeting now; the rest went ahead, and the user was told" },
  minutesFailed: { code: "LR-1203", description: "Could not build a leader group's minutes for download" },
  // Microsoft Graph and Teams' own APIs.
  graphFailed: { code: "LR-1301", description: "Microsoft Graph did not answer as expected" },
  graphTokenUnavailable: { code: "LR-1302", description: "The bot's credentials cannot issue tokens for Microsoft Graph" },
  outOfOfficeCheckFailed: { code: "LR-1303", description: "The out-of-office check failed; the reminder goes out as if the leader were in" },
  teamsTimedOut: { code: "LR-1304", description: "Teams did not answer in time (a roster or a meeting's details); the last known values stay" },
  // Storage.
  storageUnavailable: { code: "LR-1401", description: "Storage did not answer in time, or throttled; the user was asked to try again" },
  storageConflict: { code: "LR-1402", description: "A document was changed by another writer (eTag mismatch); the caller reads again and retries" },
  storageKeptChanging: { code: "LR-1403", description: "A document kept changing under repeated conditional writes; gave up" },
  storageInconsistent: { code: "LR-1404", description: "A document or batch was not as it was read a moment before" },
  // Schedules and delivery.
  noNextOccurrence: { code: "LR-1501", description: "A recurrence has no next occurrence" },
  sendFailed: { code: "LR-1601", description: "The Bot Connector refused or failed a send" },
  messageTooLarge: { code: "LR-1602", description: "A message was over Teams' size budget and was replaced by a short note (a handler should have split it)" },
  sendRefused: { code: "LR-1603", description: "Teams refused a proactive message for good (403 or 404: the bot was removed, or the conversation or post is gone); it is not retried and not counted as sent" },
  sendThrottled: { code: "LR-1604", description: "Teams throttled a proactive message (429): the tenant's sends pause for its Retry-After and slow down, and the message is retried" },
  // Indsigt.
  documentTooLarge: { code: "LR-1701", description: "A document would pass its stated maximum size; it was not written (the detail says which)" },
  insightChangeInvalid: { code: "LR-1702", description: "A stored change to Indsigt's counts was not one the app writes; it was dropped, not applied" },
  insightPageFailed: { code: "LR-1703", description: "Indsigt's page could not be built; the reader got a calm page" },
  insightTokenRefused: { code: "LR-1704", description: "Indsigt refused a sign-in token (401) or a reader without the role (403); the reason is in the same line" },
  // Til min leder.
  shareCardNotUpdated: { code: "LR-1801", description: "A Til min leder card (a notice, the questions) could not be re-drawn in Teams after the share ended; the share itself ended" },
  shareTokenRefused: { code: "LR-1802", description: "Til min leder's tab refused a sign-in token (401); the reason is in the same line" },
  sharePageFailed: { code: "LR-1803", description: "Til min leder's page could not be built; the reader got a calm page" },
  // The leader group's meeting side panel.
  meetingPanelFailed: { code: "LR-1901", description: "The meeting's side panel could not be built or a write from it failed; the member got a calm message" },
  meetingPanelTokenRefused: { code: "LR-1902", description: "The meeting's side panel refused a sign-in token; the caller got the same 404 as anyone not in the group, and the reason is in this line" },
} as const satisfies Record<string, ErrorDefinition>;


/** An unexpected failure with its catalogue entry; `cause` keeps the original for the log. */
export class AppError extends Error {
  readonly code: string;
  constructor(
    readonly definition: ErrorDefinition,
    options?: { cause?: unknown; detail?: string; /** Replaces "description: detail" where a subclass words its own. */ message?: string },
  ) {
    super(options?.message ?? (options?.detail ? `${definition.description}: ${options.detail}` : definition.description), { cause: options?.cause });
    this.name = "AppError";
    this.code = definition.code;
  }
}

/** The catalogue code for any thrown value: its own when it has one, else the given default. */
export function errorCodeOf(error: unknown, fallback: ErrorDefinition): string {
  return error instanceof AppError ? error.code : fallback.code;
}
