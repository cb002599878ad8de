/**
 * Where a model's parameters are: one bar per layer, labelled with its count.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import { argError } from '../errors';
import { checkOneOf, checkOptionKeys } from '../check';
import { optionalText } from './data';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './render';

/** One layer of {@link parameterBarsSpec}. */
export interface ParameterRow {
  name: string;
  params: number;
}

/**
 * Horizontal bars of parameters per layer, in model order, with the count beside each bar and the
 * total in the subtitle.
 * @param rows one per layer, e.g. `model.layers.map((l) => ({ name: l.name, params: l.countParams() }))`
 * @param opts.scale 'linear' (default) or 'log' (layers with 0 parameters are then left out and named);
 *   opts.title (plain text)
 * @throws ArgError when rows is empty, a name repeats, or a count is not a non-negative integer
 * @example parameterBarsSpec([{ name: 'conv1', params: 320 }, { name: 'dense', params: 650 }])
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function parameterBarsSpec(
  rows: readonly ParameterRow[],
  opts: { scale?: 'linear' | 'log'; title?: string } = {},
): VegaLiteSpec {
  const fn = 'parameterBarsSpec';
  if (!Array.isArray(rows) || rows.length === 0) argError(fn, 'rows', 'must be a non-empty array', rows);
  checkOptionKeys(fn, 'opts', opts, ['scale', 'title']);
  const title = optionalText(fn, 'opts.title', opts.title, 'Parameters per layer');
  const scale = checkOneOf(fn, 'opts.scale', opts.scale ?? 'linear', ['linear', 'log'] as const);
  const seen = new Set<string>();
  let total = 0;
  const skipped: string[] = [];
  const values: { name: string; params: number; order: number }[] = [];
  rows.forEach((r, i) => {
    if (!r || typeof r.name !== 'string') argError(fn, `rows[${i}].name`, 'must be a string', r?.name);
    if (seen.has(r.name)) argError(fn, `rows[${i}].name`, 'must be unique', r.name);
    seen.add(r.name);
    if (!Number.isInteger(r.params) || r.params < 0) argError(fn, `rows[${i}].params`, 'must be a non-negative integer', r.params);
    total += r.params;
    if (scale === 'log' && r.params === 0) skipped.push(r.name);
    else values.push({ name: r.name, params: r.params, order: i });
  });
  const subtitle = `total ${total.toLocaleString('en-US')} parameters${skipped.length ? `; no parameters: ${skipped.join(', ')}` : ''}`;
  const y = { field: 'name', type: 'nominal', sort: values.map((v) => v.name), title: null };
  const x = { field: 'params', type: 'quantitative', title: 'parameters', scale: { type: scale } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle },
    data: { values },
    width: 360,
    height: { step: 18 },
    encoding: { y, x },
    layer: [
      // A log axis has no zero: log bars start at 1 parameter instead.
      { mark: { type: 'bar', tooltip: true }, ...(scale === 'log' ? { encoding: { x2: { datum: 1 } } } : {}) },
      { mark: { type: 'text', align: 'left', dx: 3 }, encoding: { text: { field: 'params', type: 'quantitative', format: ',' } } },
    ],
  };
}
