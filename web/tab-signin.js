// What every tab page does with Teams, in one place: served from our own server beside the pages
// (the CSP allows no other script, and nothing inline) and loaded before the page's own script
// (both `defer`, so in order). Framed in Teams, a page loads TeamsJS, follows Teams' theme and
// signs in with Teams SSO (getAuthToken); opened directly (the local, app-id-less run) it asks
// nothing of anyone else and fetches without a token.
// One global, `tabSignIn`; each page keeps only what is its own.
(function () {
  "use strict";
  // TeamsJS is served beside this script, under the same tab's path (/indsigt/teams.js, /moede/teams.js, …).
  // Read now: document.currentScript names this script only while it runs.
  var teamsAddress = document.currentScript.src.replace(/[^/]*$/, "teams.js");
  var framed = window.parent !== window;
  var initialized;

  function applyTheme(theme) {
    document.documentElement.setAttribute("data-theme", theme === "dark" || theme === "contrast" ? theme : "default");
  }

  function loadTeams() {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = teamsAddress;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  /** TeamsJS, loaded once and initialized: window.microsoftTeams. Only for a framed page. */
  function teams() {
    initialized =
      initialized ||
      loadTeams().then(function () {
        var sdk = window.microsoftTeams;
        return sdk.app.initialize().then(function () {
          return sdk;
        });
      });
    return initialized;
  }

  /**
   * Starts a tab page's sign-in. `options.onContext(context)`: the page's own reads of Teams'
   * context (a sub-page, a chat), run before `ready` resolves. Returns
   * - `framed`: whether Teams frames the page;
   * - `ready`: resolves once Teams is initialized, its theme followed and the context read (at
   *   once outside Teams); rejects when TeamsJS fails;
   * - `headers(extra)`: the request headers `extra` (or none), with `Authorization: Bearer <SSO
   *   token>` added in Teams; rejects when Teams gives no token, so the page shows its failure.
   */
  function start(options) {
    var onContext = (options && options.onContext) || function () {};
    var sdk;
    // TeamsJS only inside Teams (framed): opened directly, the page asks nothing of anyone else.
    var ready = framed
      ? teams()
          .then(function (initializedSdk) {
            sdk = initializedSdk;
            return sdk.app.getContext();
          })
          .then(function (context) {
            applyTheme(context.app.theme);
            sdk.app.registerOnThemeChangeHandler(applyTheme);
            onContext(context);
          })
      : Promise.resolve();

    function headers(extra) {
      var all = extra || {};
      if (!framed) return Promise.resolve(all);
      return ready
        .then(function () {
          return sdk.authentication.getAuthToken();
        })
        .then(function (token) {
          all.Authorization = "Bearer " + token;
          return all;
        });
    }

    return { framed: framed, ready: ready, headers: headers };
  }

  window.tabSignIn = { start: start, teams: teams };
})();
