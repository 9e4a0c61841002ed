/** The personal tab where a reader reads what was shared with them: its entity id in the manifest and its path on this server. */
export const SHARE_TAB_ENTITY_ID = "til-min-leder";
export const SHARE_TAB_PATH = "/til-min-leder";

/**
 * The link the reader's notice opens. In Teams: a deep link to the app's personal tab, carrying
 * the share id as the sub-entity id (the page reads it from TeamsJS' context). Without an app id
 * (local runs): the page on this server, with the id in the query.
 */
export function shareTabLink(shareId: string, app: { readonly teamsAppId: string; readonly publicBaseUrl: string }): string {
  if (!app.teamsAppId) return `${app.publicBaseUrl}${SHARE_TAB_PATH}?share=${encodeURIComponent(shareId)}`;
  const context = encodeURIComponent(JSON.stringify({ subEntityId: shareId }));
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(app.teamsAppId)}/${SHARE_TAB_ENTITY_ID}?context=${context}`;
}
