import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

describe('q01-what-is-a-cnn', () => {
  const nb = new Executed('q01-what-is-a-cnn');
  const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
  const dense = (nin: number, nout: number) => (nin + 1) * nout;

  it('runs clean', () => {
    nb.expectOk();
  });

  it('prints the backend it chose', () => {
    expect(nb.stdout).toMatch(/^cnnlib: backend (tensorflow|wasm|cpu)/m);
    // On wasm the line names the thread count, which the runner sets to the cores per notebook.
    const wasm = nb.stdout.match(/^cnnlib: backend wasm \(XNNPACK(?:, SIMD)?, (\d+) threads?;/m);
    if (/^cnnlib: backend wasm/m.test(nb.stdout)) expect(Number(wasm?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('prints the parameter counts that the formulas give', () => {
    // 28 -conv3-> 26 -pool2-> 13 -conv3-> 11 -pool2-> 5, so the flattened size is 5*5*64.
    const expected = conv(3, 1, 32) + conv(3, 32, 64) + dense(5 * 5 * 64, 64) + dense(64, 10);
    expect(nb.number('Total params:')).toBe(expected);
    expect(nb.stdout).toMatch(/\(None, 5, 5, 64\)/);
    expect(nb.number('q1Cnn() params:')).toBe(expected);
  });

  it('compares conv1 with the dense layer of the same input and output sizes', () => {
    expect(nb.number('conv1 params:')).toBe(conv(3, 1, 32));
    expect(nb.number('dense layer with the same input and output sizes:')).toBe(dense(28 * 28, 26 * 26 * 32));
  });

  it('trains on noise as the seed does, three epochs, and predicts a class', () => {
    const epochs = nb.stdout.match(/^noise epoch \d+: loss [\d.]+, accuracy [\d.]+$/gm) ?? [];
    expect(epochs).toHaveLength(3);
    const k = nb.number('Predicted class:');
    expect(Number.isInteger(k) && k >= 0 && k <= 9).toBe(true);
    expect(nb.number('probabilities sum to')).toBeCloseTo(1, 3);
  });

  it('learns real MNIST: test accuracy well above chance', () => {
    const acc = nb.number('MNIST test accuracy:');
    const m = nb.stdout.match(/MNIST test accuracy: [\d.]+ \((\d+) of 1000\)/)!;
    expect(acc).toBeCloseTo(Number(m[1]) / 1000, 4);
    // A small CNN on 3,000 digits for 2 epochs reaches about 90-95%; chance is 10%.
    expect(acc).toBeGreaterThan(0.85);
  });

  it('shows figures as vega-lite, SVG and PNG in one output', () => {
    const figs = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(figs.length).toBeGreaterThanOrEqual(1);
    for (const fig of figs) {
      expect(String(fig['image/svg+xml'])).toMatch(/^<svg/);
      expect(String(fig['image/png']).length).toBeGreaterThan(1000);
    }
  });

  it('has an errata note and recall questions', () => {
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*/);
    expect(nb.markdown).toMatch(/## Recall/);
  });
});
