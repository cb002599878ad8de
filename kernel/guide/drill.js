// The drill page: one question card at a time, its answer hidden until revealed. Without scripts
// every card and answer stays visible. The position is kept in the address (#card-N).
(function () {
  'use strict';
  function init() {
    var drill = document.querySelector('.cnn-drill');
    if (!drill) return;
    var cards = Array.prototype.slice.call(drill.querySelectorAll('.cnn-card'));
    var reveal = drill.querySelector('.cnn-drill-reveal');
    var at = 0;
    var m = /^#card-(\d+)$/.exec(window.location.hash);
    if (m) at = Math.min(Math.max(parseInt(m[1], 10) - 1, 0), cards.length - 1);
    drill.classList.add('cnn-drill-on');
    function show(k) {
      at = (k + cards.length) % cards.length;
      cards.forEach(function (c, i) {
        c.classList.toggle('cnn-current', i === at);
        c.classList.remove('cnn-revealed');
      });
      reveal.textContent = 'Show the answer';
      if (window.history && history.replaceState) history.replaceState(null, '', '#card-' + (at + 1));
    }
    function toggle() {
      var open = cards[at].classList.toggle('cnn-revealed');
      reveal.textContent = open ? 'Hide the answer' : 'Show the answer';
      // MathJax measures math when it is visible: typeset the answer again once shown.
      if (open && window.MathJax && MathJax.Hub) MathJax.Hub.Queue(['Rerender', MathJax.Hub, cards[at]]);
    }
    drill.querySelector('.cnn-drill-prev').addEventListener('click', function () { show(at - 1); });
    drill.querySelector('.cnn-drill-next').addEventListener('click', function () { show(at + 1); });
    reveal.addEventListener('click', toggle);
    document.addEventListener('keydown', function (e) {
      if (e.target && /^(INPUT|TEXTAREA|BUTTON)$/.test(e.target.tagName)) return;
      if (e.key === 'ArrowLeft') show(at - 1);
      else if (e.key === 'ArrowRight') show(at + 1);
      else if (e.key === ' ') { e.preventDefault(); toggle(); }
    });
    show(at);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
