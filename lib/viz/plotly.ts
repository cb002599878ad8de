/**
 * Plotly figures, for the one or two places where interaction pays (a 3-D surface you can turn, a
 * feature map you can zoom into), and their static stand-in: an equivalent Vega-Lite spec that the
 * guide and static viewers show as SVG/PNG.
 *
 * What the static conversion supports, and how honestly:
 * - `heatmap`: the same cells and color scale (exact), drawn as one PNG (an `image` mark) with the
 *   axes and a legend; x and y values are read as ordinal labels (sorted, and expected to be distinct).
 * - `scatter` (mode lines, markers or both): the same points and lines (exact).
 * - `bar`: vertical bars (exact).
 * - `surface`: drawn from above as a heatmap of z (a 2-D view of a 3-D figure; the subtitle says so).
 * Anything else (3-D scatter, contour, pie, ...) throws: there is no static fallback to pretend with.
 * @see notebooks/q07-feature-maps.ipynb
 */
import { argError } from '../errors';
import { checkOptionKeys } from '../check';
import { optionalText, readTensor, round, type TensorLike } from './data';
import { imageLayer, legendLayer } from './image-marks';
import { extent, valuesToPngUrl } from './png';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './render';

/** A plotly trace, as plain JSON. */
export type PlotlyTrace = Record<string, unknown> & { type?: string };

/** A plotly figure, as plain JSON (what `Plotly.newPlot(el, data, layout)` takes). */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout?: Record<string, unknown>;
}

/** The plotly MIME type that JupyterLab renders when its plotly extension is installed. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

function grid2d(fn: string, arg: string, t: TensorLike): number[][] {
  const r = readTensor(fn, arg, t);
  let shape = r.shape;
  while (shape.length > 2 && shape[0] === 1) shape = shape.slice(1);
  if (shape.length === 3 && shape[2] === 1) shape = shape.slice(0, 2);
  if (shape.length !== 2) argError(fn, arg, 'must be a 2-D grid [rows, cols]', r.shape);
  const [h, w] = shape;
  return Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => round(r.values[i * w + j], 5)));
}

/**
 * A zoomable plotly heatmap of a 2-D grid (row 0 at the top, like an image).
 * @param z [rows, cols] (or [rows, cols, 1], [1, rows, cols, 1]); opts.title; opts.colorscale (default 'Viridis')
 * @throws ArgError when z is not a 2-D grid
 * @example plotlyHeatmapSpec(featureMap, { title: 'conv1, channel 3' })
 * @see notebooks/q07-feature-maps.ipynb
 */
export function plotlyHeatmapSpec(z: TensorLike, opts: { title?: string; colorscale?: string } = {}): PlotlyFigure {
  const fn = 'plotlyHeatmapSpec';
  const grid = grid2d(fn, 'z', z);
  checkOptionKeys(fn, 'opts', opts, ['title', 'colorscale']);
  return {
    data: [{ type: 'heatmap', z: grid, colorscale: optionalText(fn, 'opts.colorscale', opts.colorscale, 'Viridis') }],
    layout: {
      title: { text: optionalText(fn, 'opts.title', opts.title, '') },
      yaxis: { autorange: 'reversed', scaleanchor: 'x' },
      width: 480,
      height: 420,
    },
  };
}

/**
 * A 3-D surface z(x, y) that can be rotated in JupyterLab or the HTML guide.
 * @param z [rows, cols] heights; opts.x column coordinates (default 0..cols-1); opts.y row coordinates;
 *   opts.title; opts.axes titles { x, y, z }
 * @throws ArgError when z is not a 2-D grid or x/y lengths do not match it
 * @example plotlySurfaceSpec(lossGrid, { x: alphas, y: betas, axes: { z: 'loss' } })
 * @see notebooks/q07-feature-maps.ipynb
 */
export function plotlySurfaceSpec(
  z: TensorLike,
  opts: { x?: readonly number[]; y?: readonly number[]; title?: string; axes?: { x?: string; y?: string; z?: string } } = {},
): PlotlyFigure {
  const fn = 'plotlySurfaceSpec';
  const grid = grid2d(fn, 'z', z);
  checkOptionKeys(fn, 'opts', opts, ['x', 'y', 'title', 'axes']);
  if (opts.x !== undefined) numbers(fn, 'opts.x', opts.x);
  if (opts.y !== undefined) numbers(fn, 'opts.y', opts.y);
  const title = optionalText(fn, 'opts.title', opts.title, '');
  checkOptionKeys(fn, 'opts.axes', opts.axes, ['x', 'y', 'z']);
  const axis = (a: 'x' | 'y' | 'z') => optionalText(fn, `opts.axes.${a}`, opts.axes?.[a], a);
  const [h, w] = [grid.length, grid[0].length];
  if (opts.x && opts.x.length !== w) argError(fn, 'opts.x', `must have one value per column (${w})`, opts.x.length);
  if (opts.y && opts.y.length !== h) argError(fn, 'opts.y', `must have one value per row (${h})`, opts.y.length);
  return {
    data: [{ type: 'surface', z: grid, ...(opts.x ? { x: [...opts.x] } : {}), ...(opts.y ? { y: [...opts.y] } : {}), colorscale: 'Viridis' }],
    layout: {
      title: { text: title },
      scene: { xaxis: { title: { text: axis('x') } }, yaxis: { title: { text: axis('y') } }, zaxis: { title: { text: axis('z') } } },
      width: 560,
      height: 480,
    },
  };
}

const textOf = (t: unknown): string | undefined =>
  typeof t === 'string' ? t : t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string' ? (t as { text: string }).text : undefined;

function numbers(fn: string, arg: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) argError(fn, arg, 'must be an array of numbers', v);
  const bad = (v as number[]).findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) argError(fn, arg, `must contain only finite numbers (index ${bad})`, (v as number[])[bad]);
  return v as number[];
}

/**
 * The static stand-in of a plotly figure as Vega-Lite (see the module comment for what is supported).
 * All traces must be of one family: heatmap/surface (the first trace only) or scatter/bar (overlaid).
 * @throws ArgError on an unsupported trace type or malformed trace data
 * @example vegaLiteToSvg(plotlyToVegaLiteSpec(plotlyHeatmapSpec(grid)))
 * @see notebooks/q07-feature-maps.ipynb
 */
export function plotlyToVegaLiteSpec(fig: PlotlyFigure): VegaLiteSpec {
  return plotlyStillAs('plotlyToVegaLiteSpec', fig);
}

/** {@link plotlyToVegaLiteSpec} reporting errors under the name `fn` (display/plotly.ts). @internal */
export function plotlyStillAs(fn: string, fig: PlotlyFigure): VegaLiteSpec {
  if (!fig || typeof fig !== 'object' || !Array.isArray(fig.data) || fig.data.length === 0) argError(fn, 'fig.data', 'must be a non-empty array of traces', fig?.data);
  fig.data.forEach((t, i) => {
    if (t === null || typeof t !== 'object' || Array.isArray(t)) argError(fn, `fig.data[${i}]`, 'must be a trace object', t);
  });
  const layout = fig.layout ?? {};
  const title = textOf(layout.title) ?? '';
  const types = fig.data.map((t) => t.type ?? 'scatter');
  const first = types[0];
  if (first === 'heatmap' || first === 'surface') {
    if (fig.data.length > 1) argError(fn, 'fig.data', `must hold one ${first} trace for a static view`, types);
    const t = fig.data[0];
    const z = t.z as unknown;
    if (!Array.isArray(z) || z.length === 0 || !Array.isArray(z[0])) argError(fn, 'fig.data[0].z', 'must be a 2-D array', z);
    const rows = z as number[][];
    const xs = t.x ? numbers(fn, 'fig.data[0].x', t.x) : undefined;
    const ys = t.y ? numbers(fn, 'fig.data[0].y', t.y) : undefined;
    rows.forEach((row, i) => {
      numbers(fn, `fig.data[0].z[${i}]`, row);
      if (row.length !== rows[0].length) argError(fn, `fig.data[0].z[${i}]`, `must have ${rows[0].length} values like row 0`, row.length);
    });
    const yaxis = (layout.yaxis ?? {}) as Record<string, unknown>;
    const reversed = yaxis.autorange === 'reversed';
    const surface = first === 'surface';
    const scene = (layout.scene ?? {}) as Record<string, Record<string, unknown>>;
    const axisTitle = (a: string) => textOf((surface ? scene[`${a}axis`] : (layout[`${a}axis`] as Record<string, unknown>))?.title) ?? a;
    const [h, w] = [rows.length, rows[0].length];
    if (w === 0) argError(fn, 'fig.data[0].z', 'must be a 2-D array', z);
    if (xs && xs.length !== w) argError(fn, 'fig.data[0].x', `must have one value per column (${w})`, xs.length);
    if (ys && ys.length !== h) argError(fn, 'fig.data[0].y', `must have one value per row (${h})`, ys.length);
    const xv = xs ?? rows[0].map((_, j) => j);
    const yv = ys ?? rows.map((_, i) => i);
    const width = Math.min(400, Math.max(160, w * 8));
    const height = Math.min(400, Math.max(160, h * 8));
    // The picture's columns and rows in the order of the ordinal axes: x ascending, y ascending from the
    // top when the y axis is reversed (row 0 on top, like an image), else descending.
    const cols = xv.map((_, j) => j).sort((p, q) => xv[p] - xv[q] || p - q);
    const rowOrder = yv.map((_, i) => i).sort((p, q) => (reversed ? yv[p] - yv[q] : yv[q] - yv[p]) || p - q);
    const zs: number[] = [];
    for (const i of rowOrder) for (const j of cols) zs.push(rows[i][j]);
    const domain = extent(zs);
    const [kx, ky] = [Math.ceil(width / w), Math.ceil(height / h)];
    const k = Math.max(kx, ky);
    const colorTitle = surface ? axisTitle('z') : 'z';
    const band = (a: 'x' | 'y', vals: number[]) => ({
      data: { values: vals.map((v) => ({ [a]: v })) },
      mark: { type: 'rect', opacity: 0, aria: false },
      encoding: {
        [a]: { field: a, type: 'ordinal', title: axisTitle(a), axis: { labelOverlap: true }, ...(a === 'y' ? { sort: reversed ? 'ascending' : 'descending' } : {}) },
      },
    });
    return {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, ...(surface ? { subtitle: 'static view: the 3-D surface seen from above, z as color' } : {}) },
      width,
      height,
      // One PNG of z (vega's viridis over min..max, each cell a sharp block), the two ordinal axes from
      // invisible bands, and the colour legend.
      layer: [
        { data: { values: [{ url: valuesToPngUrl(fn, zs, h, w, { scheme: 'viridis', domain, factor: k }), lo: domain[0], hi: domain[1] }] }, ...imageLayer(width, height) },
        band('x', xv),
        band('y', yv),
        { data: { values: [{ lo: domain[0] }] }, ...legendLayer('lo', 'viridis', domain, colorTitle) },
      ],
      config: { view: { stroke: null } },
    };
  }
  const values: Record<string, number | string>[] = [];
  const layers: Record<string, unknown>[] = [];
  const names: string[] = [];
  fig.data.forEach((t, i) => {
    const type = types[i];
    if (type !== 'scatter' && type !== 'bar') argError(fn, `fig.data[${i}].type`, "must be 'heatmap', 'surface', 'scatter' or 'bar' for a static view", type);
    const y = numbers(fn, `fig.data[${i}].y`, t.y);
    const x = t.x ? numbers(fn, `fig.data[${i}].x`, t.x) : y.map((_, j) => j);
    if (x.length !== y.length) argError(fn, `fig.data[${i}].x`, `must have as many values as y (${y.length})`, x.length);
    const name = typeof t.name === 'string' && !names.includes(t.name) ? t.name : `trace ${i}`;
    names.push(name);
    x.forEach((xv, j) => values.push({ trace: name, order: i, x: xv, y: y[j] }));
    const mode = typeof t.mode === 'string' ? t.mode : 'lines+markers';
    const filter = { filter: { field: 'trace', equal: name } };
    const mark = type === 'bar' ? { type: 'bar' } : mode.includes('lines') ? { type: 'line', point: mode.includes('markers') } : { type: 'point', filled: true };
    layers.push({ transform: [filter], mark });
  });
  const axis = (a: string) => textOf((layout[`${a}axis`] as Record<string, unknown> | undefined)?.title) ?? a;
  const logY = (layout.yaxis as Record<string, unknown> | undefined)?.type === 'log';
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: title,
    data: { values },
    width: 400,
    height: 240,
    encoding: {
      x: { field: 'x', type: 'quantitative', title: axis('x') },
      y: { field: 'y', type: 'quantitative', title: axis('y'), ...(logY ? { scale: { type: 'log' } } : {}) },
      color: { field: 'trace', type: 'nominal', title: null, sort: names },
    },
    layer: layers,
  };
}
