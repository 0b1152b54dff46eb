// Live progress for long work (a direct award, a data export). Progressive enhancement: without JavaScript
// the page shows where things stand and a "Refresh" link.
//
// The container [data-live-progress="<url>"] is polled; the JSON answer is ONE snapshot:
//   {done, text, total?, finished?, rows?: [{id, label, reason, state}], html?}
// and everything on the page is updated from that one answer at the same moment, so the summary
// ([data-live-text], <progress data-live-meter>) and the rows ([data-live-row=id] [data-live-state]) agree.
// Screen readers hear [data-live-announce] (aria-live="polite"): only when the text changed, at most once
// every ANNOUNCE_EVERY_MS, and at once when the work is done, so a long run does not flood them.
(function () {
  "use strict";
  var POLL_EVERY_MS = 2000;
  var RETRY_EVERY_MS = 10000;
  var ANNOUNCE_EVERY_MS = 15000;

  function capfirst(text) {
    return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }

  function Live(box) {
    this.box = box;
    this.url = box.getAttribute("data-live-progress");
    this.announcer = box.querySelector("[data-live-announce]");
    this.lastAnnounced = this.announcer ? this.announcer.textContent.trim() : "";
    this.lastAnnouncedAt = Date.now();
    this.rows = {};
    var rows = document.querySelectorAll("[data-live-row]");
    for (var i = 0; i < rows.length; i++) {
      this.rows[rows[i].getAttribute("data-live-row")] = rows[i].querySelector("[data-live-state]");
    }
    var refresh = box.querySelector("[data-live-refresh]");
    if (refresh) { refresh.hidden = true; }
  }

  Live.prototype.poll = function () {
    var self = this;
    fetch(self.url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (snapshot) {
        self.apply(snapshot);
        if (!snapshot.done) { window.setTimeout(function () { self.poll(); }, POLL_EVERY_MS); }
      })
      .catch(function () { window.setTimeout(function () { self.poll(); }, RETRY_EVERY_MS); });
  };

  Live.prototype.apply = function (snapshot) {
    var text = (snapshot.text || "").trim();
    if (typeof snapshot.html === "string") {
      var fragment = this.box.querySelector("[data-live-fragment]");
      if (fragment && fragment.innerHTML !== snapshot.html) { fragment.innerHTML = snapshot.html; }
    }
    var summary = this.box.querySelector("[data-live-text]");
    if (summary && summary.textContent.trim() !== text) { summary.textContent = text; }
    var meter = this.box.querySelector("[data-live-meter]");
    if (meter && typeof snapshot.total === "number") {
      meter.max = Math.max(snapshot.total, 1);
      meter.value = snapshot.finished || 0;
    }
    var rows = snapshot.rows || [];
    for (var i = 0; i < rows.length; i++) {
      var cell = this.rows[rows[i].id];
      if (!cell) { continue; }
      var label = capfirst(rows[i].label) + (rows[i].reason ? ": " + rows[i].reason : "");
      if (cell.textContent !== label) { cell.textContent = label; }
      cell.className = cell.className.replace(/\baward-state-\S+/g, "").trim() + " award-state-" + rows[i].state;
    }
    this.announce(text, snapshot.done);
    if (snapshot.done) {
      this.box.removeAttribute("data-live-progress");
      this.box.setAttribute("data-live-done", "");
    }
  };

  Live.prototype.announce = function (text, done) {
    if (!this.announcer || text === this.lastAnnounced) { return; }
    if (!done && Date.now() - this.lastAnnouncedAt < ANNOUNCE_EVERY_MS) { return; }
    this.announcer.textContent = text;
    this.lastAnnounced = text;
    this.lastAnnouncedAt = Date.now();
  };

  if (!window.fetch) { return; }
  var boxes = document.querySelectorAll("[data-live-progress]");
  for (var i = 0; i < boxes.length; i++) {
    var live = new Live(boxes[i]);
    window.setTimeout(live.poll.bind(live), POLL_EVERY_MS);
  }
})();
