/**
 * The feature maps of one layer for one input: every channel as a heatmap, ranked by how strongly
 * it fired, with the input image beside them.
 * @see notebooks/q07-feature-maps.ipynb
 */
import { argError } from '../errors';
import { checkOneOf, checkOptionKeys, checkPositiveInt } from '../check';
import { optionalText, readImage, readTensor, round, type TensorLike } from './data';
import { captionWidth, FACET_SPACING, fitGrid, imageLayer, LEGEND_WIDTH, legendLayer, MAX_FIGURE_WIDTH } from './image-marks';
import { extent, valuesToPngUrl } from './png';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './render';

/** One channel's summary, as ranked by {@link featureMapsSpec}. */
interface ChannelActivation {
  channel: number;
  mean: number;
  max: number;
}

function rank(fn: string, maps: TensorLike, rankBy: 'mean' | 'max', rankArg: string) {
  checkOneOf(fn, rankArg, rankBy, ['mean', 'max'] as const);
  const r = readTensor(fn, 'maps', maps);
  let shape = r.shape;
  if (shape.length === 4 && shape[0] === 1) shape = shape.slice(1);
  if (shape.length !== 3) argError(fn, 'maps', 'must have shape [H, W, C] or [1, H, W, C]', r.shape);
  const [h, w, c] = shape;
  const stats: ChannelActivation[] = [];
  for (let ch = 0; ch < c; ch++) {
    let sum = 0;
    let max = -Infinity;
    for (let p = 0; p < h * w; p++) {
      const v = r.values[p * c + ch];
      sum += v;
      if (v > max) max = v;
    }
    stats.push({ channel: ch, mean: sum / (h * w), max });
  }
  const ranked = stats.slice().sort((a, b) => b[rankBy] - a[rankBy] || a.channel - b.channel);
  return { ranked, values: r.values, h, w, c };
}

/** Options of {@link featureMapsSpec}. */
export interface FeatureMapsSpecOptions {
  /** The input image [H, W], [H, W, 1] or [1, H, W, 1], drawn left of the maps. */
  input?: TensorLike;
  /** Show the `top` strongest channels (default all, at most 32). */
  top?: number;
  /** Rank by mean (default) or max activation. */
  rankBy?: 'mean' | 'max';
  /** Figure title (plain text). */
  title?: string;
  /** Maps per row (default: as many as fit in 880 px beside the input and the legend, at most 8,
   * balanced over the rows). */
  columns?: number;
  /** Pixels per map pixel (default about 80 px per map, less when given `columns` would not fit). */
  cellSize?: number;
}

/**
 * Feature maps of one layer for one input, strongest channel first, sharing one color scale (so a
 * weak or dead channel looks dark). Captions read `#rank ch c: mean m`. Each map is one PNG (an `image`
 * mark) coloured with vega's viridis over min..max of the shown maps, with that scale's legend.
 * @param maps activations [H, W, C] or [1, H, W, C]
 * @returns a Vega-Lite v5 spec: the input image (when given) and a facet grid of the maps, side by side
 * @throws ArgError on shapes other than the above, or `top` not a positive integer
 * @example featureMapsSpec(conv1.predict(x), { input: x, top: 8, title: 'conv1' })
 * @see notebooks/q07-feature-maps.ipynb
 */
export function featureMapsSpec(maps: TensorLike, opts: FeatureMapsSpecOptions = {}): VegaLiteSpec {
  const fn = 'featureMapsSpec';
  checkOptionKeys(fn, 'opts', opts, ['input', 'top', 'rankBy', 'title', 'columns', 'cellSize']);
  const rankBy = opts.rankBy ?? 'mean';
  const figureTitle = optionalText(fn, 'opts.title', opts.title, 'Feature maps');
  const { ranked, values: v, h, w, c } = rank(fn, maps, rankBy, 'opts.rankBy');
  const top = Math.min(c, checkPositiveInt(fn, 'opts.top', opts.top ?? Math.min(c, 32)));
  const cellOpt = opts.cellSize === undefined ? undefined : checkPositiveInt(fn, 'opts.cellSize', opts.cellSize);
  const columnsOpt = opts.columns === undefined ? undefined : checkPositiveInt(fn, 'opts.columns', opts.columns);
  const im = opts.input === undefined ? undefined : readImage(fn, 'opts.input', opts.input, [1]);
  const inCell = im ? Math.max(1, Math.round(128 / Math.max(im.h, im.w))) : 0;
  const shown = ranked.slice(0, top);
  const captions = shown.map((s, k) => `#${k + 1} ch ${s.channel}: ${rankBy} ${round(s[rankBy], 3)}`);
  // The maps share one colour scale: min..max of the shown values (as rounded before, for the spec's data).
  const planes = shown.map((s) => Array.from({ length: h * w }, (_, p) => round(v[p * c + s.channel])));
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of planes) {
    const [a, b] = extent(p);
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  const { columns, cell } = fitGrid(top, w, {
    columns: columnsOpt,
    cell: cellOpt,
    defaultCell: Math.max(1, Math.round(80 / Math.max(h, w))),
    caption: Math.max(...captions.flatMap((t) => t.split(': ').map((part) => captionWidth(part)))),
    available: MAX_FIGURE_WIDTH - LEGEND_WIDTH - (im ? im.w * inCell + FACET_SPACING : 0),
  });
  const rows = shown.map((s, k) => ({
    rank: k,
    caption: captions[k],
    lo,
    url: valuesToPngUrl(fn, planes[k], h, w, { scheme: 'viridis', domain: [lo, hi], factor: cell }),
  }));
  const grid = {
    data: { values: rows },
    // Captions in two lines ('#1 ch 3' over 'mean 0.52'), so they are not much wider than a map.
    facet: { field: 'caption', type: 'ordinal', sort: { field: 'rank' }, header: { title: null, labelExpr: "split(datum.label, ': ')" } },
    columns,
    spec: {
      width: w * cell,
      height: h * cell,
      layer: [imageLayer(w * cell, h * cell), legendLayer('lo', 'viridis', [lo, hi], 'activation')],
    },
  };
  const title = {
    text: figureTitle,
    subtitle: `${top < c ? `top ${top} of ` : ''}${c} channels, ${h}x${w}, ranked by ${rankBy} activation`,
  };
  const base = { $schema: VEGA_LITE_SCHEMA, title, config: { view: { stroke: null } } };
  if (!im) return { ...base, ...grid };
  const px = Array.from({ length: im.h * im.w }, (_, p) => round(im.values[p]));
  return {
    ...base,
    hconcat: [
      {
        title: 'input',
        data: { values: [{ url: valuesToPngUrl(fn, px, im.h, im.w, { scheme: 'greys', domain: extent(px), factor: inCell }) }] },
        width: im.w * inCell,
        height: im.h * inCell,
        ...imageLayer(im.w * inCell, im.h * inCell),
      },
      grid,
    ],
    resolve: { scale: { color: 'independent' } },
  };
}
