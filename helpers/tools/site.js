// Static sliders: each .panel[data-static] holds the frames its notebook drew while it ran
// (helpers/site_frames.py) in a JSON script: controls (each control's value labels), values
// (each frame's index into every control), frames (image files), sizes, numbers, initial.
// Moving a range input shows the frame with that value, keeping the other controls as close
// as the precomputed frames allow. No kernel, no server, nothing from the network.
(function () {
  "use strict";

  function setUp(panel) {
    var data = JSON.parse(panel.querySelector("script[type='application/json']").textContent);
    var inputs = Array.prototype.slice.call(panel.querySelectorAll("input[type=range]"));
    var image = panel.querySelector("img.frame");
    var numbers = panel.querySelector(".numbers");
    var current = data.values[data.initial].slice();
    var preloaded = false;

    function show(k) {
      current = data.values[k].slice();
      image.src = data.frames[k];
      image.width = data.sizes[k][0];
      image.height = data.sizes[k][1];
      numbers.textContent = data.numbers[k];
      inputs.forEach(function (input) {
        var c = Number(input.dataset.control);
        input.value = current[c];
        input.nextElementSibling.textContent = data.controls[c][current[c]];
      });
    }

    // the frame whose control `c` has value index `v`, nearest the current one in the others
    function nearest(c, v) {
      var best = -1, bestCost = Infinity;
      data.values.forEach(function (values, k) {
        if (values[c] !== v) return;
        var cost = 0;
        values.forEach(function (x, j) { cost += Math.abs(x - current[j]); });
        if (cost < bestCost) { best = k; bestCost = cost; }
      });
      return best;
    }

    function preload() {  // on first touch: the other frames, so dragging is instant
      if (preloaded) return;
      preloaded = true;
      data.frames.forEach(function (src) { new Image().src = src; });
    }

    inputs.forEach(function (input) {
      input.addEventListener("pointerdown", preload);
      input.addEventListener("focus", preload);
      input.addEventListener("input", function () {
        var k = nearest(Number(input.dataset.control), Number(input.value));
        if (k >= 0) show(k);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".panel[data-static]"), setUp);
})();
