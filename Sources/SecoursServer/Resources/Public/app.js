// The page knows JavaScript runs: the style sheet may then fold the menu behind its button.
document.documentElement.classList.add("js");

// The texts this script writes, in the page's language: the page carries them on <body>
// (data-text-copied, data-text-live-on…), since the script cannot read the catalogue.
function pageText(name) { return (document.body && document.body.dataset[name]) || ""; }

// A text with {1}, {2}… replaced by the values, in order.
function fillText(text, values) {
  return text.replace(/\{(\d+)\}/g, function (all, n) { return n >= 1 && n <= values.length ? String(values[n - 1]) : all; });
}

// The « Menu » button (phones, tablets): shows and hides the menu it controls.
(function () {
  var button = document.querySelector(".menu-button[aria-controls]");
  if (!button) return;
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  }
  button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true"); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && button.getAttribute("aria-expanded") === "true") { set(false); button.focus(); }
  });
})();

// The menu's « Plus » group closes with Escape, or when the focus or a click goes elsewhere.
document.querySelectorAll(".nav-more details").forEach(function (group) {
  document.addEventListener("click", function (e) { if (group.open && !group.contains(e.target)) group.open = false; });
  group.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && group.open) { group.open = false; group.querySelector("summary").focus(); }
  });
  group.addEventListener("focusout", function (e) {
    if (group.open && e.relatedTarget && !group.contains(e.relatedTarget)) group.open = false;
  });
});

// The current page's entry in the menu.
(function () {
  var here = window.location.pathname;
  document.querySelectorAll(".nav a[href]").forEach(function (link) {
    if (link.getAttribute("href") === here) link.setAttribute("aria-current", "page");
  });
})();

// A refused form: its summary of errors (id « erreurs ») takes the focus, so that it is read first.
(function () {
  var summary = document.getElementById("erreurs");
  if (!summary) return;
  if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
  summary.focus({ preventScroll: true });
  summary.scrollIntoView({ block: "center" });
})();

// Tables wider than the screen say so (the style sheet shows a hint under them).
(function () {
  var wraps = document.querySelectorAll(".table-wrap");
  if (!wraps.length) return;
  function check() {
    wraps.forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) wrap.setAttribute("data-scrolls", "");
      else wrap.removeAttribute("data-scrolls");
    });
  }
  check();
  window.addEventListener("resize", check);
  if (window.MutationObserver) new MutationObserver(check).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden"] });
})();

// Copy buttons: <button data-copy="ID"> copies the text of element ID.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var text = document.getElementById(button.dataset.copy).textContent.trim();
    navigator.clipboard.writeText(text).then(function () {
      button.textContent = pageText("textCopied");
    });
  });
});

// Live pages (the office's console, an episode's page): <div data-live="URL" data-live-since="MS">
// listens to the server-sent events at URL. A new number is added at the top of its list
// (<tbody data-live-list="NAME">, from <template data-live-row="NAME">); other changes read the
// page again and replace its <section data-live-section="NAME"> parts, except a part where
// something is being typed or chosen, which waits until the person leaves it.
(function () {
  var root = document.querySelector("[data-live]");
  if (!root || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var status = document.getElementById("live-status");
  var announce = document.getElementById("live-announce");
  var since = root.dataset.liveSince;
  var source = new EventSource(root.dataset.live + (since ? "?depuis=" + encodeURIComponent(since) : ""));
  var timer = null;
  var waiting = false;

  function say(text) { if (status) status.textContent = text; }

  // A part is busy when it holds the focus, an open panel or a value that differs from the page's.
  function busy(part) {
    if (part.contains(document.activeElement) && document.activeElement !== document.body) return true;
    if (part.querySelector("details[open]")) return true;
    var fields = part.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "hidden" || f.type === "submit") continue;
      if (f.type === "checkbox" || f.type === "radio") { if (f.checked !== f.defaultChecked) return true; continue; }
      if (f.tagName === "SELECT") {
        for (var j = 0; j < f.options.length; j++) if (f.options[j].selected !== f.options[j].defaultSelected) return true;
        continue;
      }
      if (f.value !== f.defaultValue) return true;
    }
    return false;
  }

  // One reading of the page at a time, at least a second apart: a burst of changes costs one or
  // two readings, not one each.
  var reading = false;
  var again = false;
  var lastRead = 0;

  function refresh() {
    timer = null;
    if (reading) { again = true; return; }
    reading = true;
    lastRead = Date.now();
    fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) {
        if (r.redirected || !r.ok) { say(pageText("textUpdateFailed")); return null; }
        return r.text();
      })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        waiting = false;
        root.querySelectorAll("[data-live-section]").forEach(function (part) {
          var next = fresh.querySelector('[data-live-section="' + part.dataset.liveSection + '"]');
          if (!next) return;
          if (busy(part)) { waiting = true; return; }
          if (next.innerHTML !== part.innerHTML) part.replaceWith(document.importNode(next, true));
        });
      })
      .catch(function () { say(pageText("textUpdateFailed")); })
      .then(function () {
        reading = false;
        if (again) { again = false; refreshSoon(); }
      });
  }

  function refreshSoon() {
    if (timer) return;
    timer = setTimeout(refresh, Math.max(300, 1000 - (Date.now() - lastRead)));
  }

  // What waited for a busy part is read again once the person leaves it.
  root.addEventListener("focusout", function () { if (waiting) setTimeout(function () { if (waiting) refreshSoon(); }, 200); });

  function addRow(change) {
    var list = root.querySelector('[data-live-list="' + change.list + '"]');
    var template = root.querySelector('template[data-live-row="' + change.list + '"]');
    if (!list || !template) { refreshSoon(); return; }
    for (var i = 0; i < list.children.length; i++) if (list.children[i].dataset.key === change.key) return;
    var row = template.content.firstElementChild.cloneNode(true);
    row.dataset.key = change.key;
    row.querySelectorAll("[data-field]").forEach(function (el) { el.textContent = change.row[el.dataset.field] || ""; });
    row.querySelectorAll("[data-href]").forEach(function (el) { el.setAttribute("href", change.row[el.dataset.href] || "#"); });
    row.classList.add("live-new");
    list.insertBefore(row, list.firstChild);
    while (list.children.length > 100) list.removeChild(list.lastElementChild);
    var empty = root.querySelector('[data-live-empty="' + change.list + '"]');
    if (empty) empty.hidden = true;
    var wrap = list.closest(".table-wrap");
    if (wrap) wrap.hidden = false;
  }

  // After a break the server replays what it still holds; the page is read again in case it
  // held less than what was missed.
  var broken = false;
  source.addEventListener("ready", function () {
    say(pageText("textLiveOn"));
    root.dataset.liveState = "on";
    if (broken) { broken = false; refreshSoon(); }
  });
  source.addEventListener("error", function () {
    broken = true;
    root.dataset.liveState = "off";
    if (source.readyState === EventSource.CLOSED) say(pageText("textLiveStopped"));
    else say(pageText("textReconnecting"));
  });
  // The server no longer holds everything since this page was read: read it again.
  source.addEventListener("reset", function () { refreshSoon(); });
  source.addEventListener("document", function (e) {
    var change = JSON.parse(e.data);
    if (root.querySelector("[data-live-list]")) addRow(change); else refreshSoon();
  });
  source.addEventListener("notice", function (e) {
    var change = JSON.parse(e.data);
    if (announce) announce.textContent = fillText(pageText("textNoticeAnnounce"), [change.kind, change.exciseNumber, change.text]);
    refreshSoon();
  });
  source.addEventListener("episode", function (e) {
    var change = JSON.parse(e.data);
    if (announce) announce.textContent = fillText(pageText("textEpisodeAnnounce"), [change.kind, change.exciseNumber]);
    refreshSoon();
  });
})();
