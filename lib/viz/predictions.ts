/**
 * A grid of images with the model's predictions: each captioned with the true and the predicted
 * class, wrong ones marked by a red caption and a red frame.
 * @see notebooks/q24-adversarial-examples.ipynb
 */
import { argError } from '../errors';
import { checkOptionKeys, checkPositiveInt, checkString } from '../check';
import { optionalText, readImage, round, type TensorLike } from './data';
import { captionWidth, fitGrid, imageLayer } from './image-marks';
import { extent, valuesToPngUrl } from './png';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './render';

/** One image of {@link predictionGridSpec}. */
export interface PredictionItem {
  /** Grayscale image [H, W], [H, W, 1] or [1, H, W, 1]; all items the same size. */
  image: TensorLike;
  /** True class id. */
  label: number;
  /** Predicted class id. */
  prediction: number;
  /** Probability of the predicted class, in [0, 1] (shown as a percentage when given). */
  probability?: number;
}

/**
 * Images captioned "true -> predicted"; a wrong prediction gets a red caption and a red frame.
 * Each image is one PNG (an `image` mark, grey scale over min..max of all images).
 * @param opts.classNames names for class ids (default the ids); opts.columns (default: as many as fit in
 *   880 px, at most 8, balanced over the rows); opts.cellSize pixels per image pixel (default 3, less when
 *   given columns would pass 880 px); opts.title (plain text; subtitle gives the count wrong)
 * @throws ArgError when the list is empty, images differ in size, or a probability is outside [0, 1]
 * @example predictionGridSpec(xs.map((x, i) => ({ image: x, label: y[i], prediction: p[i] })))
 * @see notebooks/q24-adversarial-examples.ipynb
 */
export function predictionGridSpec(
  items: readonly PredictionItem[],
  opts: { classNames?: readonly string[]; columns?: number; cellSize?: number; title?: string } = {},
): VegaLiteSpec {
  const fn = 'predictionGridSpec';
  if (!Array.isArray(items) || items.length === 0) argError(fn, 'items', 'must be a non-empty array', items);
  checkOptionKeys(fn, 'opts', opts, ['classNames', 'columns', 'cellSize', 'title']);
  if (opts.classNames !== undefined) {
    if (!Array.isArray(opts.classNames)) argError(fn, 'opts.classNames', 'must be an array of strings', opts.classNames);
    opts.classNames.forEach((n, i) => checkString(fn, `opts.classNames[${i}]`, n));
  }
  const title = optionalText(fn, 'opts.title', opts.title, 'Predictions');
  const columnsOpt = opts.columns === undefined ? undefined : checkPositiveInt(fn, 'opts.columns', opts.columns);
  const cellOpt = opts.cellSize === undefined ? undefined : checkPositiveInt(fn, 'opts.cellSize', opts.cellSize);
  const name = (id: number) => opts.classNames?.[id] ?? String(id);
  let h = 0;
  let w = 0;
  let wrongCount = 0;
  const read = items.map((it, k) => {
    if (it === null || typeof it !== 'object') argError(fn, `items[${k}]`, 'must be { image, label, prediction, probability? }', it);
    const im = readImage(fn, `items[${k}].image`, it.image, [1]);
    if (k === 0) [h, w] = [im.h, im.w];
    else if (im.h !== h || im.w !== w) argError(fn, `items[${k}].image`, `must be ${h}x${w} like the first image`, [im.h, im.w]);
    for (const key of ['label', 'prediction'] as const) {
      if (!Number.isInteger(it[key]) || it[key] < 0) argError(fn, `items[${k}].${key}`, 'must be a non-negative integer class id', it[key]);
    }
    if (it.probability !== undefined && !(it.probability >= 0 && it.probability <= 1)) {
      argError(fn, `items[${k}].probability`, 'must be a number in [0, 1]', it.probability);
    }
    const wrong = it.label !== it.prediction;
    if (wrong) wrongCount++;
    // ASCII only: the static PNG's font fallback turns a whole line bold for one symbol glyph.
    const lines = [`${name(it.label)} -> ${name(it.prediction)}`, ...(it.probability === undefined ? [] : [`(${Math.round(it.probability * 100)}%)`])];
    const px = Array.from({ length: im.h * im.w }, (_, p) => round(im.values[p]));
    return { lines, wrong, px };
  });
  // One grey scale over all images (min..max of their values), as one Vega-Lite scale over the facet's data.
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of read) {
    const [a, b] = extent(r.px);
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  const twoLines = read.some((r) => r.lines.length > 1);
  const { columns, cell } = fitGrid(items.length, w, {
    columns: columnsOpt,
    cell: cellOpt,
    defaultCell: 3,
    spacing: 16,
    caption: Math.max(...read.flatMap((r) => r.lines.map((l) => captionWidth(l, 11)))),
  });
  const values = read.map((r, k) => ({
    img: k,
    caption: r.lines.join(' '),
    lines: twoLines && r.lines.length === 1 ? [r.lines[0], ''] : r.lines,
    wrong: r.wrong,
    url: valuesToPngUrl(fn, r.px, h, w, { scheme: 'greys', domain: [lo, hi], factor: cell }),
  }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle: `caption: true -> predicted class; ${wrongCount} of ${items.length} wrong (red, framed)` },
    data: { values },
    facet: {
      field: 'img',
      type: 'ordinal',
      header: { title: null, labelExpr: "''" },
    },
    columns,
    spacing: { row: twoLines ? 34 : 22, column: 16 },
    spec: {
      width: w * cell,
      height: h * cell,
      layer: [
        imageLayer(w * cell, h * cell),
        {
          // The caption above the image (the probability on a second line), red when wrong.
          // Vega writes the first line at the baseline and the next one below it, so two lines start higher.
          mark: { type: 'text', baseline: 'bottom', dy: twoLines ? -16 : -3, fontSize: 11, lineHeight: 13 },
          encoding: {
            x: { value: (w * cell) / 2 },
            y: { value: 0 },
            text: { field: 'lines' },
            color: { condition: { test: 'datum.wrong', value: '#d62728' }, value: 'black' },
          },
        },
        {
          // A frame around each wrong image.
          transform: [{ filter: 'datum.wrong' }],
          mark: { type: 'rect', fill: null, stroke: '#d62728', strokeWidth: 3 },
          encoding: { x: { value: 0 }, x2: { value: w * cell }, y: { value: 0 }, y2: { value: h * cell } },
        },
      ],
    },
    config: { view: { stroke: null } },
  };
}
