import { describe, expect, it } from 'vitest';
import { plotlyHeatmapSpec, plotlySurfaceSpec, plotlyToVegaLiteSpec } from '../../../lib/viz/plotly';
import { marks, renderQuietly, rows } from './helpers';

const grid = { values: [1, 2, 3, 4, 5, 6], shape: [2, 3] };

describe('plotly figures and their static stand-ins', () => {
  it('builds a heatmap figure whose static view has the same cells, row 0 on top', async () => {
    const fig = plotlyHeatmapSpec(grid, { title: 'map' });
    expect(fig.data[0]).toMatchObject({ type: 'heatmap', z: [[1, 2, 3], [4, 5, 6]] });
    const vl = plotlyToVegaLiteSpec(fig);
    expect(marks(vl)).toEqual(['rect']);
    expect(rows(vl)).toContainEqual({ x: 2, y: 1, z: 6 });
    expect((vl.encoding as { y: { sort: string } }).y.sort).toBe('ascending');
    expect((await renderQuietly(vl)).warnings).toEqual([]);
  });

  it('shows a surface from above and says so', () => {
    const fig = plotlySurfaceSpec(grid, { x: [0, 0.5, 1], y: [10, 20], axes: { z: 'loss' } });
    expect(fig.data[0].type).toBe('surface');
    const vl = plotlyToVegaLiteSpec(fig);
    expect(JSON.stringify(vl.title)).toContain('seen from above');
    expect(rows(vl)).toContainEqual({ x: 0.5, y: 20, z: 5 });
  });

  it('converts scatter and bar traces to overlaid layers', async () => {
    const vl = plotlyToVegaLiteSpec({ data: [{ type: 'scatter', y: [1, 3], name: 'a', mode: 'lines' }, { type: 'bar', x: [0, 1], y: [2, 1], name: 'b' }] });
    expect(marks(vl)).toEqual(['line', 'bar']);
    expect(rows(vl)).toHaveLength(4);
    expect((await renderQuietly(vl)).warnings).toEqual([]);
  });

  it('refuses trace types it cannot draw honestly', () => {
    expect(() => plotlyToVegaLiteSpec({ data: [{ type: 'scatter3d', x: [1], y: [1], z: [1] }] })).toThrow(
      "plotlyToVegaLiteSpec: fig.data[0].type must be 'heatmap', 'surface', 'scatter' or 'bar' for a static view, got \"scatter3d\"",
    );
    expect(() => plotlySurfaceSpec(grid, { x: [1] })).toThrow('plotlySurfaceSpec: opts.x must have one value per column (3), got 1');
  });
});
