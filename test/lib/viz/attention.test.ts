import { describe, expect, it } from 'vitest';
import { channelWeightsSpec, heatmapOverlaySpec } from '../../../lib/viz/attention';
import { collect, marks, renderQuietly, rows } from './helpers';
import { colorDistance, decodePngUrl, rgbAt, schemeColor } from './png-decode';

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
    const panels = items[0].hconcat;
    expect(marks(panels[0])).toEqual(['image']);
    expect(marks(panels[2])).toEqual(['image']);
    // The legend goes with the map panel: its scale is the map's scheme over the map's range.
    expect(marks(panels[1])).toEqual(['image', 'point']);
    expect(collect(panels[1], 'scale')).toEqual([{ scheme: 'inferno', domain: [0, 1] }]);
    const png = (p: Record<string, unknown>) => decodePngUrl((p.data as { values: { url: string }[] }).values[0].url);
    const [input, heat, over] = panels.map(png);
    // 28x28 image at size 120: k = round(120 / 28) = 4, so 112 px panels; a 3x3 map cell covers 112/3 px.
    for (const im of [input, heat, over]) expect([im.width, im.height]).toEqual([112, 112]);
    expect([panels[1].width, panels[1].height]).toEqual([112, 112]);
    const cellOf = (px: number) => Math.floor((px + 0.5) / (112 / 3)); // the map cell whose block holds this pixel centre
    expect([cellOf(36), cellOf(37), cellOf(74), cellOf(75)]).toEqual([0, 1, 1, 2]); // fractional blocks: 37.33 px
    let worst = 0;
    for (let y = 0; y < 112; y++) {
      for (let x = 0; x < 112; x++) {
        const v = image.values[Math.floor(y / 4) * 28 + Math.floor(x / 4)]; // row 0 on top
        const grey = schemeColor('greys', v, 0, 1);
        const m = schemeColor('inferno', map.values[cellOf(y) * 3 + cellOf(x)], 0, 1);
        worst = Math.max(worst, colorDistance(rgbAt(input, x, y), grey), colorDistance(rgbAt(heat, x, y), m));
        worst = Math.max(worst, colorDistance(rgbAt(over, x, y), m.map((c, i) => 0.4 * c + 0.6 * grey[i])));
      }
    }
    expect(worst).toBeLessThanOrEqual(1.5);
    const { svg, warnings } = await renderQuietly(spec);
    expect(svg).toContain('Grad-CAM');
    expect(svg.match(/role-legend-gradient"/g)).toHaveLength(2); // one per item, beside its map panel
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
    expect(marks(layers)).toEqual(['image', 'point']);
    const color = (layers[1].encoding as { color: Record<string, unknown> }).color;
    expect(color.legend).toBeUndefined();
    expect(color.scale).toEqual({ scheme: 'inferno', domain: [1, 1] });
    // Flat image and flat map: both sit at t = 0.5 of their scales; the map is laid over at opacity 0.55.
    const over = decodePngUrl((row.hconcat[0].data as { values: { url: string }[] }).values[0].url);
    const want = schemeColor('inferno', 1, 1, 1).map((c, i) => 0.55 * c + 0.45 * schemeColor('greys', 0.5, 0.5, 0.5)[i]);
    for (const [x, y] of [[0, 0], [over.width - 1, over.height - 1], [over.width >> 1, over.height >> 1]]) {
      expect(colorDistance(rgbAt(over, x, y), want)).toBeLessThanOrEqual(1);
    }
    const two = heatmapOverlaySpec([{ image, map }], { panels: ['map', 'input'] });
    expect((two.vconcat as { hconcat: Record<string, unknown>[] }[])[0].hconcat.map((p) => p.title)).toEqual(['map', 'input']);
    expect(() => heatmapOverlaySpec([{ image, map }], { panels: ['map', 'picture' as 'map'] })).toThrow(
      "heatmapOverlaySpec: opts.panels[1] must be one of 'input', 'map', 'overlay', got \"picture\"",
    );
  });
});
