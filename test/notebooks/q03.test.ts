import * as vega from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

/** The test's own convolution of a single-channel image (zero padding p, stride s), independent of lib/ops. */
function conv(img: number[][], k: number[][], s: number, p: number): number[][] {
  const h = img.length;
  const w = img[0].length;
  const at = (r: number, c: number) => (r < 0 || c < 0 || r >= h || c >= w ? 0 : img[r][c]);
  const oh = Math.floor((h - k.length + 2 * p) / s) + 1;
  const ow = Math.floor((w - k[0].length + 2 * p) / s) + 1;
  return Array.from({ length: oh }, (_, i) =>
    Array.from({ length: ow }, (_, j) => k.reduce((acc, row, m) => acc + row.reduce((a, v, n) => a + v * at(i * s + m - p, j * s + n - p), 0), 0)),
  );
}

/** Output length along one axis by the test's own reading of each padding type (Dumoulin & Visin 2016). */
function outLength(n: number, k: number, s: number, d: number, pad: string): number | null {
  const keff = (k - 1) * d + 1;
  if (pad === 'same') return Math.ceil(n / s);
  const zeros = pad === 'valid' ? 0 : pad === 'full' ? 2 * (keff - 1) : keff - 1; // causal: before only
  return n + zeros < keff ? null : Math.floor((n + zeros - keff) / s) + 1;
}

/** The figure's own output lengths (its calculate transforms, run by Vega) at one setting of its params. */
async function figureLengths(spec: Record<string, unknown>, k: number, s: number, d: number, pad: string) {
  const view = new vega.View(vega.parse(compile(spec as never).spec), { renderer: 'none' });
  view.signal('k', k).signal('s', s).signal('d', d).signal('pad', pad);
  await view.runAsync();
  const rows = view.data('data_0') as { n: number; out: number | null }[];
  view.finalize();
  return new Map(rows.map((r) => [r.n, r.out]));
}

const IMAGE = Array.from({ length: 6 }, () => [0, 0, 0, 1, 1, 1]);
const EDGE = [
  [1, 0, -1],
  [1, 0, -1],
  [1, 0, -1],
];

describe('q03-convolution-operation', () => {
  const nb = new Executed('q03-convolution-operation');

  it('runs clean', () => {
    nb.expectOk();
  });

  it('prints the valid convolution of the seed image, hand-written and tf.conv2d alike', () => {
    const expected = JSON.stringify(conv(IMAGE, EDGE, 1, 0));
    expect(nb.stdout).toContain(`hand-written conv2d, valid, stride 1: ${expected}`);
    expect(nb.stdout).toContain(`tf.conv2d,           valid, stride 1: ${expected}`);
    expect(nb.number('max |hand - tf|:')).toBeLessThanOrEqual(1e-5);
    // true convolution = cross-correlation with the kernel rotated by 180 degrees
    const flipped = EDGE.map((r) => [...r].reverse()).reverse();
    expect(nb.stdout).toContain(`true convolution (kernel flipped), row 0: ${JSON.stringify(conv(IMAGE, flipped, 1, 0)[0])}`);
    const relu = Math.max(0, ...conv(IMAGE, EDGE, 1, 0).flat());
    expect(nb.number('largest value of the valid output after a ReLU:')).toBe(relu);
  });

  it('prints the stride and padding variants with the sizes of the floor formula', () => {
    for (const [label, s, p] of [['stride 2', 2, 0], ['padding 1', 1, 1], ['stride 2 + padding 1', 2, 1]] as const) {
      const out = conv(IMAGE, EDGE, s, p);
      const size = Math.floor((6 - 3 + 2 * p) / s) + 1;
      expect(out.length).toBe(size);
      expect(nb.stdout).toContain(`${label}: output shape [1,${size},${size},1], formula floor((6 - 3 + 2*${p}) / ${s}) + 1 = ${size}`);
      expect(nb.stdout).toContain(`  ${label} output: ${JSON.stringify(out)}`);
      const diff = nb.stdout.match(new RegExp(`^${label.replace(/\+/g, '\\+')}: .*max \\|hand - tf\\| = (\\S+)`, 'm'));
      expect(Number(diff![1])).toBeLessThanOrEqual(1e-5);
    }
    // stride 2, valid: windows start at 0, 2, ...; the last one ends k - 1 further on
    const n2 = Math.floor((6 - 3) / 2) + 1;
    const starts = Array.from({ length: n2 }, (_, i) => 2 * i);
    expect(nb.stdout).toContain(`windows start at columns ${starts.join(', ')}; the last column read is ${starts[n2 - 1] + 2} of 0-5`);
    expect(nb.number("max |'same' - padding 1| (3x3 kernel, stride 1):")).toBe(0);
  });

  const padTable = () => nb.table('n').rows.map(([n, k, s, d, keff, pad, formula, shape]) => ({
    n: Number(n), k: Number(k), s: Number(s), d: Number(d), keff: Number(keff), pad, formula: Number(formula), shape,
  }));

  it('prints output sizes of the four padding types that match tf.conv2d shapes and the formulas', () => {
    const rows = padTable();
    expect(new Set(rows.map((r) => r.pad))).toEqual(new Set(['valid', 'same', 'full', 'causal']));
    expect(rows.some((r) => r.s > 1) && rows.some((r) => r.d > 1)).toBe(true);
    for (const r of rows) {
      const out = outLength(r.n, r.k, r.s, r.d, r.pad);
      expect(r.keff).toBe((r.k - 1) * r.d + 1);
      expect(r.formula, JSON.stringify(r)).toBe(out);
      expect(r.shape, JSON.stringify(r)).toBe(JSON.stringify([1, out, out, 1]));
    }
    // no row has both a stride and a dilation above 1: tf.conv2d refuses it
    expect(rows.some((r) => r.s > 1 && r.d > 1)).toBe(false);
    expect(nb.stdout).toMatch(/strides 2 with dilations 2: Error in conv2D: Either strides or dilations must be 1/);
    // recall 4 and 5 read these rows
    expect(rows.find((r) => r.n === 28 && r.k === 5 && r.pad === 'same')!.formula).toBe(28);
    expect(rows.filter((r) => r.n === 10 && r.d === 2).map((r) => [r.pad, r.formula])).toEqual([
      ['valid', 6], ['same', 10], ['full', 14], ['causal', 10],
    ]);
  });

  it('has an interactive output-size figure whose formula gives the tf.conv2d shapes', async () => {
    const fig = nb.displays.find((d) => {
      const spec = d['application/vnd.vegalite.v5+json'] as { params?: { bind?: unknown }[] } | undefined;
      return spec?.params?.some((p) => p.bind);
    });
    expect(fig).toBeDefined();
    const spec = fig!['application/vnd.vegalite.v5+json'] as Record<string, unknown> & { params: { name: string; bind?: unknown }[] };
    expect(spec.params.filter((p) => p.bind).map((p) => p.name).sort()).toEqual(['d', 'k', 'pad', 's']);
    expect(JSON.stringify(spec).length).toBeLessThan(200_000);
    // at every setting of the table: the figure's value at n equals the length tf.conv2d returned
    for (const r of padTable()) {
      const lengths = await figureLengths(spec, r.k, r.s, r.d, r.pad);
      expect(JSON.stringify([1, lengths.get(r.n), lengths.get(r.n), 1]), JSON.stringify(r)).toBe(r.shape);
    }
    // and over a grid of settings and all 64 input lengths, the test's formula
    for (const k of [1, 2, 3, 5, 11]) for (const s of [1, 2, 3]) for (const d of [1, 3]) for (const pad of ['valid', 'same', 'full', 'causal']) {
      const lengths = await figureLengths(spec, k, s, d, pad);
      for (let n = 1; n <= 64; n++) expect(lengths.get(n) ?? null, `${k} ${s} ${d} ${pad} n=${n}`).toBe(outLength(n, k, s, d, pad));
    }
  });

  it('counts the usual kernel sizes: three 3x3 layers see 7x7 with fewer weights than one 7x7', () => {
    const { header, rows } = nb.table('layers, 64 -> 64 channels');
    expect(header).toEqual(['layers, 64 -> 64 channels', 'params', 'receptive field']);
    const params = (k: number) => (k * k * 64 + 1) * 64;
    expect(rows).toEqual([
      ...[1, 3, 5, 7].map((k) => [`one ${k}x${k}`, String(params(k)), String(k)]),
      ['three 3x3', String(3 * params(3)), String(1 + 3 * 2)],
    ]);
    expect(nb.markdown).toContain(`${(3 * params(3)).toLocaleString('en-US')} against ${params(7).toLocaleString('en-US')}`);
    expect(nb.stdout).toContain(`output [null,${32 - 5 + 1},${32 - 5 + 1},16], parameters ${(5 * 5 * 3 + 1) * 16}`);
  });

  it('shows im2col as 16 windows of 9 pixels whose products give the same output', () => {
    expect(nb.stdout).toContain('im2col matrix shape: [16,9]');
    // output (0, 2) covers columns 2..4 of rows 0..2
    const window = [0, 1, 2].flatMap((r) => IMAGE[r].slice(2, 5));
    expect(nb.stdout).toContain(`window of output (0, 2) as a row: ${JSON.stringify(window)}`);
    expect(nb.number('that row times the flattened kernel:')).toBe(conv(IMAGE, EDGE, 1, 0)[0][2]);
    expect(nb.number('max |im2col conv - loop conv|:')).toBeLessThanOrEqual(1e-6);
    // pixel r of an axis is covered by the windows starting at max(0, r - 2) .. min(3, r)
    const cover = Array.from({ length: 6 }, (_, r) => Math.min(3, r) - Math.max(0, r - 2) + 1);
    const copies = cover.flatMap((a) => cover.map((b) => a * b));
    const mean = copies.reduce((a, b) => a + b) / 36;
    expect(nb.stdout).toContain(`im2col holds ${16 * 9} numbers for 36 pixels; copies per pixel: min ${Math.min(...copies)}, max ${Math.max(...copies)}, mean ${mean}`);
  });

  it('applies two kernels to the first MNIST test digit (a 7) and agrees with tf.conv2d', () => {
    expect(nb.number('digit label:')).toBe(7); // the first image of the MNIST test set is a 7
    expect(nb.stdout).toContain('feature maps shape: [1,28,28,2]');
    expect(nb.number('max |hand - tf| on the digit:')).toBeLessThanOrEqual(1e-5);
  });

  it('shows the heatmap figures and the errata', () => {
    const figs = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(figs.length).toBe(3);
    for (const f of figs) expect(String(f['image/png']).length).toBeGreaterThan(1000);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*high values/s);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*floor/s);
  });

  it('has recall answers a reader can reveal, one per question, and cites its claims', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(6);
    expect(answers).toHaveLength(questions.length);
    for (const cite of ['Goodfellow', 'Simonyan & Zisserman 2014', 'Dumoulin & Visin 2016', 'van den Oord', 'Krizhevsky']) {
      expect(nb.markdown).toContain(cite);
    }
    expect(nb.markdown).not.toMatch(/wasm|thread|the seed\b/i);
  });

  it('rejects impossible shapes with one-line messages', () => {
    // 4 = (6 - 3)/1 + 1 for the valid convolution of the 6x6 image.
    expect(nb.stdout).toContain('valid output has the expected shape [1, 4, 4, 1]');
    expect(nb.stdout).toContain('ArgError: conv2d: kernel must be no larger than the padded input [6, 6], got [7, 7]');
    expect(nb.stdout).toContain('ArgError: convOutputSize: kernelSize must be a positive integer, got 2.5');
  });
});
