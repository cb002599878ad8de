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
    for (const [name, params, m] of expected) {
      const row = nb.stdout.match(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +params +([\\d,]+) +multiply-adds +([\\d,]+)$`, 'm'))!;
      expect(row, name).not.toBeNull();
      expect(Number(row[1].replace(/,/g, ''))).toBe(params);
      expect(Number(row[2].replace(/,/g, ''))).toBe(m);
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
    for (const name of ['standard 3x3', 'grouped 3x3, g=8', 'depthwise-separable 3x3']) {
      const ms = nb.number(new RegExp(`^${name} +([\\d.]+) ms`, 'm'));
      expect(ms).toBeGreaterThan(0);
    }
    // The prose: grouped layers save less time than arithmetic, with 8 groups less than half of it; the
    // separable layer keeps much of its saving.
    for (const g of [4, 8]) {
      const [, arith, time] = nb.stdout.match(new RegExp(`^grouped 3x3, g=${g} .*arithmetic +([\\d.]+)x less, time +([\\d.]+)x less$`, 'm'))!;
      expect(Number(arith)).toBeCloseTo(g, 1); // a grouped convolution does 1/g of the multiply-adds
      expect(Number(time)).toBeLessThan(g === 8 ? Number(arith) / 2 : Number(arith));
    }
    expect(nb.number(/depthwise-separable 3x3 .*time +([\d.]+)x less/)).toBeGreaterThan(2);
    expect(nb.number(/depthwise-separable 3x3 +[\d.]+ ms +arithmetic +([\d.]+)x less/)).toBeCloseTo((standard - COUT) * H * W / (H * W * CIN * (K * K + COUT)), 1);
    const fig = nb.displays.find((d) => 'application/vnd.vegalite.v5+json' in d);
    const spec = fig!['application/vnd.vegalite.v5+json'] as { hconcat: unknown[]; data: { values: unknown[] } };
    expect(spec.hconcat).toHaveLength(2);
    expect(spec.data.values).toHaveLength(7);
  });
});
