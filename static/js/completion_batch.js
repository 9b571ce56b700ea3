// Polls a bulk issue's progress until it has finished, updating the progress bar and the live summary.
(function () {
  var card = document.getElementById("batch");
  if (!card || card.dataset.status === "finished") return;
  var labels = { queued: "Queued", running: "Running", finished: "Finished" };
  function poll() {
    fetch(card.dataset.pollUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        document.getElementById("batch-progress").value = data.done;
        document.getElementById("batch-done").textContent = data.done;
        document.getElementById("batch-status").textContent = labels[data.status] || data.status;
        var list = document.getElementById("batch-failed");
        list.textContent = "";
        data.failed.forEach(function (failure) {
          var item = document.createElement("li");
          item.textContent = failure.name + ": " + failure.reason;
          list.appendChild(item);
        });
        if (data.status !== "finished") window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
