// The spending form's taxes: shows each ticked tax computed from the amount (rounded
// down to the rupiah, as the server does) as the field's placeholder, and the net paid.
(function () {
  "use strict";
  var box = document.querySelector("[data-vf-taxes]");
  if (!box) return;
  var form = box.closest("form");
  var amountInput = form.querySelector("[name=amount]");
  var baseInput = form.querySelector("[name=tax_base]");
  var net = box.querySelector("[data-vf-tax-net]");
  function rupiah(text) {
    var digits = String(text || "").replace(/,00$/, "").replace(/[^0-9]/g, "");
    return digits ? parseInt(digits, 10) : 0;
  }
  function show(n) {
    return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  function update() {
    var amount = rupiah(amountInput && amountInput.value);
    var base = rupiah(baseInput && baseInput.value) || amount;
    var total = 0;
    box.querySelectorAll("input[data-rate-bp]").forEach(function (check) {
      var field = form.querySelector("[name=" + check.name + "_amount]");
      var computed = Math.floor((base * parseInt(check.dataset.rateBp, 10)) / 10000);
      field.placeholder = check.checked ? show(computed) : "";
      field.disabled = !check.checked;
      if (check.checked) total += rupiah(field.value) || computed;
    });
    net.textContent = total && amount ? net.dataset.msgNet + " Rp " + show(amount - total) : "";
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
