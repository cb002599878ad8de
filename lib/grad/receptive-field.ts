/**
 * The empirical receptive field of one unit: the input pixels whose gradient with respect to that
 * unit is non-zero. For a stack of convolutions and poolings it matches the formula
 * rf = 1 + sum_i (k_i - 1) * prod_{j<i} s_j (with k the dilated kernel size) as long as the field
 * fits inside the input; ReLUs that are off and max-pooling (which passes gradient to one input of
 * each window) can hide pixels on one input, so several random inputs are tried and their fields
 * united. TensorFlow.js has no gradient for dilated convolutions, so for models with one the field
 * is measured by perturbation instead: add 1 to one input pixel at a time and see whether the unit
 * changes (the same set, found with H*W forward passes in batches).
 * @see notebooks/q09-receptive-fields.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { checkNonNegativeInt, checkOneOf, checkOptionKeys, checkPositiveInt, checkString, MAX_STEPS } from '../check';
import { checkModel } from '../models/check-model';
import { applyWithProbe, layerOutputShape, type Model } from './common';

/** Result of {@link empiricalReceptiveField}. */
export interface EmpiricalReceptiveField {
  layerName: string;
  /** The unit: [row, col, channel] in the layer's output. */
  unit: [number, number, number];
  /** Input size [H, W]. */
  inputSize: [number, number];
  /** Inclusive bounding box of the pixels with non-zero gradient: [first, last] row and column. */
  rows: [number, number];
  cols: [number, number];
  /** Bounding-box size (the receptive field along each axis when it fits in the input). */
  height: number;
  width: number;
  /** Number of pixels with non-zero gradient. */
  count: number;
  /** 1 where the gradient is non-zero (or the perturbation changed the unit), [H * W] row-major. */
  mask: Uint8Array;
  /** How it was measured: 'gradient' (backpropagation) or 'perturbation' (one pixel at a time). */
  method: 'gradient' | 'perturbation';
}

const dilated = (model: Model) =>
  model.layers.some((l) => {
    const d = (l.getConfig() as { dilationRate?: number | number[] }).dilationRate;
    return Array.isArray(d) ? d.some((v) => v > 1) : typeof d === 'number' && d > 1;
  });

/**
 * Measure the receptive field of one unit of a layer by backpropagation.
 * @param model a tf.LayersModel with a 4-D input [N, H, W, C]
 * @param opts.layerName layer whose unit is measured (default: the last layer with a 4-D output);
 *   opts.unit [row, col, channel] (default: the centre of the map, channel 0); opts.trials random
 *   inputs to unite (default 4, at most MAX_STEPS); opts.seed (default 0); opts.method 'gradient', 'perturbation', or
 *   'auto' (default: 'perturbation' when a layer is dilated, as tfjs cannot differentiate those)
 * @throws ArgError when the layer is missing or not 4-D, the unit is not [row, col, channel] inside its output,
 *   or an option is unknown or out of range
 * @example empiricalReceptiveField(model, { layerName: 'conv3' }).height  // e.g. 18
 * @see notebooks/q09-receptive-fields.ipynb
 */
export function empiricalReceptiveField(
  model: Model,
  opts: {
    layerName?: string;
    unit?: readonly [number, number, number];
    trials?: number;
    seed?: number;
    method?: 'auto' | 'gradient' | 'perturbation';
  } = {},
): EmpiricalReceptiveField {
  const fn = 'empiricalReceptiveField';
  checkModel(fn, model);
  checkOptionKeys(fn, 'opts', opts, ['layerName', 'unit', 'trials', 'seed', 'method']);
  if (opts.layerName !== undefined) checkString(fn, 'opts.layerName', opts.layerName);
  if (opts.unit !== undefined && (!Array.isArray(opts.unit) || opts.unit.length !== 3)) argError(fn, 'opts.unit', 'must be [row, col, channel]', opts.unit);
  const inShape = model.inputs[0].shape;
  if (inShape.length !== 4 || inShape.slice(1).some((d) => d === null)) {
    argError(fn, 'model', 'must have a fixed 4-D input [N, H, W, C]', inShape);
  }
  const [H, W, C] = inShape.slice(1) as number[];
  let layer: tf.layers.Layer | undefined;
  if (opts.layerName !== undefined) {
    layer = model.layers.find((l) => l.name === opts.layerName);
    if (!layer) argError(fn, 'opts.layerName', `must name a layer of the model (${model.layers.map((l) => l.name).join(', ')})`, opts.layerName);
  } else {
    layer = [...model.layers].reverse().find((l) => Array.isArray(l.outputShape) && l.outputShape.length === 4 && !Array.isArray(l.outputShape[0]));
    if (!layer) argError(fn, 'model', 'must have a layer with a 4-D output', model.layers.map((l) => l.name));
  }
  const shape = layerOutputShape(fn, layer, 1);
  if (shape.length !== 4) argError(fn, 'opts.layerName', 'must name a layer with a 4-D output', shape);
  const [, h, w, k] = shape;
  const unit = opts.unit ?? [Math.floor((h - 1) / 2), Math.floor((w - 1) / 2), 0];
  const [ur, uc, uk] = unit;
  [ur, uc, uk].forEach((v, i) => checkNonNegativeInt(fn, `opts.unit[${i}]`, v));
  if (ur >= h || uc >= w || uk >= k) argError(fn, 'opts.unit', `must lie inside the layer output [${h}, ${w}, ${k}]`, [...unit]);
  const trials = checkPositiveInt(fn, 'opts.trials', opts.trials ?? 4, MAX_STEPS);
  const seed = checkNonNegativeInt(fn, 'opts.seed', opts.seed ?? 0);
  const requested = checkOneOf(fn, 'opts.method', opts.method ?? 'auto', ['auto', 'gradient', 'perturbation'] as const);
  const method = requested === 'auto' ? (dilated(model) ? 'perturbation' : 'gradient') : requested;
  const mask = new Uint8Array(H * W);
  const target = layer;
  const unitOf = (x: tf.Tensor): tf.Tensor => {
    const run = applyWithProbe(model, target, x);
    const u = run.captured.slice([0, ur, uc, uk], [x.shape[0], 1, 1, 1]).reshape([x.shape[0]]);
    run.captured.dispose();
    return u;
  };
  for (let t = 0; t < trials && method === 'perturbation'; t++) {
    tf.tidy(() => {
      const x = tf.randomUniform([1, H, W, C], 0, 1, 'float32', seed + t);
      const base = unitOf(x).dataSync()[0];
      const chunk = 256;
      for (let start = 0; start < H * W; start += chunk) {
        const count = Math.min(chunk, H * W - start);
        const changed = tf.tidy(() => {
          const bumps = tf.oneHot(tf.range(start, start + count, 1, 'int32'), H * W).reshape([count, H, W, 1]);
          return unitOf(tf.add(x, bumps)).dataSync();
        });
        for (let i = 0; i < count; i++) if (changed[i] !== base) mask[start + i] = 1;
      }
    });
  }
  for (let t = 0; t < trials && method === 'gradient'; t++) {
    const g = tf.tidy(() => {
      const x = tf.randomUniform([1, H, W, C], 0, 1, 'float32', seed + t);
      let captured: tf.Tensor | undefined;
      const grad = tf.grad((input: tf.Tensor) => {
        const run = applyWithProbe(model, target, input);
        captured = run.captured;
        return run.captured.slice([0, ur, uc, uk], [1, 1, 1, 1]).sum();
      })(x);
      captured?.dispose();
      return tf.sum(tf.abs(grad), [0, 3]).dataSync(); // [H * W]
    });
    for (let i = 0; i < g.length; i++) if (g[i] !== 0) mask[i] = 1;
  }
  let r0 = H;
  let r1 = -1;
  let c0 = W;
  let c1 = -1;
  let count = 0;
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) {
      if (!mask[r * W + c]) continue;
      count++;
      r0 = Math.min(r0, r);
      r1 = Math.max(r1, r);
      c0 = Math.min(c0, c);
      c1 = Math.max(c1, c);
    }
  }
  const any = count > 0;
  return {
    layerName: target.name,
    unit: [ur, uc, uk],
    inputSize: [H, W],
    rows: any ? [r0, r1] : [0, -1],
    cols: any ? [c0, c1] : [0, -1],
    height: any ? r1 - r0 + 1 : 0,
    width: any ? c1 - c0 + 1 : 0,
    count,
    mask,
    method,
  };
}
