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

  it('trains on noise as the reference answer does, three epochs, and predicts a class', () => {
    const epochs = nb.stdout.match(/^noise epoch \d+: loss [\d.]+, accuracy [\d.]+$/gm) ?? [];
    expect(epochs).toHaveLength(3);
    // The prose: training accuracy on noise stays near chance (10%).
    for (const line of epochs) expect(Number(line.match(/accuracy ([\d.]+)/)![1])).toBeLessThan(0.35);
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

  it('takes one training step by hand: gradients shaped like their weights, the same step as tfjs sgd', () => {
    const t = nb.table('weight');
    const shapes = t.rows.map((r) => r[1]);
    expect(shapes).toEqual(['[3, 3, 1, 32]', '[32]', '[3, 3, 32, 64]', '[64]', '[1600, 64]', '[64]', '[64, 10]', '[10]']);
    for (const r of t.rows) {
      expect(r[2]).toBe(r[1]);
      expect(Number(r[3])).toBeGreaterThan(0);
    }
    const before = nb.number('loss before the step (formula):');
    // A fresh network's probabilities are close to uniform: loss near ln 10.
    expect(Math.abs(before - Math.log(10))).toBeLessThan(0.5);
    expect(nb.number('loss before the step (tfjs trainOnBatch):')).toBeCloseTo(before, 4);
    expect(nb.number(/loss after one step, learning rate [\d.]+: ([\d.]+)/)).toBeLessThan(before);
    expect(nb.number(/max \|hand update - tfjs sgd update\| over (\d+) weights/)).toBe(
      conv(3, 1, 32) + conv(3, 32, 64) + dense(5 * 5 * 64, 64) + dense(64, 10),
    );
    expect(nb.number(/tfjs sgd update\| over \d+ weights: ([-+\d.e]+)/)).toBeLessThan(1e-5);
  });

  it('shows that the trained conv1 map of a shifted digit is the shifted map', () => {
    expect(nb.number('ink in the 2 columns lost off the right edge:')).toBe(0);
    expect(nb.number('largest activation of the conv1 map:')).toBeGreaterThan(0.05);
    expect(nb.number(/max \|map\(shifted digit\) - shifted map\(digit\)\|: ([-+\d.e]+)/)).toBeLessThan(1e-4);
  });

  it('real labels beat shuffled labels on every one of three seeds; the printed spread is consistent', () => {
    const t = nb.table('training labels');
    expect(t.header).toEqual(['training labels', 'seed 1', 'seed 2', 'seed 3', 'mean', 'min', 'max']);
    expect(t.rows.map((r) => r[0])).toEqual(['real labels', 'shuffled labels']);
    const stats = t.rows.map((r) => {
      const seeds = r.slice(1, 4).map(Number);
      const [mean, min, max] = r.slice(4).map(Number);
      for (const a of seeds) expect(a >= 0 && a <= 1).toBe(true);
      expect(mean).toBeCloseTo(seeds.reduce((a, b) => a + b, 0) / 3, 3);
      expect(min).toBe(Math.min(...seeds));
      expect(max).toBe(Math.max(...seeds));
      return { min, max };
    });
    // The prose: real labels above 85% on every seed, shuffled below 20% (chance is 10%).
    expect(stats[0].min).toBeGreaterThan(0.85);
    expect(stats[1].max).toBeLessThan(0.2);
    expect(nb.markdown).toMatch(/every seed scores above 85%/);
    expect(nb.markdown).toMatch(/stays below\s+20%/);
  });

  it('states the parameter counts of its prose and answers by the formulas', () => {
    const fmt = (n: number) => n.toLocaleString('en-US').replace(/,/g, '{,}');
    expect(nb.markdown).toContain(`(64 + 1) \\cdot 64 = ${fmt(dense(64, 64))}`);
    expect(nb.markdown).toContain(`(1600 + 1) \\cdot 64 = ${fmt(dense(1600, 64))}`);
    expect(nb.markdown).toContain(dense(28 * 28, 26 * 26 * 32).toLocaleString('en-US'));
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(5);
    expect(answers).toHaveLength(questions.length);
  });

  it('says nothing about the infrastructure', () => {
    expect(nb.markdown).not.toMatch(/wasm|thread|the seed\b/i);
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
