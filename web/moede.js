// The leader group's meeting side panel: served from our own server (the CSP allows no other
// script, and nothing inline). Signing in is web/tab-signin.js's (loaded before this one): in
// Teams with Teams SSO and Teams' theme, and this page reads which chat it is in from Teams'
// context (only where to look: the server checks the roster). The meeting arrives as HTML the
// server rendered and escaped; this script places it, posts clicks, and asks again every few
// seconds with If-None-Match, which mostly answers 304 Not Modified.
(function () {
  "use strict";
  /** How often the panel asks whether anything changed: what "within a few seconds" means (docs/leader-groups.md). */
  var INTERVAL_MS = 5000;
  var main = document.getElementById("panel");
  var answer = document.getElementById("svar");
  var news = document.getElementById("nyt");
  var failed = main.getAttribute("data-failed");
  var params = new URLSearchParams(window.location.search);
  var chat = params.get("chat") || "";
  // Local runs only (no app id, loopback): who the panel is for, as the anonymous bot trusts its caller.
  var user = params.get("bruger") || "";
  var etag = "";

  // Teams' theme and SSO token (or neither, opened directly): web/tab-signin.js. In Teams the chat
  // is the one Teams' context names, rather than the address's.
  var tab = window.tabSignIn.start({
    onContext: function (context) {
      chat = (context.chat && context.chat.id) || (context.channel && context.channel.id) || chat;
    },
  });

  function query() {
    return "?chat=" + encodeURIComponent(chat) + (user ? "&bruger=" + encodeURIComponent(user) : "");
  }

  /** The element to focus again after its part was replaced: the same field or the same button. */
  function sameIn(part, element) {
    if (element.id) return part.querySelector("#" + CSS.escape(element.id));
    if (element.hasAttribute("data-status")) {
      return part.querySelector(
        'button[data-meeting="' + CSS.escape(element.getAttribute("data-meeting")) + '"][data-agreement="' + CSS.escape(element.getAttribute("data-agreement")) + '"][data-status="' + CSS.escape(element.getAttribute("data-status")) + '"]',
      );
    }
    return null;
  }

  /**
   * Places a fragment: parts are matched by their data-part, and only those that changed are
   * replaced (a part that comes or goes, such as the Vi-pulse, moves nothing else), so focus and
   * a screen reader's place stay where they were, and a form someone is filling in stays as they
   * typed it until the agreements are saved (by them or by someone else). When the focused
   * element itself is gone, the keyboard stays in the part that replaced it rather than falling
   * back to the top of the page. Returns the headings of the parts that changed.
   */
  function place(html) {
    var incoming = document.createElement("div");
    incoming.innerHTML = html;
    var fresh = Array.prototype.slice.call(incoming.children);
    var current = Array.prototype.slice.call(main.children);
    var keyed = function (element) {
      return element.getAttribute("data-part") !== null;
    };
    if (current.length === 0 || !fresh.every(keyed) || !current.every(keyed)) {
      main.replaceChildren.apply(main, fresh);
      return [];
    }
    var names = fresh.map(function (element) {
      return element.getAttribute("data-part");
    });
    var focused = document.activeElement;
    var changed = [];
    current.forEach(function (old) {
      if (names.indexOf(old.getAttribute("data-part")) >= 0) return;
      if (old.contains(focused)) main.focus();
      old.remove();
    });
    var previous = null;
    fresh.forEach(function (element) {
      var old = main.querySelector(':scope > [data-part="' + CSS.escape(element.getAttribute("data-part")) + '"]');
      if (old && (old.isEqualNode(element) || (old.getAttribute("data-part") === "agreements" && old.getAttribute("data-state") === "open" && element.getAttribute("data-state") === "open"))) {
        previous = old;
        return;
      }
      if (old) {
        var within = old.contains(focused) ? focused : null;
        old.replaceWith(element);
        var again = within && sameIn(element, within);
        if (again) again.focus();
        else if (within) {
          element.setAttribute("tabindex", "-1");
          element.focus();
        }
      } else if (previous) previous.after(element);
      else main.prepend(element);
      previous = element;
      var heading = element.querySelector("h1, h2") || (element.matches("h1, h2") ? element : null);
      if (heading && changed.indexOf(heading.textContent) < 0) changed.push(heading.textContent);
    });
    return changed;
  }

  /** Others' changes, said politely: which parts changed, never moving focus. */
  function announce(changed) {
    if (changed.length === 0) return;
    news.textContent = news.getAttribute("data-updated") + ": " + changed.join(", ") + ".";
  }

  function showFailure() {
    main.replaceChildren();
    var p = document.createElement("p");
    p.className = "message";
    p.textContent = failed;
    main.appendChild(p);
  }

  /**
   * Asks for the meeting; 304 (nothing changed) leaves the page as it is. `fromOthers`: a poll,
   * whose changes are someone else's and are announced; after one's own click the answer says it.
   */
  function refresh(fromOthers) {
    return tab.headers(etag ? { "If-None-Match": etag } : {})
      .then(function (h) {
        return fetch("/moede/panel" + query(), { headers: h, cache: "no-store", credentials: "same-origin" });
      })
      .then(function (response) {
        if (response.status === 304) return undefined;
        etag = response.ok ? response.headers.get("etag") || "" : "";
        return response.text().then(function (html) {
          var changed = place(html);
          if (fromOthers) announce(changed);
        });
      });
  }

  function post(path, body) {
    body.chat = chat;
    return tab.headers({ "Content-Type": "application/json" })
      .then(function (h) {
        return fetch(path + query(), { method: "POST", headers: h, body: JSON.stringify(body), cache: "no-store", credentials: "same-origin" });
      })
      .then(function (response) {
        return response.json().catch(function () {
          return { answer: failed };
        });
      })
      .then(function (result) {
        answer.textContent = result.answer || failed;
        // Also when nothing changed: "allerede gemt af …" says the agreements stand here, so they should.
        return refresh();
      })
      .catch(function () {
        answer.textContent = failed;
      });
  }

  main.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-status]");
    if (!button) return;
    post("/moede/status", {
      meetingId: button.getAttribute("data-meeting"),
      agreementId: button.getAttribute("data-agreement"),
      status: button.getAttribute("data-status"),
    });
  });

  main.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "aftaler") return;
    event.preventDefault();
    var body = { meetingId: form.getAttribute("data-meeting"), token: form.getAttribute("data-token") };
    new FormData(form).forEach(function (value, name) {
      body[name] = value;
    });
    post("/moede/aftaler", body).then(function () {
      // The form is gone once saved: the answer is where the keyboard goes next.
      if (!document.getElementById("aftaler")) answer.focus();
    });
  });

  // Not while the panel is hidden (another tab in Teams, a minimised window): no requests then.
  function poll() {
    window.setTimeout(function () {
      (document.hidden ? Promise.resolve() : refresh(true)).catch(function () {
        // A failed poll keeps what is shown; the next one tries again.
      }).then(poll);
    }, INTERVAL_MS);
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) refresh(true).catch(function () {});
  });

  refresh().catch(showFailure).then(poll);
})();
