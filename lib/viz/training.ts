/**
 * Training curves: loss and accuracy per epoch (or per batch), training and validation, one panel
 * per quantity, optionally several runs overlaid.
 * @see notebooks/q07-feature-maps.ipynb
 */
import { argError } from '../errors';
import { checkAllFinite, checkNumbers, checkOptionKeys, checkPositiveInt } from '../check';
import { optionalText, round } from './data';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './render';

/** A Keras/tfjs history: metric name -> one value per epoch (`(await model.fit(...)).history`). */
export type HistoryRecord = Record<string, readonly (number | { dataSync(): ArrayLike<number> })[]>;

/** One point of a curve, for callers that build the rows themselves (e.g. a live monitor). */
export interface CurvePoint {
  /** Epoch (1-based; fractional for points inside an epoch) or batch number. */
  step: number;
  /** The panel: 'loss', 'accuracy', or another metric name. */
  panel: string;
  /** The line: 'train', 'validation', or e.g. 'relu / train' for several runs. */
  series: string;
  value: number;
}

/** A named history, for overlaying runs. */
export interface NamedHistory {
  name: string;
  history: HistoryRecord;
}

const PANELS: Record<string, string> = { acc: 'accuracy', accuracy: 'accuracy', loss: 'loss' };

/** The name of the hover selection of trainingCurvesSpec's figures (the step nearest the pointer). */
export const HOVER_PARAM = 'hover';

/** 'val_acc' -> { panel: 'accuracy', split: 'validation' }. */
export function metricOf(key: string): { panel: string; split: string } {
  const val = key.startsWith('val_');
  const base = val ? key.slice(4) : key;
  return { panel: PANELS[base] ?? base, split: val ? 'validation' : 'train' };
}

/** Turn histories into curve points (epochs numbered from 1). Used by display/training-monitor.ts; not in the barrel. */
export function historyPoints(fn: string, runs: readonly NamedHistory[]): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (const run of runs) {
    if (!run.history || typeof run.history !== 'object') argError(fn, 'history', 'must map metric names to arrays', run.history);
    for (const [key, raw] of Object.entries(run.history)) {
      if (!Array.isArray(raw)) argError(fn, `history.${key}`, 'must be an array of numbers', raw);
      const vals = raw.map((v, i) => {
        if (typeof v === 'number') return v;
        if (v === null || typeof v !== 'object' || typeof (v as { dataSync?: unknown }).dataSync !== 'function') {
          argError(fn, `history.${key}[${i}]`, 'must be a number or a scalar tensor', v);
        }
        return v.dataSync()[0];
      });
      checkAllFinite(fn, `history.${key}`, vals);
      const { panel, split } = metricOf(key);
      const series = runs.length > 1 || run.name ? (run.name ? `${run.name} / ${split}` : split) : split;
      vals.forEach((value, i) => points.push({ step: i + 1, panel, series, value: round(value, 5) }));
    }
  }
  return points;
}

/**
 * Loss and accuracy curves, one panel per quantity with its own y scale. Hovering a panel marks the
 * nearest step and shows every line's value there (the {@link HOVER_PARAM} selection).
 * @param input a history (metric -> values per epoch), a list of named histories to overlay, or curve points
 * @param opts.x axis title (default 'epoch'); opts.title (plain text); opts.subtitle; opts.width per panel (default 280);
 *   opts.yScale 'linear' (default) or 'log' (values that span decades, e.g. gradient norms; all must be > 0)
 * @throws ArgError when there is nothing to draw, a value is not finite, or not positive on a log scale
 * @example trainingCurvesSpec((await model.fit(xs, ys, { epochs: 3, validationSplit: 0.1 })).history)
 * @see notebooks/q07-feature-maps.ipynb
 */
export function trainingCurvesSpec(
  input: HistoryRecord | readonly NamedHistory[] | readonly CurvePoint[],
  opts: { x?: string; title?: string; subtitle?: string; width?: number; yScale?: 'linear' | 'log' } = {},
): VegaLiteSpec {
  const fn = 'trainingCurvesSpec';
  checkOptionKeys(fn, 'opts', opts, ['x', 'title', 'subtitle', 'width', 'yScale']);
  const yScale = opts.yScale ?? 'linear';
  if (yScale !== 'linear' && yScale !== 'log') argError(fn, 'opts.yScale', "must be 'linear' or 'log'", opts.yScale);
  const xTitle = optionalText(fn, 'opts.x', opts.x, 'epoch');
  const figureTitle = optionalText(fn, 'opts.title', opts.title, 'Training curves');
  const subtitle = optionalText(fn, 'opts.subtitle', opts.subtitle);
  const width = checkPositiveInt(fn, 'opts.width', opts.width ?? 280);
  if (input === null || typeof input !== 'object') argError(fn, 'input', 'must be a history, a list of named histories, or curve points', input);
  let points: CurvePoint[];
  if (Array.isArray(input)) {
    if (input.length > 0 && 'history' in input[0]) points = historyPoints(fn, input as NamedHistory[]);
    else {
      points = (input as CurvePoint[]).map((p, i) => {
        if (!p || typeof p.step !== 'number' || typeof p.panel !== 'string' || typeof p.series !== 'string') {
          argError(fn, `input[${i}]`, 'must be { step, panel, series, value }', p);
        }
        checkAllFinite(fn, `input[${i}].value`, [p.value, p.step]);
        return p;
      });
    }
  } else {
    points = historyPoints(fn, [{ name: '', history: input as HistoryRecord }]);
  }
  if (points.length === 0) argError(fn, 'input', 'must contain at least one value', input);
  if (yScale === 'log') {
    const bad = points.find((p) => !(p.value > 0));
    if (bad) argError(fn, 'input', 'must hold only positive values on a log scale', bad.value);
  }
  const panels = [...new Set(points.map((p) => p.panel))].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b)));
  const steps = new Set(points.map((p) => p.step));
  const integerSteps = [...steps].every((v) => Number.isInteger(v));
  // One run: color and dash follow the same field, so the legend shows once. Several runs: color per
  // run and dash per split (train solid, validation dashed).
  const singleRun = points.every((p) => !p.series.includes(' / '));
  const hasValidation = points.some((p) => p.series.includes('validation'));
  // Hovering a panel shows a rule at the nearest step and a tooltip with every line's value there:
  // the rows are pivoted to one per (panel, step), a column per line.
  const series = [...new Set(points.map((p) => p.series))];
  const line = {
    mark: { type: 'line', point: steps.size <= 30 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: xTitle, scale: { zero: false }, axis: integerSteps ? (steps.size <= 20 ? { values: [...steps].sort((a, b) => a - b), format: 'd' } : { tickMinStep: 1, format: 'd' }) : {} },
      y: { field: 'value', type: 'quantitative', title: null, scale: yScale === 'log' ? { type: 'log' } : { zero: false } },
      color: singleRun ? { field: 'series', type: 'nominal', title: null } : { field: 'run', type: 'nominal', title: null, legend: { labelLimit: 240 } },
      ...(singleRun
        ? { strokeDash: { field: 'series', type: 'nominal', title: null } }
        : hasValidation
          ? { strokeDash: { field: 'split', type: 'nominal', title: null, sort: ['train', 'validation'] } }
          : {}),
    },
  };
  const hover = {
    transform: [
      { pivot: 'series', value: 'value', groupby: ['panel', 'step'] },
      // each line's value as text ('–' in a panel that has no such line)
      ...series.map((name, i) => ({ calculate: `isValid(datum[${JSON.stringify(name)}]) ? format(datum[${JSON.stringify(name)}], '.4~f') : '–'`, as: `tip${i}` })),
    ],
    params: [{ name: HOVER_PARAM, select: { type: 'point', fields: ['step'], nearest: true, on: 'pointerover', clear: 'pointerout' } }],
    mark: { type: 'rule', color: '#888', strokeWidth: 8 },
    encoding: {
      x: { field: 'step', type: 'quantitative' },
      opacity: { condition: { param: HOVER_PARAM, empty: false, value: 0.35 }, value: 0 },
      tooltip: [
        { field: 'step', type: 'quantitative', title: xTitle },
        ...series.map((name, i) => ({ field: `tip${i}`, type: 'nominal', title: name })),
      ],
    },
  };
  const layer = { width, height: 180, layer: [line, hover] };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: figureTitle, ...(subtitle ? { subtitle } : {}) },
    data: { values: points },
    ...(singleRun
      ? {}
      : {
          transform: [
            { calculate: "split(datum.series, ' / ')[0]", as: 'run' },
            { calculate: "indexof(datum.series, 'validation') >= 0 ? 'validation' : 'train'", as: 'split' },
          ],
        }),
    facet: { column: { field: 'panel', type: 'nominal', sort: panels, title: null } },
    spec: layer,
    resolve: { scale: { y: 'independent' } },
  };
}

/**
 * Trailing moving average: entry i is the mean of the last `span` values up to i (fewer at the
 * start), so a noisy per-episode or per-batch series can be drawn as a curve.
 * @param values the series; span window length, a positive integer
 * @throws ArgError when span is not a positive integer or a value is not finite
 * @example movingAverage([1, 2, 3, 4], 2)  // [1, 1.5, 2.5, 3.5]
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export function movingAverage(values: readonly number[], span: number): number[] {
  const fn = 'movingAverage';
  checkPositiveInt(fn, 'span', span);
  checkNumbers(fn, 'values', values);
  const out: number[] = [];
  let sum = 0;
  values.forEach((v, i) => {
    sum += v;
    if (i >= span) sum -= values[i - span];
    out.push(sum / Math.min(i + 1, span));
  });
  return out;
}
