// Til min leder's page script: served from our own server (the CSP allows no other, and nothing
// inline). In Teams it signs in with Teams SSO (getAuthToken), follows Teams' theme and opens the
// share a notice's deep link names (the sub-entity id); opened directly (the local, app-id-less
// run) it fetches as the person its address names. The content arrives as HTML the server
// rendered and escaped; this script only places it, and sends the questions back.
(function () {
  "use strict";
  var main = document.getElementById("indhold");
  var status = document.getElementById("status");
  var failed = main.getAttribute("data-failed");
  var localUser = main.getAttribute("data-user");
  var framed = window.parent !== window;

  function applyTheme(theme) {
    document.documentElement.setAttribute("data-theme", theme === "dark" || theme === "contrast" ? theme : "default");
  }

  var teams;
  var subPage = "";
  var ready = framed
    ? loadTeams()
        .then(function () {
          teams = window.microsoftTeams;
          return teams.app.initialize();
        })
        .then(function () {
          return teams.app.getContext();
        })
        .then(function (context) {
          applyTheme(context.app.theme);
          subPage = (context.page && context.page.subPageId) || "";
          teams.app.registerOnThemeChangeHandler(applyTheme);
        })
    : Promise.resolve();

  function loadTeams() {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = "/til-min-leder/teams.js";
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function authorization() {
    if (!framed) return Promise.resolve({});
    return ready
      .then(function () {
        return teams.authentication.getAuthToken();
      })
      .then(function (token) {
        return { Authorization: "Bearer " + token };
      });
  }

  function withUser(path) {
    return localUser ? path + (path.indexOf("?") < 0 ? "?" : "&") + "som=" + encodeURIComponent(localUser) : path;
  }

  function place(html) {
    main.innerHTML = html;
    main.removeAttribute("aria-busy");
    var heading = main.querySelector("h2");
    status.textContent = heading ? heading.textContent : "";
  }

  function showFailure() {
    main.innerHTML = "";
    var p = document.createElement("p");
    p.className = "message";
    p.textContent = failed;
    main.appendChild(p);
    main.removeAttribute("aria-busy");
    status.textContent = failed;
  }

  function request(path, options) {
    main.setAttribute("aria-busy", "true");
    return authorization()
      .then(function (headers) {
        var init = { headers: headers, credentials: "same-origin" };
        if (options && options.body) {
          init.method = "POST";
          init.body = options.body;
          headers["Content-Type"] = "application/json";
        }
        return fetch(withUser(path), init);
      })
      .then(function (response) {
        return response.text();
      })
      .then(place)
      .catch(showFailure);
  }

  function showList() {
    return request("/til-min-leder/delt");
  }

  function showShare(id) {
    return request("/til-min-leder/delt/" + encodeURIComponent(id));
  }

  main.addEventListener("click", function (event) {
    var link = event.target.closest("a.share-link, a.back");
    if (!link) return;
    event.preventDefault();
    var id = link.getAttribute("data-share-id");
    (id ? showShare(id) : showList()).then(function () {
      main.focus();
    });
  });

  main.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "spoergsmaal") return;
    event.preventDefault();
    var questions = Array.prototype.map.call(form.querySelectorAll("textarea"), function (t) {
      return t.value;
    });
    request("/til-min-leder/delt/" + encodeURIComponent(form.getAttribute("data-share-id")) + "/spoergsmaal", { body: JSON.stringify({ questions: questions }) }).then(function () {
      var note = main.querySelector(".note");
      if (note) note.focus();
    });
  });

  ready
    .catch(function () {})
    .then(function () {
      var id = subPage || main.getAttribute("data-share");
      return id ? showShare(id) : showList();
    });
})();
