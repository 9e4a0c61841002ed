// Indsigt's page script: served from our own server (the CSP allows no other, and nothing
// inline). Signing in is web/tab-signin.js's (loaded before this one): in Teams with Teams SSO
// and Teams' theme; opened directly (the local, app-id-less run) without a token. The numbers
// arrive as HTML the server rendered and escaped; this script only places them.
(function () {
  "use strict";
  var main = document.getElementById("tal");
  var form = document.querySelector("form.controls");
  var select = document.getElementById("kvartal");
  var csv = document.getElementById("csv");
  var failed = main.getAttribute("data-failed");
  var status = document.getElementById("status");
  // Teams' theme and SSO token (or neither, opened directly): web/tab-signin.js.
  var tab = window.tabSignIn.start();

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
    return tab.headers()
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
    if (!tab.framed) return;
    event.preventDefault();
    tab.headers()
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
