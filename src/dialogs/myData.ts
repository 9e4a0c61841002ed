import type { TurnContext } from "botbuilder";
import {
  confirmDeleteCard,
  exportCard,
  historyCard,
  progressCard,
  receiptCard,
  reflectionDetailCard,
} from "../cards/views";
import type { Framework } from "../content/framework";
import type { CardSubmit } from "../domain/cardSubmit";
import type { Command } from "../domain/commands";
import { asReflectionId } from "../domain/ids";
import { progressByTheme, suggestedFocus } from "../domain/progress";
import { followUpNote } from "../domain/reflection";
import type { ExportService } from "../privacy/exportService";
import { MAX_CONTINUATION_LENGTH, type ReflectionRepository } from "../storage/reflections";
import type { UserDataStore } from "../storage/userData";
import { texts } from "../texts";
import { turnSession } from "../bot/turnSession";
import { replaceSubmittedCard } from "./cardDialog";

export interface MyDataServices {
  readonly framework: Framework;
  readonly reflections: ReflectionRepository;
  readonly userData: UserDataStore;
  readonly exports: ExportService;
  readonly clock: () => Date;
  readonly newToken: () => string;
}

const HISTORY_PAGE_SIZE = 5;
const DELETE_CONFIRMATION_MINUTES = 15;

/**
 * The leader's own data: history, progress, export and deletion. These work at any moment,
 * also in the middle of a reflection, without touching the dialog stack.
 */
export class MyData {
  constructor(private readonly services: MyDataServices) {}

  /** Handles the turn if it is one of ours; false leaves it to the dialogs. */
  async tryHandle(context: TurnContext, command: Command | undefined, submit: CardSubmit | undefined): Promise<boolean> {
    switch (submit?.verb ?? command?.kind) {
      case "history":
        await this.showHistory(context, undefined);
        return true;
      case "moreHistory": {
        // Cosmos' continuation token rides on the card; any string is harmless (see showHistory).
        const continuation = submit?.inputs.continuation;
        await this.showHistory(context, typeof continuation === "string" && continuation !== "" ? continuation : undefined);
        return true;
      }
      case "openReflection":
        await this.openReflection(context, submit?.reflectionId);
        return true;
      case "addFollowUp":
        await this.addFollowUp(context, submit);
        return true;
      case "progress":
        await this.showProgress(context);
        return true;
      case "export":
        await this.offerExport(context);
        return true;
      case "deleteData":
        await this.askToDelete(context);
        return true;
      case "confirmDeleteData":
        await this.deleteEverything(context, submit?.token);
        return true;
      case "keepData":
        await this.keepData(context, submit?.token);
        return true;
      default:
        return false;
    }
  }

  private async showHistory(context: TurnContext, continuation: string | undefined): Promise<void> {
    const { user } = turnSession(context);
    if (continuation !== undefined && continuation.length > MAX_CONTINUATION_LENGTH) {
      await context.sendActivity(texts.historyExpired);
      return;
    }
    let page;
    try {
      page = await this.services.reflections.listPage(user, HISTORY_PAGE_SIZE, continuation);
    } catch (error) {
      // A token Cosmos does not accept (old, or edited): the query is partition-scoped, so all
      // a bad token can do is fail here.
      if (continuation === undefined) throw error;
      await context.sendActivity(texts.historyExpired);
      return;
    }
    await context.sendActivity({
      attachments: [historyCard({ reflections: page.reflections, more: page.continuationToken, continued: continuation !== undefined })],
    });
  }

  private async openReflection(context: TurnContext, id: string | undefined): Promise<void> {
    const reflection = id ? await this.services.reflections.get(turnSession(context).user, asReflectionId(id)) : undefined;
    if (!reflection) {
      await context.sendActivity(texts.reflectionNotFound);
      return;
    }
    await context.sendActivity({ attachments: [reflectionDetailCard(reflection)] });
  }

  private async addFollowUp(context: TurnContext, submit: CardSubmit | undefined): Promise<void> {
    const { user } = turnSession(context);
    const reflection = submit?.reflectionId ? await this.services.reflections.get(user, asReflectionId(submit.reflectionId)) : undefined;
    if (!reflection) {
      await context.sendActivity(texts.reflectionNotFound);
      return;
    }
    const note = followUpNote(reflection, submit?.inputs.followUp, this.services.clock());
    if (!note.ok) {
      await context.sendActivity(texts.invalidInput(note.error));
      return;
    }
    const updated = await this.services.reflections.addFollowUp(user, reflection.id, note.value);
    if (!updated) {
      await context.sendActivity(texts.reflectionNotFound);
      return;
    }
    // The card shows the note now; a second click on the old copy is then plainly a new note.
    await replaceSubmittedCard(context, reflectionDetailCard(updated));
    await context.sendActivity(texts.followUpSaved);
  }

  private async showProgress(context: TurnContext): Promise<void> {
    const { framework } = this.services;
    const reflections = await this.services.reflections.listNewestFirst(turnSession(context).user);
    await context.sendActivity({
      attachments: [
        progressCard({
          progress: progressByTheme(reflections, framework.themes),
          focus: suggestedFocus(reflections),
          scaleMax: Math.max(...framework.ratingScale.levels.map((l) => l.value)),
        }),
      ],
    });
  }

  private async offerExport(context: TurnContext): Promise<void> {
    const { user } = turnSession(context);
    const data = await this.services.exports.collect(user);
    await context.sendActivity({
      attachments: [
        exportCard({
          summary: texts.exportSummary(data.reflections.length, data.draft !== undefined),
          markdownUrl: this.services.exports.linkFor(user, "md"),
          jsonUrl: this.services.exports.linkFor(user, "json"),
        }),
      ],
    });
  }

  private async askToDelete(context: TurnContext): Promise<void> {
    const { user, session } = turnSession(context);
    const counts = await this.services.userData.countByType(user);
    const reflections = counts.reflection ?? 0;
    const roleName = session.profile.roleId ? this.services.framework.role(session.profile.roleId)?.name : undefined;
    if (reflections === 0 && !counts.session && !session.profile.roleId) {
      await context.sendActivity(texts.nothingToDelete);
      return;
    }
    const token = this.services.newToken();
    session.pendingDeletion = {
      token,
      expiresAt: new Date(this.services.clock().getTime() + DELETE_CONFIRMATION_MINUTES * 60_000).toISOString(),
    };
    await context.sendActivity({
      attachments: [
        confirmDeleteCard({
          token,
          facts: [
            { title: "Profil", value: roleName ? `din rolle (${roleName}) og dine valg` : "dine valg" },
            { title: "Refleksioner", value: reflections === 1 ? "1 refleksion med svar og opfølgninger" : `${reflections} refleksioner med svar og opfølgninger` },
            { title: "Udkast", value: session.draft ? `1 ufærdig refleksion (${session.draft.themeTitle})` : "ingen" },
            { title: "Samtaletilstand", value: "hvor du er i en samtale med mig" },
            { title: "Påmindelser", value: "alle dine påmindelser og deres historik" },
          ],
        }),
      ],
    });
  }

  private async deleteEverything(context: TurnContext, token: string | undefined): Promise<void> {
    const turn = turnSession(context);
    if (!this.pendingDeletionMatches(context, token)) {
      await context.sendActivity(texts.alreadyAnswered);
      return;
    }
    const counts = await this.services.userData.deleteAll(turn.user);
    turn.discarded = true;
    const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    const parts = [
      count(counts.byType.reflection ?? 0, "refleksion", "refleksioner"),
      count(counts.byType.schedule ?? 0, "planlagt påmindelse", "planlagte påmindelser"),
      ...(counts.byType.outbox ? [count(counts.byType.outbox, "besked i kø", "beskeder i kø")] : []),
    ].join(", ") + " samt din profil, dit udkast og din samtaletilstand";
    await replaceSubmittedCard(context, receiptCard({ title: "Dine data er slettet" }));
    await context.sendActivity(texts.deleted(parts));
  }

  private async keepData(context: TurnContext, token: string | undefined): Promise<void> {
    if (!this.pendingDeletionMatches(context, token)) {
      await context.sendActivity(texts.alreadyAnswered);
      return;
    }
    delete turnSession(context).session.pendingDeletion;
    await replaceSubmittedCard(context, receiptCard({ title: texts.deletionKept }));
  }

  private pendingDeletionMatches(context: TurnContext, token: string | undefined): boolean {
    const pending = turnSession(context).session.pendingDeletion;
    return pending !== undefined && token === pending.token && pending.expiresAt > this.services.clock().toISOString();
  }
}
