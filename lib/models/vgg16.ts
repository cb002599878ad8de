/**
 * VGG16 (Simonyan & Zisserman 2014, configuration D) built layer by layer with random weights, with the
 * layer names and structure of Keras Applications' `VGG16`: five blocks of 3x3 'same' convolutions (64,
 * 128, 256, 512, 512 filters; 2, 2, 3, 3, 3 convolutions) each closed by a 2x2 max pool, then flatten ->
 * fc1 (4096) -> fc2 (4096) -> predictions (softmax). Keras reports 138,357,544 parameters with the top
 * and 14,714,688 without.
 * @see notebooks/q17-popular-architectures.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { type ArchitectureOptions, headlessPooling, resolveOptions, sym } from './common';

const BLOCKS: readonly [filters: number, convs: number][] = [
  [64, 2],
  [128, 2],
  [256, 3],
  [512, 3],
  [512, 3],
];

/**
 * VGG16 as a tfjs functional model (random weights; nothing is downloaded).
 * @param opts.includeTop default true; opts.inputShape default [224, 224, 3] (with the top it must be
 *   [224, 224, C], because fc1 is sized for a 7x7x512 map); opts.classes default 1000; opts.pooling
 *   'avg' | 'max' without top
 * @returns a LayersModel named 'vgg16'; dispose it when done (with the top it holds 138M floats, 553 MB)
 * @throws ArgError on bad options, or includeTop with a spatial size other than 224 x 224
 * @example const m = vgg16({ includeTop: false }); m.countParams();   // 14714688
 * @see notebooks/q17-popular-architectures.ipynb
 */
export function vgg16(opts: ArchitectureOptions = {}): tf.LayersModel {
  const fn = 'vgg16';
  const o = resolveOptions(fn, opts, 224, 32);
  if (o.includeTop && (o.inputShape[0] !== 224 || o.inputShape[1] !== 224)) {
    argError(fn, 'opts.inputShape', 'must be [224, 224, C] with includeTop (fc1 expects 7 x 7 x 512)', o.inputShape);
  }
  const input = tf.input({ shape: o.inputShape, name: 'input_1' });
  let x = input;
  BLOCKS.forEach(([filters, convs], b) => {
    for (let c = 1; c <= convs; c++) {
      x = sym(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', name: `block${b + 1}_conv${c}` }), x);
    }
    x = sym(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }), x);
  });
  if (o.includeTop) {
    x = sym(tf.layers.flatten({ name: 'flatten' }), x);
    x = sym(tf.layers.dense({ units: 4096, activation: 'relu', name: 'fc1' }), x);
    x = sym(tf.layers.dense({ units: 4096, activation: 'relu', name: 'fc2' }), x);
    x = sym(tf.layers.dense({ units: o.classes, activation: 'softmax', name: 'predictions' }), x);
  } else {
    x = headlessPooling(x, o.pooling);
  }
  return tf.model({ inputs: input, outputs: x, name: 'vgg16' });
}
