// The import's progress bar: polls the job's small JSON state every 2 s while it runs,
// then reloads the page to show the result. Without JavaScript the page has a link.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.dataset.finished === "true") { return; }
  var url = box.dataset.progressUrl;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        document.getElementById("import-bar").value = state.percent;
        document.getElementById("import-bar").textContent = state.percent + " %";
        document.getElementById("import-rows").textContent = state.rows_done;
        document.getElementById("import-status").textContent = state.status_label;
        if (state.finished) { window.location.reload(); } else { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
