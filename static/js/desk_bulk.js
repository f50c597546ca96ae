// The order list's "tick every order on this page" box (shown only when scripts run; each row's box works without).
(function () {
  var all = document.querySelector("[data-pick-all]");
  if (!all) { return; }
  var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-pick]"));
  all.hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      var ticked = boxes.filter(function (b) { return b.checked; }).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    });
  });
})();
