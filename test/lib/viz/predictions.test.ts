import { describe, expect, it } from 'vitest';
import { predictionGridSpec } from '../../../lib/viz/predictions';
import { collect, renderQuietly, rows } from './helpers';
import { colorDistance, decodePngUrl, rgbAt, schemeColor } from './png-decode';

const image = { values: Array.from({ length: 16 }, (_, i) => i / 15), shape: [4, 4] };

describe('predictionGridSpec', () => {
  it('captions true -> predicted, marks wrong predictions with a red caption and frame', async () => {
    const spec = predictionGridSpec([
      { image, label: 7, prediction: 7, probability: 0.98 },
      { image, label: 3, prediction: 5 },
    ], { cellSize: 10 });
    const captions = [...new Set(rows(spec).map((r) => r.caption))];
    expect(captions).toEqual(['7 -> 7 (98%)', '3 -> 5']);
    expect(rows(spec).filter((r) => r.wrong).every((r) => r.img === 1)).toBe(true);
    const layers = (spec.spec as { layer: Record<string, unknown>[] }).layer;
    expect(layers.map((l) => (l.mark as { type?: string }).type ?? l.mark)).toEqual(['image', 'text', 'rect']);
    // The frame: an unfilled red rect over the whole 40x40 image, only where the prediction is wrong.
    expect(layers[2].mark).toMatchObject({ fill: null });
    expect(layers[2].encoding).toEqual({ x: { value: 0 }, x2: { value: 40 }, y: { value: 0 }, y2: { value: 40 } });
    expect(collect(layers[1], 'condition')).toEqual([{ test: 'datum.wrong', value: '#d62728' }]);
    // Each image: 4x4 values i/15 (row 0 on top) as 10x10 blocks in 'greys' over [0, 1].
    for (const r of rows(spec)) {
      const img = decodePngUrl(r.url);
      expect([img.width, img.height]).toEqual([40, 40]);
      for (let p = 0; p < 16; p++) {
        const centre = rgbAt(img, (p % 4) * 10 + 5, Math.floor(p / 4) * 10 + 5);
        expect(colorDistance(centre, schemeColor('greys', p / 15, 0, 1))).toBeLessThanOrEqual(1);
      }
    }
    expect(collect(layers[2], 'stroke')).toEqual(['#d62728']);
    expect(collect(layers[2], 'filter')[0]).toContain('datum.wrong');
    expect((spec.title as { subtitle: string }).subtitle).toContain('1 of 2 wrong');
    expect((spec.spec as { width: number }).width).toBe(40);
    const { svg, warnings } = await renderQuietly(spec);
    expect(svg).toContain('3 -&gt; 5');
    // Drawn: one red frame (the wrong image) and one red caption.
    expect(svg.match(/stroke="#d62728"/g)).toHaveLength(1);
    expect(svg.match(/fill="#d62728"/g)).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('rejects images of different sizes and bad probabilities', () => {
    const small = { values: [0, 1, 1, 0], shape: [2, 2] };
    expect(() => predictionGridSpec([{ image, label: 1, prediction: 1 }, { image: small, label: 1, prediction: 1 }])).toThrow(
      'predictionGridSpec: items[1].image must be 4x4 like the first image, got [2, 2]',
    );
    expect(() => predictionGridSpec([{ image, label: 1, prediction: 1, probability: 1.5 }])).toThrow(
      'predictionGridSpec: items[0].probability must be a number in [0, 1], got 1.5',
    );
  });
});
