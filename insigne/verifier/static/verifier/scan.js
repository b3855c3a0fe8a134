/* Verifier page, progressive enhancement: scan a badge's QR code with the camera.
   With the browser's BarcodeDetector the code is read here and its address pasted in
   the form; without it, one frame is sent as a photo and the server reads the code.
   Without JavaScript or a camera, the file field (a photo of the code) and the text
   field (the address) do the same; this block stays hidden. */
(function () {
  "use strict";

  var block = document.getElementById("qr-scan");
  var form = document.getElementById("verify-form");
  if (!block || !form || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var start = document.getElementById("qr-start");
  var stop = document.getElementById("qr-stop");
  var video = document.getElementById("qr-video");
  var status = document.getElementById("qr-status");
  var text = document.getElementById("id_badge_text");
  var file = document.getElementById("id_badge_file");
  var stream = null;
  var timer = null;
  var detector = null;
  if ("BarcodeDetector" in window) {
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (error) {
      detector = null;
    }
  }
  block.classList.add("insigne-js-ready");

  function say(message) {
    status.textContent = message;
  }

  function halt() {
    if (timer) {
      window.clearInterval(timer);
      timer = null;
    }
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function submitText(value) {
    halt();
    text.value = value;
    if (file) {
      file.value = "";
    }
    say(block.getAttribute("data-found"));
    form.submit();
  }

  function submitFrame() {
    var canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    canvas.toBlob(function (blob) {
      if (!blob || !window.DataTransfer) {
        say(block.getAttribute("data-failed"));
        return;
      }
      var transfer = new window.DataTransfer();
      transfer.items.add(new window.File([blob], "scan.jpg", { type: "image/jpeg" }));
      halt();
      file.files = transfer.files;
      text.value = "";
      say(block.getAttribute("data-sent"));
      form.submit();
    }, "image/jpeg", 0.9);
  }

  function look() {
    if (!video.videoWidth) {
      return;
    }
    if (!detector) {
      window.clearInterval(timer);
      timer = null;
      submitFrame();
      return;
    }
    detector.detect(video).then(function (codes) {
      if (codes.length && codes[0].rawValue) {
        submitText(codes[0].rawValue);
      }
    }, function () { /* the next frame may do better */ });
  }

  start.addEventListener("click", function () {
    say(block.getAttribute("data-starting"));
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        stop.hidden = false;
        start.hidden = true;
        return video.play();
      })
      .then(function () {
        say(block.getAttribute(detector ? "data-scanning" : "data-photo"));
        // Without BarcodeDetector, leave a moment to aim before the frame is sent.
        timer = window.setInterval(look, detector ? 300 : 2500);
      })
      .catch(function () {
        halt();
        say(block.getAttribute("data-denied"));
      });
  });
  stop.addEventListener("click", function () {
    halt();
    say("");
  });
})();
