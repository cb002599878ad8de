import { describe, expect, it } from 'vitest';
import { imageGridSpec } from '../../../lib/viz/images';
import { MAX_FIGURE_WIDTH } from '../../../lib/viz/image-marks';
import { renderQuietly, rows } from './helpers';

const digit = (k: number) => ({ values: Array.from({ length: 28 * 28 }, (_, i) => ((i + k) % 7) / 6), height: 28, width: 28 });

describe('imageGridSpec captions', () => {
  it('wraps captions wider than their picture, so 8 columns of long captions fit the figure width', async () => {
    const images = Array.from({ length: 16 }, (_, k) => ({ ...digit(k), title: `true ${k % 10}, predicted ${(k * 3) % 10}${k % 5 ? '' : ' ✗'}` }));
    const spec = imageGridSpec(images, { columns: 8, title: 'First 16 digits' });
    const { svg, warnings } = await renderQuietly(spec);
    expect(warnings).toEqual([]);
    const width = Number(svg.match(/^<svg[^>]+width="([\d.]+)"/)![1]);
    expect(width).toBeLessThanOrEqual(MAX_FIGURE_WIDTH);
    // every word of every caption is drawn, and the captions stay in order and unique
    // every caption is drawn whole, line by line (one tspan per line)
    const drawn = [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => [...m[1].matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((t) => t[1]).join(' '));
    for (const [k, im] of images.entries()) expect(drawn).toContain(`${k}: ${im.title}`);
    const captions = rows(spec).map((r) => String(r.caption));
    expect(new Set(captions).size).toBe(16);
    expect(captions.map((c) => c.replace(/\n/g, ' '))).toEqual(images.map((im, k) => `${k}: ${im.title}`));
    expect(captions.every((c) => c.includes('\n'))).toBe(true);
  });

  it('leaves captions that fit alone', () => {
    const spec = imageGridSpec([{ ...digit(0), title: '7' }, { ...digit(1), title: '2' }]);
    expect(rows(spec).map((r) => r.caption)).toEqual(['0: 7', '1: 2']);
  });
});
