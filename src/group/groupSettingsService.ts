import { groupSettingsCard } from "../cards/groupCards";
import type { Framework, Theme } from "../domain/framework";
import { effectiveGroupSettings, themeFor, type GroupSettings } from "../domain/group/groupSettings";
import type { StoredConversation } from "../domain/conversation";
import type { GroupDocument } from "../domain/group/model";
import { groupPartition } from "../domain/group/partition";
import { nextOccurrence } from "../domain/recurrence";
import type { GroupDocuments } from "../storage/groupDocuments";
import { meetingRecurrence, type GroupSchedules } from "./groupSchedules";
import type { Shown } from "../kernel/shown";

/**
 * A leader group's settings: what applies now, the theme they give a meeting, the "opsæt" card,
 * and saving them together with the schedules they make.
 */
export class GroupSettingsService {
  constructor(
    private readonly deps: {
      readonly framework: Framework;
      readonly documents: GroupDocuments;
      readonly schedules: Pick<GroupSchedules, "plan" | "apply" | "nextDates">;
      readonly clock: () => Date;
    },
  ) {}

  /** The group's settings as they apply now: the stored ones (with a working zone), or the first-time defaults. */
  effective(document: GroupDocument | undefined, clientTimezone: unknown): GroupSettings {
    return effectiveGroupSettings(document?.settings, this.deps.framework, clientTimezone);
  }

  /** The theme of an occurrence (see themeFor in domain). */
  themeFor(settings: GroupSettings, at: Date, mode = settings.themeMode): Theme {
    return themeFor(this.deps.framework, settings, at, mode);
  }

  /** "spørgsmål [tema]": a theme named by number, id or words of its title; else the next meeting's. */
  pickTheme(settings: GroupSettings, spec: string): Theme {
    const themes = this.deps.framework.themes;
    const wanted = spec.trim().toLowerCase();
    if (wanted) {
      const byNumber = /^\d+$/.test(wanted) ? themes[Number(wanted) - 1] : undefined;
      const byWords = themes.find((t) => t.id === wanted || t.title.toLowerCase().includes(wanted));
      if (byNumber ?? byWords) return (byNumber ?? byWords)!;
    }
    const meetings = meetingRecurrence(settings);
    return this.themeFor(settings, meetings ? nextOccurrence(meetings, this.deps.clock()) : this.deps.clock());
  }

  /** The "opsæt" card for these settings, with the coming dates they make. */
  card(settings: GroupSettings, card: { token: string; eTag: string; stewardsText: Shown; chat: boolean; proposalText?: Shown }) {
    return groupSettingsCard(this.deps.framework, settings, { ...card, nextDates: this.deps.schedules.nextDates(settings) });
  }

  /**
   * Stores the settings (only if the document is still as `current` was read: a stale card must
   * not overwrite newer settings) and then the schedules they make. The schedules are computed
   * first, so settings that cannot be scheduled are never stored. Undefined when it was stale.
   */
  async save(
    current: GroupDocument | undefined,
    conversation: StoredConversation,
    settings: GroupSettings,
    changes: Pick<GroupDocument, "lastChange" | "stewards" | "settingsCardTokens">,
  ): Promise<GroupDocument | undefined> {
    const pk = groupPartition(conversation.conversationId);
    const plan = this.deps.schedules.plan(conversation, settings);
    const stored = await this.deps.documents.writeIfUnchanged(current, {
      // Stored as type "channel" with id "channel": the name groups had when the first ones were saved.
      ...(current ?? { id: "channel", pk, type: "channel" }),
      conversation,
      settings,
      ...changes,
    });
    if (!stored) return undefined;
    await this.deps.schedules.apply(pk, plan);
    return stored;
  }
}
