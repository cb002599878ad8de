/**
 * The learned filters of a convolution as a grid of heatmaps. A first layer (1 or 3 input
 * channels) is drawn as small images, one per filter; a deeper layer as a grid with one row per
 * filter and one column per input channel, on a diverging scale centred at zero.
 * @see notebooks/q07-feature-maps.ipynb
 */
import { argError } from '../errors';
import { checkOneOf, checkOptionKeys, checkPositiveInt } from '../check';
import { optionalText, readTensor, maxAbs, round, type TensorLike } from './data';
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
  /** Pixels per kernel cell (default: about 36 px per filter). */
  cellSize?: number;
  /** Filters per row in 'image' mode (default min(filters, 8)). */
  columns?: number;
}

/**
 * Grid of the filters of a conv layer.
 * @param kernel conv2d kernel [kh, kw, inChannels, filters] (tfjs layout; `layer.getWeights()[0]`)
 * @returns a Vega-Lite v5 facet spec; in 'image' mode with 3 channels each filter is min-max scaled
 *   to an RGB picture, with 1 channel all filters share one diverging scale
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
  const cell = checkPositiveInt(fn, 'opts.cellSize', opts.cellSize ?? Math.max(3, Math.ceil(36 / Math.max(kh, kw))));
  const at = (r: number, c: number, ci: number, f: number) => k.values[((r * kw + c) * cin + ci) * cout + f];
  const m = maxAbs(k.values);
  const shown = `${nf < cout ? `first ${nf} of ` : ''}${cout} filters, ${kh}x${kw}x${cin}`;
  const title = { text: figureTitle, subtitle: shown };
  const cellSpec = { width: kw * cell, height: kh * cell };
  const xy = {
    x: { field: 'col', type: 'ordinal', axis: null },
    y: { field: 'row', type: 'ordinal', axis: null },
  };
  const values: Record<string, number | string>[] = [];
  // Image modes: one facet cell per filter, wrapped into rows of `columns`.
  const perFilter = (color: Record<string, unknown>): VegaLiteSpec => ({
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values },
    facet: { field: 'f', type: 'ordinal', header: { title: 'filter', labelOrient: 'bottom' } },
    columns: checkPositiveInt(fn, 'opts.columns', opts.columns ?? Math.min(nf, 8)),
    spec: { ...cellSpec, mark: 'rect', encoding: { ...xy, color } },
    config: { view: { stroke: null } },
  });

  if (asImage && cin === 3) {
    for (let f = 0; f < nf; f++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) for (let ci = 0; ci < 3; ci++) {
        lo = Math.min(lo, at(r, c, ci, f));
        hi = Math.max(hi, at(r, c, ci, f));
      }
      const span = hi > lo ? hi - lo : 1;
      const byte = (v: number) => Math.round(((v - lo) / span) * 255).toString(16).padStart(2, '0');
      for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) {
        values.push({ f, row: r, col: c, rgb: `#${byte(at(r, c, 0, f))}${byte(at(r, c, 1, f))}${byte(at(r, c, 2, f))}` });
      }
    }
    return perFilter({ field: 'rgb', type: 'nominal', scale: null });
  }

  const color = {
    field: 'w',
    type: 'quantitative',
    title: 'weight',
    scale: { scheme: 'blueorange', domain: [-round(m), round(m)] },
  };
  if (asImage) {
    for (let f = 0; f < nf; f++) for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) values.push({ f, row: r, col: c, w: round(at(r, c, 0, f)) });
    return perFilter(color);
  }
  for (let f = 0; f < nf; f++) {
    for (let ci = 0; ci < nc; ci++) {
      for (let r = 0; r < kh; r++) for (let c = 0; c < kw; c++) values.push({ f, ch: ci, row: r, col: c, w: round(at(r, c, ci, f)) });
    }
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
    spec: { ...cellSpec, mark: 'rect', encoding: { ...xy, color } },
    spacing: 2,
    config: { view: { stroke: null } },
  };
}
