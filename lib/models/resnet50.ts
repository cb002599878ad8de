/**
 * ResNet50 (He et al. 2016, v1) built layer by layer with random weights, following Keras Applications'
 * `ResNet50`: 7x7/2 stem convolution (with bias) + BN + ReLU + 3x3/2 max pool, then four stages of
 * bottleneck blocks (3, 4, 6, 3 blocks of 64, 128, 256, 512 filters; the first block of each stage has a
 * projection shortcut and stages 3-5 start with stride 2), then global average pooling + a softmax dense
 * layer. 50 = 1 stem conv + 16 blocks x 3 convs + 1 dense. Keras reports 25,636,712 parameters with the
 * top and 23,587,712 without.
 * @see notebooks/q17-popular-architectures.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { bottleneckBlock } from '../layers/residual';
import { type ArchitectureOptions, averagePoolTop, resolveOptions, sym } from './common';

const STAGES: readonly [filters: number, blocks: number, stride: number][] = [
  [64, 3, 1],
  [128, 4, 2],
  [256, 6, 2],
  [512, 3, 2],
];

/**
 * ResNet50 as a tfjs functional model (random weights; nothing is downloaded).
 * @param opts.includeTop default true; opts.inputShape default [224, 224, 3], sides >= 32; opts.classes
 *   default 1000; opts.pooling 'avg' | 'max' without top
 * @returns a LayersModel named 'resnet50' (layer names as in Keras: conv1_conv, conv2_block1_1_conv, ...)
 * @throws ArgError on bad options
 * @example const m = resnet50(); m.countParams();   // 25636712
 * @see notebooks/q17-popular-architectures.ipynb
 */
export function resnet50(opts: ArchitectureOptions = {}): tf.LayersModel {
  const o = resolveOptions('resnet50', opts, 224, 32);
  const input = tf.input({ shape: o.inputShape, name: 'input_1' });
  let x = sym(tf.layers.zeroPadding2d({ padding: [[3, 3], [3, 3]], name: 'conv1_pad' }), input);
  x = sym(tf.layers.conv2d({ filters: 64, kernelSize: 7, strides: 2, name: 'conv1_conv' }), x);
  x = sym(tf.layers.batchNormalization({ axis: -1, epsilon: 1.001e-5, name: 'conv1_bn' }), x);
  x = sym(tf.layers.activation({ activation: 'relu', name: 'conv1_relu' }), x);
  x = sym(tf.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'pool1_pad' }), x);
  x = sym(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }), x);
  STAGES.forEach(([filters, blocks, stride], s) => {
    for (let b = 1; b <= blocks; b++) {
      x = bottleneckBlock(x, {
        filters,
        strides: b === 1 ? stride : 1,
        convShortcut: b === 1,
        name: `conv${s + 2}_block${b}`,
      });
    }
  });
  x = averagePoolTop(x, o);
  return tf.model({ inputs: input, outputs: x, name: 'resnet50' });
}
