// Region picker of the registry form: filter the ticked-box list as one types, count what
// is ticked, and reload the districts when the regency changes. Without it the form still
// works (every box shows, and a button reloads the districts).
(function () {
  "use strict";
  function setup() {
    var form = document.getElementById("vf-village-form");
    if (!form) return;
    var regency = form.querySelector("select[name=regency]");
    var refresh = form.querySelector(".vf-refresh");
    if (regency && refresh) {
      refresh.hidden = true;
      regency.addEventListener("change", function () { refresh.click(); });
    }
    var picker = document.getElementById("vf-picker");
    if (!picker) return;
    var search = picker.querySelector(".vf-region-search");
    var picked = picker.querySelector(".vf-picked");
    function count() {
      var n = picker.querySelectorAll("input[name=villages]:checked").length;
      var d = picker.querySelectorAll("input[name=districts]:checked").length;
      picked.textContent = d + " kec. · " + n + " desa/kel.";
    }
    function filter() {
      var q = search.value.trim().toLowerCase();
      picker.querySelectorAll(".vf-district").forEach(function (group) {
        var districtHit = !q || group.dataset.name.indexOf(q) !== -1;
        var anyVillage = false;
        // Without a search, only the villages of ticked districts show: a short list.
        var open = group.querySelector("input[name=districts]").checked;
        group.querySelectorAll(".vf-villages .vf-option").forEach(function (option) {
          var ticked = option.querySelector("input").checked;
          var hit = q ? (districtHit || option.dataset.name.indexOf(q) !== -1 || ticked) : (open || ticked);
          option.hidden = !hit;
          anyVillage = anyVillage || hit;
        });
        group.hidden = !(districtHit || anyVillage || open);
      });
    }
    picker.addEventListener("change", function (event) {
      var box = event.target;
      if (box.name === "villages" && box.checked) {
        var district = box.closest(".vf-district").querySelector("input[name=districts]");
        district.checked = true;  // a village implies its district
      }
      count();
      if (box.name === "districts") filter();
    });
    search.addEventListener("input", filter);
    count();
    filter();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
