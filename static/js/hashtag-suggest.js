/*
 * Hashtag suggestions past the first one. A <datalist> matches against the
 * whole value of its input, so after "#SadAnime #ro" the plain list offers
 * nothing; here its options are rewritten as "#SadAnime #RomanceAnime" (what
 * is typed so far plus each existing hashtag that starts with the last word)
 * and the browser's own, keyboard-friendly suggestion list does the rest.
 */
(function () {
  "use strict";
  var LIMIT = 30;

  function enhance(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var names = Array.prototype.map.call(list.options, function (o) { return o.value; });

    function suggest() {
      var value = input.value;
      var cut = Math.max(value.lastIndexOf(","), value.lastIndexOf(" ")) + 1;
      var typed = value.slice(0, cut);
      var hash = value.charAt(cut) === "#" ? "#" : "";  // keep the editor's own way of writing them
      var word = value.slice(cut + hash.length).toLowerCase();
      var chosen = typed.toLowerCase().split(/[\s,]+/).map(function (t) { return t.replace(/^#/, ""); });
      if (typed && !/\s$/.test(typed)) typed += " ";
      var matches = names.filter(function (n) {
        var lower = n.toLowerCase();
        return lower.indexOf(word) === 0 && chosen.indexOf(lower) === -1;
      }).slice(0, LIMIT);
      list.replaceChildren.apply(list, matches.map(function (n) {
        var option = document.createElement("option");
        option.value = typed + hash + n;
        return option;
      }));
    }

    input.addEventListener("input", suggest);
    // Offer the next hashtag, not a replacement for those already there.
    input.addEventListener("focus", suggest);
  }

  function start() {
    document.querySelectorAll("input[data-hashtag-suggest]").forEach(enhance);
  }

  // The admin loads form media in <head>, before the field exists.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
