import { TeamsInfo, type TurnContext } from "botbuilder";
import type { GroupMember } from "../domain/group/model";
import type { Logger } from "../kernel/log";
import { AppError, ErrorCodes } from "../kernel/errors";

/**
 * A leader group is a handful of people, but a team channel's roster is the whole team's: it is
 * read page by page up to this many, which bounds the group's document (about 150 bytes each).
 * Beyond it the rest are left out, and the log says how many were read.
 */
export const MAX_ROSTER = 1000;
const PAGE_SIZE = 100;
const ROSTER_TIMEOUT_MS = 5_000;

/**
 * The group's members (TeamsInfo.getPagedMembers: the chat's, or a channel's team's), for the
 * invitations before a meeting. Undefined when Teams refuses or is slow; the last roster stays.
 */
export async function fetchRoster(context: TurnContext, log: Logger): Promise<GroupMember[] | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const pages = (async () => {
    const members: GroupMember[] = [];
    let continuation: string | undefined;
    do {
      const page = await TeamsInfo.getPagedMembers(context, PAGE_SIZE, continuation);
      for (const m of page.members ?? []) {
        const aadObjectId = typeof m.aadObjectId === "string" && /^[0-9a-f-]{36}$/i.test(m.aadObjectId) ? m.aadObjectId.toLowerCase() : undefined;
        if (aadObjectId && typeof m.id === "string" && m.id.length <= 1024) {
          members.push({ id: m.id, aadObjectId, name: typeof m.name === "string" ? m.name.slice(0, 200) : "", ...(m.userRole === "guest" ? { guest: true as const } : {}) });
        }
      }
      continuation = typeof page.continuationToken === "string" && page.continuationToken.length > 0 ? page.continuationToken : undefined;
    } while (continuation && members.length < MAX_ROSTER);
    if (continuation) log.warn({ read: members.length, max: MAX_ROSTER }, "The group's roster is longer than the bot keeps; the rest are left out");
    return members.slice(0, MAX_ROSTER);
  })();
  try {
    return await Promise.race([
      pages,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AppError(ErrorCodes.teamsTimedOut, { detail: `no roster within ${ROSTER_TIMEOUT_MS} ms` })), ROSTER_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    pages.catch(() => undefined);
    log.info({ err }, "No roster from Teams; the group keeps the one it had");
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
