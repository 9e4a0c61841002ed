import { ConfigurationServiceClientCredentialFactory } from "botbuilder";
import type { BotCredentials } from "../kernel/config";
import type { GraphTokenProvider } from "../graph/graphClient";
import { AppError, ErrorCodes } from "../kernel/errors";

const GRAPH = "https://graph.microsoft.com";

/**
 * Microsoft Graph tokens with the bot's own identity (secret or managed identity), through the
 * same botbuilder credential factory that signs its replies; it caches and refreshes them.
 */
export function graphTokenProvider(credentials: BotCredentials): GraphTokenProvider {
  const factory = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: credentials.appId,
    MicrosoftAppPassword: credentials.appPassword,
    MicrosoftAppType: credentials.appType,
    MicrosoftAppTenantId: credentials.tenantId,
  });
  type TokenSource = { getToken?: (forceRefresh?: boolean) => Promise<string> } | undefined;
  let appCredentials: Promise<TokenSource> | undefined;
  return async () => {
    appCredentials ??= factory.createCredentials(credentials.appId, GRAPH, `https://login.microsoftonline.com/${credentials.tenantId || "botframework.com"}`, true) as Promise<TokenSource>;
    const current = await appCredentials;
    if (!current?.getToken) throw new AppError(ErrorCodes.graphTokenUnavailable);
    return current.getToken();
  };
}
