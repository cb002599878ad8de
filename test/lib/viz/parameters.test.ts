import { describe, expect, it } from 'vitest';
import { parameterBarsSpec } from '../../../lib/viz/parameters';
import { marks, renderQuietly, rows } from './helpers';

describe('parameterBarsSpec', () => {
  // The seed's Q1 CNN: (9*1+1)*32, (9*32+1)*64, (1600+1)*64, (64+1)*10.
  const q1 = [
    { name: 'conv1', params: 320 },
    { name: 'pool1', params: 0 },
    { name: 'conv2', params: 18496 },
    { name: 'dense1', params: 102464 },
    { name: 'dense2', params: 650 },
  ];

  it('draws a labelled bar per layer in model order with the total in the subtitle', async () => {
    const spec = parameterBarsSpec(q1);
    expect(marks(spec)).toEqual(['bar', 'text']);
    const enc = spec.encoding as Record<string, { field: string; sort?: unknown }>;
    expect([enc.x.field, enc.y.field]).toEqual(['params', 'name']);
    expect(enc.y.sort).toEqual(['conv1', 'pool1', 'conv2', 'dense1', 'dense2']);
    expect((spec.title as { subtitle: string }).subtitle).toBe(`total ${(320 + 18496 + 102464 + 650).toLocaleString('en-US')} parameters`);
    expect((await renderQuietly(spec)).warnings).toEqual([]);
  });

  it('on a log scale leaves out layers without parameters and names them', () => {
    const spec = parameterBarsSpec(q1, { scale: 'log' });
    expect(rows(spec).map((r) => r.name)).not.toContain('pool1');
    expect((spec.title as { subtitle: string }).subtitle).toContain('no parameters: pool1');
  });

  it('draws every bar on both scales (a log axis has no zero, so log bars start at 1)', async () => {
    for (const scale of ['linear', 'log'] as const) {
      const { svg, warnings } = await renderQuietly(parameterBarsSpec(q1, { scale }));
      expect(warnings).toEqual([]);
      // Bars are paths "M x,y h width ..."; layers with parameters must get a visible width.
      const widths = [...svg.matchAll(/aria-roledescription="bar"[^>]*d="M[-\d.]+,[-\d.]+h([-\d.]+)/g)].map((m) => Number(m[1]));
      expect(widths.length, scale).toBe(scale === 'log' ? 4 : 5);
      expect(widths.filter((w) => w > 0).length, scale).toBe(4);
    }
  });

  it('rejects repeated names and non-integer counts', () => {
    expect(() => parameterBarsSpec([{ name: 'a', params: 1 }, { name: 'a', params: 2 }])).toThrow('parameterBarsSpec: rows[1].name must be unique, got "a"');
    expect(() => parameterBarsSpec([{ name: 'a', params: 1.5 }])).toThrow('parameterBarsSpec: rows[0].params must be a non-negative integer, got 1.5');
  });
});
