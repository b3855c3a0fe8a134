/* Badge page, progressive enhancement: "Copier le lien" / "Copier le code" and the
   phone's own share sheet. Without JavaScript the link and the code stay on the
   page, selectable, and the mail link works; these buttons stay hidden. */
(function () {
  "use strict";

  function say(id, text) {
    var status = document.getElementById(id);
    if (status) {
      status.textContent = text;
    }
  }

  function enableCopy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard || !window.isSecureContext) {
      return;
    }
    button.closest(".insigne-js-only").classList.add("insigne-js-ready");
    button.addEventListener("click", function () {
      var where = button.getAttribute("data-copy-status");
      navigator.clipboard.writeText(field.value).then(
        function () { say(where, button.getAttribute("data-copied")); },
        function () {
          field.select();
          say(where, button.getAttribute("data-copy-failed"));
        }
      );
    });
  }

  function enableShare(button) {
    if (!button || !navigator.share) {
      return;
    }
    button.closest(".insigne-js-only").classList.add("insigne-js-ready");
    button.addEventListener("click", function () {
      var data = { title: button.getAttribute("data-title"), url: button.getAttribute("data-url") };
      navigator.share(data).catch(function () { /* closed by the user: nothing to say */ });
    });
  }

  document.querySelectorAll("[data-copy]").forEach(enableCopy);
  enableShare(document.getElementById("share-native"));
})();
