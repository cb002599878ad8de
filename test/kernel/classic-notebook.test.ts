// Figures as a user of the classic Notebook (Debian's jupyter-notebook 6.4) sees them: a notebook is run
// through the Notebook's own page in headless Chromium, and every figure must fit its output cell (no
// horizontal scrollbar). The Notebook has no vega-lite renderer, so it shows each figure's static SVG;
// the widest static figure of every executed project notebook is then checked against the cell width
// measured here.
import { spawn, type ChildProcess } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, notebook, removeTrees, ROOT, writeTree } from './harness';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const executed = path.resolve(ROOT, process.env.CNN_EXECUTED_DIR ?? path.join('build', 'notebooks'));

const CELLS = [
  'import { tf, ready, loadMnist, imageGridSpec, featureMapsSpec, trainingCurvesSpec, showVegaLite } from "cnnlib";\nawait ready();\nconsole.log("ready");',
  // q01's figure: 16 digits, 8 a row, long captions
  'const { xs, labels } = loadMnist("test", { count: 16 });\nconst ys = Array.from(labels.dataSync());\n' +
    'const ims = ys.map((y, i) => ({ values: xs.slice([i, 0, 0, 0], [1, 28, 28, 1]).dataSync(), height: 28, width: 28, title: `true ${y}, predicted ${(y + i) % 10}` }));\n' +
    'await showVegaLite(imageGridSpec(ims, { columns: 8, title: "First 16 MNIST test digits" }));',
  // 16 feature maps of a random conv on a digit, with the input beside them
  'const x = xs.slice([0, 0, 0, 0], [1, 28, 28, 1]);\nconst maps = tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: "relu" }).apply(x) as tf.Tensor;\n' +
    'await showVegaLite(featureMapsSpec(maps, { input: x, title: "conv1" }));',
  'await showVegaLite(trainingCurvesSpec({ loss: [1, 0.5, 0.3], val_loss: [1.1, 0.6, 0.4], acc: [0.5, 0.8, 0.9], val_acc: [0.45, 0.75, 0.85] }));',
];

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let log = '';

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  removeTrees();
});

/** Start Debian's classic Notebook server on a free port, serving `dir`, with the project's kernelspec. */
async function startNotebook(dir: string): Promise<string> {
  const port = await freePort();
  const token = 'cnn-classic-test';
  server = spawn('/usr/bin/jupyter-notebook', ['--no-browser', `--port=${port}`, '--ip=127.0.0.1', `--NotebookApp.token=${token}`, `--notebook-dir=${dir}`, '--allow-root'], {
    env: { ...process.env, JUPYTER_PATH: path.join(ROOT, 'build', 'jupyter'), PYDEVD_DISABLE_FILE_VALIDATION: '1', BROWSER: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => (log += d));
  server.stderr!.on('data', (d) => (log += d));
  const until = Date.now() + 60_000;
  while (!/is running at|Use Control-C/.test(log)) {
    if (Date.now() > until || server.exitCode !== null) throw new Error(`the Notebook server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return `http://127.0.0.1:${port}/notebooks/nb.ipynb?token=${token}`;
}

interface Output { classes: string; width: number; scrollWidth: number; figures: { tag: string; width: number }[] }
let cellWidth = 0;

describe('figures in the classic Notebook', () => {
  it('a notebook run through the Notebook page shows every figure inside its cell', async () => {
    expect(existsSync('/usr/bin/jupyter-notebook'), 'Debian jupyter-notebook (make setup)').toBe(true);
    const dir = writeTree('classic', { 'nb.ipynb': notebook(CELLS) });
    const url = await startNotebook(dir);
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(url);
      type J = { notebook: { kernel?: { is_connected(): boolean }; execute_all_cells(): void; get_cells(): { input_prompt_number: unknown }[] } };
      await page.waitForFunction(() => !!(window as unknown as { Jupyter?: J }).Jupyter?.notebook?.kernel?.is_connected(), undefined, { timeout: 90_000 });
      await page.evaluate(() => (window as unknown as { Jupyter: J }).Jupyter.notebook.execute_all_cells());
      // Done when every cell has its execution count, or a cell failed (the Notebook stops there).
      await page
        .waitForFunction(
          () =>
            (window as unknown as { Jupyter: J }).Jupyter.notebook.get_cells().every((c) => typeof c.input_prompt_number === 'number') ||
            document.querySelector('.output_error') !== null,
          undefined,
          { timeout: 240_000 },
        )
        .catch(async (e) => {
          const state = await page.evaluate(() => (window as unknown as { Jupyter: J }).Jupyter.notebook.get_cells().map((c) => c.input_prompt_number));
          const text = await page.$$eval('.output_subarea', (os) => os.map((o) => (o.textContent ?? '').slice(0, 200)));
          throw new Error(`${(e as Error).message}\ncells: ${JSON.stringify(state)}\noutputs: ${JSON.stringify(text)}\nserver:\n${log.slice(-3000)}`);
        });
      await page.waitForTimeout(500);
      const outs: Output[] = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.output_subarea')).map((o) => ({
          classes: o.className,
          width: o.clientWidth,
          scrollWidth: o.scrollWidth,
          figures: Array.from(o.querySelectorAll('img, svg')).map((f) => ({ tag: f.tagName, width: f.getBoundingClientRect().width })),
        })),
      );
      const errorsShown = await page.$$eval('.output_error', (es) => es.map((e) => e.textContent ?? ''));
      expect(errorsShown, 'cells that failed').toEqual([]);
      const figures = outs.filter((o) => o.figures.length > 0);
      expect(figures.length, `figures shown: ${JSON.stringify(outs)}`).toBe(3);
      for (const o of figures) {
        expect(o.classes, 'the static SVG is what the Notebook shows').toContain('output_svg');
        for (const f of o.figures) expect(f.width, `a figure of ${o.classes}`).toBeLessThanOrEqual(o.width);
        expect(o.scrollWidth, 'no horizontal scrollbar').toBeLessThanOrEqual(o.width);
      }
      cellWidth = Math.min(...outs.map((o) => o.width));
      console.log(`classic Notebook at 1280 px: output cells ${cellWidth} px; figures ${figures.map((o) => Math.round(o.figures[0].width)).join(', ')} px`);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 420_000);

  it("every executed notebook's static figures fit that cell", () => {
    expect(cellWidth, 'measured by the test above').toBeGreaterThan(0);
    const files = readdirSync(executed).filter((f) => /^q\d\d-.*\.ipynb$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const wide: string[] = [];
    let figures = 0;
    for (const f of files) {
      const nb = JSON.parse(readFileSync(path.join(executed, f), 'utf8'));
      for (const c of nb.cells) {
        for (const o of c.outputs ?? []) {
          const svg = o.data?.['image/svg+xml'];
          if (!svg) continue;
          figures += 1;
          const w = Number((Array.isArray(svg) ? svg.join('') : svg).match(/^<svg[^>]*\swidth="([\d.]+)"/)?.[1]);
          if (!(w <= cellWidth)) wide.push(`${f} cell ${c.id}: ${w} px`);
        }
      }
    }
    expect(figures).toBeGreaterThan(20);
    expect(wide, `figures wider than the classic Notebook's ${cellWidth} px cell`).toEqual([]);
  });
});
