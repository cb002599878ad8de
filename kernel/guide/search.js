// Offline search of the study guide (MiniSearch). Each page has a form.cnn-search; on first use the
// library and the index built by `make guide` (search-index.js) are loaded from files next to the
// page, and each keystroke lists the best sections, linked to their anchors.
(function () {
  'use strict';
  var loading = null;
  function load(src) {
    return new Promise(function (done, fail) {
      var s = document.createElement('script');
      s.src = src;
      s.onload = done;
      s.onerror = function () { fail(new Error('cannot load ' + src)); };
      document.head.appendChild(s);
    });
  }
  function engine() {
    if (!loading) {
      loading = load('minisearch.min.js').then(function () { return load('search-index.js'); }).then(function () {
        return window.MiniSearch.loadJS(window.CNN_SEARCH_INDEX, window.CNN_SEARCH_OPTIONS);
      });
    }
    return loading;
  }
  function show(list, hits) {
    list.textContent = '';
    hits.slice(0, 12).forEach(function (h) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = h.page + '.html' + (h.anchor ? '#' + h.anchor : '');
      var t = document.createElement('span');
      t.className = 'cnn-search-where';
      t.textContent = h.title + (h.section && h.section !== h.title ? ' \u203a ' + h.section : '');
      var p = document.createElement('span');
      p.className = 'cnn-search-snippet';
      p.textContent = h.snippet;
      a.appendChild(t);
      a.appendChild(p);
      li.appendChild(a);
      list.appendChild(li);
    });
    if (!hits.length) {
      var none = document.createElement('li');
      none.className = 'cnn-search-none';
      none.textContent = 'No section matches.';
      list.appendChild(none);
    }
    list.hidden = false;
  }
  function wire(form) {
    var input = form.querySelector('input');
    var list = form.querySelector('.cnn-search-results');
    var run = function () {
      var q = input.value.trim();
      if (q.length < 2) { list.hidden = true; return; }
      engine().then(function (ms) {
        if (input.value.trim() !== q) return;
        show(list, ms.search(q, { prefix: true, fuzzy: 0.2, combineWith: 'AND', boost: { section: 2, title: 1.5 } }));
      }, function (err) { console.error('search: ' + err.message); });
    };
    input.addEventListener('focus', function () { engine(); });
    input.addEventListener('input', run);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var first = list.querySelector('a');
      if (first) window.location.href = first.href;
    });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') list.hidden = true;
    });
  }
  function init() { Array.prototype.forEach.call(document.querySelectorAll('form.cnn-search'), wire); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
