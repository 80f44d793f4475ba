/* Progressive enhancement: the live total beside the three counts, and the receipt's print button. */
(function () {
  "use strict";
  function liveTotal() {
    var output = document.getElementById("total");
    var inputs = document.querySelectorAll("input.portal-count");
    if (!output || inputs.length === 0) { return; }
    function update() {
      var sum = 0;
      inputs.forEach(function (input) {
        var value = input.value.trim();
        if (/^\d+$/.test(value)) { sum += parseInt(value, 10); }
      });
      output.textContent = String(sum);
    }
    inputs.forEach(function (input) { input.addEventListener("input", update); });
    update();
  }
  function printButton() {
    var button = document.getElementById("print-receipt");
    if (!button) { return; }
    button.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
  }
  document.addEventListener("DOMContentLoaded", function () { liveTotal(); printButton(); });
})();
