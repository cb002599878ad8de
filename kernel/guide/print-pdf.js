#!/usr/bin/env node
// The whole study guide as one PDF:  node kernel/guide/print-pdf.js GUIDE_DIR OUT.pdf
// Each page (index, the 25 questions, the cheat sheet) is opened from disk in headless Chromium
// (Debian's /usr/bin/chromium, or $CHROMIUM), its math typeset and live figures drawn, printed
// to A4, and the pieces are joined with pdfunite (poppler-utils). Writes OUT.json beside OUT.pdf:
// per page the figures drawn and the formulas typeset, so a test can check what went in.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');

async function main() {
  const [guideArg, outArg] = process.argv.slice(2);
  if (!guideArg || !outArg) {
    console.error('usage: print-pdf.js GUIDE_DIR OUT.pdf');
    process.exit(2);
  }
  const guide = path.resolve(guideArg);
  const out = path.resolve(outArg);
  const questions = fs.readdirSync(guide).filter((f) => /^q\d\d-.*\.html$/.test(f)).sort();
  const pages = ['index.html', ...questions, 'cheatsheet.html'].filter((f) => fs.existsSync(path.join(guide, f)));
  if (questions.length === 0) throw new Error(`print-pdf: no question pages in ${guide} (make guide)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-guide-pdf-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--allow-file-access-from-files'],
  });
  const report = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
    for (const [k, file] of pages.entries()) {
      const page = await context.newPage();
      await page.goto(`file://${path.join(guide, file)}`, { waitUntil: 'load' });
      await page.waitForFunction(() => !!(window.MathJax && window.MathJax.Hub), undefined, { timeout: 60000 });
      await page.evaluate(() => new Promise((done) => window.MathJax.Hub.Queue(() => done())));
      if (await page.$('.cnn-vega')) {
        await page.waitForFunction(() => window.cnnFigures && window.cnnFigures.drawn + window.cnnFigures.failed === window.cnnFigures.total,
          undefined, { timeout: 60000 });
      }
      // Recall answers print open.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      await page.evaluate(() => new Promise((done) => window.MathJax.Hub.Queue(() => done())));
      const info = await page.evaluate(() => ({
        images: Array.from(document.images).filter((i) => i.complete && i.naturalWidth > 0 && i.offsetParent !== null).length,
        live: document.querySelectorAll('.cnn-vega-ready .cnn-vega-live svg').length,
        plotly: document.querySelectorAll('.js-plotly-plot .main-svg').length,
        typeset: document.querySelectorAll('.MathJax_CHTML, .mjx-chtml').length,
      }));
      // The cheat sheet scales its widest formulas to their column in the print layout.
      await page.emulateMedia({ media: 'print' });
      const overflowing = await page.evaluate(() => {
        if (typeof window.cnnFitFormulas === 'function') window.cnnFitFormulas();
        return Array.from(document.querySelectorAll('.cnn-formula')).filter((f) => f.offsetParent !== null && f.scrollWidth > f.clientWidth + 1).length;
      });
      const piece = path.join(tmp, `${String(k).padStart(3, '0')}.pdf`);
      // Pages size themselves where their CSS names a page (the cheat sheet: one landscape A4), else A4.
      const sheet = await page.evaluate(() => document.body.classList.contains('cnn-cheat-page'));
      const margin = sheet ? { top: '6mm', bottom: '6mm', left: '6mm', right: '6mm' } : { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' };
      await page.pdf({ path: piece, format: 'A4', preferCSSPageSize: true, printBackground: true, margin });
      info.printedPages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [piece], { encoding: 'utf8' }))[1]);
      info.overflowingFormulas = overflowing;
      await page.close();
      report.push({ page: file, ...info });
    }
    await context.close();
  } finally {
    await browser.close();
  }
  const pieces = fs.readdirSync(tmp).filter((f) => f.endsWith('.pdf')).sort().map((f) => path.join(tmp, f));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  execFileSync('pdfunite', [...pieces, out + '.tmp']);
  fs.renameSync(out + '.tmp', out);
  fs.rmSync(tmp, { recursive: true, force: true });
  const pdfPages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [out], { encoding: 'utf8' }))[1]);
  fs.writeFileSync(out.replace(/\.pdf$/, '') + '.json', JSON.stringify({ pdfPages, pages: report }, null, 1) + '\n');
  console.log(`guide pdf: ${out} (${pdfPages} pages from ${pages.length} guide pages, ${(fs.statSync(out).size / 1048576).toFixed(1)} MB)`);
}

main().catch((e) => {
  console.error(`print-pdf: ${e.message}`);
  process.exit(1);
});
