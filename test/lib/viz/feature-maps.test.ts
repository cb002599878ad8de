import { describe, expect, it } from 'vitest';
import { featureMapsSpec } from '../../../lib/viz/feature-maps';
import { marks, renderQuietly } from './helpers';

// 4x4 maps with 3 channels whose means are 1, 3, 2: channel c has value (c == 1 ? 3 : c == 2 ? 2 : 1).
const h = 4;
const w = 4;
const level = [1, 3, 2];
const maps = { values: Array.from({ length: h * w * 3 }, (_, i) => level[i % 3]), shape: [1, h, w, 3] };

describe('featureMapsSpec', () => {
  it('ranks channels by mean activation and captions them with rank, channel and value', async () => {
    const spec = featureMapsSpec(maps, { input: { values: new Array(64).fill(0.5), shape: [8, 8] } });
    const [input, grid] = spec.hconcat as Record<string, unknown>[];
    expect(marks(input)).toEqual(['rect']);
    const values = (grid.data as { values: { caption: string; rank: number }[] }).values;
    const captions = [...new Set(values.map((v) => v.caption))];
    expect(captions).toEqual(['#1 ch 1: mean 3', '#2 ch 2: mean 2', '#3 ch 0: mean 1']);
    expect(values).toHaveLength(3 * h * w);
    expect((grid.facet as { sort: unknown }).sort).toEqual({ field: 'rank' });
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
