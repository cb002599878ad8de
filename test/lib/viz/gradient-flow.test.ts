import { describe, expect, it } from 'vitest';
import { gradientFlowSpec } from '../../../lib/viz/gradient-flow';
import { collect, renderQuietly, rows } from './helpers';

describe('gradientFlowSpec', () => {
  const layers = (f: (d: number) => number) => Array.from({ length: 5 }, (_, d) => ({ layer: `dense${d}`, value: f(d) }));

  it('plots per-layer values against depth on a log axis, one color per run', async () => {
    const spec = gradientFlowSpec([
      { name: 'sigmoid', layers: layers((d) => 0.25 ** (5 - d)) },
      { name: 'relu', layers: layers(() => 0.1) },
    ]);
    expect(collect(spec, 'type')).toContain('log');
    const enc = spec.encoding as Record<string, { field?: string }>;
    expect([enc.x.field, enc.y.field, enc.color.field]).toEqual(['depth', 'value', 'run']);
    expect(rows(spec)).toHaveLength(10);
    expect(rows(spec)[0]).toMatchObject({ run: 'sigmoid', depth: 1, layer: 'dense0' });
    expect((await renderQuietly(spec)).warnings).toEqual([]);
  });

  it('leaves exact zeros out of the log axis and names them in the subtitle', () => {
    const spec = gradientFlowSpec([{ name: 'relu', layers: layers((d) => (d === 2 ? 0 : 1)) }]);
    expect(rows(spec)).toHaveLength(4);
    expect((spec.title as { subtitle: string }).subtitle).toContain('relu: dense2');
    const all = gradientFlowSpec([{ name: 'zeros', layers: layers(() => 0) }, { name: 'he', layers: layers(() => 1) }]);
    expect((all.title as { subtitle: string }).subtitle).toBe('exactly zero (not drawn on the log axis): zeros: all 5 layers');
  });

  it('rejects negative or non-finite values', () => {
    expect(() => gradientFlowSpec([{ name: 'a', layers: [{ layer: 'x', value: -1 }] }])).toThrow(
      'gradientFlowSpec: runs[0].layers[0].value must be a finite number >= 0, got -1',
    );
    expect(() => gradientFlowSpec([])).toThrow('gradientFlowSpec: runs must be a non-empty array, got []');
  });
});
