/* Live scorecard for the micro-credential designer (progressive enhancement).
 *
 * Without this script the scorecard is updated when the form is saved. With it, every change to the
 * form asks the server for the scorecard of the form as it is now (nothing is saved), replaces the
 * scorecard panel and announces the summary in a polite live region.
 */
(function () {
  "use strict";
  var form = document.getElementById("definition-form");
  var region = document.getElementById("scorecard-region");
  var status = document.getElementById("scorecard-status");
  if (!form || !region || !status || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-scorecard-url");
  var timer = null;
  var latest = 0;

  function refresh() {
    var data = new FormData(form);
    data.delete("image_upload"); // the image does not change the scorecard; never send it twice
    var request = ++latest;
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        if (request !== latest) {
          return; // an answer to an older change arrived late
        }
        region.innerHTML = html;
        var card = region.querySelector("[data-summary]");
        if (card) {
          status.textContent = card.getAttribute("data-summary");
        }
      })
      .catch(function () {
        /* The scorecard simply stays as it was; saving still updates it. */
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 500);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
