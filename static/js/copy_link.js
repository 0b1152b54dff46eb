// "Copy link" for a shared credential. Progressive enhancement: the button appears only where the
// Clipboard API works; everywhere else the read-only field stays, and it selects its text on focus.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-copy-link]");
  for (var i = 0; i < boxes.length; i++) { setUp(boxes[i]); }

  function setUp(box) {
    var field = box.querySelector("[data-copy-source]");
    var button = box.querySelector("[data-copy-button]");
    var status = box.parentNode.querySelector("[data-copy-status]");
    if (!field) { return; }
    field.addEventListener("focus", function () { field.select(); });
    if (!button || !status || !navigator.clipboard || !window.isSecureContext) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        say(status, status.getAttribute("data-copied-text"));
      }, function () {
        field.focus();
        say(status, status.getAttribute("data-failed-text"));
      });
    });
  }

  function say(status, text) {
    // Emptied first, so copying twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }
})();
