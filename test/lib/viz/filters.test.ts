import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { filtersSpec } from '../../../lib/viz/filters';
import { collect, marks, renderQuietly, rows } from './helpers';
import { colorDistance, decodePngUrl, rgbAt, schemeColor } from './png-decode';

const kernel = (shape: number[]) => ({ values: Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.sin(i)), shape });

describe('filtersSpec', () => {
  it('draws a first layer (1 input channel) as one heatmap per filter on a symmetric diverging scale', async () => {
    const k = kernel([3, 3, 1, 8]);
    const spec = filtersSpec(k, { cellSize: 10 });
    expect(marks(spec)).toEqual(['image', 'point']);
    expect(rows(spec).map((r) => r.f)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((spec.facet as { field: string }).field).toBe('f');
    expect((spec.spec as { width: number }).width).toBe(30);
    const m = Math.max(...k.values.map(Math.abs));
    const domain = collect(spec, 'domain')[0] as number[];
    expect(domain[0]).toBeCloseTo(-m, 3);
    expect(domain[1]).toBeCloseTo(m, 3);
    expect(collect(spec, 'scheme')).toEqual(['blueorange']);
    // w[r, c, 0, f] is the 10x10 block at row r (row 0 on top), column c of filter f's picture, coloured
    // as vega's blueorange over [-m, m]: kernel layout [kh, kw, in, out].
    let worst = 0;
    for (const row of rows(spec)) {
      const img = decodePngUrl(row.url);
      expect([img.width, img.height]).toEqual([30, 30]);
      for (let y = 0; y < 30; y++) {
        for (let x = 0; x < 30; x++) {
          const w = k.values[(Math.floor(y / 10) * 3 + Math.floor(x / 10)) * 8 + (row.f as number)];
          worst = Math.max(worst, colorDistance(rgbAt(img, x, y), schemeColor('blueorange', w, -m, m)));
        }
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
    const { svg, warnings } = await renderQuietly(spec);
    expect(svg).toMatch(/^<svg/);
    // The invisible layer keeps one gradient legend, titled 'weight'.
    expect(svg.match(/role-legend-gradient"/g)).toHaveLength(1);
    expect(svg).toMatch(/role-legend-title"[^>]*><text[^>]*>weight<\/text>/);
    expect(warnings).toEqual([]);
  });

  it('draws 3 input channels as RGB pictures, each filter min-max scaled', () => {
    const k = kernel([2, 2, 3, 4]);
    const spec = filtersSpec(tf.tidy(() => tf.tensor4d(k.values, [2, 2, 3, 4])));
    // No colour scale (the channels are the colours), so no legend layer.
    expect(marks(spec)).toEqual(['image']);
    expect(collect(spec, 'scale')).toEqual([]);
    expect(rows(spec)).toHaveLength(4);
    const cell = (spec.spec as { width: number }).width / 2;
    expect(Number.isInteger(cell)).toBe(true);
    for (const row of rows(spec)) {
      const f = row.f as number;
      const at = (r: number, c: number, ci: number) => k.values[((r * 2 + c) * 3 + ci) * 4 + f];
      const all = [0, 1].flatMap((r) => [0, 1].flatMap((c) => [0, 1, 2].map((ci) => at(r, c, ci))));
      const [lo, hi] = [Math.min(...all), Math.max(...all)];
      const img = decodePngUrl(row.url);
      expect([img.width, img.height, img.channels]).toEqual([2 * cell, 2 * cell, 3]);
      const seen: number[] = [];
      for (let y = 0; y < 2 * cell; y++) {
        for (let x = 0; x < 2 * cell; x++) {
          const [r, c] = [Math.floor(y / cell), Math.floor(x / cell)];
          const px = rgbAt(img, x, y);
          [0, 1, 2].forEach((ci) => expect(Math.abs(px[ci] - ((at(r, c, ci) - lo) / (hi - lo)) * 255)).toBeLessThanOrEqual(0.5));
          seen.push(...px);
        }
      }
      // Min-max scaled per filter: its smallest weight is 0 and its largest 255.
      expect([Math.min(...seen), Math.max(...seen)]).toEqual([0, 255]);
    }
  });

  it('draws deeper layers as a filter x input-channel grid, capped by maxFilters and maxChannels', async () => {
    const k = kernel([3, 3, 16, 32]);
    const spec = filtersSpec(k, { maxFilters: 4, maxChannels: 5 });
    const facet = spec.facet as { row: { field: string }; column: { field: string } };
    expect([facet.row.field, facet.column.field]).toEqual(['f', 'ch']);
    expect(rows(spec).map((r) => [r.f, r.ch])).toEqual([0, 1, 2, 3].flatMap((f) => [0, 1, 2, 3, 4].map((ch) => [f, ch])));
    expect(JSON.stringify(spec.title)).toContain('first 4 of 32 filters');
    expect(marks(spec)).toEqual(['image', 'point']);
    // One scale for the whole layer, symmetric around 0: [-max|w|, max|w|] over all 32 filters and 16 channels.
    const m = Math.max(...k.values.map(Math.abs));
    const domain = collect(spec, 'domain')[0] as number[];
    expect(domain[0]).toBeCloseTo(-m, 3);
    expect(domain[1]).toBeCloseTo(m, 3);
    const cell = (spec.spec as { width: number }).width / 3;
    let worst = 0;
    for (const row of rows(spec)) {
      const img = decodePngUrl(row.url);
      expect([img.width, img.height]).toEqual([3 * cell, 3 * cell]);
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) {
          const w = k.values[((r * 3 + c) * 16 + (row.ch as number)) * 32 + (row.f as number)];
          const centre = rgbAt(img, Math.floor((c + 0.5) * cell), Math.floor((r + 0.5) * cell));
          worst = Math.max(worst, colorDistance(centre, schemeColor('blueorange', w, -m, m)));
        }
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect((await renderQuietly(spec)).warnings).toEqual([]);
  });

  it('rejects kernels that are not rank 4 and image mode with 2 channels', () => {
    expect(() => filtersSpec(kernel([3, 3, 8]))).toThrow('filtersSpec: kernel must have rank 4 [kh, kw, inChannels, filters], got [3, 3, 8]');
    expect(() => filtersSpec(kernel([3, 3, 2, 4]), { mode: 'image' })).toThrow("filtersSpec: kernel must have 1 or 3 input channels in 'image' mode, got [3, 3, 2, 4]");
    expect(() => filtersSpec({ values: [1, 2], shape: [1, 1, 1, 1] })).toThrow('filtersSpec: kernel.values must have 1 entries for shape [1, 1, 1, 1], got 2');
  });
});
