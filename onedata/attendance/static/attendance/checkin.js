/* Check-in page: front camera (getUserMedia) captured to a canvas, the location with its
   accuracy; the plain file input (capture="user") stays as the fallback. No library. */
(function () {
  "use strict";
  var form = document.getElementById("att-checkin");
  if (!form) return;
  var fileInput = form.querySelector('input[type="file"][name="photo"]');
  var camera = form.querySelector(".att-camera");
  var video = document.getElementById("att-video");
  var canvas = document.getElementById("att-canvas");
  var preview = document.getElementById("att-preview");
  var snap = document.getElementById("att-snap");
  var cameraStatus = document.getElementById("att-camera-status");
  var locationStatus = document.getElementById("att-location-status");
  var captured = null;

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

  function capture(done) {
    var width = video.videoWidth || 640, height = video.videoHeight || 480;
    canvas.width = width; canvas.height = height;
    canvas.getContext("2d").drawImage(video, 0, 0, width, height);
    canvas.toBlob(function (blob) {
      captured = blob;
      preview.src = URL.createObjectURL(blob);
      preview.hidden = false;
      if (done) done();
    }, "image/jpeg", 0.9);
  }

  if (snap) snap.addEventListener("click", function () { capture(); });

  form.addEventListener("submit", function (event) {
    var hasFile = fileInput && fileInput.files && fileInput.files.length > 0;
    if (hasFile || camera.hidden || typeof DataTransfer === "undefined") return;
    event.preventDefault();
    var attach = function () {
      var transfer = new DataTransfer();
      transfer.items.add(new File([captured], "selfie.jpg", { type: "image/jpeg" }));
      fileInput.files = transfer.files;
      form.submit();
    };
    if (captured) attach(); else capture(attach);
  });

  readLocation();
  startCamera();
})();
