/**
 * Confusion matrix of a classifier: rows are true classes, columns predicted ones, each cell
 * colored by its count and labelled with it.
 * @see notebooks/q24-adversarial-examples.ipynb
 */
import { argError } from '../errors';
import { checkOptionKeys, checkPositiveInt } from '../check';
import { optionalNames, optionalText } from './data';

/** The most classes a confusion matrix draws: 1000, a million cells (each one a data row of the spec). */
const MAX_CONFUSION_CLASSES = 1000;
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './render';

/** True and predicted class ids of the same examples. */
export interface LabelPairs {
  labels: ArrayLike<number>;
  predictions: ArrayLike<number>;
}

/**
 * The counts of a confusion matrix, [numClasses][numClasses], rows = true class.
 * @throws ArgError when lengths differ or an id is not an integer in [0, numClasses)
 */
function countPairs(fn: string, p: LabelPairs, k: number | undefined): number[][] {
  if (p === null || typeof p !== 'object') argError(fn, 'input', 'must be { labels, predictions } or a square matrix of counts', p);
  for (const name of ['labels', 'predictions'] as const) {
    const v = p[name];
    const isList = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
    if (!isList) argError(fn, `input.${name}`, 'must be an array of class ids', v);
  }
  if (p.labels.length !== p.predictions.length) {
    argError(fn, 'predictions', `must have as many entries as labels (${p.labels.length})`, p.predictions.length);
  }
  for (let i = 0; i < p.labels.length; i++) {
    for (const [name, v] of [['labels', p.labels[i]], ['predictions', p.predictions[i]]] as const) {
      if (!Number.isInteger(v) || v < 0) argError(fn, `${name}[${i}]`, 'must be a non-negative integer class id', v);
    }
  }
  let n = k;
  if (n === undefined) {
    n = 1;
    for (let i = 0; i < p.labels.length; i++) n = Math.max(n, p.labels[i] + 1, p.predictions[i] + 1);
    if (n > MAX_CONFUSION_CLASSES) argError(fn, 'input', `must hold class ids below ${MAX_CONFUSION_CLASSES} (at most ${MAX_CONFUSION_CLASSES} classes)`, `largest id ${n - 1}`);
  }
  const m = Array.from({ length: n }, () => new Array<number>(n!).fill(0));
  for (let i = 0; i < p.labels.length; i++) {
    const t = p.labels[i];
    const q = p.predictions[i];
    for (const [name, v] of [['labels', t], ['predictions', q]] as const) {
      if (!Number.isInteger(v) || v < 0 || v >= n) argError(fn, `${name}[${i}]`, `must be an integer class id in [0, ${n})`, v);
    }
    m[t][q] += 1;
  }
  return m;
}

/**
 * A confusion-matrix heatmap with counts written in the cells.
 * @param input true and predicted ids ({ labels, predictions }), or a square matrix of counts (rows = true)
 * @param opts.numClasses (default: largest id + 1), at most 1000; opts.classNames axis labels (default '0',
 *   '1', ...); opts.title (plain text; the subtitle gives the accuracy); opts.cellSize pixels (default 28)
 * @throws ArgError on mismatched lengths, ids out of range, more than 1000 classes, a non-square matrix, or
 *   an unknown option
 * @example confusionMatrixSpec({ labels: yTrue, predictions: yPred }, { numClasses: 10 })
 * @see notebooks/q24-adversarial-examples.ipynb
 */
export function confusionMatrixSpec(
  input: LabelPairs | readonly (readonly number[])[],
  opts: { numClasses?: number; classNames?: readonly string[]; title?: string; cellSize?: number } = {},
): VegaLiteSpec {
  const fn = 'confusionMatrixSpec';
  checkOptionKeys(fn, 'opts', opts, ['numClasses', 'classNames', 'title', 'cellSize']);
  const k = opts.numClasses === undefined ? undefined : checkPositiveInt(fn, 'opts.numClasses', opts.numClasses, MAX_CONFUSION_CLASSES);
  let m: number[][];
  if (Array.isArray(input)) {
    if (input.length > MAX_CONFUSION_CLASSES) argError(fn, 'input', `must have at most ${MAX_CONFUSION_CLASSES} rows (classes)`, input.length);
    if (input.some((row) => !Array.isArray(row))) argError(fn, 'input', 'must be a square matrix of counts', input);
    m = input.map((row) => [...row]);
    if (m.length === 0 || m.some((row) => row.length !== m.length)) argError(fn, 'input', 'must be a square matrix of counts', m.map((r) => r.length));
    if (k !== undefined && m.length !== k) argError(fn, 'input', `must be ${k}x${k} for numClasses ${k}`, m.length);
    m.forEach((row, i) => row.forEach((v, j) => {
      if (!Number.isInteger(v) || v < 0) argError(fn, `input[${i}][${j}]`, 'must be a non-negative integer count', v);
    }));
  } else {
    m = countPairs(fn, input as LabelPairs, k);
  }
  const n = m.length;
  const names = optionalNames(fn, 'opts.classNames', opts.classNames, n, `must have ${n} names`) ?? Array.from({ length: n }, (_, i) => String(i));
  const title = optionalText(fn, 'opts.title', opts.title, 'Confusion matrix');
  const values: Record<string, number | string>[] = [];
  let total = 0;
  let correct = 0;
  let max = 0;
  m.forEach((row, i) => row.forEach((count, j) => {
    values.push({ true: names[i], predicted: names[j], count, ti: i, pj: j });
    total += count;
    if (i === j) correct += count;
    max = Math.max(max, count);
  }));
  const cell = checkPositiveInt(fn, 'opts.cellSize', opts.cellSize ?? 28);
  const order = [...names];
  const pos = {
    x: { field: 'predicted', type: 'ordinal', sort: order, title: 'predicted' },
    y: { field: 'true', type: 'ordinal', sort: order, title: 'true' },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: title,
      subtitle: total > 0 ? `${total} examples, accuracy ${((100 * correct) / total).toFixed(1)}%` : 'no examples',
    },
    data: { values },
    width: n * cell,
    height: n * cell,
    layer: [
      { mark: 'rect', encoding: { ...pos, color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' }, title: 'count' } } },
      {
        mark: { type: 'text', fontSize: Math.max(7, Math.min(12, cell / 2.5)) },
        encoding: {
          ...pos,
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
    config: { view: { stroke: null } },
  };
}
