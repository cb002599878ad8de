/**
 * Gradient flow: a per-layer gradient statistic (norm, mean |g|) against depth on a log scale,
 * several runs overlaid (sigmoid vs ReLU, with and without batch norm or residual connections).
 * @see notebooks/q14-vanishing-gradients.ipynb
 */
import { argError } from '../errors';
import { checkOptionKeys, checkPositiveInt } from '../check';
import { optionalText, round } from './data';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './render';

/** One run of {@link gradientFlowSpec}: its name and one value per layer, input side first. */
export interface GradientFlowRun {
  name: string;
  layers: readonly { layer: string; value: number }[];
}

/**
 * Per-layer gradient magnitudes of several runs on one log-scale chart; x is the depth (1 = the
 * layer nearest the input), the tooltip names the layer. A log axis cannot show 0: layers whose
 * value is exactly 0 are left out of the line and listed in the subtitle, so nothing is hidden.
 * @param opts.title (plain text); opts.yTitle (default 'gradient norm'); opts.width (default 480)
 * @throws ArgError when no run has a layer, or a value is negative or not finite
 * @example gradientFlowSpec([{ name: 'sigmoid', layers: stats.layers.map((l) => ({ layer: l.layer, value: l.norm })) }])
 * @see notebooks/q14-vanishing-gradients.ipynb
 */
export function gradientFlowSpec(
  runs: readonly GradientFlowRun[],
  opts: { title?: string; yTitle?: string; width?: number } = {},
): VegaLiteSpec {
  const fn = 'gradientFlowSpec';
  if (!Array.isArray(runs) || runs.length === 0) argError(fn, 'runs', 'must be a non-empty array', runs);
  checkOptionKeys(fn, 'opts', opts, ['title', 'yTitle', 'width']);
  const title = optionalText(fn, 'opts.title', opts.title, 'Gradient flow');
  const yTitle = optionalText(fn, 'opts.yTitle', opts.yTitle, 'gradient norm');
  const width = checkPositiveInt(fn, 'opts.width', opts.width ?? 480);
  const values: Record<string, number | string>[] = [];
  const zeros: string[] = [];
  const zeroLayers = new Map<string, string[]>();
  runs.forEach((run, i) => {
    if (!run || typeof run.name !== 'string' || !Array.isArray(run.layers)) argError(fn, `runs[${i}]`, 'must be { name, layers: [{ layer, value }] }', run);
    (run.layers as GradientFlowRun["layers"]).forEach((l, d) => {
      if (l === null || typeof l !== 'object') argError(fn, `runs[${i}].layers[${d}]`, 'must be { layer, value }', l);
      if (typeof l.value !== 'number' || !Number.isFinite(l.value) || l.value < 0) {
        argError(fn, `runs[${i}].layers[${d}].value`, 'must be a finite number >= 0', l.value);
      }
      if (l.value === 0) {
        zeros.push(`${run.name}: ${l.layer}`);
        zeroLayers.set(run.name, [...(zeroLayers.get(run.name) ?? []), String(l.layer)]);
      }
      else values.push({ run: run.name, order: i, depth: d + 1, layer: String(l.layer), value: round(l.value, 5) });
    });
  });
  if (values.length === 0) argError(fn, 'runs', 'must contain at least one non-zero value', zeros);
  // Grouped per run: "relu: dense2, dense5; zeros: all 10 layers".
  const groups = runs
    .filter((r) => zeroLayers.has(r.name))
    .map((r) => {
      const names = zeroLayers.get(r.name)!;
      const list = names.length === r.layers.length ? `all ${names.length} layers` : `${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}`;
      return `${r.name}: ${list}`;
    });
  const subtitle = zeros.length ? `exactly zero (not drawn on the log axis): ${groups.join('; ')}` : 'log scale';
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle },
    data: { values },
    width,
    height: 240,
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 'depth', type: 'quantitative', title: 'layer (1 = nearest the input)', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { type: 'log' } },
      color: { field: 'run', type: 'nominal', title: null, sort: runs.map((r) => r.name), legend: { labelLimit: 240 } },
      tooltip: [
        { field: 'run', type: 'nominal' },
        { field: 'layer', type: 'nominal' },
        { field: 'value', type: 'quantitative', format: '.3e' },
      ],
    },
  };
}
