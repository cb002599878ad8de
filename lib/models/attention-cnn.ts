/**
 * The seed's attention CNN (Question 21): conv 64 -> CBAM -> max pool -> conv 128 -> CBAM -> global
 * average pooling -> softmax. The seed's `cbam_block` is an SE block (ratio 8, average pooling only)
 * followed by a 7x7 spatial attention, i.e. `Cbam` with channelPooling 'avg'; set channelPooling to
 * 'avgmax' for the paper's version (same parameter count).
 * @see notebooks/q21-attention.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkPositiveInt } from '../check';
import { argError } from '../errors';
import { Cbam } from '../layers/cbam';

/**
 * Build the Q21 attention CNN: [N, 224, 224, 3] -> [N, classes].
 * @param opts.inputShape default [224, 224, 3] (sides >= 2); opts.classes default 1000; opts.ratio default 8;
 *   opts.channelPooling default 'avg' (the seed)
 * @throws ArgError on a bad shape, class count or ratio
 * @example cbamCnn().countParams()
 * @see notebooks/q21-attention.ipynb
 */
export function cbamCnn(
  opts: { inputShape?: [number, number, number]; classes?: number; ratio?: number; channelPooling?: 'avg' | 'avgmax' } = {},
): tf.LayersModel {
  const fn = 'cbamCnn';
  const shape = opts.inputShape ?? [224, 224, 3];
  if (!Array.isArray(shape) || shape.length !== 3) argError(fn, 'opts.inputShape', 'must be [height, width, channels]', shape);
  shape.forEach((d, i) => checkPositiveInt(fn, `opts.inputShape[${i}]`, d));
  if (shape[0] < 2 || shape[1] < 2) argError(fn, 'opts.inputShape', 'must have height and width >= 2', shape);
  const classes = checkPositiveInt(fn, 'opts.classes', opts.classes ?? 1000);
  const ratio = checkPositiveInt(fn, 'opts.ratio', opts.ratio ?? 8);
  const channelPooling = opts.channelPooling ?? 'avg';
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;
  const input = tf.input({ shape: [...shape], name: 'input' });
  let x = apply(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1' }), input);
  x = apply(new Cbam({ ratio, channelPooling, name: 'cbam1' }), x);
  x = apply(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }), x);
  x = apply(tf.layers.conv2d({ filters: 128, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv2' }), x);
  x = apply(new Cbam({ ratio, channelPooling, name: 'cbam2' }), x);
  x = apply(tf.layers.globalAveragePooling2d({ name: 'avg_pool' }), x);
  x = apply(tf.layers.dense({ units: classes, activation: 'softmax', name: 'predictions' }), x);
  return tf.model({ inputs: input, outputs: x, name: 'cbam_cnn' });
}
