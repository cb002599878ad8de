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

  it('measures a time for every design and plots both panels', () => {
    expect(nb.table('design', 1).header).toEqual(['design', 'ms', 'x less arithmetic', 'x less time']);
    const timing = (name: string) => nb.table('design', 1).rows.find((c) => c[0] === name)!.slice(1).map(Number);
    for (const name of ['standard 3x3', 'grouped 3x3, g=8', 'depthwise-separable 3x3']) {
      const [ms] = timing(name);
      expect(ms).toBeGreaterThan(0);
    }
    // Times are measured on a shared machine: the test checks that each 'x less time' is the ratio of the
    // printed times (no bound on a time or a speed ratio), and the arithmetic ratios from the formulas.
    const [standardMs] = timing('standard 3x3');
    for (const row of nb.table('design', 1).rows.slice(1)) {
      const [ms, , time] = row.slice(1).map(Number);
      expect(Math.abs(time - standardMs / ms) / (standardMs / ms), row[0]).toBeLessThan(0.1);
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
});
