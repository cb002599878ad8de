/**
 * The small CNNs of the reference answers' questions 1, 2, 7 and 13, as tfjs Sequential models with
 * their layer order and names (random weights, not compiled: compile with the optimizer and loss you train with).
 * @see notebooks/q01-what-is-a-cnn.ipynb
 * @see notebooks/q02-cnn-architecture.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptionKeys } from '../check';
import { argError } from '../errors';
import { checkClasses, checkDenseAfterFlatten, checkImageShape } from './common';

/** Side after a 'valid' window of k with stride s. */
const valid = (side: number, k: number, s = 1) => Math.floor((side - k) / s) + 1;

/**
 * Question 1's CNN: 28x28x1 -> conv 32 (3x3) -> max pool 2 -> conv 64 (3x3) -> max pool 2 -> flatten ->
 * dense 64 -> dense 10 softmax. 121,930 parameters for 10 classes.
 * @param opts.inputShape default [28, 28, 1] (sides >= 10); opts.classes default 10 (at most 100,000)
 * @throws ArgError on a bad shape or class count, an unknown option, or an input so large that the dense
 *   layer after flatten would hold more than 2^28 weights
 * @example const m = q1Cnn(); m.countParams();   // 121930
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function q1Cnn(opts: { inputShape?: [number, number, number]; classes?: number } = {}): tf.Sequential {
  checkOptionKeys('q1Cnn', 'opts', opts, ['inputShape', 'classes']);
  const inputShape = checkImageShape('q1Cnn', opts.inputShape ?? [28, 28, 1], 10);
  const classes = checkClasses('q1Cnn', 'opts.classes', opts.classes ?? 10);
  // conv 3 -> pool 2 -> conv 3 -> pool 2 -> flatten (64 channels) -> dense 64
  const side = (d: number) => Math.floor(valid(Math.floor(valid(d, 3) / 2), 3) / 2);
  checkDenseAfterFlatten('q1Cnn', 'opts.inputShape', inputShape, side(inputShape[0]) * side(inputShape[1]) * 64, 64);
  return tf.sequential({
    name: 'q1_cnn',
    layers: [
      tf.layers.conv2d({ inputShape, filters: 32, kernelSize: 3, activation: 'relu', name: 'conv2d' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'max_pooling2d' }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', name: 'conv2d_1' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'max_pooling2d_1' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: 64, activation: 'relu', name: 'dense' }),
      tf.layers.dense({ units: classes, activation: 'softmax', name: 'dense_1' }),
    ],
  });
}

/**
 * Question 2's "typical" CNN: three blocks conv (3x3, 'same') -> ReLU -> batch norm -> max pool 2 with
 * 32, 64, 128 filters, then flatten -> fc1 512 -> dropout 0.5 -> fc2 256 -> dropout 0.5 -> softmax. On
 * 224x224x3 the flatten has 28*28*128 = 100,352 features and fc1 holds almost all the parameters.
 * @param opts.inputShape default [224, 224, 3] (sides >= 8); opts.classes default 10 (at most 100,000)
 * @throws ArgError on a bad shape or class count, an unknown option, or an input so large that fc1 would
 *   hold more than 2^28 weights
 * @example q2Cnn().countParams()   // 51,608,778 (the reference answer says "~13M"; see the notebook)
 * @see notebooks/q02-cnn-architecture.ipynb
 */
export function q2Cnn(opts: { inputShape?: [number, number, number]; classes?: number } = {}): tf.Sequential {
  checkOptionKeys('q2Cnn', 'opts', opts, ['inputShape', 'classes']);
  const inputShape = checkImageShape('q2Cnn', opts.inputShape ?? [224, 224, 3], 8);
  const classes = checkClasses('q2Cnn', 'opts.classes', opts.classes ?? 10);
  // three 'same' convolutions each followed by pool 2 -> flatten (128 channels) -> fc1 512
  const side = (d: number) => Math.floor(Math.floor(Math.floor(d / 2) / 2) / 2);
  checkDenseAfterFlatten('q2Cnn', 'opts.inputShape', inputShape, side(inputShape[0]) * side(inputShape[1]) * 128, 512);
  const layers: tf.layers.Layer[] = [];
  [32, 64, 128].forEach((filters, i) => {
    const b = i + 1;
    layers.push(
      tf.layers.conv2d({ ...(i === 0 ? { inputShape } : {}), filters, kernelSize: 3, padding: 'same', name: `conv${b}` }),
      tf.layers.activation({ activation: 'relu', name: `relu${b}` }),
      tf.layers.batchNormalization({ name: `bn${b}` }),
      tf.layers.maxPooling2d({ poolSize: 2, name: `pool${b}` }),
    );
  });
  layers.push(
    tf.layers.flatten({ name: 'flatten' }),
    tf.layers.dense({ units: 512, activation: 'relu', name: 'fc1' }),
    tf.layers.dropout({ rate: 0.5, name: 'dropout1' }),
    tf.layers.dense({ units: 256, activation: 'relu', name: 'fc2' }),
    tf.layers.dropout({ rate: 0.5, name: 'dropout2' }),
    tf.layers.dense({ units: classes, activation: 'softmax', name: 'output' }),
  );
  return tf.sequential({ name: 'q2_cnn', layers });
}

/**
 * Question 7's feature-map CNN: 28x28x1 -> conv1 8 (3x3) -> pool1 -> conv2 16 (3x3) -> pool2 -> conv3 32
 * (3x3) -> flatten -> dense 10 softmax. Feature maps: 26x26x8, 11x11x16, 3x3x32.
 * @param opts.classes default 10 (at most 100,000)
 * @throws ArgError on a bad class count or an unknown option
 * @example q7Cnn().getLayer('conv3').outputShape   // [null, 3, 3, 32]
 * @see notebooks/q07-feature-maps.ipynb
 */
export function q7Cnn(opts: { classes?: number } = {}): tf.Sequential {
  checkOptionKeys('q7Cnn', 'opts', opts, ['classes']);
  const classes = checkClasses('q7Cnn', 'opts.classes', opts.classes ?? 10);
  return tf.sequential({
    name: 'q7_cnn',
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu', name: 'conv1' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', name: 'conv2' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', name: 'conv3' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: classes, activation: 'softmax', name: 'dense' }),
    ],
  });
}

/** Options of the question 13 networks. */
export interface Q13CnnOptions {
  /** Default [32, 32, 3], the reference answer's (sides >= 32 for the deep network, >= 6 for the shallow one). */
  inputShape?: [number, number, number];
  /** Default 10, at most 100,000. */
  classes?: number;
}

/**
 * Question 13's shallow CNN, wide and one convolution deep: conv 128 (5x5) -> max pool 2 -> flatten ->
 * dense softmax. On 32x32x3: 9,728 + 250,890 = 260,618 parameters (the flatten of 14x14x128 feeds the
 * dense layer, which holds 96% of them).
 * @throws ArgError on a bad shape or class count, an unknown option, or a dense layer of more than 2^28 weights
 * @example q13ShallowCnn().countParams()   // 260618
 * @see notebooks/q13-deep-vs-shallow.ipynb
 */
export function q13ShallowCnn(opts: Q13CnnOptions = {}): tf.Sequential {
  checkOptionKeys('q13ShallowCnn', 'opts', opts, ['inputShape', 'classes']);
  const inputShape = checkImageShape('q13ShallowCnn', opts.inputShape ?? [32, 32, 3], 6);
  const classes = checkClasses('q13ShallowCnn', 'opts.classes', opts.classes ?? 10);
  // conv 5 -> pool 2 -> flatten (128 channels) -> dense classes
  const side = (d: number) => Math.floor(valid(d, 5) / 2);
  checkDenseAfterFlatten('q13ShallowCnn', 'opts', opts, side(inputShape[0]) * side(inputShape[1]) * 128, classes);
  return tf.sequential({
    name: 'q13_shallow',
    layers: [
      tf.layers.conv2d({ inputShape, filters: 128, kernelSize: 5, activation: 'relu', name: 'conv1' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: classes, activation: 'softmax', name: 'dense' }),
    ],
  });
}

/**
 * Question 13's deep CNN, three VGG-style stages of two 3x3 convolutions (32, 64, 128 filters, times
 * `widthMultiplier`), max pool 2 after the first two stages -> flatten -> dense softmax. Six convolutions
 * and one dense layer: on 32x32x3 with width 1, 288,298 parameters. The last convolution leaves 1x1 at a
 * 32-pixel input, the smallest side it accepts.
 * @param opts.widthMultiplier scales every filter count; filters must stay whole numbers >= 1, at most 32
 *   (4,096 filters in the last stage). Default 1.
 * @throws ArgError on a bad shape, class count or width, an unknown option, or a dense layer of more than
 *   2^28 weights
 * @example q13DeepCnn({ widthMultiplier: 0.5 }).countParams()   // 72730 (16, 32, 64 filters)
 * @see notebooks/q13-deep-vs-shallow.ipynb
 */
export function q13DeepCnn(opts: Q13CnnOptions & { widthMultiplier?: number } = {}): tf.Sequential {
  const fn = 'q13DeepCnn';
  checkOptionKeys(fn, 'opts', opts, ['inputShape', 'classes', 'widthMultiplier']);
  const inputShape = checkImageShape(fn, opts.inputShape ?? [32, 32, 3], 32);
  const classes = checkClasses(fn, 'opts.classes', opts.classes ?? 10);
  const w = opts.widthMultiplier ?? 1;
  if (typeof w !== 'number' || !Number.isInteger(32 * w) || 32 * w < 1 || w > 32) {
    argError(fn, 'opts.widthMultiplier', 'must be a positive multiple of 1/32 (filters 32 w, 64 w, 128 w whole), at most 32', w);
  }
  // two valid 3x3 convolutions per stage, pool 2 after the first two stages -> flatten (128 w channels)
  const side = (d: number) => valid(valid(Math.floor(valid(valid(Math.floor(valid(valid(d, 3), 3) / 2), 3), 3) / 2), 3), 3);
  checkDenseAfterFlatten(fn, 'opts', opts, side(inputShape[0]) * side(inputShape[1]) * 128 * w, classes);
  const conv = (filters: number, name: string, first = false) =>
    tf.layers.conv2d({ ...(first ? { inputShape } : {}), filters: filters * w, kernelSize: 3, activation: 'relu', name });
  return tf.sequential({
    name: 'q13_deep',
    layers: [
      conv(32, 'conv1', true),
      conv(32, 'conv2'),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      conv(64, 'conv3'),
      conv(64, 'conv4'),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      conv(128, 'conv5'),
      conv(128, 'conv6'),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: classes, activation: 'softmax', name: 'dense' }),
    ],
  });
}
