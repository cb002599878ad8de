/**
 * Residual blocks (He et al. 2016) as functional-API helpers: each takes a SymbolicTensor and returns one,
 * adding named tfjs layers (Conv2D, BatchNormalization, Activation, Add), so a summary lists every
 * convolution of the block. y = relu(F(x) + shortcut(x)), where the shortcut is the identity when shapes
 * match and a strided 1x1 convolution + batch norm (a projection) when they do not.
 *
 * - {@link residualBlock}: the basic block of ResNet-18/34, F = 3x3 conv -> BN -> ReLU -> 3x3 conv -> BN.
 * - {@link bottleneckBlock}: the bottleneck of ResNet-50/101/152, F = 1x1 (reduce to `filters`) -> 3x3 ->
 *   1x1 (expand to 4 filters), exactly Keras Applications' `block1` (stride on the first 1x1, biases
 *   on every convolution, BN epsilon 1.001e-5, layer names `${name}_1_conv` ... `${name}_out`).
 * @see notebooks/q17-popular-architectures.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkBoolean, checkFinite, checkOptionKeys, checkPositiveInt, checkString } from '../check';
import { checkWeightShapes } from './common';
import { argError } from '../errors';

export interface ResidualBlockArgs {
  /** Output channels of both 3x3 convolutions. */
  filters: number;
  /** Stride of the first convolution (and of the projection). Default 1. */
  strides?: number;
  /** Layer-name prefix. Default res_<k>. */
  name?: string;
}

export interface BottleneckBlockArgs {
  /** Channels of the 1x1 reduction and the 3x3 convolution; the block outputs 4 * filters. */
  filters: number;
  /** Stride of the first 1x1 convolution and of the projection shortcut. Default 1. */
  strides?: number;
  /** Kernel of the middle convolution. Default 3. */
  kernelSize?: number;
  /**
   * Projection shortcut (1x1 conv + BN). Default: true when the input does not already have 4 * filters
   * channels or strides > 1, else false (identity shortcut).
   */
  convShortcut?: boolean;
  /** Layer-name prefix, e.g. 'conv2_block1' as in Keras. Default bottleneck_<k>. */
  name?: string;
  /** Batch-norm epsilon. Default 1.001e-5 (Keras ResNet). */
  epsilon?: number;
}

let unnamed = 0;

function checkInput(fn: string, x: tf.SymbolicTensor): number {
  if (!(x instanceof tf.SymbolicTensor)) argError(fn, 'x', 'must be a SymbolicTensor (functional API)', x);
  if (x.shape.length !== 4 || x.shape[3] === null) argError(fn, 'x', 'must have rank 4 [N, H, W, C] with known C', x.shape);
  return x.shape[3] as number;
}

/** The layer-name prefix: `given` (a string) or a fresh default. */
function prefix(fn: string, given: unknown, fallback: () => string): string {
  return given === undefined ? fallback() : checkString(fn, 'name', given);
}

const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;

/**
 * Basic residual block: [N, H, W, C] -> [N, ceil(H/s), ceil(W/s), filters]. Parameters: (9 C + 1) f +
 * (9 f + 1) f + 4 f (two BNs, 2 f of them trainable) and, with a projection, (C + 1) f + 4 f.
 * @throws ArgError when filters or strides is not a positive integer, x is not a rank-4 SymbolicTensor, or a
 *   kernel would hold more than MAX_ELEMENTS (2^28) weights
 * @example let y = residualBlock(x, { filters: 64 }); y = residualBlock(y, { filters: 128, strides: 2 });
 * @see notebooks/q17-popular-architectures.ipynb
 */
export function residualBlock(x: tf.SymbolicTensor, args: ResidualBlockArgs): tf.SymbolicTensor {
  const fn = 'residualBlock';
  const cin = checkInput(fn, x);
  if (args === undefined || args === null) argError(fn, 'args', 'must give filters', args);
  checkOptionKeys(fn, 'args', args, ['filters', 'strides', 'name']);
  const filters = checkPositiveInt(fn, 'filters', args.filters);
  const strides = checkPositiveInt(fn, 'strides', args.strides ?? 1);
  checkWeightShapes(fn, { '3x3 kernels': [3, 3, Math.max(cin, filters), filters] });
  const name = prefix(fn, args.name, () => `res_${++unnamed}`);
  let shortcut = x;
  if (strides > 1 || cin !== filters) {
    shortcut = apply(tf.layers.conv2d({ filters, kernelSize: 1, strides, name: `${name}_0_conv` }), x);
    shortcut = apply(tf.layers.batchNormalization({ name: `${name}_0_bn` }), shortcut);
  }
  let y = apply(tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', name: `${name}_1_conv` }), x);
  y = apply(tf.layers.batchNormalization({ name: `${name}_1_bn` }), y);
  y = apply(tf.layers.activation({ activation: 'relu', name: `${name}_1_relu` }), y);
  y = apply(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', name: `${name}_2_conv` }), y);
  y = apply(tf.layers.batchNormalization({ name: `${name}_2_bn` }), y);
  y = apply(tf.layers.add({ name: `${name}_add` }), [shortcut, y]);
  return apply(tf.layers.activation({ activation: 'relu', name: `${name}_out` }), y);
}

/**
 * Bottleneck residual block (Keras ResNet50 `block1`): [N, H, W, C] -> [N, ceil(H/s), ceil(W/s), 4 filters].
 * @throws ArgError when filters, strides or kernelSize is not a positive integer, epsilon is not a positive
 *   number, convShortcut is not a boolean or is false while the shapes differ (an identity cannot change
 *   them), name is not a string, or x is not a rank-4 SymbolicTensor
 * @example const y = bottleneckBlock(x, { filters: 64, name: 'conv2_block1' });   // 256 channels
 * @see notebooks/q17-popular-architectures.ipynb
 */
export function bottleneckBlock(x: tf.SymbolicTensor, args: BottleneckBlockArgs): tf.SymbolicTensor {
  const fn = 'bottleneckBlock';
  const cin = checkInput(fn, x);
  if (args === undefined || args === null) argError(fn, 'args', 'must give filters', args);
  checkOptionKeys(fn, 'args', args, ['filters', 'strides', 'kernelSize', 'convShortcut', 'name', 'epsilon']);
  const filters = checkPositiveInt(fn, 'filters', args.filters);
  const strides = checkPositiveInt(fn, 'strides', args.strides ?? 1);
  const kernelSize = checkPositiveInt(fn, 'kernelSize', args.kernelSize ?? 3);
  const needProjection = strides > 1 || cin !== 4 * filters;
  const convShortcut = checkBoolean(fn, 'convShortcut', args.convShortcut ?? needProjection);
  if (!convShortcut && needProjection) {
    argError(fn, 'convShortcut', `must be true when strides > 1 or the input has ${cin} != 4 * filters channels`, convShortcut);
  }
  checkWeightShapes(fn, { 'middle kernel': [kernelSize, kernelSize, filters, filters], '1x1 kernels': [1, 1, Math.max(cin, filters), 4 * filters] });
  const epsilon = checkFinite(fn, 'epsilon', args.epsilon ?? 1.001e-5);
  if (epsilon <= 0) argError(fn, 'epsilon', 'must be > 0', epsilon);
  const name = prefix(fn, args.name, () => `bottleneck_${++unnamed}`);
  const bn = (suffix: string) => tf.layers.batchNormalization({ axis: -1, epsilon, name: `${name}_${suffix}` });
  let shortcut = x;
  if (convShortcut) {
    shortcut = apply(tf.layers.conv2d({ filters: 4 * filters, kernelSize: 1, strides, name: `${name}_0_conv` }), x);
    shortcut = apply(bn('0_bn'), shortcut);
  }
  let y = apply(tf.layers.conv2d({ filters, kernelSize: 1, strides, name: `${name}_1_conv` }), x);
  y = apply(bn('1_bn'), y);
  y = apply(tf.layers.activation({ activation: 'relu', name: `${name}_1_relu` }), y);
  y = apply(tf.layers.conv2d({ filters, kernelSize, padding: 'same', name: `${name}_2_conv` }), y);
  y = apply(bn('2_bn'), y);
  y = apply(tf.layers.activation({ activation: 'relu', name: `${name}_2_relu` }), y);
  y = apply(tf.layers.conv2d({ filters: 4 * filters, kernelSize: 1, name: `${name}_3_conv` }), y);
  y = apply(bn('3_bn'), y);
  y = apply(tf.layers.add({ name: `${name}_add` }), [shortcut, y]);
  return apply(tf.layers.activation({ activation: 'relu', name: `${name}_out` }), y);
}
