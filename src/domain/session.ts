import type { RoleId } from "./ids";
import type { ReflectionDraft } from "./reflection";

export interface UserProfile {
  roleId?: RoleId;
  welcomedAt?: string;
  /** Theme id → ISO time of the last completed reflection on it; drives the theme suggestion. */
  lastReflectedAt: Record<string, string>;
  /** IANA zone from Teams' `localTimezone`, for the nudges. */
  timezone?: string;
}

/**
 * Everything a personal-chat turn needs, in one document in the user's partition: read once at
 * the start of a turn and written once at the end, with the eTag it was read with. The draft
 * lives beside the dialog stack, not in it, so clearing a broken dialog never loses answers.
 */
export interface UserSession {
  profile: UserProfile;
  draft?: ReflectionDraft;
  /** One-time token of the "slet mine data" confirmation card now showing, if any. */
  pendingDeletion?: { token: string; expiresAt: string };
  /** botbuilder-dialogs' stack; opaque here. */
  dialogState?: Record<string, unknown>;
}

export function emptySession(): UserSession {
  return { profile: { lastReflectedAt: {} } };
}
