// The copy button of the HIN code page: copies the code whole (it holds
// #, / and +, which a double-click does not select across). Without this
// script the button stays hidden and the code still selects whole on a
// click (user-select: all).
(function () {
  "use strict";
  var button = document.querySelector("[data-copy]");
  var code = button && document.getElementById(button.getAttribute("data-copy"));
  if (!code) {
    return;
  }
  var status = document.getElementById(button.getAttribute("aria-describedby"));
  function selectCode() {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function done() {
    status.textContent = button.getAttribute("data-copied");
  }
  function fallback() {
    selectCode();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    if (copied) {
      done();
    } else {
      // Selected: the professional copies it with the keyboard.
      status.textContent = button.getAttribute("data-selected");
    }
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var text = code.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  });
})();
