/**
 * Options shared by the named-architecture builders (vgg16, resnet50, inceptionV3, efficientNetB0), with
 * the defaults and checks of Keras Applications. Internal to lib/models.
 */
import * as tf from '@tensorflow/tfjs';
import { checkPositiveInt } from '../check';
import { argError } from '../errors';

export interface ArchitectureOptions {
  /** Keep the classifier (global pooling or flatten + dense layers + softmax). Default true. */
  includeTop?: boolean;
  /** [H, W, C] of one image. Default [224, 224, 3] ([299, 299, 3] for InceptionV3). */
  inputShape?: [number, number, number];
  /** Classes of the top layer. Default 1000 (ImageNet). Only used with includeTop. */
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

/** Check the options of builder `fn`; spatial sides must be >= minSize (Keras's minimum for the network). */
export function resolveOptions(
  fn: string,
  opts: ArchitectureOptions,
  defaultSize: number,
  minSize: number,
): ResolvedOptions {
  if (opts === null || typeof opts !== 'object') argError(fn, 'opts', 'must be an object', opts);
  const includeTop = opts.includeTop ?? true;
  if (typeof includeTop !== 'boolean') argError(fn, 'opts.includeTop', 'must be a boolean', includeTop);
  const inputShape = opts.inputShape ?? [defaultSize, defaultSize, 3];
  if (!Array.isArray(inputShape) || inputShape.length !== 3) argError(fn, 'opts.inputShape', 'must be [height, width, channels]', inputShape);
  inputShape.forEach((d, i) => checkPositiveInt(fn, `opts.inputShape[${i}]`, d));
  if (inputShape[0] < minSize || inputShape[1] < minSize) {
    argError(fn, 'opts.inputShape', `must have height and width >= ${minSize}`, inputShape);
  }
  const classes = checkPositiveInt(fn, 'opts.classes', opts.classes ?? 1000);
  if (opts.pooling !== undefined && opts.pooling !== 'avg' && opts.pooling !== 'max') {
    argError(fn, 'opts.pooling', "must be 'avg', 'max' or undefined", opts.pooling);
  }
  return { includeTop, inputShape: [...inputShape] as [number, number, number], classes, pooling: opts.pooling };
}

/** Global pooling (pooling option) or nothing, for a headless network. */
export function headlessPooling(x: tf.SymbolicTensor, pooling: 'avg' | 'max' | undefined): tf.SymbolicTensor {
  if (pooling === 'avg') return tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  if (pooling === 'max') return tf.layers.globalMaxPooling2d({ name: 'max_pool' }).apply(x) as tf.SymbolicTensor;
  return x;
}

/** `layer.apply(x)` typed for the functional API. */
export function sym(layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor {
  return layer.apply(x) as tf.SymbolicTensor;
}
