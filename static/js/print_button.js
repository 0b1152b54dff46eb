// "Print" buttons ([data-print]): the page's own print dialog. A file rather than onclick="…", because the
// Content-Security-Policy allows no inline script or event handler.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
