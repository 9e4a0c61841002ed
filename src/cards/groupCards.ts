import type { Framework, Theme } from "../domain/framework";
import {
  CADENCES,
  DEFAULT_INVITE_HOURS,
  INVITE_HOURS,
  LEAD_HOURS,
  MEETING_DURATIONS,
  MEETING_TIMES,
  meetingMinutesOf,
  WEEKS_OF_MONTH,
  type GroupSettings,
} from "../domain/group/groupSettings";
import { REMINDER_TIMES } from "../domain/time";
import { asRoleId } from "../domain/ids";
import { shownAsTyped as md } from "../domain/cleanText";
import { texts } from "../kernel/texts";
import { EMPTY, shown, type Shown } from "../kernel/shown";
import { renderCard, type CardAttachment } from "./renderCard";

/**
 * The cards of a leadership channel or group chat outside its meetings: the "opsæt" card, the
 * questions before a meeting, "Ugens tema", and "status". Values in, attachments out.
 */

export function groupSettingsCard(
  framework: Framework,
  settings: GroupSettings,
  card: { token: string; eTag: string; stewardsText: Shown; chat: boolean; proposalText?: Shown; nextDates: readonly Shown[] },
): CardAttachment {
  return renderCard("channel-settings", {
    ...settings,
    meetingMinutes: String(meetingMinutesOf(settings)),
    inviteHours: String(settings.inviteHours ?? DEFAULT_INVITE_HOURS),
    inviteTimes: INVITE_HOURS.map((h) => ({ title: texts.group.invite(h), value: String(h) })),
    proposalText: card.proposalText ?? EMPTY,
    meetingTimes: MEETING_TIMES,
    durations: MEETING_DURATIONS.map((m) => ({ title: texts.group.duration(m), value: String(m) })),
    token: card.token,
    settingsETag: card.eTag,
    chat: card.chat,
    stewardsText: card.stewardsText,
    themeIntro: texts.group.themeIntro(framework.themes.length),
    groupRole: settings.roleId,
    themeWeekday: String(settings.themeWeekday),
    meetingWeekday: String(settings.meetingWeekday),
    meetingWeekOfMonth: String(settings.meetingWeekOfMonth),
    leadHours: String(settings.leadHours),
    roles: framework.individualRoles.map((r) => ({ id: r.id, name: r.name })),
    frequencies: CADENCES.map((value) => ({ value, title: texts.group.cadence[value] })),
    weekdays: texts.group.workdays.map((title, i) => ({ title, value: String(i + 1) })),
    weeksOfMonth: WEEKS_OF_MONTH.map((value) => ({ title: texts.group.weekOfMonth[value], value })),
    times: REMINDER_TIMES,
    leadTimes: LEAD_HOURS.map((h) => ({ title: texts.group.leadTime(h), value: String(h) })),
    themeModes: [
      { title: texts.rotateThemes(framework.themes.length), value: "rotate" },
      ...framework.themes.map((t) => ({ title: texts.alwaysTheme(t.title), value: t.id })),
    ],
    nextDates: [...card.nextDates],
  });
}

/** A theme's "Spørgsmål til ledergruppen" for the group's level. */
export function groupQuestionsCard(framework: Framework, settings: GroupSettings, theme: Theme, heading: Shown): CardAttachment {
  const questions = framework.questions(theme.id, asRoleId(settings.roleId), "ledergruppen");
  return renderCard("group-questions", { heading, themeTitle: theme.title, questions: questions.map((q, i) => ({ number: shown`${i + 1}`, text: q.text })) });
}

/** "Ugens tema": the theme's statements for the group's level. */
export function weeklyThemeCard(framework: Framework, settings: GroupSettings, theme: Theme): CardAttachment {
  const role = framework.role(settings.roleId);
  return renderCard("weekly-theme", {
    themeTitle: theme.title,
    roleHeading: texts.group.statementsFor(role?.name),
    statements: framework.statements(theme.id, asRoleId(settings.roleId)).map((s) => ({ text: s.text })),
  });
}

export interface GroupStatus {
  readonly next: ReadonlyArray<{ readonly what: Shown; readonly when: Shown }>;
  readonly recent: ReadonlyArray<{ readonly when: Shown; readonly outcome: Shown }>;
  /** Who last changed the settings (their name as Teams showed it then), and when. */
  readonly changedBy?: { readonly name: string; readonly when: Shown };
}

export function groupStatusCard(status: GroupStatus): CardAttachment {
  const { changedBy, ...rest } = status;
  return renderCard("channel-status", { ...rest, changedText: changedBy ? texts.settingsChangedBy(md(changedBy.name), changedBy.when) : EMPTY });
}
