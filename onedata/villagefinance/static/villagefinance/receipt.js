/* Receipt photo: shrink on the phone before upload (a 4 MB camera photo becomes ~200 KB),
   upload at once to the receipts API, keep its id in the form (so a mistake elsewhere in the
   form never loses the photo), and propose the date and total read from it.
   Without script the file input simply goes with the form. */
(function () {
  "use strict";
  var box = document.querySelector("[data-vf-photo]");
  if (!box || !window.fetch || !window.FormData) { return; }
  var input = box.querySelector("input[type=file]");
  var hidden = document.querySelector("input[name=receipt_id]");
  var status = box.querySelector(".vf-status");
  var preview = box.querySelector("img");
  var proposal = box.querySelector(".vf-proposal");
  var MAX_SIDE = 1600;

  function say(text) { status.textContent = text; }

  function shrink(file) {
    return new Promise(function (resolve) {
      if (!/^image\/(jpeg|png|webp)$/.test(file.type)) { resolve(file); return; }
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        if (scale === 1 && file.size < 600000) { URL.revokeObjectURL(url); resolve(file); return; }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.naturalWidth * scale);
        canvas.height = Math.round(img.naturalHeight * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.8);
      };
      img.onerror = function () { URL.revokeObjectURL(url); resolve(file); };
      img.src = url;
    });
  }

  function csrf() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function fill(name, value) {
    // Only a field the treasurer has not changed yet takes the proposal.
    var field = document.querySelector("[name=" + name + "]");
    if (field && value && (!field.value || field.value === field.defaultValue)) { field.value = value; }
  }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) { return; }
    say(box.dataset.msgShrinking);
    shrink(file).then(function (blob) {
      var data = new FormData();
      data.append("photo", blob, "kuitansi.jpg");
      say(box.dataset.msgUploading);
      return fetch(box.dataset.uploadUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      });
    }).then(function (result) {
      if (!result.ok) {
        var error = result.body && result.body.error;
        var text = error && error.fields && error.fields.photo ? error.fields.photo[0] : (error ? error.message : "");
        say(text || box.dataset.msgFailed);
        return;
      }
      var receipt = result.body;
      hidden.value = receipt.id;
      input.value = "";  // stored already: the form no longer sends the file
      preview.src = box.dataset.fileUrl.replace("/0/", "/" + receipt.id + "/");
      preview.hidden = false;
      var text = box.dataset.msgSaved;
      if (receipt.duplicate_of) { text += " " + box.dataset.msgDuplicate; }
      say(text);
      if (receipt.proposed_total || receipt.proposed_date) {
        var parts = [];
        if (receipt.proposed_date) { parts.push(receipt.proposed_date.split("-").reverse().join("/")); }
        if (receipt.proposed_total) { parts.push("Rp " + receipt.proposed_total.toLocaleString("id-ID")); }
        proposal.textContent = box.dataset.msgRead + " " + parts.join(" · ");
        proposal.hidden = false;
        fill("amount", receipt.proposed_total ? String(receipt.proposed_total) : "");
        if (receipt.proposed_date) { fill("date", receipt.proposed_date); }
      }
    }).catch(function () { say(box.dataset.msgFailed); });
  });
})();
