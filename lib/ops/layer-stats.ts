/**
 * What a layer stack costs: parameters, arithmetic and activation memory, from the formulas alone.
 *
 * Parameters (Keras' count_params):
 *   conv2d           kh * kw * (Cin / groups) * Cout  (+ Cout biases)
 *   depthwiseConv2d  kh * kw * C * multiplier         (+ C * multiplier biases)
 *   dense            nIn * units                      (+ units biases)
 *   batchNorm        4 * C (gamma, beta trainable; moving mean and variance not)
 * Arithmetic, counted in multiply-adds (MACs), one per weight use:
 *   conv2d           outH * outW * Cout * kh * kw * (Cin / groups)
 *   depthwiseConv2d  outH * outW * C * multiplier * kh * kw
 *   dense            (positions) * nIn * units
 *   FLOPs = 2 * MACs (a multiply and an add). Bias additions, activations, pooling, normalization and
 *   the other layers without weights are counted as 0: they are O(activations), small next to the
 *   products, and this is the usual convention of papers' "FLOPs" tables.
 * Activation memory: the elements of every layer's output per example (what the backward pass keeps),
 *   times the batch size and the bytes per element (4 for float32).
 * @see notebooks/q05-depth.ipynb
 */
import { argError } from '../errors';
import { checkBoolean, checkOptionKeys, checkPositiveInt, type Shape } from '../check';
import { toPair, type Pair } from './output-size';
import { resolveLayers, type LayerSpec } from './layer-spec';

/** One row of {@link layerStats}. */
export interface LayerStats {
  index: number;
  name: string;
  type: LayerSpec['type'];
  /** per example */
  inputShape: number[];
  /** per example */
  outputShape: number[];
  /** all parameters, as Keras' count_params */
  params: number;
  /** the part updated by the optimizer */
  trainableParams: number;
  /** multiply-adds per example */
  macs: number;
  /** 2 * macs */
  flops: number;
  /** elements of the output per example */
  activations: number;
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/**
 * Per-layer shapes, parameters, multiply-adds and activation sizes of a stack.
 * @param inputShape per example, [H, W, C]
 * @param layers the stack
 * @returns one row per layer (see {@link LayerStats})
 * @throws ArgError as {@link layerShapes}
 * @example layerStats([28, 28, 1], [{ type: 'conv2d', filters: 32, kernelSize: 3 }])[0]
 *   // { outputShape: [26, 26, 32], params: 320, macs: 194688, flops: 389376, activations: 21632, ... }
 * @see notebooks/q05-depth.ipynb
 */
export function layerStats(inputShape: Shape, layers: readonly LayerSpec[]): LayerStats[] {
  return statsAs('layerStats', inputShape, layers);
}

function statsAs(fn: string, inputShape: Shape, layers: readonly LayerSpec[]): LayerStats[] {
  return resolveLayers(fn, inputShape, layers).map(({ index, name, spec, inputShape: inS, outputShape: outS }) => {
    let params = 0;
    let trainableParams = 0;
    let macs = 0;
    const cin = inS[inS.length - 1];
    if (spec.type === 'conv2d') {
      const [kh, kw] = toPair(fn, 'kernelSize', spec.kernelSize);
      const perFilter = kh * kw * (cin / (spec.groups ?? 1));
      params = perFilter * spec.filters + (spec.useBias === false ? 0 : spec.filters);
      macs = outS[0] * outS[1] * spec.filters * perFilter;
    } else if (spec.type === 'depthwiseConv2d') {
      const [kh, kw] = toPair(fn, 'kernelSize', spec.kernelSize);
      const cout = outS[2];
      params = kh * kw * cout + (spec.useBias === false ? 0 : cout);
      macs = outS[0] * outS[1] * cout * kh * kw;
    } else if (spec.type === 'dense') {
      params = cin * spec.units + (spec.useBias === false ? 0 : spec.units);
      macs = prod(inS.slice(0, -1)) * cin * spec.units;
    } else if (spec.type === 'batchNormalization') {
      params = 4 * cin;
      trainableParams = 2 * cin;
    }
    if (spec.type !== 'batchNormalization') trainableParams = params;
    return { index, name, type: spec.type, inputShape: inS, outputShape: outS, params, trainableParams, macs, flops: 2 * macs, activations: prod(outS) };
  });
}

/**
 * Total parameters of a stack (what model.countParams() reports for the same layers).
 * @throws ArgError as {@link layerShapes}
 * @example paramCount([28, 28, 1], [{ type: 'conv2d', filters: 32, kernelSize: 3 }])  // 320
 * @see notebooks/q05-depth.ipynb
 */
export function paramCount(inputShape: Shape, layers: readonly LayerSpec[]): number {
  return statsAs('paramCount', inputShape, layers).reduce((a, r) => a + r.params, 0);
}

/**
 * Arithmetic of one forward pass of one example: multiply-adds and FLOPs (= 2 * MACs); see the
 * module comment for what is counted.
 * @throws ArgError as {@link layerShapes}
 * @example flopCount([28, 28, 1], [{ type: 'conv2d', filters: 32, kernelSize: 3 }])  // { macs: 194688, flops: 389376 }
 * @see notebooks/q05-depth.ipynb
 */
export function flopCount(inputShape: Shape, layers: readonly LayerSpec[]): { macs: number; flops: number } {
  const macs = statsAs('flopCount', inputShape, layers).reduce((a, r) => a + r.macs, 0);
  return { macs, flops: 2 * macs };
}

/**
 * Memory of the activations a forward pass produces (and training keeps for the backward pass).
 * @param opts.batchSize default 1; opts.bytesPerElement default 4 (float32); opts.includeInput count the
 *   input too (default false)
 * @returns { elements, bytes } for the whole batch
 * @throws ArgError as {@link layerShapes}, or when an option is not a positive integer
 * @example activationMemory([224, 224, 3], vggBlock, { batchSize: 32 }).bytes
 * @see notebooks/q05-depth.ipynb
 */
export function activationMemory(
  inputShape: Shape,
  layers: readonly LayerSpec[],
  opts: { batchSize?: number; bytesPerElement?: number; includeInput?: boolean } = {},
): { elements: number; bytes: number } {
  const fn = 'activationMemory';
  checkOptionKeys(fn, 'opts', opts, ['batchSize', 'bytesPerElement', 'includeInput']);
  const includeInput = checkBoolean(fn, 'opts.includeInput', opts.includeInput ?? false);
  const batch = checkPositiveInt(fn, 'opts.batchSize', opts.batchSize ?? 1);
  const bytes = checkPositiveInt(fn, 'opts.bytesPerElement', opts.bytesPerElement ?? 4);
  const rows = statsAs(fn, inputShape, layers);
  const perExample = rows.reduce((a, r) => a + r.activations, includeInput ? prod(inputShape) : 0);
  return { elements: perExample * batch, bytes: perExample * batch * bytes };
}

/**
 * Parameters of one convolution: (kh * kw * Cin / groups + 1) * filters with a bias.
 * @param kernelSize one number or [kh, kw]
 * @param inChannels Cin
 * @param filters Cout
 * @param opts.useBias default true; opts.groups default 1 (must divide Cin and filters)
 * @throws ArgError when a size is not a positive integer or groups does not divide the channels
 * @example conv2dParamCount(3, 32, 64)  // (3*3*32 + 1) * 64 = 18496
 * @see notebooks/q05-depth.ipynb
 */
export function conv2dParamCount(kernelSize: Pair, inChannels: number, filters: number, opts: { useBias?: boolean; groups?: number } = {}): number {
  const fn = 'conv2dParamCount';
  checkOptionKeys(fn, 'opts', opts, ['useBias', 'groups']);
  const useBias = checkBoolean(fn, 'opts.useBias', opts.useBias ?? true);
  const [kh, kw] = toPair(fn, 'kernelSize', kernelSize);
  const cin = checkPositiveInt(fn, 'inChannels', inChannels);
  const cout = checkPositiveInt(fn, 'filters', filters);
  const g = checkPositiveInt(fn, 'opts.groups', opts.groups ?? 1);
  if (cin % g !== 0 || cout % g !== 0) argError(fn, 'opts.groups', `must divide inChannels ${cin} and filters ${cout}`, g);
  return kh * kw * (cin / g) * cout + (useBias ? cout : 0);
}

/**
 * Parameters of one dense layer: (inputs + 1) * units with a bias.
 * @param opts.useBias default true
 * @throws ArgError when a size is not a positive integer
 * @example denseParamCount(1600, 64)  // 102464
 * @see notebooks/q08-parameter-sharing.ipynb
 */
export function denseParamCount(inputs: number, units: number, opts: { useBias?: boolean } = {}): number {
  const fn = 'denseParamCount';
  checkOptionKeys(fn, 'opts', opts, ['useBias']);
  const useBias = checkBoolean(fn, 'opts.useBias', opts.useBias ?? true);
  const nin = checkPositiveInt(fn, 'inputs', inputs);
  const nout = checkPositiveInt(fn, 'units', units);
  return nin * nout + (useBias ? nout : 0);
}
