/**
 * What an attention module or an explanation method looks at: channel weights of a
 * squeeze-and-excitation block as bars, and spatial maps (spatial attention, Grad-CAM, saliency)
 * laid over the input image.
 * @see notebooks/q21-attention.ipynb
 */
import { argError } from '../errors';
import { checkInRange, checkOneOf, checkOptionKeys, checkPositiveInt } from '../check';
import { optionalNames, optionalText, readImage, readTensor, round, type TensorLike } from './data';
import { imageLayer, legendLayer } from './image-marks';
import { domainT, extent, parseColor, rgbToPngUrl, schemeInterpolator } from './png';
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
 * heatmaps and saliency maps. The map keeps its own values (no rescaling); its color scale spans the
 * map's range, with a legend. Each panel is one PNG (an `image` mark); the overlay is the map's colors
 * at `opacity` composited over the grayscale image.
 * @param opts.opacity of the map in the overlay (default 0.55); opts.scheme of the map (default 'inferno');
 *   opts.size about this many pixels on each panel's longer side (default 120; rounded to a whole multiple
 *   of the image's size, so 28x28 images give 112 px panels); opts.title; opts.mapTitle (default 'map');
 *   opts.panels which panels each row shows, in order (default ['input', 'map', 'overlay'])
 * @throws ArgError when the list is empty, a shape is wrong, or vega has no such scheme
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
    // Panels are a whole multiple k of the image's size (the one nearest to `size`), so each image pixel
    // is a sharp k x k block; a map cell covers (H/h) x (W/w) image pixels (fractional when they do not
    // divide), drawn as a block, no smoothing.
    const kf = Math.max(1, Math.round(size / Math.max(im.h, im.w)));
    const [pw, ph] = [im.w * kf, im.h * kf];
    const px = Array.from({ length: im.h * im.w }, (_, p) => round(im.values[p]));
    const mv = Array.from({ length: mp.h * mp.w }, (_, p) => round(mp.values[p]));
    const imDomain = extent(px);
    const mapDomain = extent(mv);
    const grey = schemeInterpolator(fn, 'opts.scheme', 'greys');
    const heat = schemeInterpolator(fn, 'opts.scheme', scheme);
    const colors = (interp: (t: number) => string, vals: number[], dom: [number, number]) => {
      const cache = new Map<number, [number, number, number]>();
      return vals.map((v) => {
        let c = cache.get(v);
        if (!c) cache.set(v, (c = parseColor(fn, interp(domainT(v, dom)))));
        return c;
      });
    };
    const imColors = colors(grey, px, imDomain);
    const mapColors = colors(heat, mv, mapDomain);
    const panelPng = (kind: 'input' | 'map' | 'overlay') => {
      const rgb = new Uint8Array(pw * ph * 3);
      for (let y = 0; y < ph; y++) {
        const r = Math.floor(y / kf);
        const mr = Math.min(mp.h - 1, Math.floor(((y + 0.5) / kf) * (mp.h / im.h)));
        for (let x = 0; x < pw; x++) {
          const c = Math.floor(x / kf);
          const mc = Math.min(mp.w - 1, Math.floor(((x + 0.5) / kf) * (mp.w / im.w)));
          const base = imColors[r * im.w + c];
          const top = mapColors[mr * mp.w + mc];
          for (let ch = 0; ch < 3; ch++) {
            // The overlay is the map at `opacity` over the image, as a translucent layer composites.
            const v = kind === 'input' ? base[ch] : kind === 'map' ? top[ch] : opacity * top[ch] + (1 - opacity) * base[ch];
            rgb[(y * pw + x) * 3 + ch] = Math.round(v);
          }
        }
      }
      return rgbToPngUrl(rgb, ph, pw, 1, kind === 'input');
    };
    const dims = { width: pw, height: ph };
    // The map's legend goes with the map panel, or with the overlay when there is no map panel.
    const panel = (kind: 'input' | 'map' | 'overlay', legend: boolean) => ({
      ...dims,
      title: kind === 'map' ? mapTitle : kind,
      data: { values: [{ url: panelPng(kind), lo: mapDomain[0], hi: mapDomain[1] }] },
      ...(legend ? { layer: [imageLayer(pw, ph), legendLayer('lo', scheme, mapDomain, mapTitle)] } : imageLayer(pw, ph)),
    });
    return {
      title: { text: it.title ?? `input ${i}`, anchor: 'start' },
      hconcat: panels.map((p) => panel(p, p === 'map' || (p === 'overlay' && !panels.includes('map')))),
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
