// Indsigt's page script: served from our own server (the CSP allows no other, and nothing
// inline). In Teams it signs in with Teams SSO (getAuthToken) and follows Teams' theme; opened
// directly (the local, app-id-less run) it fetches without a token. The numbers arrive as HTML
// the server rendered and escaped; this script only places them.
(function () {
  "use strict";
  var main = document.getElementById("tal");
  var form = document.querySelector("form.controls");
  var select = document.getElementById("kvartal");
  var csv = document.getElementById("csv");
  var failed = main.getAttribute("data-failed");
  var status = document.getElementById("status");
  var framed = window.parent !== window;

  function applyTheme(theme) {
    document.documentElement.setAttribute("data-theme", theme === "dark" || theme === "contrast" ? theme : "default");
  }

  var teams;
  // TeamsJS only inside Teams (framed): opened directly, the page asks nothing of anyone else.
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
          teams.app.registerOnThemeChangeHandler(applyTheme);
        })
    : Promise.resolve();

  function loadTeams() {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = "/indsigt/teams.js";
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

  function showFailure() {
    main.innerHTML = "";
    var p = document.createElement("p");
    p.className = "message";
    p.textContent = failed;
    main.appendChild(p);
    main.removeAttribute("aria-busy");
    status.textContent = failed;
  }

  function load(quarter) {
    main.setAttribute("aria-busy", "true");
    return authorization()
      .then(function (headers) {
        return fetch("/indsigt/tal?kvartal=" + encodeURIComponent(quarter), { headers: headers, credentials: "same-origin" });
      })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        main.innerHTML = html;
        main.setAttribute("data-quarter", quarter);
        csv.setAttribute("href", "/indsigt/tal.csv?kvartal=" + encodeURIComponent(quarter));
        main.removeAttribute("aria-busy");
        // One short sentence for a screen reader, not the whole page read out again.
        status.textContent = status.getAttribute("data-shown").replace("{quarter}", quarter);
      })
      .catch(showFailure);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load(select.value).then(function () {
      history.replaceState(null, "", "/indsigt?kvartal=" + encodeURIComponent(select.value));
      main.focus();
    });
  });

  // In Teams the CSV needs the token too: fetched, then saved from memory.
  csv.addEventListener("click", function (event) {
    if (!framed) return;
    event.preventDefault();
    authorization()
      .then(function (headers) {
        return fetch(csv.getAttribute("href"), { headers: headers, credentials: "same-origin" });
      })
      .then(function (response) {
        return response.blob();
      })
      .then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = "indsigt-" + select.value + ".csv";
        document.body.appendChild(link);
        link.click();
        link.remove();
      })
      .catch(showFailure);
  });

  document.getElementById("print").addEventListener("click", function () {
    window.print();
  });
  // On paper every data table shows, not only the ones opened on screen.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) {
      d.setAttribute("open", "");
    });
  });

  load(main.getAttribute("data-quarter"));
})();
