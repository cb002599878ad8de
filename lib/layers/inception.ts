/**
 * The Inception module of GoogLeNet (Szegedy et al. 2015) as a functional-API helper: it takes a
 * SymbolicTensor and returns one, adding ordinary tfjs layers (Conv2D, MaxPooling2D, Concatenate) whose
 * names say which branch they belong to, so a summary shows the parameters per branch. (A single Layer
 * class would hide the four branches inside one row.)
 *
 *   branch 1: 1x1 conv                                  -> filters1x1
 *   branch 2: 1x1 conv (reduce) -> 3x3 conv             -> filters3x3
 *   branch 3: 1x1 conv (reduce) -> 5x5 conv             -> filters5x5
 *   branch 4: 3x3 max pool, stride 1 -> 1x1 conv (proj) -> filtersPoolProj
 *   output: concatenation along channels, same H x W as the input
 *
 * All convolutions 'same' padding with bias and ReLU (the reference answer's Q18 `inception_module`).
 * @see notebooks/q18-inception-module.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkBoolean, checkOptionKeys, checkPositiveInt, checkString } from '../check';
import { checkWeightShapes } from './common';
import { argError } from '../errors';

export interface InceptionModuleArgs {
  /** Filters of the 1x1 branch. */
  filters1x1: number;
  /** Filters of the 1x1 reduction before the 3x3 convolution (ignored when reduce is false). */
  filters3x3Reduce: number;
  /** Filters of the 3x3 convolution. */
  filters3x3: number;
  /** Filters of the 1x1 reduction before the 5x5 convolution (ignored when reduce is false). */
  filters5x5Reduce: number;
  /** Filters of the 5x5 convolution. */
  filters5x5: number;
  /** Filters of the 1x1 projection after the max pool. */
  filtersPoolProj: number;
  /**
   * With false the 3x3 and 5x5 convolutions read all input channels directly (no 1x1 bottleneck); the
   * output shape is unchanged, so the parameter difference is the saving of the reductions. Default true.
   */
  reduce?: boolean;
  /** Prefix of the layer names: `${name}_1x1`, `${name}_3x3_reduce`, ... `${name}_concat`. Default inception_<k>. */
  name?: string;
}

let unnamed = 0;

const FILTER_KEYS = ['filters1x1', 'filters3x3Reduce', 'filters3x3', 'filters5x5Reduce', 'filters5x5', 'filtersPoolProj'];

/**
 * Apply one Inception module: [N, H, W, C] -> [N, H, W, filters1x1 + filters3x3 + filters5x5 + filtersPoolProj].
 * @throws ArgError when a filter count is not a positive integer, reduce is not a boolean, name is not a
 *   string, args has an unknown key, the input is not rank 4 with known channels, or a kernel would hold more
 *   than MAX_ELEMENTS (2^28) weights
 * @example const y = inceptionModule(x, { filters1x1: 64, filters3x3Reduce: 96, filters3x3: 128, filters5x5Reduce: 16, filters5x5: 32, filtersPoolProj: 32, name: 'inception3a' });   // 256 channels
 * @see notebooks/q18-inception-module.ipynb
 */
export function inceptionModule(x: tf.SymbolicTensor, args: InceptionModuleArgs): tf.SymbolicTensor {
  const fn = 'inceptionModule';
  if (!(x instanceof tf.SymbolicTensor)) argError(fn, 'x', 'must be a SymbolicTensor (functional API)', x);
  if (x.shape.length !== 4) argError(fn, 'x', 'must have rank 4 [N, H, W, C]', x.shape);
  if (args === undefined || args === null) argError(fn, 'args', 'must give the six filter counts', args);
  checkOptionKeys(fn, 'args', args, [...FILTER_KEYS, 'reduce', 'name']);
  const f = {
    filters1x1: checkPositiveInt(fn, 'filters1x1', args.filters1x1),
    filters3x3Reduce: checkPositiveInt(fn, 'filters3x3Reduce', args.filters3x3Reduce),
    filters3x3: checkPositiveInt(fn, 'filters3x3', args.filters3x3),
    filters5x5Reduce: checkPositiveInt(fn, 'filters5x5Reduce', args.filters5x5Reduce),
    filters5x5: checkPositiveInt(fn, 'filters5x5', args.filters5x5),
    filtersPoolProj: checkPositiveInt(fn, 'filtersPoolProj', args.filtersPoolProj),
  };
  const reduce = checkBoolean(fn, 'reduce', args.reduce ?? true);
  const cin = x.shape[3];
  if (cin === null) argError(fn, 'x', 'must have a known channel count (last axis)', x.shape);
  checkWeightShapes(fn, {
    '1x1 kernel': [1, 1, cin, f.filters1x1],
    '3x3 kernel': [3, 3, reduce ? f.filters3x3Reduce : cin, f.filters3x3],
    '5x5 kernel': [5, 5, reduce ? f.filters5x5Reduce : cin, f.filters5x5],
    'reduction kernels': [1, 1, cin, Math.max(f.filters3x3Reduce, f.filters5x5Reduce, f.filtersPoolProj)],
  });
  const name = args.name === undefined ? `inception_${++unnamed}` : checkString(fn, 'name', args.name);
  const conv = (filters: number, k: number, suffix: string, input: tf.SymbolicTensor) =>
    tf.layers
      .conv2d({ filters, kernelSize: k, padding: 'same', activation: 'relu', name: `${name}_${suffix}` })
      .apply(input) as tf.SymbolicTensor;

  const b1 = conv(f.filters1x1, 1, '1x1', x);
  const b2 = conv(f.filters3x3, 3, '3x3', reduce ? conv(f.filters3x3Reduce, 1, '3x3_reduce', x) : x);
  const b3 = conv(f.filters5x5, 5, '5x5', reduce ? conv(f.filters5x5Reduce, 1, '5x5_reduce', x) : x);
  const pooled = tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same', name: `${name}_pool` }).apply(x) as tf.SymbolicTensor;
  const b4 = conv(f.filtersPoolProj, 1, 'pool_proj', pooled);
  return tf.layers.concatenate({ axis: -1, name: `${name}_concat` }).apply([b1, b2, b3, b4]) as tf.SymbolicTensor;
}

/** The branches of an Inception module, in output order. */
export const INCEPTION_BRANCHES = ['1x1', '3x3', '5x5', 'pool'] as const;
export type InceptionBranch = (typeof INCEPTION_BRANCHES)[number];

/**
 * Which branch a layer made by {@link inceptionModule} belongs to, from its name; undefined for the
 * concatenation and for layers outside a module.
 * @example inceptionBranchOf('inception3a_5x5_reduce')   // { module: 'inception3a', branch: '5x5' }
 * @see notebooks/q18-inception-module.ipynb
 */
export function inceptionBranchOf(layerName: string): { module: string; branch: InceptionBranch } | undefined {
  checkString('inceptionBranchOf', 'layerName', layerName);
  const m = /^(.*)_(1x1|3x3_reduce|3x3|5x5_reduce|5x5|pool|pool_proj)$/.exec(layerName);
  if (!m) return undefined;
  const branch = m[2].startsWith('pool') ? 'pool' : (m[2].slice(0, 3) as InceptionBranch);
  return { module: m[1], branch };
}

