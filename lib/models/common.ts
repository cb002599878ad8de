/**
 * Pieces shared by the model builders: the check of an image input shape (every builder), the options of
 * the named architectures (vgg16, resnet50, inceptionV3, efficientNetB0) with the defaults and checks of
 * Keras Applications, and the global-average-pooling classifier most of them end with. Internal to
 * lib/models.
 */
import * as tf from '@tensorflow/tfjs';
import { checkBoolean, checkOptionKeys, checkPositiveInt, MAX_ELEMENTS } from '../check';
import { argError } from '../errors';

/**
 * The most classes (or actions) a builder's last layer may have: 100,000 (ImageNet-21k has 21,841). More
 * would make a classifier whose weights alone exhaust the heap.
 */
export const MAX_CLASSES = 100_000;

export interface ArchitectureOptions {
  /** Keep the classifier (global pooling or flatten + dense layers + softmax). Default true. */
  includeTop?: boolean;
  /** [H, W, C] of one image. Default [224, 224, 3] ([299, 299, 3] for InceptionV3). */
  inputShape?: [number, number, number];
  /** Classes of the top layer, at most 100,000. Default 1000 (ImageNet). Only used with includeTop. */
  classes?: number;
  /** Without top: 'avg' or 'max' adds global pooling (output [N, C]); default none (output [N, h, w, C]). */
  pooling?: 'avg' | 'max';
}

export interface ResolvedOptions {
  includeTop: boolean;
  inputShape: [number, number, number];
  classes: number;
  pooling?: 'avg' | 'max';
}

/**
 * The input shape `opts.inputShape` of builder `fn`, checked and copied: [height, width, channels] of
 * positive integers with height and width >= minSide (the smallest image the network's strides and
 * valid windows leave a map for), and one image of at most MAX_ELEMENTS (2^28) values.
 * @throws ArgError `fn: opts.inputShape must be [height, width, channels], got ...`, `must have height
 *   and width >= minSide`, or `must hold at most 268435456 values (2^28) per image`
 */
export function checkImageShape(fn: string, shape: unknown, minSide = 1): [number, number, number] {
  if (!Array.isArray(shape) || shape.length !== 3) argError(fn, 'opts.inputShape', 'must be [height, width, channels]', shape);
  shape.forEach((d, i) => checkPositiveInt(fn, `opts.inputShape[${i}]`, d));
  if (shape[0] < minSide || shape[1] < minSide) argError(fn, 'opts.inputShape', `must have height and width >= ${minSide}`, shape);
  if (shape[0] * shape[1] * shape[2] > MAX_ELEMENTS) argError(fn, 'opts.inputShape', `must hold at most ${MAX_ELEMENTS} values (2^28) per image`, shape);
  return [shape[0], shape[1], shape[2]];
}

/** A class (or action) count: a positive integer up to {@link MAX_CLASSES}. */
export function checkClasses(fn: string, arg: string, value: unknown): number {
  return checkPositiveInt(fn, arg, value, MAX_CLASSES);
}

/**
 * The dense layer after a flatten of `features` values with `units` units must have at most MAX_ELEMENTS
 * (2^28) weights: a large input shape (or class count) would otherwise exhaust the heap while the model is
 * built. `arg` names what the user can change.
 * @throws ArgError `fn: opts.inputShape must leave at most 268435456 weights (2^28) in the dense layer after flatten (F features x U units), got [...]`
 */
export function checkDenseAfterFlatten(fn: string, arg: string, value: unknown, features: number, units: number): void {
  if (features * units > MAX_ELEMENTS) {
    argError(fn, arg, `must leave at most ${MAX_ELEMENTS} weights (2^28) in the dense layer after flatten (${features} features x ${units} units)`, value);
  }
}

/** Check the options of builder `fn`; spatial sides must be >= minSize (Keras's minimum for the network). */
export function resolveOptions(
  fn: string,
  opts: ArchitectureOptions,
  defaultSize: number,
  minSize: number,
): ResolvedOptions {
  checkOptionKeys(fn, 'opts', opts, ['includeTop', 'inputShape', 'classes', 'pooling']);
  const includeTop = checkBoolean(fn, 'opts.includeTop', opts.includeTop ?? true);
  const inputShape = checkImageShape(fn, opts.inputShape ?? [defaultSize, defaultSize, 3], minSize);
  const classes = checkClasses(fn, 'opts.classes', opts.classes ?? 1000);
  if (opts.pooling !== undefined && opts.pooling !== 'avg' && opts.pooling !== 'max') {
    argError(fn, 'opts.pooling', "must be 'avg', 'max' or undefined", opts.pooling);
  }
  return { includeTop, inputShape, classes, pooling: opts.pooling };
}

/** Global pooling (pooling option) or nothing, for a headless network. */
export function headlessPooling(x: tf.SymbolicTensor, pooling: 'avg' | 'max' | undefined): tf.SymbolicTensor {
  if (pooling === 'avg') return tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  if (pooling === 'max') return tf.layers.globalMaxPooling2d({ name: 'max_pool' }).apply(x) as tf.SymbolicTensor;
  return x;
}

/**
 * The classifier that ends most builders: global average pooling ('avg_pool'), a dropout of rate
 * `dropout` when > 0 ('top_dropout'), and a softmax dense layer of `classes` units ('predictions').
 */
export function averagePoolClassifier(x: tf.SymbolicTensor, classes: number, dropout = 0): tf.SymbolicTensor {
  x = sym(tf.layers.globalAveragePooling2d({ name: 'avg_pool' }), x);
  if (dropout > 0) x = sym(tf.layers.dropout({ rate: dropout, name: 'top_dropout' }), x);
  return sym(tf.layers.dense({ units: classes, activation: 'softmax', name: 'predictions' }), x);
}

/** Keras Applications' end: {@link averagePoolClassifier} with includeTop, else {@link headlessPooling}. */
export function averagePoolTop(x: tf.SymbolicTensor, o: ResolvedOptions, dropout = 0): tf.SymbolicTensor {
  return o.includeTop ? averagePoolClassifier(x, o.classes, dropout) : headlessPooling(x, o.pooling);
}

/** `layer.apply(x)` typed for the functional API. */
export function sym(layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor {
  return layer.apply(x) as tf.SymbolicTensor;
}
