import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { filtersSpec } from '../../../lib/viz/filters';
import { collect, marks, renderQuietly, rows } from './helpers';

const kernel = (shape: number[]) => ({ values: Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.sin(i)), shape });

describe('filtersSpec', () => {
  it('draws a first layer (1 input channel) as one heatmap per filter on a symmetric diverging scale', async () => {
    const k = kernel([3, 3, 1, 8]);
    const spec = filtersSpec(k, { cellSize: 10 });
    expect(marks(spec)).toEqual(['rect']);
    expect(rows(spec)).toHaveLength(3 * 3 * 8);
    expect((spec.facet as { field: string }).field).toBe('f');
    expect((spec.spec as { width: number }).width).toBe(30);
    const m = Math.max(...k.values.map(Math.abs));
    const domain = collect(spec, 'domain')[0] as number[];
    expect(domain[0]).toBeCloseTo(-m, 3);
    expect(domain[1]).toBeCloseTo(m, 3);
    // w[r, c, 0, f] lands in the row of filter f at (r, c): kernel layout [kh, kw, in, out].
    const row = rows(spec).find((v) => v.f === 5 && v.row === 2 && v.col === 1)!;
    expect(row.w).toBeCloseTo(k.values[(2 * 3 + 1) * 8 + 5], 3);
    const { svg, warnings } = await renderQuietly(spec);
    expect(svg).toMatch(/^<svg/);
    expect(warnings).toEqual([]);
  });

  it('draws 3 input channels as RGB pictures, each filter min-max scaled', () => {
    const spec = filtersSpec(tf.tidy(() => tf.tensor4d(kernel([2, 2, 3, 4]).values, [2, 2, 3, 4])));
    const colors = rows(spec).map((r) => r.rgb as string);
    expect(colors).toHaveLength(2 * 2 * 4);
    for (const c of colors) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    expect(collect(spec, 'scale')).toContain(null);
  });

  it('draws deeper layers as a filter x input-channel grid, capped by maxFilters and maxChannels', async () => {
    const spec = filtersSpec(kernel([3, 3, 16, 32]), { maxFilters: 4, maxChannels: 5 });
    const facet = spec.facet as { row: { field: string }; column: { field: string } };
    expect([facet.row.field, facet.column.field]).toEqual(['f', 'ch']);
    expect(rows(spec)).toHaveLength(4 * 5 * 9);
    expect(JSON.stringify(spec.title)).toContain('first 4 of 32 filters');
    expect((await renderQuietly(spec)).warnings).toEqual([]);
  });

  it('rejects kernels that are not rank 4 and image mode with 2 channels', () => {
    expect(() => filtersSpec(kernel([3, 3, 8]))).toThrow('filtersSpec: kernel must have rank 4 [kh, kw, inChannels, filters], got [3, 3, 8]');
    expect(() => filtersSpec(kernel([3, 3, 2, 4]), { mode: 'image' })).toThrow("filtersSpec: kernel must have 1 or 3 input channels in 'image' mode, got [3, 3, 2, 4]");
    expect(() => filtersSpec({ values: [1, 2], shape: [1, 1, 1, 1] })).toThrow('filtersSpec: kernel.values must have 1 entries for shape [1, 1, 1, 1], got 2');
  });
});
