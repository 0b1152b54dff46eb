// Polls the award's progress and updates the live region; without JavaScript the page reloads itself.
(function () {
  "use strict";
  var box = document.getElementById("award-progress");
  var text = document.getElementById("award-progress-text");
  if (!box || !text || !window.fetch) { return; }
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (progress) {
        if (text.textContent.trim() !== progress.text.trim()) { text.textContent = progress.text; }
        if (!progress.done) { window.setTimeout(poll, 3000); }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 2000);
})();
