// The rendered study guide, opened from disk in headless Chromium (Debian's package): every page
// loads with no console errors and no network requests, its math is typeset, every figure is
// visible, and a screenshot of each page is saved under build/guide-screenshots/.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../notebooks/executed';

// CNN_GUIDE_DIR / CNN_GUIDE_SHOTS point the test at another rendering (default build/guide).
const guide = path.resolve(ROOT, process.env.CNN_GUIDE_DIR ?? path.join('build', 'guide'));
const shots = path.resolve(ROOT, process.env.CNN_GUIDE_SHOTS ?? path.join('build', 'guide-screenshots'));
const executed = path.resolve(ROOT, process.env.CNN_EXECUTED_DIR ?? path.join('build', 'notebooks'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const notebooks = readdirSync(path.join(ROOT, 'notebooks'))
  .filter((f) => /^q\d\d-.*\.ipynb$/.test(f))
  .map((f) => f.replace(/\.ipynb$/, ''))
  .sort();
const pages = ['index', 'drill', 'cheatsheet', ...notebooks];

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

/** A new page whose uncaught errors and console errors are collected in `errors`. */
async function watchedPage(viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { page, errors };
}

/** Waits until every live figure of the page (figures.js) is drawn or has failed. */
async function figuresSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const f = (window as unknown as { cnnFigures?: { total: number; drawn: number; failed: number } }).cnnFigures;
    return !!f && f.drawn + f.failed === f.total;
  }, undefined, { timeout: 30_000 });
}

interface PageReport {
  errors: string[];
  network: string[];
  mathSource: number;
  typeset: number;
  mathErrors: number;
  images: { total: number; broken: string[] };
  svgs: { total: number; empty: number };
  plotly: { total: number; drawn: number };
  live: { total: number; drawn: number; failed: number; svgs: number };
  search: boolean;
  links: string[];
}

async function inspect(name: string): Promise<PageReport & { narrow: { overflow: number; wide: string[] } }> {
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
  // Live figures (figures.js): every vega-embed call has settled.
  if (await page.$('.cnn-vega')) await figuresSettled(page);
  await page.waitForTimeout(200);
  const report = await page.evaluate(() => {
    const boxes = Array.from(document.querySelectorAll('.cnn-vega'));
    const f = (window as unknown as { cnnFigures?: { drawn: number; failed: number } }).cnnFigures;
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
      live: {
        total: boxes.length, drawn: f?.drawn ?? 0, failed: f?.failed ?? 0,
        svgs: boxes.filter((b) => (b.querySelector('.cnn-vega-live svg')?.childElementCount ?? 0) > 0).length,
      },
      search: !!document.querySelector('form.cnn-search input[type="search"]'),
      links: Array.from(document.querySelectorAll('a[href]')).map((a) => a.getAttribute('href') ?? ''),
    };
  });
  // The whole page, then the width of a phone: the body must not scroll sideways (code wraps, wide
  // output scrolls in its own box).
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.waitForTimeout(150);
  const narrow = await page.evaluate(() => {
    const doc = document.documentElement;
    const wide = Array.from(document.body.querySelectorAll('*'))
      .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 1 && getComputedStyle(e).position !== 'fixed')
      .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${(e.getAttribute('class') ?? '').split(' ')[0]}`);
    return { overflow: doc.scrollWidth - doc.clientWidth, wide };
  });
  await page.screenshot({ path: path.join(shots, `${name}-375.png`) });
  await page.close();
  return { errors, network, ...report, narrow };
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
      expect(r.live.failed, 'live figures that failed').toBe(0);
      expect(r.live.drawn, 'live figures drawn').toBe(r.live.total);
      expect(r.live.svgs, 'live figures with an SVG').toBe(r.live.total);
      expect(r.search, 'a search box').toBe(true);
      expect(r.narrow.overflow, `horizontal overflow at 375 px (${r.narrow.wide.join(', ')})`).toBeLessThanOrEqual(0);
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
      } else if (notebooks.includes(name)) {
        const nb = JSON.parse(readFileSync(path.join(executed, `${name}.ipynb`), 'utf8'));
        const figures = nb.cells
          .flatMap((c: { outputs?: { data?: Record<string, unknown> }[] }) => c.outputs ?? [])
          .filter((o: { data?: Record<string, unknown> }) => o.data && ('image/svg+xml' in o.data || 'image/png' in o.data)).length;
        expect(r.images.total + r.plotly.total, 'figures on the page').toBeGreaterThanOrEqual(figures);
        expect(r.links).toContain('index.html');
      }
    });
  }
});

// A figure whose vega-lite params are bound to inputs (a slider) stays interactive in the guide:
// the same markup the renderer writes, with the guide's own scripts, in a page of its own.
describe('live figure with a slider', () => {
  it('redraws when the slider moves', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cnn-guide-slider-'));
    for (const f of ['figures.js', 'guide.css']) symlinkSync(path.join(guide, f), path.join(dir, f));
    symlinkSync(path.join(guide, 'vega'), path.join(dir, 'vega'));
    const spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      params: [{ name: 'k', value: 3, bind: { input: 'range', min: 1, max: 9, step: 2, name: 'kernel ' } }],
      data: { sequence: { start: 1, stop: 33, as: 'n' } },
      transform: [{ calculate: 'datum.n - k + 1', as: 'out' }],
      mark: 'bar',
      encoding: { x: { field: 'n', type: 'ordinal' }, y: { field: 'out', type: 'quantitative', scale: { domain: [-8, 32] } } },
    };
    const json = JSON.stringify(spec).replace(/</g, '\\u003c');
    writeFileSync(path.join(dir, 'slider.html'), `<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="guide.css"><script src="vega/vega.min.js"></script><script src="vega/vega-lite.min.js"></script>
<script src="vega/vega-embed.min.js"></script><script src="figures.js" defer></script></head><body>
<div class="cnn-vega"><div class="cnn-vega-live"></div><script type="application/json" class="cnn-vega-spec">${json}</script>
<img class="cnn-figure cnn-vega-static" alt="static" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></div></body></html>`);
    const { page, errors } = await watchedPage({ width: 800, height: 600 });
    try {
      await page.goto(`file://${path.join(dir, 'slider.html')}`, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as unknown as { cnnFigures?: { drawn: number } }).cnnFigures?.drawn === 1, undefined, { timeout: 30_000 });
      const bars = () => page.$$eval('.cnn-vega-live svg path[aria-roledescription="bar"], .cnn-vega-live svg .mark-rect path',
        (ps) => ps.map((p) => p.getAttribute('d')).join('|'));
      const before = await bars();
      expect(before.length, 'bars drawn').toBeGreaterThan(0);
      expect(await page.isVisible('img.cnn-vega-static'), 'static fallback hidden once drawn').toBe(false);
      // What a drag does: the value changes and the input fires its input event.
      await page.$eval('.vega-bindings input[type="range"]', (el) => {
        (el as HTMLInputElement).value = '9';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.waitForTimeout(300);
      const after = await bars();
      expect(after, 'figure redrawn after moving the slider').not.toBe(before);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Offline search: typing in the index's box lists sections of the pages, linked to their anchors.
describe('search', () => {
  it('finds a section and links to its anchor', async () => {
    const { page, errors } = await watchedPage({ width: 1280, height: 900 });
    try {
      await page.goto(`file://${path.join(guide, 'index.html')}`, { waitUntil: 'load' });
      await page.fill('form.cnn-search input', 'receptive field');
      await page.waitForSelector('.cnn-search-results a', { timeout: 30_000 });
      const hits = await page.$$eval('.cnn-search-results a', (as) =>
        as.map((a) => ({ href: a.getAttribute('href') ?? '', text: a.textContent ?? '' })));
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.some((h) => h.href.startsWith('q09-')), 'Q9 among the hits').toBe(true);
      for (const h of hits.slice(0, 3)) {
        const [file, anchor] = h.href.split('#');
        expect(file).toMatch(/^q\d\d-[\w-]+\.html$/);
        const target = readFileSync(path.join(guide, file), 'utf8');
        if (anchor) expect(target.includes(`id="${anchor}"`), `anchor ${h.href}`).toBe(true);
      }
      await page.click('.cnn-search-results a');
      await page.waitForLoadState('load');
      expect(page.url()).toContain(hits[0].href.split('#')[0]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

// Self-test: the drill page shows one question, reveals its short answer, moves on; recall answers
// in the pages open in place, with their math typeset.
describe('self-test', () => {
  async function open(file: string, errors: string[]) {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`file://${path.join(guide, file)}`, { waitUntil: 'load' });
    await page.waitForFunction(() => !!(window as unknown as { MathJax?: { Hub?: unknown } }).MathJax?.Hub, undefined, { timeout: 30_000 });
    await page.evaluate(
      () => new Promise<void>((done) => (window as unknown as { MathJax: { Hub: { Queue: (f: () => void) => void } } }).MathJax.Hub.Queue(() => done())),
    );
    return page;
  }

  it('the drill reveals an answer and moves to the next question', async () => {
    const errors: string[] = [];
    const page = await open('drill.html', errors);
    try {
      const visible = () => page.$$eval('.cnn-card', (cs) => cs.filter((c) => (c as HTMLElement).offsetParent !== null).map((c) => c.id));
      expect(await page.$$eval('.cnn-card', (cs) => cs.length)).toBe(notebooks.length);
      expect(await visible()).toEqual(['card-1']);
      expect(await page.isVisible('#card-1 .cnn-card-answer'), 'answer hidden before the reveal').toBe(false);
      await page.click('.cnn-drill-reveal');
      expect(await page.isVisible('#card-1 .cnn-card-answer'), 'answer shown after the reveal').toBe(true);
      const answer = (await page.textContent('#card-1 .cnn-card-answer')) ?? '';
      expect(answer.trim().length, 'answer text').toBeGreaterThan(40);
      await page.click('.cnn-drill-next');
      expect(await visible()).toEqual(['card-2']);
      expect(await page.isVisible('#card-2 .cnn-card-answer')).toBe(false);
      await page.click('.cnn-drill-prev');
      await page.click('.cnn-drill-prev');
      expect(await visible(), 'previous wraps around').toEqual([`card-${notebooks.length}`]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a recall answer opens in place with its math typeset', async () => {
    const withAnswers = notebooks.filter((n) => /<details class="cnn-answer">[^]*?\$/.test(readFileSync(path.join(guide, `${n}.html`), 'utf8')));
    if (withAnswers.length === 0) return; // no notebook has recall answers yet
    const errors: string[] = [];
    const page = await open(`${withAnswers[0]}.html`, errors);
    try {
      const details = page.locator('details.cnn-answer').filter({ hasText: '$' }).first();
      const any = page.locator('details.cnn-answer').first();
      const target = (await details.count()) ? details : any;
      expect(await target.locator('.cnn-answer-body').isVisible(), 'closed at first').toBe(false);
      await target.locator('summary').click();
      expect(await target.locator('.cnn-answer-body').isVisible(), 'open after a click').toBe(true);
      // Math in answers is typeset with the page (no raw $ left in the answers that have math).
      const raw = await page.$$eval('details.cnn-answer .cnn-answer-body', (bs) => bs.filter((b) => /\$[^$]+\$/.test(b.textContent ?? '')).length);
      expect(raw, 'answers with untypeset $...$').toBe(0);
      const typeset = await page.$$eval('details.cnn-answer .MathJax_CHTML, details.cnn-answer .mjx-chtml', (m) => m.length);
      expect(typeset, 'typeset formulas in answers').toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

// The interactive figures of the real guide: every figure whose vega-lite params are bound to inputs
// redraws when each input changes, and every figure with a hover selection (training curves) shows,
// at the step under the pointer, the values its data holds there.
type Param = { name: string; bind?: unknown; select?: unknown };
function paramsOf(spec: unknown): Param[] {
  const out: Param[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'params' && Array.isArray(x)) out.push(...(x as Param[]));
        else if (k !== 'data') walk(x);
      }
    }
  };
  walk(spec);
  return out;
}

describe('interactive figures of the guide', () => {
  const seen = { sliders: [] as string[], hovers: [] as string[] };
  for (const name of notebooks) {
    it(`${name}: inputs redraw their figure, hovers show the data's numbers`, async () => {
      const html = readFileSync(path.join(guide, `${name}.html`), 'utf8');
      if (!html.includes('class="cnn-vega"')) return;
      const { page, errors } = await watchedPage({ width: 1280, height: 900 });
      try {
        await page.goto(`file://${path.join(guide, `${name}.html`)}`, { waitUntil: 'load' });
        await figuresSettled(page);
        const boxes = await page.$$('.cnn-vega');
        for (const [i, box] of boxes.entries()) {
          const spec = JSON.parse((await box.$eval('script.cnn-vega-spec', (s) => s.textContent)) ?? '{}');
          const params = paramsOf(spec);
          const svg = () => box.$eval('.cnn-vega-live', (e) => e.innerHTML);
          if (params.some((p) => p.bind)) {
            const inputs = await box.$$('.vega-bindings input, .vega-bindings select');
            expect(inputs.length, `${name} figure ${i}: its inputs`).toBeGreaterThan(0);
            const radioGroups = new Set<string>();
            for (const [j, input] of inputs.entries()) {
              // a group of radio buttons is one input: choose one that is not chosen yet
              const radio = await input.evaluate((el) => (el instanceof HTMLInputElement && el.type === 'radio' ? el.name : ''));
              if (radio && radioGroups.has(radio)) continue;
              if (radio) radioGroups.add(radio);
              const before = await svg();
              await input.evaluate((el) => {
                if (el instanceof HTMLSelectElement) el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
                else if (el instanceof HTMLInputElement && el.type === 'radio') {
                  const other = Array.from(document.querySelectorAll<HTMLInputElement>(`input[type="radio"][name="${el.name}"]`)).find((r) => !r.checked);
                  other?.click();
                  return;
                } else if (el instanceof HTMLInputElement && el.type === 'checkbox') el.click();
                else if (el instanceof HTMLInputElement) el.value = el.value === el.max ? el.min : el.max;
                el.dispatchEvent(new Event('input', { bubbles: true }));
                el.dispatchEvent(new Event('change', { bubbles: true }));
              });
              await page.waitForTimeout(250);
              expect(await svg(), `${name} figure ${i}: redrawn after input ${j} changed`).not.toBe(before);
            }
            seen.sliders.push(`${name}#${i}`);
          }
          if (params.some((p) => p.name === 'hover' && p.select)) {
            const rows = (spec.data?.values ?? []) as { step: number; series: string; value: number }[];
            const area = (await box.$('.cnn-vega-live svg'))!;
            await area.scrollIntoViewIfNeeded();
            const b = (await area.boundingBox())!;
            let checked = 0;
            for (let x = b.x + 40; x < b.x + b.width && checked < 3; x += 60) {
              await page.mouse.move(x, b.y + b.height / 2);
              await page.waitForTimeout(120);
              const tip = await page.evaluate(() => {
                const e = document.querySelector('#vg-tooltip-element.visible');
                if (!e) return null;
                return Array.from(e.querySelectorAll('tr')).map((tr) => [tr.querySelector('.key')?.textContent ?? '', tr.querySelector('.value')?.textContent ?? '']);
              });
              if (!tip || tip.length < 2) continue;
              const step = Number(tip[0][1].replace(/,/g, ''));
              for (const [series, text] of tip.slice(1)) {
                if (text === '' || text === '–') continue; // a line this panel does not have
                const matches = rows.filter((r) => r.step === step && r.series === series);
                expect(matches.length, `${name} figure ${i}: ${series} at step ${step} in the data`).toBeGreaterThan(0);
                // d3-format writes thousands separators and U+2212 for minus
                const shown = Number(text.replace(/,/g, '').replace('\u2212', '-'));
                const close = (r: { value: number }) => Math.abs(r.value - shown) <= 1e-4 * Math.max(1, Math.abs(r.value));
                expect(matches.some(close), `${series} at ${step}: '${text}' (data: ${JSON.stringify(matches)})`).toBe(true);
              }
              checked += 1;
            }
            expect(checked, `${name} figure ${i}: tooltips seen while hovering`).toBeGreaterThan(0);
            await page.mouse.move(0, 0);
            seen.hovers.push(`${name}#${i}`);
          }
        }
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('at least eight interactive figures in all, five of them with inputs', () => {
    console.log(`interactive figures: ${seen.sliders.length} with inputs (${seen.sliders.join(', ')}), ${seen.hovers.length} with hover (${seen.hovers.join(', ')})`);
    expect(seen.sliders.length).toBeGreaterThanOrEqual(5);
    expect(seen.sliders.length + seen.hovers.length).toBeGreaterThanOrEqual(8);
  });
});
