// Says a chosen publication time back in words ("goes live Tue 2 Dec at 09:00")
// beside the date and time boxes of the schedule forms: a browser shows a date
// box in its own locale's order, where 02/12 can be either month. The time is
// the site's, as typed; no time zone arithmetic happens here.
(function () {
  "use strict";

  var DAY = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short" });

  function words(dateBox, timeBox) {
    var d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateBox.value);
    var t = /^(\d{2}):(\d{2})/.exec(timeBox.value);
    if (!d || !t) return "";
    var day = new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), 12);
    return "goes live " + DAY.format(day).replace(",", "") + " at " + t[1] + ":" + t[2];
  }

  function wire(output) {
    var boxes = output.htmlFor.value.split(" ").map(function (id) { return document.getElementById(id); });
    if (boxes.length !== 2 || !boxes[0] || !boxes[1]) return;
    var update = function () { output.textContent = words(boxes[0], boxes[1]); };
    boxes.forEach(function (box) { box.addEventListener("input", update); });
    update();
  }

  function start() {
    document.querySelectorAll("output.schedule-words").forEach(wire);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
