// Sharing, enhanced. Without this script a page keeps its plain share links,
// its feed addresses (in read-only boxes) and its "Link to #7" anchors; with it:
// - [data-copy] buttons copy their address (navigator.clipboard),
// - [data-share-url] buttons open the system's share sheet (Web Share API),
//   shown only where the browser has one,
// - an entry's "Link to #N" still goes to the entry and also copies its address,
// - arriving at an entry by its #rank-N address moves focus to it.
// What happened is said in one polite live region ("Link copied").
(function () {
  "use strict";

  var status;
  var clearTimer;
  var usedLink = null; // the "Link to #N" just used: the reader stays on it

  function announce(text) {
    // Emptied first, so the same words said twice are heard twice.
    status.textContent = "";
    window.clearTimeout(clearTimer);
    window.setTimeout(function () { status.textContent = text; }, 50);
    clearTimer = window.setTimeout(function () { status.textContent = ""; }, 4000);
  }

  function copy(text, done) {
    navigator.clipboard.writeText(text).then(
      function () { announce(done); },
      function () { announce("Could not copy; the address is " + text); }
    );
  }

  // The page's own address, as the site gives it (never a query string a reader arrived with).
  function pageAddress() {
    var canonical = document.querySelector('link[rel="canonical"]');
    return canonical ? canonical.href : window.location.href.split("#")[0];
  }

  function show(button) {
    // The button's list item or wrapper carries `hidden` until we know it works.
    var box = button.closest("[hidden]") || button;
    box.hidden = false;
    button.hidden = false;
  }

  function focusTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var entry = id && document.getElementById(id);
    if (!entry || !entry.classList.contains("entry")) return;
    if (usedLink && entry.contains(usedLink)) {
      // Going to the fragment took the focus off the link the reader used: give it back.
      usedLink.focus({ preventScroll: true });
      usedLink = null;
      return;
    }
    if (entry.contains(document.activeElement)) return;
    entry.tabIndex = -1;
    entry.focus({ preventScroll: true });
  }

  function start() {
    status = document.createElement("p");
    status.className = "share-status";
    status.setAttribute("role", "status");
    document.body.appendChild(status);

    if (navigator.clipboard && navigator.clipboard.writeText) {
      document.querySelectorAll("button[data-copy]").forEach(function (button) {
        show(button);
        button.addEventListener("click", function () {
          copy(button.dataset.copy, button.dataset.copied || "Link copied");
        });
      });
      document.querySelectorAll("a.entry-link").forEach(function (link) {
        link.addEventListener("click", function () {
          // The default still happens: the address bar shows #rank-N and the entry is marked.
          copy(pageAddress() + link.hash, link.textContent.trim() + " copied");
          usedLink = link;
          // Used again, the address is unchanged and no hashchange comes.
          window.setTimeout(focusTarget, 0);
        });
      });
    }

    if (navigator.share) {
      document.querySelectorAll("button[data-share-url]").forEach(function (button) {
        show(button);
        button.addEventListener("click", function () {
          navigator.share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl }).catch(function () {
            // Dismissed, or refused by the browser: the links beside the button remain.
          });
        });
      });
    }

    window.addEventListener("hashchange", focusTarget);
    focusTarget();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
