import * as vega from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

/** The test's own LRN of one pixel's channel vector (tf.localResponseNormalization's formula). */
function lrnPixel(a: number[], r: number, k: number, alpha: number, beta: number): number[] {
  return a.map((v, c) => {
    let sq = 0;
    for (let j = Math.max(0, c - r); j <= Math.min(a.length - 1, c + r); j++) sq += a[j] * a[j];
    return v / (k + alpha * sq) ** beta;
  });
}

describe('q10-local-response-normalization', () => {
  const nb = new Executed('q10-local-response-normalization');

  it('runs clean', () => {
    nb.expectOk();
  });

  it("normalizes the seed's channel profile as the formula does, hand-written and tf alike", () => {
    const profile = [0.5, 2, 10, 2, 0.5, 0.5, 0.5, 0.5];
    const expected = lrnPixel(profile, 2, 2, 1e-4, 0.75);
    expected.forEach((v, c) => {
      const m = nb.stdout.match(new RegExp(`Channel ${c}: ${profile[c].toFixed(2)} -> (\\S+) \\| (\\S+)`))!;
      expect(Number(m[1])).toBeCloseTo(v, 4);
      expect(Number(m[2])).toBeCloseTo(v, 4);
    });
    expect(expected[2]).toBeCloseTo(5.922, 3); // not the seed's 4.97
    expect(nb.number('max |hand - tf|:')).toBeLessThanOrEqual(1e-5);
    expect(nb.number('bias alone gives 2^0.75 =')).toBeCloseTo(2 ** 0.75, 4);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*4\.97.*5\.92/s);
  });

  it('suppresses around the strong channel with alpha = 0.01, consistently with the formula', () => {
    const before = [5, 4, 6].map((c) => nb.number(new RegExp(`Before LRN, position \\(5,5\\):[\\s\\S]*?Channel ${c}: (\\S+)`)));
    const after = [5, 4, 6].map((c) => nb.number(new RegExp(`After LRN \\(hand-written \\| tf\\):[\\s\\S]*?Channel ${c}: (\\S+)`)));
    // all three share the window of channel 5 only partly; channel 5's own divisor is at least sqrt(1 + 0.01 a5^2)
    expect(after[0]).toBeLessThan(before[0] / Math.sqrt(1 + 0.01 * before[0] ** 2) + 1e-3);
    expect(after[0]).toBeLessThan(10);
    for (let i = 0; i < 3; i++) expect(after[i]).toBeLessThan(before[i]);
    expect(nb.number('max |hand - tf|, 1600 values:')).toBeLessThanOrEqual(1e-5);
  });

  it('counts the parameters of the three models by formula', () => {
    const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
    const base = conv(3, 1, 32) + conv(3, 32, 64) + (5 * 5 * 64 + 1) * 10;
    expect(nb.number('Total params:')).toBe(base);
    expect(nb.number('Model WITH LRN total params:')).toBe(base);
    const bn = 4 * 32 + 4 * 64;
    expect(nb.number(/Model WITH BATCH NORMALIZATION:[\s\S]*?Total params: ([\d,]+)/)).toBe(base + bn);
    expect(nb.number(/Model WITH BATCH NORMALIZATION:[\s\S]*?Non-trainable params: ([\d,]+)/)).toBe(bn / 2);
    expect(nb.stdout).toContain('  lrn1: [null,26,26,32]');
    expect(nb.stdout).toContain('  lrn2: [null,11,11,64]');
  });

  it('reproduces batch normalization by hand', () => {
    expect(nb.stdout).toContain('conv1 output: [64,26,26,32]');
    expect(nb.number('largest |mean| over the 32 channels after BN:')).toBeLessThan(1e-5);
    const [lo, hi] = nb.stdout.match(/variances after BN, min and max: (\S+) (\S+)/)!.slice(1).map(Number);
    const minVar = nb.number('smallest channel variance before BN:');
    // variance after normalization is var / (var + eps): the smallest input variance gives the smallest
    expect(lo).toBeCloseTo(minVar / (minVar + 1e-3), 2);
    expect(hi).toBeLessThan(1);
    expect(nb.number('max |hand conv+BN+ReLU - layers|:')).toBeLessThan(1e-3);
    expect(nb.number('momentum 0.99 ->')).toBeCloseTo(0.99 ** 30, 3);
    expect(nb.number('momentum 0.9 ->')).toBeCloseTo(0.9 ** 30, 3);
  });

  it('keeps the strong/neighbour ratio, as the printed values give it', () => {
    const m = nb.stdout.match(/ratio channel 5 \/ channel 4: before (\S+), after (\S+)/)!;
    const before = nb.number(/Before LRN, position \(5,5\):[\s\S]*?Channel 5: (\S+)/) /
      nb.number(/Before LRN, position \(5,5\):[\s\S]*?Channel 4: (\S+)/);
    expect(Number(m[1])).toBeCloseTo(before, 0);
    // "unchanged" in the prose: after and before agree to 0.1%
    expect(Math.abs(Number(m[2]) / Number(m[1]) - 1)).toBeLessThan(1e-3);
  });

  it('shows by the formula when AlexNet-constant LRN changes ratios', () => {
    const profile = [0.5, 2, 10, 2, 0.5, 0.5, 0.5, 0.5];
    const { header, rows } = nb.table('scale s');
    expect(header).toEqual(['scale s', 'divisor ch 2', 'divisor ch 6', 'k^beta', 'ratio after / before']);
    expect(rows.map((r) => Number(r[0]))).toEqual([1, 10, 30, 100, 300, 1000]);
    for (const r of rows) {
      const s = Number(r[0]);
      const out = lrnPixel(profile.map((v) => v * s), 2, 2, 1e-4, 0.75);
      const d2 = (10 * s) / out[2];
      const d6 = (0.5 * s) / out[6];
      expect(Number(r[1]) / d2).toBeCloseTo(1, 4);
      expect(Number(r[2]) / d6).toBeCloseTo(1, 4);
      expect(Number(r[3])).toBeCloseTo(2 ** 0.75, 4);
      expect(Number(r[4])).toBeCloseTo(out[2] / out[6] / 20, 4); // printed to 4 decimals
    }
    // the prose: at s = 1 divisors within 0.5% of k^beta and ratio changed by < 0.5%; at s = 10 by > 20%
    const [r1, r10] = rows;
    expect(Math.abs(Number(r1[1]) / 2 ** 0.75 - 1)).toBeLessThan(5e-3);
    expect(Math.abs(Number(r1[2]) / 2 ** 0.75 - 1)).toBeLessThan(5e-3);
    expect(Math.abs(Number(r1[4]) - 1)).toBeLessThan(5e-3);
    expect(Number(r10[4])).toBeLessThan(0.8);
    expect(1e-4 * 108.5 * 100).toBeCloseTo(1.085, 6);
    expect(nb.markdown).toContain("\\alpha \\sum a^2 = 1.085");
    expect(Number(rows[5][4])).toBeCloseTo(0.03, 2);
  });

  it("plots one channel's LRN output against its input by the formula", () => {
    const fig = nb.displays.find((d) => 'application/vnd.vegalite.v5+json' in d)!;
    const spec = fig['application/vnd.vegalite.v5+json'] as {
      data: { values: { a: number; b: number; setting: string }[] };
    };
    const params: Record<string, [number, number, number]> = {
      'AlexNet: k=2, alpha=1e-4, beta=0.75': [2, 1e-4, 0.75],
      'k=1, alpha=0.01, beta=0.5': [1, 0.01, 0.5],
      'tfjs defaults: k=1, alpha=1, beta=0.5': [1, 1, 0.5],
    };
    const pts = spec.data.values;
    expect(pts.length).toBe(3 * 81);
    for (const { a, b, setting } of pts) {
      const [k, alpha, beta] = params[setting];
      expect(b / (a / (k + alpha * a * a) ** beta)).toBeCloseTo(1, 4);
    }
    // prose: beta = 0.5 saturates at 1 / sqrt(alpha); the x range is 0.01 .. 1000
    const last = (name: string) => pts.filter((p) => p.setting === name).at(-1)!;
    expect(last('k=1, alpha=0.01, beta=0.5').a).toBeCloseTo(1000, 6);
    expect(last('k=1, alpha=0.01, beta=0.5').b).toBeGreaterThan(9.9);
    expect(last('tfjs defaults: k=1, alpha=1, beta=0.5').b).toBeGreaterThan(0.99);
    expect(nb.number('AlexNet setting, output at a = 1000:')).toBeCloseTo(1000 / (2 + 100) ** 0.75, 3);
    expect(Math.sqrt(2 / 1e-4)).toBeCloseTo(141, 0);
  });

  it('trains none, LRN and batch norm under 3 seeds each, with a consistent spread', () => {
    const { header, rows } = nb.table('normalization');
    expect(header).toEqual(['normalization', 'seed 1', 'seed 2', 'seed 3', 'mean', 'min', 'max']);
    expect(rows.map((r) => r[0])).toEqual(['none', 'lrn', 'batchnorm']);
    const spread: Record<string, [number, number]> = {};
    for (const r of rows) {
      const runs = r.slice(1, 4).map(Number);
      const [mean, min, max] = r.slice(4).map(Number);
      expect(mean).toBeCloseTo(runs.reduce((a, b) => a + b, 0) / 3, 3);
      expect(min).toBeCloseTo(Math.min(...runs), 4);
      expect(max).toBeCloseTo(Math.max(...runs), 4);
      expect(min).toBeLessThanOrEqual(mean);
      expect(mean).toBeLessThanOrEqual(max);
      for (const acc of runs) {
        expect(acc).toBeGreaterThan(0.25); // chance is 0.1
        expect(acc).toBeLessThanOrEqual(1);
      }
      spread[r[0]] = [min, max];
    }
    // the prose: the ranges of none and LRN overlap; batch norm is below both under every seed
    const overlap = (a: [number, number], b: [number, number]) => a[0] <= b[1] && b[0] <= a[1];
    expect(overlap(spread.none, spread.lrn)).toBe(true);
    expect(spread.batchnorm[1]).toBeLessThan(Math.min(spread.none[0], spread.lrn[0]));
    for (const [lo, hi] of Object.values(spread)) {
      expect(nb.markdown).toContain(`${lo.toFixed(3)}–${hi.toFixed(3)}`);
    }
  });

  it('has recall answers a reader can reveal, one per question, that agree with the cells', () => {
    const { text: recall, questions, answers } = nb.recall;
    expect(questions.length).toBe(4);
    expect(answers).toHaveLength(questions.length);
    // answer 2: channel 2's divisor (k + alpha * 108.5)^beta with k = 2, alpha = 1e-4, beta = 0.75
    const divisor = (2 + 1e-4 * 108.5) ** 0.75;
    expect(recall).toContain(`\\approx ${divisor.toFixed(4)}$`);
    // answer 3: a batch norm on 64 channels holds 4 numbers per channel
    expect(recall).toContain(`$4 \\cdot 64 = ${4 * 64}$`);
    expect(nb.number('divisor of channel 2:')).toBeCloseTo(divisor, 4);
  });

  it('attributes the alpha/n form to Caffe, not to the AlexNet paper', () => {
    expect(nb.markdown).not.toMatch(/paper writes \$\\alpha\/n/);
    expect(nb.markdown).not.toContain('a lone strong channel stands out');
    expect(nb.markdown).toMatch(/Caffe's LRN layer\s+instead divides \$\\alpha\$ by \$n\$/);
  });

  it("the slider figure computes LRN's curve for any k, alpha, beta; the bend is where the formula puts it", async () => {
    type Spec = { params?: { name: string; bind?: unknown }[] };
    const spec = nb.displays
      .map((d) => d['application/vnd.vegalite.v5+json'] as Spec | undefined)
      .find((s) => s?.params?.some((p) => p.name === 'log10alpha'))!;
    expect(spec, 'a figure with LRN sliders').toBeDefined();
    expect(spec.params!.map((p) => p.name)).toEqual(['k', 'log10alpha', 'beta']);
    expect(spec.params!.every((p) => p.bind)).toBe(true);
    for (const [k, log10alpha, beta] of [[2, -4, 0.75], [1, -2, 0.5], [4, 0, 1], [0.5, -3.5, 0.25]]) {
      const view = new vega.View(vega.parse(compile(spec as never).spec), { renderer: 'none' });
      view.signal('k', k).signal('log10alpha', log10alpha).signal('beta', beta);
      await view.runAsync();
      const rows = view.data('data_0') as { a: number; b: number }[];
      view.finalize();
      expect(rows.length).toBeGreaterThanOrEqual(50);
      for (const r of rows) {
        // one active channel in a window of radius 2: tf's formula on [0, 0, a, 0, 0]
        const want = lrnPixel([0, 0, r.a, 0, 0], 2, k, 10 ** log10alpha, beta)[2];
        expect(Math.abs(r.b - want) / want).toBeLessThan(1e-9);
      }
    }
    // at a = sqrt(k/alpha) the divisor is (2k)^beta: the output is 2^beta below the straight start
    const a = Math.sqrt(2 / 1e-4);
    expect(nb.number('a = sqrt(k/alpha) =')).toBeCloseTo(a, 2);
    expect(nb.number(/sqrt\(k\/alpha\) = \S+,\s+b = (\S+),/)).toBeCloseTo(lrnPixel([a], 2, 2, 1e-4, 0.75)[0], 4);
    expect(nb.number(/, ratio (\S+)/)).toBeCloseTo(2 ** 0.75, 4);
  });
});
