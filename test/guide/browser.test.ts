// The rendered study guide, opened from disk in headless Chromium (Debian's package): every page
// loads with no console errors and no network requests, its math is typeset, every figure is
// visible, and a screenshot of each page is saved under build/guide-screenshots/.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../notebooks/executed';

const guide = path.join(ROOT, 'build', 'guide');
const shots = path.join(ROOT, 'build', 'guide-screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const notebooks = readdirSync(path.join(ROOT, 'notebooks'))
  .filter((f) => /^q\d\d-.*\.ipynb$/.test(f))
  .map((f) => f.replace(/\.ipynb$/, ''))
  .sort();
const pages = ['index', ...notebooks];

let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Without the background-networking flags Chromium tries to reach Google's hosts at start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--allow-file-access-from-files'],
  });
});

afterAll(async () => {
  await browser?.close();
});

interface PageReport {
  errors: string[];
  network: string[];
  mathSource: number;
  typeset: number;
  mathErrors: number;
  images: { total: number; broken: string[] };
  svgs: { total: number; empty: number };
  plotly: { total: number; drawn: number };
  links: string[];
}

async function inspect(name: string): Promise<PageReport> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  const errors: string[] = [];
  const network: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!/^(file|data|blob|about):/.test(r.url())) network.push(r.url());
  });
  page.on('requestfailed', (r) => errors.push(`failed to load ${r.url()}: ${r.failure()?.errorText}`));
  await page.goto(`file://${path.join(guide, `${name}.html`)}`, { waitUntil: 'load' });
  // MathJax 2 typesets asynchronously: once it has loaded, a callback queued behind the page's
  // Typeset call runs when typesetting is done.
  if (await page.$('script[src*="MathJax.js"]')) {
    await page.waitForFunction(() => !!(window as unknown as { MathJax?: { Hub?: unknown } }).MathJax?.Hub, undefined, { timeout: 30_000 });
    await page.evaluate(
      () => new Promise<void>((done) => (window as unknown as { MathJax: { Hub: { Queue: (f: () => void) => void } } }).MathJax.Hub.Queue(() => done())),
    );
  }
  await page.waitForTimeout(200);
  const report = await page.evaluate(() => {
    const text = Array.from(document.querySelectorAll('.jp-MarkdownOutput')).map((e) => e.textContent ?? '').join('\n');
    const imgs = Array.from(document.images);
    const svgs = Array.from(document.querySelectorAll('.jp-OutputArea-output svg:not(.main-svg)'));
    const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
    return {
      mathSource: (text.match(/\$\$|\\\(|\\\[/g) ?? []).length,
      typeset: document.querySelectorAll('.MathJax_CHTML, .mjx-chtml').length,
      mathErrors: document.querySelectorAll('.MathJax_Error, merror, .mjx-merror').length,
      images: {
        total: imgs.length,
        broken: imgs.filter((i) => !i.complete || i.naturalWidth === 0 || i.naturalHeight === 0).map((i) => i.src.slice(0, 60)),
      },
      svgs: { total: svgs.length, empty: svgs.filter((s) => s.childElementCount === 0).length },
      plotly: { total: plots.length, drawn: plots.filter((p) => p.querySelector('.main-svg')).length },
      links: Array.from(document.querySelectorAll('a[href]')).map((a) => a.getAttribute('href') ?? ''),
    };
  });
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
  await page.close();
  return { errors, network, ...report };
}

describe('study guide in Chromium', () => {
  it('has Chromium and a rendered guide', () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} (apt-get install chromium)`).toBe(true);
    expect(existsSync(path.join(guide, 'index.html'))).toBe(true);
  });

  for (const name of pages) {
    it(`${name}: loads offline, typesets math, shows every figure`, async () => {
      const r = await inspect(name);
      expect(r.errors, 'console errors').toEqual([]);
      expect(r.network, 'network requests').toEqual([]);
      expect(r.mathErrors, 'MathJax errors').toBe(0);
      if (r.mathSource > 0) expect(r.typeset, 'typeset formulas').toBeGreaterThan(0);
      expect(r.images.broken, 'broken images').toEqual([]);
      expect(r.svgs.empty, 'empty inline SVGs').toBe(0);
      expect(r.plotly.drawn, 'plotly figures drawn').toBe(r.plotly.total);
      // Every local link points at a page that exists.
      for (const href of r.links.filter((h) => !/^(https?:|#|mailto:)/.test(h))) {
        expect(existsSync(path.join(guide, href.split('#')[0])), `link ${href}`).toBe(true);
      }
      if (name === 'index') {
        for (const n of notebooks) expect(r.links).toContain(`${n}.html`);
        // Exactly the $...$ spans are math: a MathJax config whose \( delimiter lost its backslash
        // in a JS string typeset every parenthesis ("Network (CNN)" as italic math).
        const body = readFileSync(path.join(guide, 'index.html'), 'utf8').split('<body')[1];
        expect(r.typeset, 'typeset formulas on the index').toBe((body.match(/\$[^$]+\$/g) ?? []).length);
      } else {
        const nb = JSON.parse(readFileSync(path.join(ROOT, 'build', 'notebooks', `${name}.ipynb`), 'utf8'));
        const figures = nb.cells
          .flatMap((c: { outputs?: { data?: Record<string, unknown> }[] }) => c.outputs ?? [])
          .filter((o: { data?: Record<string, unknown> }) => o.data && ('image/svg+xml' in o.data || 'image/png' in o.data)).length;
        expect(r.images.total + r.plotly.total, 'figures on the page').toBeGreaterThanOrEqual(figures);
        expect(r.links).toContain('index.html');
      }
    });
  }
});
