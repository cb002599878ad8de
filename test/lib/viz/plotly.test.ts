import { describe, expect, it } from 'vitest';
import { plotlyHeatmapSpec, plotlySurfaceSpec, plotlyToVegaLiteSpec } from '../../../lib/viz/plotly';
import { collect, marks, renderQuietly, rows } from './helpers';
import { colorDistance, decodePngUrl, rgbAt, schemeColor } from './png-decode';

const grid = { values: [1, 2, 3, 4, 5, 6], shape: [2, 3] };

describe('plotly figures and their static stand-ins', () => {
  it('builds a heatmap figure whose static view has the same cells, row 0 on top', async () => {
    const fig = plotlyHeatmapSpec(grid, { title: 'map' });
    expect(fig.data[0]).toMatchObject({ type: 'heatmap', z: [[1, 2, 3], [4, 5, 6]] });
    const vl = plotlyToVegaLiteSpec(fig);
    // The picture, the two ordinal axes (invisible bands) and the colour legend.
    expect(marks(vl)).toEqual(['image', 'rect', 'rect', 'point']);
    const layers = vl.layer as Record<string, unknown>[];
    expect(rows(layers[1])).toEqual([{ x: 0 }, { x: 1 }, { x: 2 }]);
    expect(rows(layers[2])).toEqual([{ y: 0 }, { y: 1 }]);
    expect((layers[2].encoding as { y: { sort: string } }).y.sort).toBe('ascending');
    expect(collect(layers[3], 'scale')).toEqual([{ scheme: 'viridis', domain: [1, 6] }]);
    // z[i][j] is the block at row i (row 0 on top), column j, in viridis over [1, 6].
    const img = decodePngUrl(rows(layers[0])[0].url);
    const [bw, bh] = [img.width / 3, img.height / 2];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        const centre = rgbAt(img, Math.floor((j + 0.5) * bw), Math.floor((i + 0.5) * bh));
        expect(colorDistance(centre, schemeColor('viridis', (fig.data[0].z as number[][])[i][j], 1, 6))).toBeLessThanOrEqual(1);
      }
    }
    expect((await renderQuietly(vl)).warnings).toEqual([]);
  });

  it('shows a surface from above and says so', async () => {
    const fig = plotlySurfaceSpec(grid, { x: [0, 0.5, 1], y: [10, 20], axes: { z: 'loss' } });
    expect(fig.data[0].type).toBe('surface');
    const vl = plotlyToVegaLiteSpec(fig);
    expect(JSON.stringify(vl.title)).toContain('seen from above');
    const layers = vl.layer as Record<string, unknown>[];
    expect(rows(layers[1])).toEqual([{ x: 0 }, { x: 0.5 }, { x: 1 }]);
    expect(rows(layers[2])).toEqual([{ y: 10 }, { y: 20 }]);
    // A y axis that is not reversed has its largest y on top: the top row of the picture is y = 20.
    expect((layers[2].encoding as { y: { sort: string } }).y.sort).toBe('descending');
    expect(collect(layers[3], 'color')).toMatchObject([{ title: 'loss', scale: { scheme: 'viridis', domain: [1, 6] } }]);
    const img = decodePngUrl(rows(layers[0])[0].url);
    const [bw, bh] = [img.width / 3, img.height / 2];
    const z = [[4, 5, 6], [1, 2, 3]]; // rows from the top: y = 20, then y = 10
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        const centre = rgbAt(img, Math.floor((j + 0.5) * bw), Math.floor((i + 0.5) * bh));
        expect(colorDistance(centre, schemeColor('viridis', z[i][j], 1, 6))).toBeLessThanOrEqual(1);
      }
    }
    expect((await renderQuietly(vl)).warnings).toEqual([]);
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
