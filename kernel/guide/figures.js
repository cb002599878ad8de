// Live figures of the study guide. Each .cnn-vega box holds a vega-lite spec (a JSON script) and the
// figure's static image; vega-embed (vega/, loaded before this script) draws the spec in place, and
// once it is drawn the static image is hidden. Without scripts, or if drawing fails, the image stays.
(function () {
  'use strict';
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.cnn-vega'));
  window.cnnFigures = { total: boxes.length, drawn: 0, failed: 0, views: [] };
  if (!window.vegaEmbed) return;
  boxes.forEach(function (box) {
    var spec = JSON.parse(box.querySelector('script.cnn-vega-spec').textContent);
    var target = box.querySelector('.cnn-vega-live');
    window.vegaEmbed(target, spec, { actions: false, renderer: 'svg' }).then(
      function (result) {
        box.classList.add('cnn-vega-ready');
        window.cnnFigures.views.push(result.view);
        window.cnnFigures.drawn += 1;
      },
      function (err) {
        window.cnnFigures.failed += 1;
        console.error('live figure not drawn (the static image stays): ' + (err && err.message));
      },
    );
  });
})();
