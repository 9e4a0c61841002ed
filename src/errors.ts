/**
 * The catalogue of unexpected failures, after Agents-for-js's errorHelper: each has a stable
 * code that a leader can quote from the apology they see and an operator can search the logs
 * for. Expected situations (bad input, stale cards) are not errors and are not listed here;
 * they get their own Danish answer.
 */
export interface ErrorDefinition {
  readonly code: string;
  /** For the operator (English, like the rest of the log). */
  readonly description: string;
}

export const ErrorCodes = {
  turnFailed: { code: "LR-1001", description: "Unhandled error in a turn" },
  activityFailed: { code: "LR-1002", description: "Could not process an activity around its turn" },
  dialogResetFailed: { code: "LR-1003", description: "Could not reset the dialog stack after an error" },
  apologyFailed: { code: "LR-1004", description: "Could not tell the user about an error" },
  uncaughtException: { code: "LR-1101", description: "Uncaught exception; the process keeps serving" },
  unhandledRejection: { code: "LR-1102", description: "Unhandled promise rejection; the process keeps serving" },
  exportFailed: { code: "LR-1201", description: "Could not build an export" },
  graphFailed: { code: "LR-1301", description: "Microsoft Graph did not answer as expected" },
  storageUnavailable: { code: "LR-1401", description: "Storage did not answer in time, or throttled; the user was asked to try again" },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorName = keyof typeof ErrorCodes;

/** An unexpected failure with its catalogue entry; `cause` keeps the original for the log. */
export class AppError extends Error {
  readonly code: string;
  constructor(
    readonly definition: ErrorDefinition,
    options?: { cause?: unknown; detail?: string },
  ) {
    super(options?.detail ? `${definition.description}: ${options.detail}` : definition.description, { cause: options?.cause });
    this.name = "AppError";
    this.code = definition.code;
  }
}

/** The catalogue code for any thrown value: its own when it has one, else the given default. */
export function errorCodeOf(error: unknown, fallback: ErrorDefinition): string {
  return error instanceof AppError ? error.code : fallback.code;
}
