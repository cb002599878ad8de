/**
 * The learned filters of a convolution as a grid of heatmaps. A first layer (1 or 3 input
 * channels) is drawn as small images, one per filter; a deeper layer as a grid with one row per
 * filter and one column per input channel, on a diverging scale centred at zero.
 * @see notebooks/q07-feature-maps.ipynb
 */
import { argError } from '../errors';
import { checkOneOf, checkOptionKeys, checkPositiveInt } from '../check';
import { optionalText, readTensor, maxAbs, round, type TensorLike } from './data';
import { captionWidth, fitGrid, imageLayer, LEGEND_WIDTH, legendLayer, MAX_FIGURE_WIDTH } from './image-marks';
import { rgbToPngUrl, valuesToPngUrl } from './png';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './render';

/** Options of {@link filtersSpec}. */
export interface FiltersSpecOptions {
  /** Figure title (plain text; shown as text, never as markup). */
  title?: string;
  /** 'image': one picture per filter (needs 1 or 3 input channels); 'channels': filter x channel grid;
   * 'auto' (default): 'image' when the kernel has 1 or 3 input channels, else 'channels'. */
  mode?: 'auto' | 'image' | 'channels';
  /** Draw at most this many filters (default 32), the first ones. */
  maxFilters?: number;
  /** In 'channels' mode, at most this many input channels (default 8). */
  maxChannels?: number;
  /** Pixels per kernel cell (default: about 36 px per filter, less when the grid would pass 880 px). */
  cellSize?: number;
  /** Filters per row in 'image' mode (default: as many as fit in 880 px, at most 8, balanced over the rows). */
  columns?: number;
}

/**
 * Grid of the filters of a conv layer.
 * @param kernel conv2d kernel [kh, kw, inChannels, filters] (tfjs layout; `layer.getWeights()[0]`)
 * @returns a Vega-Lite v5 facet spec of PNG pictures (`image` marks); in 'image' mode with 3 channels each
 *   filter is min-max scaled to an RGB picture, otherwise all share one diverging scale ('blueorange' over
 *   [-max|w|, max|w|]) whose legend is kept
 * @throws ArgError when the kernel is not rank 4, or 'image' mode is asked for with 2 or >3 channels
 * @example filtersSpec(model.layers[0].getWeights()[0], { title: 'conv1 filters' })
 * @see notebooks/q07-feature-maps.ipynb
 */
export function filtersSpec(kernel: TensorLike, opts: FiltersSpecOptions = {}): VegaLiteSpec {
  const fn = 'filtersSpec';
  const k = readTensor(fn, 'kernel', kernel);
  if (k.shape.length !== 4) argError(fn, 'kernel', 'must have rank 4 [kh, kw, inChannels, filters]', k.shape);
  checkOptionKeys(fn, 'opts', opts, ['title', 'mode', 'maxFilters', 'maxChannels', 'cellSize', 'columns']);
  const figureTitle = optionalText(fn, 'opts.title', opts.title, 'Filters');
  const [kh, kw, cin, cout] = k.shape;
  const mode = checkOneOf(fn, 'opts.mode', opts.mode ?? 'auto', ['auto', 'image', 'channels'] as const);
  const asImage = mode === 'image' || (mode === 'auto' && (cin === 1 || cin === 3));
  if (asImage && cin !== 1 && cin !== 3) argError(fn, 'kernel', "must have 1 or 3 input channels in 'image' mode", k.shape);
  const nf = Math.min(cout, checkPositiveInt(fn, 'opts.maxFilters', opts.maxFilters ?? 32));
  const nc = Math.min(cin, checkPositiveInt(fn, 'opts.maxChannels', opts.maxChannels ?? 8));
  const cellOpt = opts.cellSize === undefined ? undefined : checkPositiveInt(fn, 'opts.cellSize', opts.cellSize);
  const columnsOpt = opts.columns === undefined ? undefined : checkPositiveInt(fn, 'opts.columns', opts.columns);
  const defaultCell = Math.max(3, Math.ceil(36 / Math.max(kh, kw)));
  const at = (r: number, c: number, ci: number, f: number) => k.values[((r * kw + c) * cin + ci) * cout + f];
  const m = maxAbs(k.values);
  const shown = `${nf < cout ? `first ${nf} of ` : ''}${cout} filters, ${kh}x${kw}x${cin}`;
  const title = { text: figureTitle, subtitle: shown };
  // The diverging scale of the weights, centred at zero, as the rect version's [-max|w|, max|w|].
  const domain: [number, number] = [-round(m), round(m)];
  const plane = (ci: number, f: number) => {
    const out: number[] = [];
    for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) out.push(round(at(r, c, ci, f)));
    return out;
  };
  // Image modes: one facet cell per filter, wrapped into rows of `columns`.
  const perFilter = (withLegend: boolean): VegaLiteSpec => {
    const { columns, cell } = fitGrid(nf, kw, {
      columns: columnsOpt,
      cell: cellOpt,
      defaultCell,
      caption: captionWidth(String(nf - 1)),
      available: MAX_FIGURE_WIDTH - (withLegend ? LEGEND_WIDTH : 0),
    });
    const values = Array.from({ length: nf }, (_, f) => ({
      f,
      lo: domain[0],
      url: withLegend ? valuesToPngUrl(fn, plane(0, f), kh, kw, { scheme: 'blueorange', domain, factor: cell }) : rgbFilterUrl(f, cell),
    }));
    const image = imageLayer(kw * cell, kh * cell);
    return {
      $schema: VEGA_LITE_SCHEMA,
      title,
      data: { values },
      facet: { field: 'f', type: 'ordinal', header: { title: 'filter', labelOrient: 'bottom' } },
      columns,
      spec: { width: kw * cell, height: kh * cell, ...(withLegend ? { layer: [image, legendLayer('lo', 'blueorange', domain, 'weight')] } : image) },
      config: { view: { stroke: null } },
    };
  };
  // One filter of 3 input channels as an RGB picture, min-max scaled on its own.
  const rgbFilterUrl = (f: number, cell: number) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) for (let ci = 0; ci < 3; ci++) {
      lo = Math.min(lo, at(r, c, ci, f));
      hi = Math.max(hi, at(r, c, ci, f));
    }
    const span = hi > lo ? hi - lo : 1;
    const rgb = new Uint8Array(kh * kw * 3);
    for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) for (let ci = 0; ci < 3; ci++) {
      rgb[(r * kw + c) * 3 + ci] = Math.round(((at(r, c, ci, f) - lo) / span) * 255);
    }
    return rgbToPngUrl(rgb, kh, kw, cell);
  };

  if (asImage) return perFilter(cin === 1);
  // Channels mode: a grid with one row per filter and one column per input channel, spacing 2 px.
  const { cell } = fitGrid(nc, kw, { columns: nc, cell: cellOpt, defaultCell, spacing: 2, available: MAX_FIGURE_WIDTH - LEGEND_WIDTH - 40 });
  const values: Record<string, number | string>[] = [];
  for (let f = 0; f < nf; f++) {
    for (let ci = 0; ci < nc; ci++) values.push({ f, ch: ci, lo: domain[0], url: valuesToPngUrl(fn, plane(ci, f), kh, kw, { scheme: 'blueorange', domain, factor: cell }) });
  }
  title.subtitle = `${shown}${nc < cin ? `; first ${nc} input channels` : ''}; rows: filters, columns: input channels`;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values },
    facet: {
      row: { field: 'f', type: 'ordinal', header: { title: 'filter' } },
      column: { field: 'ch', type: 'ordinal', header: { title: 'input channel' } },
    },
    spec: { width: kw * cell, height: kh * cell, layer: [imageLayer(kw * cell, kh * cell), legendLayer('lo', 'blueorange', domain, 'weight')] },
    spacing: 2,
    config: { view: { stroke: null } },
  };
}
