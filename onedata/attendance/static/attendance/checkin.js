/* Check-in page: front camera (getUserMedia) captured to a canvas, the location with its
   accuracy; the plain file input (capture="user") stays as the fallback. Where the office
   requires liveness (data-liveness), taking the selfie also films a short burst while the
   page asks the employee to blink; the frames go with the selfie as repeated "frames".
   No library. */
(function () {
  "use strict";
  var form = document.getElementById("att-checkin");
  if (!form) return;
  var fileInput = form.querySelector('input[type="file"][name="photo"]');
  var framesInput = form.querySelector('input[type="file"][name="frames"]');
  var camera = form.querySelector(".att-camera");
  var video = document.getElementById("att-video");
  var canvas = document.getElementById("att-canvas");
  var preview = document.getElementById("att-preview");
  var snap = document.getElementById("att-snap");
  var submit = document.getElementById("att-submit");
  var prompt = document.getElementById("att-blink");
  var cameraStatus = document.getElementById("att-camera-status");
  var locationStatus = document.getElementById("att-location-status");
  var liveness = form.dataset.liveness === "required";
  // 12 frames 200 ms apart: 2.4 s, long enough for a slow blink after the prompt.
  var BURST_FRAMES = 12, BURST_GAP_MS = 200;
  var captured = null;
  var frames = [];
  var busy = false;

  function say(node, text) { if (node) node.textContent = text; }

  function readLocation() {
    if (!navigator.geolocation) { say(locationStatus, form.dataset.locationError); return; }
    say(locationStatus, form.dataset.locationWait);
    navigator.geolocation.getCurrentPosition(function (position) {
      form.elements.lat.value = position.coords.latitude;
      form.elements.lon.value = position.coords.longitude;
      form.elements.accuracy_m.value = Math.round(position.coords.accuracy);
      say(locationStatus, form.dataset.locationOk.replace("%s", Math.round(position.coords.accuracy)));
    }, function () {
      say(locationStatus, form.dataset.locationError);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        camera.hidden = false;
      })
      .catch(function () { say(cameraStatus, form.dataset.cameraError); });
  }

  function grab(quality, done) {
    var width = video.videoWidth || 640, height = video.videoHeight || 480;
    canvas.width = width; canvas.height = height;
    canvas.getContext("2d").drawImage(video, 0, 0, width, height);
    canvas.toBlob(done, "image/jpeg", quality);
  }

  function burst(done) {
    var taken = [];
    prompt.hidden = false;
    say(cameraStatus, form.dataset.blinkWait);
    function next() {
      grab(0.8, function (blob) {
        taken.push(blob);
        if (taken.length < BURST_FRAMES) { setTimeout(next, BURST_GAP_MS); return; }
        prompt.hidden = true;
        say(cameraStatus, form.dataset.blinkDone);
        done(taken);
      });
    }
    next();
  }

  function capture(done) {
    if (busy) return;
    busy = true;
    if (snap) snap.disabled = true;
    if (submit) submit.disabled = true;
    var finish = function () {
      grab(0.9, function (blob) {
        captured = blob;
        preview.src = URL.createObjectURL(blob);
        preview.hidden = false;
        busy = false;
        if (snap) snap.disabled = false;
        if (submit) submit.disabled = false;
        if (done) done();
      });
    };
    if (!liveness) { finish(); return; }
    burst(function (taken) { frames = taken; finish(); });
  }

  function attach(input, blobs, name) {
    var transfer = new DataTransfer();
    blobs.forEach(function (blob, index) {
      transfer.items.add(new File([blob], name.replace("#", index), { type: "image/jpeg" }));
    });
    input.files = transfer.files;
  }

  if (snap) snap.addEventListener("click", function () { capture(); });

  form.addEventListener("submit", function (event) {
    var hasFile = fileInput && fileInput.files && fileInput.files.length > 0;
    if (hasFile || camera.hidden || typeof DataTransfer === "undefined") return;
    event.preventDefault();
    if (busy) return;
    var send = function () {
      attach(fileInput, [captured], "selfie.jpg");
      if (liveness && framesInput) attach(framesInput, frames, "frame-#.jpg");
      form.submit();
    };
    if (captured && (!liveness || frames.length)) send(); else capture(send);
  });

  readLocation();
  startCamera();
})();
