// Progressive enhancement for evidence uploads: drag and drop onto the file field, a size check before
// sending, and a progress bar while the form uploads. Without JavaScript the form posts normally.
(function () {
  "use strict";
  document.querySelectorAll("form.upload-form").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var box = form.querySelector(".upload-progress");
    if (!input || !box || !window.FormData || !window.XMLHttpRequest) return;
    var bar = box.querySelector("progress");
    var percent = box.querySelector(".upload-percent");
    var limit = parseInt(input.getAttribute("data-max-bytes") || "0", 10);

    ["dragenter", "dragover"].forEach(function (name) {
      form.addEventListener(name, function (event) { event.preventDefault(); form.classList.add("drop-target"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      form.addEventListener(name, function (event) { event.preventDefault(); form.classList.remove("drop-target"); });
    });
    form.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files.length) input.files = event.dataTransfer.files;
    });

    var clicked = null;
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.addEventListener("click", function () { clicked = button; });
    });

    form.addEventListener("submit", function (event) {
      var tooBig = Array.prototype.filter.call(input.files, function (file) { return limit && file.size > limit; });
      if (tooBig.length) {
        event.preventDefault();
        alert(tooBig[0].name + " is larger than " + Math.round(limit / 1048576) + " MB and cannot be uploaded.");
        return;
      }
      if (!input.files.length) return; // nothing to upload: an ordinary post is fine
      event.preventDefault();
      var data = new FormData(form);
      if (clicked && clicked.name) data.append(clicked.name, clicked.value);
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var value = Math.round((e.loaded / e.total) * 100);
        bar.value = value;
        percent.textContent = value + "%";
      });
      request.addEventListener("load", function () {
        // The request followed the redirect, so its response is the next page, with its message: show it.
        if (request.responseURL && request.status < 400) {
          window.history.replaceState(null, "", request.responseURL);
        }
        document.open(); document.write(request.responseText); document.close();
      });
      request.addEventListener("error", function () {
        box.hidden = true;
        alert("The upload failed. Check your connection and try again.");
      });
      box.hidden = false;
      request.send(data);
    });
  });
})();
