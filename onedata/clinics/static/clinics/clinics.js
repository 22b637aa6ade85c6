/* Clinic queue: "near me" on the search page; chime and spoken number on the display board.
   No inline script anywhere (the Content-Security-Policy forbids it). */
(function () {
  "use strict";

  function nearMe(button) {
    var form = document.getElementById("clinic-search");
    var status = document.querySelector("[data-near-status]");
    if (!form || !navigator.geolocation) { button.hidden = true; return; }
    button.addEventListener("click", function () {
      status.textContent = button.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.near.value = position.coords.latitude.toFixed(5) + "," +
          position.coords.longitude.toFixed(5);
        form.submit();
      }, function () {
        status.textContent = button.dataset.denied;
      }, { timeout: 10000, maximumAge: 300000 });
    });
  }

  var audio = null;
  var soundOn = false;
  var announced = {};

  function chime() {
    if (!audio) { return; }
    [660, 880].forEach(function (pitch, index) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = pitch;
      gain.gain.setValueAtTime(0.2, audio.currentTime + index * 0.35);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + index * 0.35 + 0.3);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(audio.currentTime + index * 0.35);
      osc.stop(audio.currentTime + index * 0.35 + 0.32);
    });
  }

  function speak(board, ticket, desk) {
    if (!("speechSynthesis" in window)) { return; }
    var spoken = ticket.replace("-", " ").replace(/\b0+(\d)/, "$1");
    var words = board.dataset.say + " " + spoken + ", " + board.dataset.to + " " + desk;
    var utterance = new SpeechSynthesisUtterance(words);
    utterance.lang = board.dataset.lang || "id-ID";
    window.speechSynthesis.speak(utterance);
  }

  function announce(board, first) {
    board.querySelectorAll("[data-called]").forEach(function (element) {
      var parts = element.dataset.called.split("|");
      var key = element.closest("section").querySelector("h2").textContent;
      if (announced[key] === element.dataset.called) { return; }
      announced[key] = element.dataset.called;
      if (first) { return; }
      element.classList.add("cl-board-flash");
      if (soundOn) { chime(); window.setTimeout(function () { speak(board, parts[0], parts[1]); }, 800); }
    });
  }

  function displayBoard(board) {
    var button = board.querySelector("[data-sound]");
    announce(board, true);
    if (button) {
      button.addEventListener("click", function () {
        var Context = window.AudioContext || window.webkitAudioContext;
        if (Context && !audio) { audio = new Context(); }
        soundOn = true;
        button.hidden = true;
        chime();
      });
    }
    document.body.addEventListener("htmx:afterSwap", function () { announce(board, false); });
  }

  /* Check-in by the device camera: the browser's own BarcodeDetector (Chrome on Android),
     no library; where it is missing the button stays hidden and staff type the code. */
  function scanner(button) {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
    var video = document.querySelector("[data-scan-video]");
    var input = document.getElementById("checkin-code");
    var label = button.textContent;
    var stream = null;
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    button.hidden = false;
    function stop() {
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
      stream = null;
      video.hidden = true;
      button.textContent = label;
    }
    function look() {
      if (!stream) { return; }
      detector.detect(video).then(function (codes) {
        if (codes.length) {
          input.value = codes[0].rawValue;
          stop();
          input.form.submit();
        } else {
          window.setTimeout(look, 250);
        }
      }).catch(function () { window.setTimeout(look, 500); });
    }
    button.addEventListener("click", function () {
      if (stream) { stop(); return; }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        video.play();
        button.textContent = button.dataset.stop;
        look();
      }).catch(stop);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var scan = document.querySelector("[data-scan]");
    if (scan) { scanner(scan); }
    var near = document.querySelector("[data-near-me]");
    if (near) { nearMe(near); }
    var board = document.querySelector("[data-board]");
    if (board) { displayBoard(board); }
  });
})();
