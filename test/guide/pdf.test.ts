// `make pdf`: the whole guide printed by headless Chromium into one PDF (kernel/guide/print-pdf.js,
// joined with poppler's pdfunite). Checks its page count, that every question is in it, and that
// its figures and formulas went in (the printer's per-page report, and the PDF's own images).
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../notebooks/executed';

const guide = path.resolve(ROOT, process.env.CNN_GUIDE_DIR ?? path.join('build', 'guide'));
const executed = path.resolve(ROOT, process.env.CNN_EXECUTED_DIR ?? path.join('build', 'notebooks'));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cnn-guide-pdf-test-'));

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface PrintReport {
  pdfPages: number;
  pages: { page: string; images: number; live: number; plotly: number; typeset: number; printedPages: number; overflowingFormulas: number }[];
}

describe('the guide as one PDF', () => {
  it('has every page, its figures and its math', () => {
    for (const tool of ['pdfunite', 'pdfinfo', 'pdfimages', 'pdftotext']) {
      expect(existsSync(`/usr/bin/${tool}`), `${tool} (apt-get install poppler-utils)`).toBe(true);
    }
    const out = path.join(tmp, 'guide.pdf');
    execFileSync('node', [path.join(ROOT, 'kernel', 'guide', 'print-pdf.js'), guide, out], { stdio: 'inherit', timeout: 600_000 });
    const report = JSON.parse(readFileSync(path.join(tmp, 'guide.json'), 'utf8')) as PrintReport;
    const questions = readdirSync(guide).filter((f) => /^q\d\d-.*\.html$/.test(f));
    expect(report.pdfPages, 'PDF pages').toBeGreaterThanOrEqual(25);
    expect(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [out], { encoding: 'utf8' }))?.[1])).toBe(report.pdfPages);
    expect(report.pages.map((p) => p.page)).toEqual(expect.arrayContaining(['index.html', 'cheatsheet.html', ...questions]));
    // The cheat sheet prints on one landscape page, its formulas scaled to their columns (none cut off).
    const cheat = report.pages.find((p) => p.page === 'cheatsheet.html')!;
    expect(cheat.printedPages, 'cheat sheet pages').toBe(1);
    expect(cheat.overflowingFormulas, 'cheat sheet formulas wider than their column').toBe(0);
    expect(report.pages.reduce((n, p) => n + p.printedPages, 0)).toBe(report.pdfPages);
    // Every figure of every notebook was on the printed page (drawn live, or as its image).
    for (const p of report.pages.filter((q) => questions.includes(q.page))) {
      const nb = JSON.parse(readFileSync(path.join(executed, p.page.replace(/\.html$/, '.ipynb')), 'utf8'));
      const figures = nb.cells
        .flatMap((c: { outputs?: { data?: Record<string, unknown> }[] }) => c.outputs ?? [])
        .filter((o: { data?: Record<string, unknown> }) => o.data && ('image/svg+xml' in o.data || 'image/png' in o.data)).length;
      expect(p.live + p.images + p.plotly, `${p.page}: figures printed`).toBeGreaterThanOrEqual(figures);
      if (readFileSync(path.join(guide, p.page), 'utf8').includes('$')) expect(p.typeset, `${p.page}: formulas typeset`).toBeGreaterThan(0);
    }
    // The PDF itself carries images and every question's title.
    const images = execFileSync('pdfimages', ['-list', out], { encoding: 'utf8' }).trim().split('\n').length - 2;
    expect(images, 'images in the PDF').toBeGreaterThan(0);
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    for (const q of questions) {
      const n = Number(q.slice(1, 3));
      expect(text.includes(`Q${n}.`), `Q${n} in the PDF text`).toBe(true);
    }
  }, 600_000);
});
