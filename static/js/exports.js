/* Export links (a[data-export]) and other generated downloads (a[data-download]: same busy state, own href).
 * 1. The file holds the list's current filters: after htmx changed them (the address bar follows, hx-push-url),
 *    a link to this same page takes the page's query string minus page/sort/export.
 * 2. A visible "Preparing…" state until the download begins: the link asks with export_token=<n>; the server
 *    answers with the cookie export_token=<n> (core.middleware.ExportTokenMiddleware), which this polls for.
 *    An error answers with an error page, which replaces this page anyway.
 */
(function () {
  "use strict";
  var NOT_FILTERS = ["page", "sort", "export", "export_token"];
  var script = document.currentScript;
  var busyLabel = (script && script.dataset.busy) || "正在生成… / Preparing…";
  var WAIT_MS = 120000, POLL_MS = 400;

  function target(link) {
    var url = new URL(link.getAttribute("href"), window.location.href);
    if (link.hasAttribute("data-export") && url.pathname === window.location.pathname) {
      var params = new URLSearchParams(window.location.search);
      NOT_FILTERS.forEach(function (key) { params.delete(key); });
      params.set("export", link.dataset.export);
      url.search = params.toString();
    }
    return url;
  }

  function hasCookie(token) {
    return document.cookie.split(";").some(function (c) { return c.trim() === "export_token=" + token; });
  }

  function done(link, html) {
    link.innerHTML = html;
    link.classList.remove("disabled");
    link.removeAttribute("aria-disabled");
    link.removeAttribute("aria-busy");
    document.cookie = "export_token=; Max-Age=0; Path=/; SameSite=Lax";
  }

  // Keep the links themselves current too (a middle click or "copy link" skips the click handler below).
  function refresh() {
    document.querySelectorAll("a[data-export]").forEach(function (link) {
      var url = target(link);
      if (url.pathname === window.location.pathname) link.setAttribute("href", url.search);
    });
  }
  document.addEventListener("htmx:pushedIntoHistory", refresh);
  window.addEventListener("popstate", refresh);

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-export], a[data-download]");
    if (!link || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;
    var token = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    var url = target(link);
    url.searchParams.set("export_token", token);
    var html = link.innerHTML;
    link.classList.add("disabled");
    link.setAttribute("aria-disabled", "true");
    link.setAttribute("aria-busy", "true");
    link.innerHTML = '<span class="spinner-border spinner-border-sm" role="status" aria-hidden="true"></span> ';
    link.appendChild(document.createTextNode(busyLabel));
    var started = Date.now();
    var timer = window.setInterval(function () {
      if (hasCookie(token) || Date.now() - started > WAIT_MS) {
        window.clearInterval(timer);
        done(link, html);
      }
    }, POLL_MS);
    window.location.assign(url.toString());
  });
})();
