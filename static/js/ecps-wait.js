// The e-CPS waiting page refreshes itself (<meta http-equiv=refresh>);
// this script only counts the seconds down to the next check, so that
// the professional sees the page is alive. No request is made here.
(function () {
  "use strict";
  var el = document.querySelector("[data-countdown]");
  if (!el) {
    return;
  }
  var left = parseInt(el.getAttribute("data-countdown"), 10);
  var label = el.getAttribute("data-label") || "";
  if (!(left > 0)) {
    return;
  }
  var tick = function () {
    el.textContent = label.replace("%d", String(left));
    if (left > 0) {
      left -= 1;
      window.setTimeout(tick, 1000);
    }
  };
  el.hidden = false;
  tick();
})();
