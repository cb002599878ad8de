/**
 * The three models of question 10: one small CNN, built without normalization, with local response
 * normalization after each convolution (AlexNet, Krizhevsky et al. 2012), or with batch normalization
 * between each convolution and its ReLU (Ioffe and Szegedy 2015), so that the three differ only there.
 * @see notebooks/q10-local-response-normalization.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkInRange, checkOneOf, checkOptionKeys } from '../check';
import { LocalResponseNormalization, resolveLrnArgs, type LocalResponseNormalizationArgs } from '../layers/lrn';
import { checkClasses, checkDenseAfterFlatten, checkImageShape } from './common';

/** Where the three models differ: 'none', 'lrn' or 'batchnorm'. */
export type NormalizationKind = 'none' | 'lrn' | 'batchnorm';

/** Options of {@link normalizationCnn}. */
export interface NormalizationCnnOptions {
  /** Default [28, 28, 1] (sides >= 10). */
  inputShape?: [number, number, number];
  /** Default 10, at most 100,000. */
  classes?: number;
  /** Arguments of both LRN layers (name excepted); default the layer's (AlexNet's). Used with 'lrn' only. */
  lrn?: Omit<LocalResponseNormalizationArgs, 'name'>;
  /** Momentum of both batch-normalization layers, in [0, 1]. Default 0.9. Used with 'batchnorm' only. */
  momentum?: number;
}

/**
 * conv1 32 (3x3) -> [norm] -> pool1 -> conv2 64 (3x3) -> [norm] -> pool2 -> flatten -> dense softmax, with
 * [norm] nothing ('none'), an LRN layer after the ReLU ('lrn': lrn1, lrn2), or batch normalization and then
 * the ReLU ('batchnorm': conv without activation, bn1 + relu1, bn2 + relu2). LRN adds no parameters; each
 * batch normalization adds 4 per channel (2 of them trainable).
 * @throws ArgError on a bad kind, shape, class count, momentum or LRN argument (`opts.lrn.depthRadius ...`),
 *   an unknown option, or an input so large that the dense layer would hold more than 2^28 weights
 * @example normalizationCnn('batchnorm').countParams() - normalizationCnn('none').countParams()   // 4 * (32 + 64) = 384
 * @see notebooks/q10-local-response-normalization.ipynb
 */
export function normalizationCnn(kind: NormalizationKind, opts: NormalizationCnnOptions = {}): tf.Sequential {
  const fn = 'normalizationCnn';
  checkOneOf(fn, 'kind', kind, ['none', 'lrn', 'batchnorm'] as const);
  checkOptionKeys(fn, 'opts', opts, ['inputShape', 'classes', 'lrn', 'momentum']);
  const inputShape = checkImageShape(fn, opts.inputShape ?? [28, 28, 1], 10);
  const classes = checkClasses(fn, 'opts.classes', opts.classes ?? 10);
  const momentum = checkInRange(fn, 'opts.momentum', opts.momentum ?? 0.9, 0, 1);
  checkOptionKeys(fn, 'opts.lrn', opts.lrn, ['depthRadius', 'bias', 'alpha', 'beta']);
  resolveLrnArgs(fn, 'opts.lrn.', opts.lrn ?? {});
  // conv 3 -> pool 2 -> conv 3 -> pool 2 -> flatten (64 channels) -> dense classes
  const side = (d: number) => Math.floor((Math.floor((d - 2) / 2) - 2) / 2);
  checkDenseAfterFlatten(fn, 'opts', opts, side(inputShape[0]) * side(inputShape[1]) * 64, classes);
  const activation = kind === 'batchnorm' ? 'linear' : 'relu';
  const norm = (i: number): tf.layers.Layer[] => {
    if (kind === 'lrn') return [new LocalResponseNormalization({ ...opts.lrn, name: `lrn${i}` })];
    if (kind === 'batchnorm') {
      return [tf.layers.batchNormalization({ momentum, name: `bn${i}` }), tf.layers.activation({ activation: 'relu', name: `relu${i}` })];
    }
    return [];
  };
  return tf.sequential({
    name: `cnn_${kind}`,
    layers: [
      tf.layers.conv2d({ inputShape, filters: 32, kernelSize: 3, activation, name: 'conv1' }),
      ...norm(1),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation, name: 'conv2' }),
      ...norm(2),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: classes, activation: 'softmax', name: 'dense' }),
    ],
  });
}
