// The waiting page after a validation: asks every second, for two minutes at most,
// whether a worker has issued the badge. Ready, it says so in the page's status
// region, its heading and title, and shows the way to the badge page, without leaving
// the page by itself.
// Without JavaScript the page has a link that reloads it.
(function () {
  "use strict";
  var box = document.getElementById("badge-pending");
  if (!box) { return; }
  var status = document.getElementById("badge-pending-status");
  var refresh = document.getElementById("badge-pending-refresh");
  var tries = 0;
  function say(text, address) {
    var alert = document.createElement("div");
    alert.className = "fr-alert fr-alert--sm " + (address ? "fr-alert--success" : "fr-alert--info");
    var line = document.createElement("p");
    line.textContent = text + " ";
    if (address) {
      var link = document.createElement("a");
      link.href = address;
      link.textContent = box.dataset.link;
      line.appendChild(link);
    }
    alert.appendChild(line);
    status.replaceChildren(alert);
  }
  function poll() {
    tries += 1;
    fetch(box.dataset.stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && state.ready) {
          refresh.hidden = true;
          document.title = box.dataset.readyTitle;
          document.getElementById("badge-pending-heading").textContent = box.dataset.readyHeading;
          say(box.dataset.ready, state.address);
        } else if (!state || tries >= 120) {
          say(box.dataset.late, "");
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        if (tries >= 120) { say(box.dataset.late, ""); } else { window.setTimeout(poll, 3000); }
      });
  }
  window.setTimeout(poll, 500);
})();
