import { TeamsInfo, type TurnContext } from "botbuilder";
import type { MeetingDetails } from "../group/groupCommands";
import type { Logger } from "../kernel/log";
import { AppError, ErrorCodes } from "../kernel/errors";

/** Teams answers meeting details in well under a second; a turn must not wait on it for long. */
const DETAILS_TIMEOUT_MS = 5_000;

/**
 * The meeting's scheduled details (TeamsInfo.getMeetingInfo, which needs the app's
 * OnlineMeeting.ReadBasic.Chat or ChannelMeeting.ReadBasic.Group permission). Undefined when
 * the conversation is no meeting, when Teams refuses or is slow: "opsæt" then asks instead of
 * proposing.
 */
export async function fetchMeetingDetails(context: TurnContext, log: Logger): Promise<MeetingDetails | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const info = await Promise.race([
      TeamsInfo.getMeetingInfo(context),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AppError(ErrorCodes.teamsTimedOut, { detail: `no meeting details within ${DETAILS_TIMEOUT_MS} ms` })), DETAILS_TIMEOUT_MS);
      }),
    ]);
    const details = info?.details as { title?: unknown; type?: unknown; scheduledStartTime?: unknown; scheduledEndTime?: unknown } | undefined;
    const text = (v: unknown) => (typeof v === "string" && v.length <= 1024 ? v : v instanceof Date && Number.isFinite(v.getTime()) ? v.toISOString() : undefined);
    if (!details) return undefined;
    const found: MeetingDetails = {
      ...(text(details.title) ? { title: text(details.title)! } : {}),
      ...(text(details.type) ? { type: text(details.type)! } : {}),
      ...(text(details.scheduledStartTime) ? { scheduledStart: text(details.scheduledStartTime)! } : {}),
      ...(text(details.scheduledEndTime) ? { scheduledEnd: text(details.scheduledEndTime)! } : {}),
    };
    return found;
  } catch (err) {
    log.info({ err }, "No meeting details from Teams; opsæt asks for the time instead");
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
