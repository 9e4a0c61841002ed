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
  var script = document.createElement("script");
  script.src = "/moede/teams.js";
  script.onload = function () {
    var teams = window.microsoftTeams;
    teams.app.initialize().then(function () {
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
  };
  document.head.appendChild(script);
})();
