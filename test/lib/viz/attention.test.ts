import { describe, expect, it } from 'vitest';
import { channelWeightsSpec, heatmapOverlaySpec } from '../../../lib/viz/attention';
import { collect, marks, renderQuietly, rows } from './helpers';

describe('channelWeightsSpec', () => {
  it('draws one bar per channel, grouped by input when there are several', async () => {
    const spec = channelWeightsSpec([[0.1, 0.9, 0.5], [0.7, 0.2, 0.4]], { names: ['seven', 'two'] });
    expect(marks(spec)).toEqual(['bar']);
    expect(rows(spec)).toHaveLength(6);
    const enc = spec.encoding as Record<string, { field: string }>;
    expect([enc.x.field, enc.y.field, enc.xOffset.field, enc.color.field]).toEqual(['channel', 'weight', 'input', 'input']);
    expect(rows(spec).find((r) => r.input === 'two' && r.channel === 0)!.weight).toBe(0.7);
    expect((await renderQuietly(spec)).warnings).toEqual([]);
  });

  it('has no grouping for a single input and checks the names', () => {
    const spec = channelWeightsSpec([0.5, 0.25]);
    expect((spec.encoding as Record<string, unknown>).xOffset).toBeUndefined();
    expect(() => channelWeightsSpec([[1, 2]], { names: ['a', 'b'] })).toThrow('channelWeightsSpec: opts.names must have one name per input (1), got 2');
  });
});

describe('heatmapOverlaySpec', () => {
  const image = { values: Array.from({ length: 28 * 28 }, (_, i) => (i % 28) / 27), shape: [28, 28] };
  const map = { values: Array.from({ length: 9 }, (_, i) => i / 8), shape: [3, 3] };

  it('shows input, map and overlay per item; map cells cover the image in fractional blocks', async () => {
    const spec = heatmapOverlaySpec([{ image, map, title: 'Grad-CAM' }, { image, map: image }], { opacity: 0.4 });
    const items = spec.vconcat as { hconcat: Record<string, unknown>[] }[];
    expect(items).toHaveLength(2);
    expect(items[0].hconcat.map((p) => p.title)).toEqual(['input', 'map', 'overlay']);
    const cells = (items[0].hconcat[1].data as { values: { x: number; x2: number; m: number }[] }).values;
    expect(cells).toHaveLength(9);
    expect(cells[1].x).toBeCloseTo(28 / 3, 6);
    expect(cells[1].x2).toBeCloseTo(56 / 3, 6);
    const overlay = items[0].hconcat[2].layer as Record<string, unknown>[];
    expect(overlay).toHaveLength(2);
    expect(collect(overlay[1], 'opacity')).toEqual([0.4]);
    const { svg, warnings } = await renderQuietly(spec);
    expect(svg).toContain('Grad-CAM');
    expect(warnings).toEqual([]);
  });

  it('rejects an empty list, RGB images and bad opacity', () => {
    expect(() => heatmapOverlaySpec([])).toThrow('heatmapOverlaySpec: items must be a non-empty array, got []');
    expect(() => heatmapOverlaySpec([{ image: { values: new Array(12).fill(0), shape: [2, 2, 3] }, map }])).toThrow(
      'heatmapOverlaySpec: items[0].image must have shape [H, W] or [H, W, C] with C in {1}, got [2, 2, 3]',
    );
    expect(() => heatmapOverlaySpec([{ image, map }], { opacity: 2 })).toThrow('heatmapOverlaySpec: opts.opacity must be a number in [0, 1], got 2');
  });
});

describe('heatmapOverlaySpec panels', () => {
  const image = { values: new Array(16).fill(0.5), shape: [4, 4] };
  const map = { values: new Array(4).fill(1), shape: [2, 2] };

  it('shows only the panels asked for, in order, with the legend on the overlay when the map panel is absent', () => {
    const spec = heatmapOverlaySpec([{ image, map }], { panels: ['overlay'] });
    const row = (spec.vconcat as { hconcat: Record<string, unknown>[] }[])[0];
    expect(row.hconcat.map((p) => p.title)).toEqual(['overlay']);
    const layers = row.hconcat[0].layer as Record<string, unknown>[];
    expect(collect(layers[1], 'opacity')).toEqual([0.55]);
    expect((layers[1].encoding as { color: Record<string, unknown> }).color.legend).toBeUndefined();
    expect(() => heatmapOverlaySpec([{ image, map }], { panels: ['map', 'picture' as 'map'] })).toThrow(
      "heatmapOverlaySpec: opts.panels[1] must be one of 'input', 'map', 'overlay', got \"picture\"",
    );
  });
});
