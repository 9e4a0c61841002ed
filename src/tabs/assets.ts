import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../kernel/paths";

/**
 * The tabs' own files, served from this server (no third-party script): each page's stylesheet and
 * script, the sign-in every page shares, and Microsoft's TeamsJS library from our own
 * node_modules (bundled locally, as Teams' tab requirements allow; no CDN). Every tab serves them
 * all under its own path. Read once, on first use.
 */
const once = (file: string) => {
  let body: string | undefined;
  return () => (body ??= fs.readFileSync(file, "utf8"));
};

export const TAB_ASSETS: Readonly<Record<string, { readonly contentType: string; readonly body: () => string }>> = {
  // The themes and base every tab links before its own stylesheet.
  "tab-theme.css": { contentType: "text/css; charset=utf-8", body: once(path.join(projectRoot, "web", "tab-theme.css")) },
  // Every tab's Teams sign-in (TeamsJS, theme, SSO token), loaded before the page's own script.
  "tab-signin.js": { contentType: "text/javascript; charset=utf-8", body: once(path.join(projectRoot, "web", "tab-signin.js")) },
  "indsigt.css": { contentType: "text/css; charset=utf-8", body: once(path.join(projectRoot, "web", "indsigt.css")) },
  "indsigt.js": { contentType: "text/javascript; charset=utf-8", body: once(path.join(projectRoot, "web", "indsigt.js")) },
  // Til min leder's page builds on Indsigt's stylesheet (themes, tables, focus) with a few rules of its own.
  "til-min-leder.css": { contentType: "text/css; charset=utf-8", body: once(path.join(projectRoot, "web", "til-min-leder.css")) },
  "til-min-leder.js": { contentType: "text/javascript; charset=utf-8", body: once(path.join(projectRoot, "web", "til-min-leder.js")) },
  "moede.css": { contentType: "text/css; charset=utf-8", body: once(path.join(projectRoot, "web", "moede.css")) },
  "moede.js": { contentType: "text/javascript; charset=utf-8", body: once(path.join(projectRoot, "web", "moede.js")) },
  "moede-opsaet.js": { contentType: "text/javascript; charset=utf-8", body: once(path.join(projectRoot, "web", "moede-opsaet.js")) },
  // The UMD build defines window.microsoftTeams; the source map comment is dropped (we serve no map).
  "teams.js": {
    contentType: "text/javascript; charset=utf-8",
    body: (() => {
      const read = once(require.resolve("@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js"));
      return () => read().replace(/\/\/# sourceMappingURL=\S+\s*$/, "");
    })(),
  },
};
