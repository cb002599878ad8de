import { describe, expect, it } from 'vitest';
import { featureMapsSpec } from '../../../lib/viz/feature-maps';
import { collect, marks, renderQuietly } from './helpers';
import { colorDistance, decodePngUrl, rgbAt, schemeColor } from './png-decode';

// 4x4 maps with 3 channels whose means are 1, 3, 2: channel c has value (c == 1 ? 3 : c == 2 ? 2 : 1).
const h = 4;
const w = 4;
const level = [1, 3, 2];
const maps = { values: Array.from({ length: h * w * 3 }, (_, i) => level[i % 3]), shape: [1, h, w, 3] };

describe('featureMapsSpec', () => {
  it('ranks channels by mean activation and captions them with rank, channel and value', async () => {
    const spec = featureMapsSpec(maps, { input: { values: Array.from({ length: 64 }, (_, i) => (i < 8 ? 1 : 0)), shape: [8, 8] } });
    const [input, grid] = spec.hconcat as Record<string, unknown>[];
    expect(marks(input)).toEqual(['image']);
    // The input: its first row (value 1) black on top, the rest (0) white, in 'greys' over [0, 1].
    const inImg = decodePngUrl((input.data as { values: { url: string }[] }).values[0].url);
    const k = inImg.width / 8;
    expect([inImg.width, inImg.height, input.width]).toEqual([8 * k, 8 * k, 8 * k]);
    for (let y = 0; y < 8 * k; y += k) {
      expect(colorDistance(rgbAt(inImg, 3, y), schemeColor('greys', y < k ? 1 : 0, 0, 1))).toBeLessThanOrEqual(1);
    }
    const values = (grid.data as { values: { caption: string; rank: number; url: string }[] }).values;
    expect(values.map((v) => v.caption)).toEqual(['#1 ch 1: mean 3', '#2 ch 2: mean 2', '#3 ch 0: mean 1']);
    expect(values.map((v) => v.rank)).toEqual([0, 1, 2]);
    expect((grid.facet as { sort: unknown }).sort).toEqual({ field: 'rank' });
    // One shared viridis scale over [1, 3] with its legend; each flat map is the colour of its level.
    expect(marks(grid)).toEqual(['image', 'point']);
    expect(collect(grid, 'scale')).toEqual([{ scheme: 'viridis', domain: [1, 3] }]);
    values.forEach((v, i) => {
      const img = decodePngUrl(v.url);
      expect(img.width).toBe((grid.spec as { width: number }).width);
      const want = schemeColor('viridis', [3, 2, 1][i], 1, 3);
      for (const [x, y] of [[0, 0], [img.width - 1, 0], [0, img.height - 1], [img.width - 1, img.height - 1]]) {
        expect(colorDistance(rgbAt(img, x, y), want)).toBeLessThanOrEqual(1);
      }
    });
    expect((await renderQuietly(spec)).warnings).toEqual([]);
  });

  it('keeps only the top channels and works without an input image', () => {
    const spec = featureMapsSpec(maps, { top: 2, rankBy: 'max', cellSize: 5 });
    expect(spec.hconcat).toBeUndefined();
    expect((spec.spec as { width: number }).width).toBe(20);
    const values = (spec.data as { values: { caption: string }[] }).values;
    expect(new Set(values.map((v) => v.caption)).size).toBe(2);
  });

  it('rejects maps of the wrong rank and a non-integer top', () => {
    expect(() => featureMapsSpec({ values: [1, 2], shape: [2] })).toThrow('featureMapsSpec: maps must have shape [H, W, C] or [1, H, W, C], got [2]');
    expect(() => featureMapsSpec(maps, { top: 1.5 })).toThrow('featureMapsSpec: opts.top must be a positive integer, got 1.5');
  });
});
