/**
 * The reference answer's attention CNN (Question 21): conv 64 -> CBAM -> max pool -> conv 128 -> CBAM -> global
 * average pooling -> softmax. The reference answer's `cbam_block` is an SE block (ratio 8, average pooling only)
 * followed by a 7x7 spatial attention, i.e. `Cbam` with channelPooling 'avg'; set channelPooling to
 * 'avgmax' for the paper's version (same parameter count).
 * @see notebooks/q21-attention.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { checkOneOf, checkOptionKeys, checkPositiveInt } from '../check';
import { Cbam } from '../layers/cbam';
import { averagePoolClassifier, checkClasses, checkImageShape, sym } from './common';

/**
 * Build the Q21 attention CNN: [N, 224, 224, 3] -> [N, classes].
 * @param opts.inputShape default [224, 224, 3] (sides >= 2); opts.classes default 1000; opts.ratio default 8;
 *   opts.channelPooling default 'avg' (the reference answer)
 * @throws ArgError on a bad shape, class count (at most 100,000), ratio (at most 64) or channelPooling, or an
 *   unknown option
 * @example cbamCnn().countParams()
 * @see notebooks/q21-attention.ipynb
 */
export function cbamCnn(
  opts: { inputShape?: [number, number, number]; classes?: number; ratio?: number; channelPooling?: 'avg' | 'avgmax' } = {},
): tf.LayersModel {
  const fn = 'cbamCnn';
  checkOptionKeys(fn, 'opts', opts, ['inputShape', 'classes', 'ratio', 'channelPooling']);
  const shape = checkImageShape(fn, opts.inputShape ?? [224, 224, 3], 2);
  const classes = checkClasses(fn, 'opts.classes', opts.classes ?? 1000);
  const ratio = checkPositiveInt(fn, 'opts.ratio', opts.ratio ?? 8);
  if (ratio > 64) argError(fn, 'opts.ratio', 'must be at most 64 (the channels of conv1)', ratio);
  const channelPooling = checkOneOf(fn, 'opts.channelPooling', opts.channelPooling ?? 'avg', ['avg', 'avgmax'] as const);
  const input = tf.input({ shape, name: 'input' });
  let x = sym(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1' }), input);
  x = sym(new Cbam({ ratio, channelPooling, name: 'cbam1' }), x);
  x = sym(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }), x);
  x = sym(tf.layers.conv2d({ filters: 128, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv2' }), x);
  x = sym(new Cbam({ ratio, channelPooling, name: 'cbam2' }), x);
  x = averagePoolClassifier(x, classes);
  return tf.model({ inputs: input, outputs: x, name: 'cbam_cnn' });
}
