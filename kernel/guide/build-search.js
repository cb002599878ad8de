#!/usr/bin/env node
// Builds the study guide's offline search index with MiniSearch:
//   node kernel/guide/build-search.js SECTIONS.json OUT.js
// SECTIONS.json: [{ id, page, anchor, title, section, text, snippet }], one per section of a page
// (render_guide.py writes it). OUT.js assigns the serialized index to window.CNN_SEARCH_INDEX, a
// script rather than JSON because pages opened from disk may not fetch files next to them.
'use strict';
const fs = require('fs');
const path = require('path');
const MiniSearch = require('minisearch');

const [sectionsPath, outPath] = process.argv.slice(2);
if (!sectionsPath || !outPath) {
  console.error('usage: build-search.js SECTIONS.json OUT.js');
  process.exit(2);
}
const options = JSON.parse(fs.readFileSync(path.join(__dirname, 'search-options.json'), 'utf8'));
const ms = new MiniSearch(options);
ms.addAll(JSON.parse(fs.readFileSync(sectionsPath, 'utf8')));
const js = `window.CNN_SEARCH_OPTIONS = ${JSON.stringify(options)};\nwindow.CNN_SEARCH_INDEX = ${JSON.stringify(ms.toJSON())};\n`;
fs.writeFileSync(outPath + '.tmp', js);
fs.renameSync(outPath + '.tmp', outPath);
