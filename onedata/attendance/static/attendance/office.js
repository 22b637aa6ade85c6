// "Use my current location" on the office location form: fills latitude and longitude
// from the browser's geolocation (with its accuracy shown), nothing else is sent anywhere.
(function () {
  "use strict";
  document.querySelectorAll("[data-att-geo]").forEach(function (button) {
    var form = button.closest("form");
    var status = form.querySelector("[data-att-geo-status]");
    var say = function (text) { if (status) { status.textContent = text; } };
    if (!("geolocation" in navigator)) {
      button.hidden = true;
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      say(button.dataset.waiting);
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.querySelector("[name$='latitude']").value = position.coords.latitude.toFixed(6);
          form.querySelector("[name$='longitude']").value = position.coords.longitude.toFixed(6);
          say(button.dataset.found.replace("%(m)s", Math.round(position.coords.accuracy)));
        },
        function () { say(button.dataset.failed); },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 }
      );
    });
  });
})();
