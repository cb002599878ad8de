/**
 * A grid of images with the model's predictions: each captioned with the true and the predicted
 * class, wrong ones marked by a red caption and a red frame.
 * @see notebooks/q24-adversarial-examples.ipynb
 */
import { argError } from '../errors';
import { checkOptionKeys, checkPositiveInt, checkString } from '../check';
import { optionalText, readImage, round, type TensorLike } from './data';
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
 * @param opts.classNames names for class ids (default the ids); opts.columns (default min(n, 8));
 *   opts.cellSize pixels per image pixel (default 3); opts.title (plain text; subtitle gives the count wrong)
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
  const columns = checkPositiveInt(fn, 'opts.columns', opts.columns ?? Math.min(items.length, 8));
  const cell = checkPositiveInt(fn, 'opts.cellSize', opts.cellSize ?? 3);
  const name = (id: number) => opts.classNames?.[id] ?? String(id);
  const values: Record<string, number | string | boolean>[] = [];
  let h = 0;
  let w = 0;
  let wrongCount = 0;
  items.forEach((it, k) => {
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
    const prob = it.probability === undefined ? '' : ` (${Math.round(it.probability * 100)}%)`;
    // ASCII only: the static PNG's font fallback turns a whole line bold for one symbol glyph.
    const caption = `${name(it.label)} -> ${name(it.prediction)}${prob}`;
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) values.push({ img: k, caption, wrong, row: r, col: c, v: round(im.values[r * w + c]) });
  });
  const pos = {
    x: { field: 'col', type: 'quantitative', scale: { domain: [0, w], nice: false, zero: false }, axis: null },
    y: { field: 'row', type: 'quantitative', scale: { domain: [0, h], nice: false, zero: false, reverse: true }, axis: null },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle: `caption: true -> predicted class; ${wrongCount} of ${items.length} wrong (red, framed)` },
    data: { values },
    transform: [{ calculate: 'datum.col + 1', as: 'col2' }, { calculate: 'datum.row + 1', as: 'row2' }],
    facet: {
      field: 'img',
      type: 'ordinal',
      header: { title: null, labelExpr: "''" },
    },
    columns,
    spacing: { row: 22, column: 16 },
    spec: {
      width: w * cell,
      height: h * cell,
      layer: [
        {
          mark: 'rect',
          encoding: { ...pos, x2: { field: 'col2' }, y2: { field: 'row2' }, color: { field: 'v', type: 'quantitative', scale: { scheme: 'greys' }, legend: null } },
        },
        {
          // The caption above the image, red when wrong (one row per image survives the filter).
          transform: [{ filter: 'datum.row == 0 && datum.col == 0' }],
          mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 11 },
          encoding: {
            x: { value: (w * cell) / 2 },
            y: { value: 0 },
            text: { field: 'caption' },
            color: { condition: { test: 'datum.wrong', value: '#d62728' }, value: 'black' },
          },
        },
        {
          // One frame per wrong image: keep a single pixel row of it and draw the whole cell's border.
          transform: [{ filter: 'datum.wrong && datum.row == 0 && datum.col == 0' }],
          mark: { type: 'rect', fill: null, stroke: '#d62728', strokeWidth: 3 },
          encoding: { x: { value: 0 }, x2: { value: w * cell }, y: { value: 0 }, y2: { value: h * cell } },
        },
      ],
    },
    config: { view: { stroke: null } },
  };
}
