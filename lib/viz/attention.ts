/**
 * What an attention module or an explanation method looks at: channel weights of a
 * squeeze-and-excitation block as bars, and spatial maps (spatial attention, Grad-CAM, saliency)
 * laid over the input image.
 * @see notebooks/q21-attention.ipynb
 */
import { argError } from '../errors';
import { checkInRange, checkOneOf, checkOptionKeys, checkPositiveInt } from '../check';
import { optionalNames, optionalText, readImage, readTensor, round, type TensorLike } from './data';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './render';

/**
 * Channel weights (e.g. the sigmoid outputs of an SE block) as bars, one group per input.
 * @param weights [C] for one input, or [N, C] for N inputs (grouped bars, one color per input)
 * @param opts.names a legend name per input (default 'input 0', ...); opts.title; opts.yTitle (default 'weight')
 * @throws ArgError when weights are not rank 1 or 2, or names do not match N
 * @example channelWeightsSpec(seWeights, { names: ['digit 7', 'digit 2'] })
 * @see notebooks/q21-attention.ipynb
 */
export function channelWeightsSpec(
  weights: TensorLike,
  opts: { names?: readonly string[]; title?: string; yTitle?: string } = {},
): VegaLiteSpec {
  const fn = 'channelWeightsSpec';
  const r = readTensor(fn, 'weights', weights);
  if (r.shape.length !== 1 && r.shape.length !== 2) argError(fn, 'weights', 'must have shape [C] or [N, C]', r.shape);
  checkOptionKeys(fn, 'opts', opts, ['names', 'title', 'yTitle']);
  const [n, c] = r.shape.length === 1 ? [1, r.shape[0]] : r.shape;
  const names = optionalNames(fn, 'opts.names', opts.names, n, `must have one name per input (${n})`) ?? Array.from({ length: n }, (_, i) => `input ${i}`);
  const title = optionalText(fn, 'opts.title', opts.title, 'Channel attention weights');
  const yTitle = optionalText(fn, 'opts.yTitle', opts.yTitle, 'weight');
  const values: Record<string, number | string>[] = [];
  for (let i = 0; i < n; i++) for (let ch = 0; ch < c; ch++) values.push({ input: names[i], order: i, channel: ch, weight: round(r.values[i * c + ch]) });
  const multi = n > 1;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle: `${c} channels${multi ? `, ${n} inputs` : ''}` },
    data: { values },
    width: Math.min(720, Math.max(200, c * (multi ? 6 * n : 10))),
    height: 160,
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'channel', type: 'ordinal', title: 'channel', axis: { labelOverlap: true } },
      y: { field: 'weight', type: 'quantitative', title: yTitle },
      ...(multi
        ? {
            xOffset: { field: 'input', type: 'nominal', sort: { field: 'order' } },
            color: { field: 'input', type: 'nominal', title: null, sort: { field: 'order' } },
          }
        : {}),
    },
  };
}

/** One row of {@link heatmapOverlaySpec}: an input image and a map to lay over it. */
export interface OverlayItem {
  /** Grayscale image [H, W], [H, W, 1] or [1, H, W, 1]. */
  image: TensorLike;
  /** Map [h, w] (or [h, w, 1], [1, h, w, 1]); h, w may differ from H, W: each map cell then covers
   * an (H/h) x (W/w) block of the image (fractional when they do not divide), drawn as a block, no smoothing. */
  map: TensorLike;
  /** Row caption (plain text), e.g. 'true 7, pred 7'. */
  title?: string;
}

/**
 * Input, map and the map over the input, one row per item: for spatial attention maps, Grad-CAM
 * heatmaps and saliency maps. The map keeps its own values (no rescaling); each panel's color scale
 * spans the map's range.
 * @param opts.opacity of the map in the overlay (default 0.55); opts.scheme of the map (default 'inferno');
 *   opts.size pixels of each panel's longer side (default 120); opts.title; opts.mapTitle (default 'map');
 *   opts.panels which panels each row shows, in order (default ['input', 'map', 'overlay'])
 * @throws ArgError when the list is empty or a shape is wrong
 * @example heatmapOverlaySpec([{ image: x, map: cam, title: 'Grad-CAM, class 7' }])
 * @see notebooks/q21-attention.ipynb
 */
export function heatmapOverlaySpec(
  items: readonly OverlayItem[],
  opts: {
    opacity?: number;
    scheme?: string;
    size?: number;
    title?: string;
    mapTitle?: string;
    panels?: readonly ('input' | 'map' | 'overlay')[];
  } = {},
): VegaLiteSpec {
  const fn = 'heatmapOverlaySpec';
  if (!Array.isArray(items) || items.length === 0) argError(fn, 'items', 'must be a non-empty array', items);
  items.forEach((it, i) => {
    if (it === null || typeof it !== 'object') argError(fn, `items[${i}]`, 'must be { image, map, title? }', it);
    optionalText(fn, `items[${i}].title`, it.title);
  });
  checkOptionKeys(fn, 'opts', opts, ['opacity', 'scheme', 'size', 'title', 'mapTitle', 'panels']);
  const panels = opts.panels ?? ['input', 'map', 'overlay'];
  if (!Array.isArray(panels) || panels.length === 0) argError(fn, 'opts.panels', "must be a non-empty list of 'input', 'map', 'overlay'", panels);
  panels.forEach((p, i) => checkOneOf(fn, `opts.panels[${i}]`, p, ['input', 'map', 'overlay'] as const));
  const opacity = checkInRange(fn, 'opts.opacity', opts.opacity ?? 0.55, 0, 1);
  const size = checkPositiveInt(fn, 'opts.size', opts.size ?? 120);
  const scheme = optionalText(fn, 'opts.scheme', opts.scheme, 'inferno');
  const mapTitle = optionalText(fn, 'opts.mapTitle', opts.mapTitle, 'map');
  const figureTitle = optionalText(fn, 'opts.title', opts.title);
  const rows = items.map((it, i) => {
    const im = readImage(fn, `items[${i}].image`, it.image, [1]);
    const mp = readImage(fn, `items[${i}].map`, it.map, [1]);
    const sy = im.h / mp.h;
    const sx = im.w / mp.w;
    const scale = size / Math.max(im.h, im.w);
    const pixels: Record<string, number>[] = [];
    for (let r = 0; r < im.h; r++) for (let c = 0; c < im.w; c++) pixels.push({ x: c, x2: c + 1, y: r, y2: r + 1, v: round(im.values[r * im.w + c]) });
    const cells: Record<string, number>[] = [];
    for (let r = 0; r < mp.h; r++) for (let c = 0; c < mp.w; c++) cells.push({ x: c * sx, x2: (c + 1) * sx, y: r * sy, y2: (r + 1) * sy, m: round(mp.values[r * mp.w + c]) });
    const pos = {
      x: { field: 'x', type: 'quantitative', scale: { domain: [0, im.w], nice: false, zero: false }, axis: null },
      x2: { field: 'x2' },
      y: { field: 'y', type: 'quantitative', scale: { domain: [0, im.h], nice: false, zero: false, reverse: true }, axis: null },
      y2: { field: 'y2' },
    };
    const dims = { width: Math.round(im.w * scale), height: Math.round(im.h * scale) };
    const imageLayer = {
      data: { values: pixels },
      mark: 'rect',
      encoding: { ...pos, color: { field: 'v', type: 'quantitative', scale: { scheme: 'greys' }, legend: null } },
    };
    // The map's legend goes with the map panel, or with the overlay when there is no map panel.
    const mapLayer = (overlay: boolean) => ({
      data: { values: cells },
      // On the opaque map a stroke in the fill's color closes the anti-aliasing seams between cells; on the
      // translucent overlay strokes would double up into a grid, so it has none.
      mark: overlay ? { type: 'rect', opacity } : { type: 'rect', strokeWidth: 0.6 },
      encoding: {
        ...pos,
        color: { field: 'm', type: 'quantitative', scale: { scheme }, title: mapTitle, ...(overlay && panels.includes('map') ? { legend: null } : {}) },
        ...(overlay ? {} : { stroke: { field: 'm', type: 'quantitative', scale: { scheme }, legend: null } }),
      },
    });
    return {
      title: { text: it.title ?? `input ${i}`, anchor: 'start' },
      hconcat: panels.map((p) =>
        p === 'input'
          ? { ...dims, title: 'input', ...imageLayer }
          : p === 'map'
            ? { ...dims, title: mapTitle, ...mapLayer(false) }
            : { ...dims, title: 'overlay', layer: [imageLayer, mapLayer(true)], resolve: { scale: { color: 'independent' } } },
      ),
      resolve: { scale: { color: 'independent' } },
    };
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(figureTitle ? { title: figureTitle } : {}),
    vconcat: rows,
    resolve: { scale: { color: 'independent' } },
    config: { view: { stroke: null }, legend: { gradientLength: 80 } },
  };
}
