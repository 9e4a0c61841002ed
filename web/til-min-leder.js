// Til min leder's page script: served from our own server (the CSP allows no other, and nothing
// inline). Signing in is web/tab-signin.js's (loaded before this one): in Teams with Teams SSO
// and Teams' theme, and this page opens the share a notice's deep link names (the sub-entity
// id); opened directly (the local, app-id-less run) it fetches as the person its address names.
// The content arrives as HTML the server rendered and escaped; this script only places it, and
// sends the questions back.
(function () {
  "use strict";
  var main = document.getElementById("indhold");
  var status = document.getElementById("status");
  var failed = main.getAttribute("data-failed");
  var localUser = main.getAttribute("data-user");
  var subPage = "";
  // Teams' theme and SSO token (or neither, opened directly): web/tab-signin.js. The sub-page is
  // the share a notice's deep link names.
  var tab = window.tabSignIn.start({
    onContext: function (context) {
      subPage = (context.page && context.page.subPageId) || "";
    },
  });

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
    return tab.headers()
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

  tab.ready
    .catch(function () {})
    .then(function () {
      var id = subPage || main.getAttribute("data-share");
      return id ? showShare(id) : showList();
    });
})();
