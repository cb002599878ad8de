import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

// 224 x 224 x 32 -> 64 channels, 3x3 kernels, 'same' padding, stride 1.
const [H, W, CIN, COUT, K] = [224, 224, 32, 64, 3];
const standard = (K * K * CIN + 1) * COUT;
const seedSeparable = K * K * CIN + CIN + (CIN + 1) * COUT; // DepthwiseConv2D (with bias) + Conv2D 1x1
const grouped = (g: number) => K * K * (CIN / g) * COUT + COUT;
const separable = K * K * CIN + CIN * COUT + COUT; // SeparableConv2D form: no depthwise bias
const pointwise = (CIN + 1) * COUT;
const macs = (paramsWithoutBias: number) => paramsWithoutBias * H * W;
const count = (cell: string) => Number(cell.replace(/,/g, ''));

describe('q23-alternative-convolutions', () => {
  const nb = new Executed('q23-alternative-convolutions');

  it('runs clean', () => {
    nb.expectOk();
  });

  it("prints the seed's three counts and the reduction", () => {
    expect(nb.number('Standard conv params:')).toBe(standard);
    expect(nb.number('Depthwise separable params:')).toBe(seedSeparable);
    expect(nb.number('Reduction:')).toBeCloseTo(standard / seedSeparable, 1);
    expect(nb.number('Dilated conv params:')).toBe(standard);
  });

  it('prints parameters and multiply-adds of every design from the formulas', () => {
    const expected: [string, number, number][] = [
      ['standard 3x3', standard, macs(standard - COUT)],
      ['dilated 3x3, rate 2', standard, macs(standard - COUT)],
      ['grouped 3x3, g=2', grouped(2), macs(grouped(2) - COUT)],
      ['grouped 3x3, g=4', grouped(4), macs(grouped(4) - COUT)],
      ['grouped 3x3, g=8', grouped(8), macs(grouped(8) - COUT)],
      ['depthwise-separable 3x3', separable, H * W * CIN * (K * K + COUT)],
      ['pointwise 1x1 only', pointwise, H * W * CIN * COUT],
    ];
    expect(nb.table('design', 0).header).toEqual(['design', 'params', 'multiply-adds']);
    for (const [name, params, m] of expected) {
      const row = nb.table('design', 0).rows.find((c) => c[0] === name);
      expect(row, name).toBeDefined();
      expect(count(row![1])).toBe(params);
      expect(count(row![2])).toBe(m);
    }
  });

  it('shows that a dilated 3x3 is a 5x5 with zeros and computes receptive fields', () => {
    expect(nb.number('max |dilated 3x3 - 5x5 with zeros|:')).toBe(0);
    // Each 3x3 layer with rate d adds 2d pixels: 1 + 2 (1 + 1 + 1) = 7, 1 + 2 (1 + 2 + 4) = 15, 1 + 2 * 15 = 31.
    expect(nb.number('dilation 1, 1, 1: receptive field')).toBe(7);
    expect(nb.number('dilation 1, 2, 4: receptive field')).toBe(15);
    expect(nb.number('dilation 1, 2, 4, 8: receptive field')).toBe(31);
  });

  it('trains standard and separable networks over 3 seeds and prints consistent statistics', () => {
    const t = nb.table('convolutions');
    expect(t.header).toEqual(['convolutions', 'params', 'test accuracy, seeds 1 2 3', 'mean', 'min-max']);
    // conv 16 (shared) + two convolutions that differ + dense on the 3x3x64 map after three poolings.
    const shared = (9 * 1 + 1) * 16 + (3 * 3 * 64 + 1) * 10;
    const std = (9 * 16 + 1) * 32 + (9 * 32 + 1) * 64;
    const sep = 9 * 16 + 16 * 32 + 32 + (9 * 32 + 32 * 64 + 64);
    const means: Record<string, number> = {};
    const ranges: Record<string, number[]> = {};
    for (const [kind, params] of [['standard', shared + std], ['separable', shared + sep]] as const) {
      const row = t.rows.find((r) => r[0] === kind)!;
      expect(row, kind).toBeDefined();
      expect(count(row[1])).toBe(params);
      const accs = row[2].split(/\s+/).map(Number);
      expect(accs).toHaveLength(3);
      const [mean, [lo, hi]] = [Number(row[3]), row[4].split('-').map(Number)];
      expect(mean).toBeCloseTo(accs.reduce((a, b) => a + b, 0) / 3, 2);
      expect(lo).toBe(Math.min(...accs));
      expect(hi).toBe(Math.max(...accs));
      for (const a of accs) expect(a, kind).toBeGreaterThan(0.6); // chance is 0.1
      means[kind] = mean;
      ranges[kind] = [lo, hi];
    }
    // The prose: every separable run ends below every standard run, several points lower on average.
    expect(ranges.separable[1]).toBeLessThan(ranges.standard[0]);
    expect(means.standard - means.separable).toBeGreaterThan(0.03);
  });

  it('measures times in three rounds and reports consistent ranges and verdicts', () => {
    const t = nb.table('design', 1);
    expect(t.header).toEqual(['design', 'ms', 'x less arithmetic', 'x less time, min', 'x less time, max']);
    const timing = (name: string) => t.rows.find((c) => c[0] === name)!.slice(1).map(Number);
    // Times are measured on a shared machine: no bound on a time or a speed ratio, only consistency.
    for (const row of t.rows) {
      const [ms, , lo, hi] = row.slice(1).map(Number);
      expect(ms, row[0]).toBeGreaterThan(0);
      expect(lo, row[0]).toBeGreaterThan(0);
      expect(lo, row[0]).toBeLessThanOrEqual(hi);
    }
    expect(timing('standard 3x3').slice(2)).toEqual([1, 1]);
    for (const row of t.rows.slice(1)) {
      const [, , lo, hi] = row.slice(1).map(Number);
      const verdict = lo > 1 ? 'faster than standard in all 3' : hi < 1 ? 'slower than standard in all 3'
        : 'not consistently faster or slower';
      // Printed with 2 decimals: skip a verdict that rounding could flip.
      if (Math.abs(lo - 1) > 0.005 && Math.abs(hi - 1) > 0.005) expect(nb.stdout).toContain(`${row[0]}: ${verdict}`);
    }
    for (const g of [4, 8]) {
      const [, arith] = timing(`grouped 3x3, g=${g}`);
      expect(arith).toBeCloseTo(g, 1); // a grouped convolution does 1/g of the multiply-adds
    }
    const [, separableArith] = timing('depthwise-separable 3x3');
    expect(separableArith).toBeCloseTo((standard - COUT) * H * W / (H * W * CIN * (K * K + COUT)), 1);
    const fig = nb.displays.find((d) => 'application/vnd.vegalite.v5+json' in d);
    const spec = fig!['application/vnd.vegalite.v5+json'] as { hconcat: unknown[]; data: { values: unknown[] } };
    expect(spec.hconcat).toHaveLength(2);
    expect(spec.data.values).toHaveLength(7);
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { text: recall, questions, answers } = nb.recall;
    expect(questions.length).toBe(5);
    expect(answers).toHaveLength(questions.length);
    // answer 2: a 3x3 convolution from 32 to 64 channels in 4 groups, with bias
    expect(recall).toContain((3 * 3 * (32 / 4) * 64 + 64).toLocaleString('en-US').replace(/,/g, '{,}'));
  });
});
