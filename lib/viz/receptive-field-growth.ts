/**
 * An interactive figure: how the receptive field grows with depth in a stack of identical
 * convolutions, with sliders for the kernel size, the stride and the dilation.
 * @see notebooks/q09-receptive-fields.ipynb
 */
import { checkOptionKeys, checkPositiveInt } from '../check';
import { receptiveField } from '../ops/receptive-field';
import { optionalText } from './data';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './render';

/** One precomputed point of {@link receptiveFieldGrowthSpec}: `depth` identical layers (k, s, d). */
export interface ReceptiveFieldGrowthRow {
  k: number;
  s: number;
  d: number;
  depth: number;
  /** receptive field of one unit after `depth` layers, in input pixels along one axis */
  rf: number;
}

/** Largest value of each slider and of the depth. */
const MAX_KERNEL = 15;
const MAX_STRIDE = 4;
const MAX_DILATION = 4;
const MAX_DEPTH = 20;

/**
 * Receptive field after 1..maxDepth identical layers of kernel size k, stride s and dilation d, one
 * line on a log axis, drawn for the (k, s, d) chosen with three sliders (vega-lite params bound to range
 * inputs). Every combination is precomputed with {@link receptiveField} and the line shows the rows
 * that pass the filter `datum.k == k && datum.s == s && datum.d == d`; the static image is drawn at the
 * params' defaults.
 * @param opts.maxKernel largest k (default 7, at most 15); opts.maxStride largest s (default 3, at most 4);
 *   opts.maxDilation largest d (default 3, at most 4); opts.maxDepth layers (default 10, at most 20);
 *   opts.title (plain text)
 * @returns a vega-lite spec whose `data.values` are {@link ReceptiveFieldGrowthRow}s and whose `params`
 *   are k (default 3), s (default 1) and d (default 1), each with a `bind`
 * @throws ArgError when a maximum is not a positive integer or is above its limit, or opts has other keys
 * @example receptiveFieldGrowthSpec().data.values.find((r) => r.k === 3 && r.s === 2 && r.d === 1 && r.depth === 3).rf
 *   // 15 = 1 + 2 * (1 + 2 + 4)
 * @see notebooks/q09-receptive-fields.ipynb
 */
export function receptiveFieldGrowthSpec(
  opts: { maxKernel?: number; maxStride?: number; maxDilation?: number; maxDepth?: number; title?: string } = {},
): VegaLiteSpec & { data: { values: ReceptiveFieldGrowthRow[] } } {
  const fn = 'receptiveFieldGrowthSpec';
  checkOptionKeys(fn, 'opts', opts, ['maxKernel', 'maxStride', 'maxDilation', 'maxDepth', 'title']);
  const maxK = checkPositiveInt(fn, 'opts.maxKernel', opts.maxKernel ?? 7, MAX_KERNEL);
  const maxS = checkPositiveInt(fn, 'opts.maxStride', opts.maxStride ?? 3, MAX_STRIDE);
  const maxD = checkPositiveInt(fn, 'opts.maxDilation', opts.maxDilation ?? 3, MAX_DILATION);
  const maxDepth = checkPositiveInt(fn, 'opts.maxDepth', opts.maxDepth ?? 10, MAX_DEPTH);
  const title = optionalText(fn, 'opts.title', opts.title, 'Receptive field of a stack of identical layers');
  const values: ReceptiveFieldGrowthRow[] = [];
  for (let k = 1; k <= maxK; k++)
    for (let s = 1; s <= maxS; s++)
      for (let d = 1; d <= maxD; d++) {
        const rows = receptiveField(Array.from({ length: maxDepth }, () => ({ kernelSize: k, strides: s, dilationRate: d })));
        rows.forEach((r, i) => values.push({ k, s, d, depth: i + 1, rf: r.size }));
      }
  const slider = (name: string, value: number, max: number, label: string) => ({
    name,
    value: Math.min(value, max),
    bind: { input: 'range', min: 1, max, step: 1, name: label },
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle: 'rf = rf_prev + d(k - 1) * jump_prev, jump = jump_prev * s' },
    params: [slider('k', 3, maxK, 'kernel size k '), slider('s', 1, maxS, 'stride s '), slider('d', 1, maxD, 'dilation d ')],
    data: { values },
    transform: [{ filter: 'datum.k == k && datum.s == s && datum.d == d' }],
    width: 360,
    height: 220,
    encoding: {
      x: { field: 'depth', type: 'quantitative', title: 'layers', scale: { domain: [1, maxDepth] }, axis: { tickMinStep: 1 } },
      y: { field: 'rf', type: 'quantitative', title: 'receptive field (pixels, log)', scale: { type: 'log' } },
    },
    layer: [
      { mark: { type: 'line', point: true, tooltip: true } },
      { mark: { type: 'text', dy: -9, fontSize: 9 }, encoding: { text: { field: 'rf', type: 'quantitative', format: ',' } } },
    ],
  };
}
