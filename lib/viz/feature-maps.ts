/**
 * The feature maps of one layer for one input: every channel as a heatmap, ranked by how strongly
 * it fired, with the input image beside them.
 * @see notebooks/q07-feature-maps.ipynb
 */
import { argError } from '../errors';
import { checkOneOf, checkOptionKeys, checkPositiveInt } from '../check';
import { optionalText, readImage, readTensor, round, type TensorLike } from './data';
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
  /** Maps per row (default min(shown, 8)). */
  columns?: number;
  /** Pixels per map cell (default about 80 px per map). */
  cellSize?: number;
}

/**
 * Feature maps of one layer for one input, strongest channel first, sharing one color scale (so a
 * weak or dead channel looks dark). Captions read `#rank ch c: mean m`.
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
  const cell = checkPositiveInt(fn, 'opts.cellSize', opts.cellSize ?? Math.max(1, Math.round(80 / Math.max(h, w))));
  const columns = checkPositiveInt(fn, 'opts.columns', opts.columns ?? Math.min(top, 8));
  const rows: Record<string, number | string>[] = [];
  ranked.slice(0, top).forEach((s, k) => {
    const caption = `#${k + 1} ch ${s.channel}: ${rankBy} ${round(s[rankBy], 3)}`;
    for (let r = 0; r < h; r++) for (let col = 0; col < w; col++) rows.push({ rank: k, caption, row: r, col, a: round(v[(r * w + col) * c + s.channel]) });
  });
  const axisless = {
    x: { field: 'col', type: 'ordinal', axis: null },
    y: { field: 'row', type: 'ordinal', axis: null },
  };
  const grid = {
    data: { values: rows },
    facet: { field: 'caption', type: 'ordinal', sort: { field: 'rank' }, header: { title: null } },
    columns,
    spec: {
      width: w * cell,
      height: h * cell,
      mark: 'rect',
      encoding: { ...axisless, color: { field: 'a', type: 'quantitative', title: 'activation', scale: { scheme: 'viridis' } } },
    },
  };
  const title = {
    text: figureTitle,
    subtitle: `${top < c ? `top ${top} of ` : ''}${c} channels, ${h}x${w}, ranked by ${rankBy} activation`,
  };
  const base = { $schema: VEGA_LITE_SCHEMA, title, config: { view: { stroke: null } } };
  if (opts.input === undefined) return { ...base, ...grid };
  const im = readImage(fn, 'opts.input', opts.input, [1]);
  const px: Record<string, number>[] = [];
  for (let r = 0; r < im.h; r++) for (let col = 0; col < im.w; col++) px.push({ row: r, col, v: round(im.values[r * im.w + col]) });
  const inCell = Math.max(1, Math.round(128 / Math.max(im.h, im.w)));
  return {
    ...base,
    hconcat: [
      {
        title: 'input',
        data: { values: px },
        width: im.w * inCell,
        height: im.h * inCell,
        mark: 'rect',
        encoding: { ...axisless, color: { field: 'v', type: 'quantitative', scale: { scheme: 'greys' }, legend: null } },
      },
      grid,
    ],
    resolve: { scale: { color: 'independent' } },
  };
}
