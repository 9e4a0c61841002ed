import type { TurnContext } from "botbuilder";
import { confirmCancelCard, resumeCard, roleChoiceCard, themeChoiceCard } from "../cards/reflectionCards";
import { themeChoices } from "../domain/themeSuggestion";
import { texts } from "../kernel/texts";
import { turnSession } from "./turnSession";
import { CardPrompt } from "./cardDialog";
import { DialogIds } from "./dialogIds";
import type { ReflectionServices } from "./services";
import { AppError, ErrorCodes } from "../kernel/errors";

/** The card prompts of the reflection flow, built once with the services they read. */
export function createPrompts(services: ReflectionServices): CardPrompt[] {
  const { framework, newToken } = services;
  const profileOf = (context: TurnContext) => turnSession(context).session.profile;

  const rolePrompt = new CardPrompt(
    DialogIds.rolePrompt,
    newToken,
    ["chooseRole"],
    (context, token, options) =>
      roleChoiceCard({
        token,
        roles: framework.individualRoles,
        currentRole: framework.role(profileOf(context).roleId ?? ""),
        welcome: options.welcome === true,
        insightConsent: services.insightConsent,
      }),
    (_context, submit) => (framework.individualRoles.some((r) => r.id === submit.roleId) ? undefined : texts.unknownRole),
  );

  const themePrompt = new CardPrompt(
    DialogIds.themePrompt,
    newToken,
    ["chooseTheme"],
    (context, token) => {
      const profile = profileOf(context);
      const role = framework.role(profile.roleId ?? "") ?? framework.individualRoles[0]!;
      return themeChoiceCard({ token, role, choices: themeChoices(framework.themes, profile.lastReflectedAt) });
    },
    (_context, submit) => (framework.theme(submit.themeId ?? "") ? undefined : texts.unknownTheme),
  );

  const resumePrompt = new CardPrompt(DialogIds.resumePrompt, newToken, ["resume", "restart"], (context, token) => {
    const draft = turnSession(context).session.draft;
    if (!draft) throw new AppError(ErrorCodes.invariantBroken, { detail: "resumePrompt shown without a draft" });
    return resumeCard({ token, draft });
  });

  const confirmCancelPrompt = new CardPrompt(
    DialogIds.confirmCancelPrompt,
    newToken,
    ["confirmCancel", "keepGoing"],
    (context, token) => {
      const draft = turnSession(context).session.draft;
      if (!draft) throw new AppError(ErrorCodes.invariantBroken, { detail: "confirmCancelPrompt shown without a draft" });
      return confirmCancelCard({ token, draft });
    },
  );

  return [rolePrompt, themePrompt, resumePrompt, confirmCancelPrompt];
}
