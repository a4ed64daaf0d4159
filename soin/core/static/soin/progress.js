// Live progress of a newsletter send: asks the server every few seconds and updates the bar
// and the status line (read out politely by screen readers). The sentences come translated
// from the page, in data-format and data-left.
(function () {
  "use strict";
  var box = document.getElementById("send-progress");
  if (!box) { return; }
  var bar = document.getElementById("send-bar");
  var status = document.getElementById("send-status");
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return values[key] === undefined ? all : String(values[key]);
    });
  }
  function update() {
    fetch(box.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { return; }
        bar.max = p.total || 1;
        bar.value = p.done;
        var text = fill(box.getAttribute("data-format"), {
          state: p.state_label, sent: p.sent, failed: p.failed, pending: p.pending, total: p.total
        });
        if (p.minutes_left) {
          text += " " + fill(box.getAttribute("data-left"), { minutes: p.minutes_left });
        }
        if (p.last_error) { text += " " + p.last_error; }
        status.textContent = text;
        if (p.state !== "done") { window.setTimeout(update, 5000); }
      })
      .catch(function () { window.setTimeout(update, 10000); });
  }
  window.setTimeout(update, 3000);
})();
