/**
 * InceptionV3 (Szegedy et al. 2016) built layer by layer with random weights, following Keras
 * Applications' `InceptionV3`. Every convolution is `conv2d_bn`: Conv2D without bias + BatchNormalization
 * without scale (beta, moving mean, moving variance: 3 numbers per channel) + ReLU. Stem of five
 * convolutions and two max pools, then the mixed blocks: mixed0-2 (35x35, 5x5 branches), mixed3 (grid
 * reduction to 17x17), mixed4-7 (factorized 7x7 as 1x7 + 7x1), mixed8 (reduction to 8x8), mixed9-10
 * (expanded 1x3 / 3x1 filter banks), then global average pooling + softmax. Keras reports 23,851,784
 * parameters with the top and 21,802,784 without.
 * @see notebooks/q17-popular-architectures.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { type ArchitectureOptions, averagePoolTop, resolveOptions, sym } from './common';

type T = tf.SymbolicTensor;

/**
 * InceptionV3 as a tfjs functional model (random weights; nothing is downloaded).
 * @param opts.includeTop default true; opts.inputShape default [299, 299, 3], sides >= 75; opts.classes
 *   default 1000; opts.pooling 'avg' | 'max' without top
 * @returns a LayersModel named 'inception_v3' (concatenations named mixed0 ... mixed10 as in Keras)
 * @throws ArgError on bad options
 * @example const m = inceptionV3({ includeTop: false }); m.countParams();   // 21802784
 * @see notebooks/q17-popular-architectures.ipynb
 */
export function inceptionV3(opts: ArchitectureOptions = {}): tf.LayersModel {
  const o = resolveOptions('inceptionV3', opts, 299, 75);
  let k = 0; // Keras numbers conv2d_bn layers conv2d, conv2d_1, ...; we use conv2d_bn_<k>.
  const convBn = (x: T, filters: number, rows: number, cols: number, strides = 1, padding: 'same' | 'valid' = 'same'): T => {
    const id = k++;
    let y = sym(tf.layers.conv2d({ filters, kernelSize: [rows, cols], strides, padding, useBias: false, name: `conv${id}` }), x);
    y = sym(tf.layers.batchNormalization({ axis: -1, scale: false, name: `conv${id}_bn` }), y);
    return sym(tf.layers.activation({ activation: 'relu', name: `conv${id}_relu` }), y);
  };
  const maxPool = (x: T) => sym(tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }), x);
  const avgPoolSame = (x: T) => sym(tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' }), x);
  const concat = (xs: T[], name?: string) => sym(tf.layers.concatenate({ axis: -1, name }), xs);

  const input = tf.input({ shape: o.inputShape, name: 'input_1' });
  let x = convBn(input, 32, 3, 3, 2, 'valid');
  x = convBn(x, 32, 3, 3, 1, 'valid');
  x = convBn(x, 64, 3, 3);
  x = maxPool(x);
  x = convBn(x, 80, 1, 1, 1, 'valid');
  x = convBn(x, 192, 3, 3, 1, 'valid');
  x = maxPool(x);

  // mixed0, 1, 2: 35 x 35 x 256 / 288 / 288
  for (const [i, poolFilters] of [32, 64, 64].entries()) {
    const b1 = convBn(x, 64, 1, 1);
    const b5 = convBn(convBn(x, 48, 1, 1), 64, 5, 5);
    const b3 = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const bp = convBn(avgPoolSame(x), poolFilters, 1, 1);
    x = concat([b1, b5, b3, bp], `mixed${i}`);
  }

  // mixed3: 17 x 17 x 768
  {
    const b3 = convBn(x, 384, 3, 3, 2, 'valid');
    const b3d = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 2, 'valid');
    x = concat([b3, b3d, maxPool(x)], 'mixed3');
  }

  // mixed4-7: 17 x 17 x 768 with 7x7 factorized into 1x7 and 7x1
  for (const [i, f] of [128, 160, 160, 192].entries()) {
    const b1 = convBn(x, 192, 1, 1);
    const b7 = convBn(convBn(convBn(x, f, 1, 1), f, 1, 7), 192, 7, 1);
    let b7d = convBn(x, f, 1, 1);
    b7d = convBn(b7d, f, 7, 1);
    b7d = convBn(b7d, f, 1, 7);
    b7d = convBn(b7d, f, 7, 1);
    b7d = convBn(b7d, 192, 1, 7);
    const bp = convBn(avgPoolSame(x), 192, 1, 1);
    x = concat([b1, b7, b7d, bp], `mixed${4 + i}`);
  }

  // mixed8: 8 x 8 x 1280
  {
    const b3 = convBn(convBn(x, 192, 1, 1), 320, 3, 3, 2, 'valid');
    let b7 = convBn(x, 192, 1, 1);
    b7 = convBn(b7, 192, 1, 7);
    b7 = convBn(b7, 192, 7, 1);
    b7 = convBn(b7, 192, 3, 3, 2, 'valid');
    x = concat([b3, b7, maxPool(x)], 'mixed8');
  }

  // mixed9, 10: 8 x 8 x 2048
  for (let i = 0; i < 2; i++) {
    const b1 = convBn(x, 320, 1, 1);
    const b3 = convBn(x, 384, 1, 1);
    const b3cat = concat([convBn(b3, 384, 1, 3), convBn(b3, 384, 3, 1)], `mixed9_${i}`);
    const b3d = convBn(convBn(x, 448, 1, 1), 384, 3, 3);
    const b3dcat = concat([convBn(b3d, 384, 1, 3), convBn(b3d, 384, 3, 1)]);
    const bp = convBn(avgPoolSame(x), 192, 1, 1);
    x = concat([b1, b3cat, b3dcat, bp], `mixed${9 + i}`);
  }

  x = averagePoolTop(x, o);
  return tf.model({ inputs: input, outputs: x, name: 'inception_v3' });
}
