// The side panel's configuration page: Teams shows it when the tab is added to a meeting, a chat
// or a channel. Nothing to choose: the tab always shows the meeting of the group that owns the
// chat, so Save is allowed at once and saves the panel's address.
(function () {
  "use strict";
  var text = document.getElementById("config-text");
  if (window.parent === window) {
    text.textContent = text.getAttribute("data-outside");
    return;
  }
  // TeamsJS, loaded and initialized by web/tab-signin.js (loaded before this one).
  window.tabSignIn.teams().then(function (teams) {
    teams.pages.config.registerOnSaveHandler(function (saveEvent) {
      var address = window.location.origin + "/moede";
      teams.pages.config
        .setConfig({ entityId: "ledergruppens-moede", contentUrl: address, websiteUrl: address, suggestedDisplayName: document.title })
        .then(function () {
          saveEvent.notifySuccess();
        })
        .catch(function (error) {
          saveEvent.notifyFailure(String(error));
        });
    });
    teams.pages.config.setValidityState(true);
  });
})();
