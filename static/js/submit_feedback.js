// Feedback while a form is sent: the pressed submit button is disabled and says "Sending…", and the form
// gets aria-busy. The text comes from data-sending-text on the button or on <body> (rendered by the
// templates, so it is translated). Every POST form takes part, and any form marked data-submit-feedback;
// data-submit-feedback="off" opts a form out. A form that fails the browser's own validation fires no
// submit event, so it is never blocked. Restored when the page comes back from the back/forward cache,
// and after a while if the page stays (a POST that answers with a download never leaves the page).
(function () {
  "use strict";
  var STAY_MS = 10000;
  var labels = new WeakMap();

  function wanted(form) {
    var flag = form.getAttribute("data-submit-feedback");
    if (flag === "off") return false;
    return flag !== null || (form.getAttribute("method") || "").toLowerCase() === "post";
  }

  function restore(form) {
    form.removeAttribute("aria-busy");
    form.removeAttribute("data-submit-busy");
    var buttons = form.ownerDocument.querySelectorAll("button[data-submit-busy]");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      if (button.form !== form) continue;
      button.disabled = false;
      if (labels.has(button)) button.innerHTML = labels.get(button);
      button.removeAttribute("data-submit-busy");
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // defaultPrevented: another script stopped this submission (e.g. a confirmation that was refused).
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented || !wanted(form)) return;
    if (form.hasAttribute("data-submit-busy")) { event.preventDefault(); return; }  // a second click
    form.setAttribute("aria-busy", "true");
    form.setAttribute("data-submit-busy", "");
    window.setTimeout(function () { restore(form); }, STAY_MS);
    var button = event.submitter;
    if (!button || button.tagName !== "BUTTON") return;
    labels.set(button, button.innerHTML);
    button.setAttribute("data-submit-busy", "");
    button.textContent = button.getAttribute("data-sending-text") ||
      document.body.getAttribute("data-sending-text") || "…";
    // Disabled only after this event: the browser builds the form data right after it, with this
    // button's name and value (e.g. allauth's action_remove).
    window.setTimeout(function () { button.disabled = true; }, 0);
  });

  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    var forms = document.querySelectorAll("form[data-submit-busy]");
    for (var i = 0; i < forms.length; i++) restore(forms[i]);
  });
})();
