import { describe, expect, it } from 'vitest';
import { receptiveFieldGrowthSpec } from '../../../lib/viz/receptive-field-growth';
import { renderQuietly } from './helpers';

/** The closed form of n identical layers: 1 + d(k - 1)(1 + s + ... + s^(n-1)). */
const closed = (k: number, s: number, d: number, n: number) => 1 + d * (k - 1) * Array.from({ length: n }, (_, i) => s ** i).reduce((a, b) => a + b, 0);

describe('receptiveFieldGrowthSpec', () => {
  it('precomputes every (k, s, d, depth) as the closed form gives it', () => {
    const spec = receptiveFieldGrowthSpec();
    const v = spec.data.values;
    expect(v.length).toBe(7 * 3 * 3 * 10);
    for (const r of v) expect(r.rf).toBe(closed(r.k, r.s, r.d, r.depth));
    // by hand: three 3x3 stride-2 layers see 3, 7, 15 pixels
    expect(v.filter((r) => r.k === 3 && r.s === 2 && r.d === 1).map((r) => r.rf).slice(0, 3)).toEqual([3, 7, 15]);
  });

  it('binds k, s and d to range sliders and filters the rows by them', async () => {
    const spec = receptiveFieldGrowthSpec({ maxKernel: 5, maxStride: 2, maxDilation: 2, maxDepth: 4 });
    const params = spec.params as { name: string; value: number; bind: { input: string; min: number; max: number } }[];
    expect(params.map((p) => [p.name, p.value, p.bind.input, p.bind.min, p.bind.max])).toEqual([
      ['k', 3, 'range', 1, 5],
      ['s', 1, 'range', 1, 2],
      ['d', 1, 'range', 1, 2],
    ]);
    expect(spec.transform).toEqual([{ filter: 'datum.k == k && datum.s == s && datum.d == d' }]);
    expect(spec.data.values.length).toBe(5 * 2 * 2 * 4);
    expect((await renderQuietly(spec)).warnings).toEqual([]);
  });

  it('rejects bad options in one line', () => {
    expect(() => receptiveFieldGrowthSpec({ maxDepth: 0 })).toThrow('receptiveFieldGrowthSpec: opts.maxDepth must be a positive integer, got 0');
    expect(() => receptiveFieldGrowthSpec({ maxStride: 9 })).toThrow('receptiveFieldGrowthSpec: opts.maxStride must be at most 4, got 9');
    expect(() => receptiveFieldGrowthSpec({ stride: 2 } as never)).toThrow(/receptiveFieldGrowthSpec: opts/);
  });
});
