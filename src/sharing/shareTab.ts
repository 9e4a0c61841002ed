/** The personal tab where a reader reads what was shared with them: its entity id in the manifest and its path on this server. */
export const SHARE_TAB_ENTITY_ID = "til-min-leder";
export const SHARE_TAB_PATH = "/til-min-leder";

/**
 * The link the reader's notice opens. In Teams: a deep link to the app's personal tab, carrying
 * the share id as the sub-entity id (the page reads it from TeamsJS' context). Without an app id
 * (local runs): the page on this server, with the id and the reader in the query.
 */
export function shareTabLink(share: { readonly id: string; readonly reader: { readonly aadObjectId: string } }, app: { readonly teamsAppId: string; readonly publicBaseUrl: string }): string {
  // Locally there is no sign-in: the page reads as the person its address names (loopback only).
  if (!app.teamsAppId) return `${app.publicBaseUrl}${SHARE_TAB_PATH}?share=${encodeURIComponent(share.id)}&som=${encodeURIComponent(share.reader.aadObjectId)}`;
  const context = encodeURIComponent(JSON.stringify({ subEntityId: share.id }));
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(app.teamsAppId)}/${SHARE_TAB_ENTITY_ID}?context=${context}`;
}
