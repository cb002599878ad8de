/**
 * The rest of a CapsNet (Sabour et al. 2017) around {@link CapsuleLayer}: the primary-capsule layer
 * (a convolution whose channels are regrouped into capsule vectors and squashed), a layer that turns
 * capsules into their lengths (class probabilities), and the margin loss on those lengths.
 *
 *   PrimaryCapsules: [N, H, W, C] -> conv (numCapsules * capsuleDim filters) -> [N, h * w * numCapsules, capsuleDim] -> squash
 *   CapsuleLength:   [N, numCaps, dim] -> [N, numCaps], |v_k|
 *   margin loss:     L = sum_k T_k max(0, m+ - |v_k|)^2 + lambda (1 - T_k) max(0, |v_k| - m-)^2
 * @see notebooks/q19-capsule-networks.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkFinite, checkOneOf, checkOptionKeys, checkPositiveInt } from '../check';
import { argError } from '../errors';
import { capsuleSquash } from './capsule';
import {
  channelsOf,
  type InitializerName,
  type Kwargs,
  type LayerArgs,
  type LayerShape,
  layerArgs,
  checkWeightShapes,
  makeInitializer,
  oneShape,
  oneTensor,
} from './common';
import { checkTensor } from './check-tensor';
import { layerWindowOutput, toPair } from '../ops/output-size';

export interface PrimaryCapsulesArgs extends LayerArgs {
  /** Capsule types per position (32 in the paper). */
  numCapsules: number;
  /** Dimension of each capsule (8 in the paper). */
  capsuleDim: number;
  /** Convolution window, k or [kh, kw] (9 in the paper). */
  kernelSize: number | [number, number];
  /** Convolution stride. Default 2 (the paper). */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same'. */
  padding?: 'valid' | 'same';
  /** Kernel initializer. Default 'glorotUniform'. */
  kernelInitializer?: InitializerName;
}

/**
 * Primary capsules: a convolution with numCapsules * capsuleDim filters (with bias), reshaped so that every
 * position and capsule type is one capsule vector, then squashed. [N, H, W, C] -> [N, h w numCapsules, capsuleDim].
 * Parameters: kh kw C (numCapsules capsuleDim) + numCapsules capsuleDim.
 * @throws ArgError when a size is not a positive integer, padding is not 'valid' or 'same', the input is
 *   not rank 4 with known H, W, C, or (padding 'valid') the kernel is larger than the input
 * @example new PrimaryCapsules({ numCapsules: 32, capsuleDim: 8, kernelSize: 9 }).apply(tf.input({ shape: [20, 20, 256] }))   // [null, 1152, 8]
 * @see notebooks/q19-capsule-networks.ipynb
 */
export class PrimaryCapsules extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'PrimaryCapsules';
  readonly numCapsules: number;
  readonly capsuleDim: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly kernelInitializer: InitializerName;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: PrimaryCapsulesArgs) {
    const fn = 'PrimaryCapsules';
    super(layerArgs(fn, args, ['numCapsules', 'capsuleDim', 'kernelSize', 'strides', 'padding', 'kernelInitializer'], 'numCapsules, capsuleDim and kernelSize'));
    this.numCapsules = checkPositiveInt(fn, 'numCapsules', args.numCapsules);
    this.capsuleDim = checkPositiveInt(fn, 'capsuleDim', args.capsuleDim);
    this.kernelSize = toPair(fn, 'kernelSize', args.kernelSize);
    this.strides = toPair(fn, 'strides', args.strides ?? 2);
    this.padding = checkOneOf(fn, 'padding', args.padding ?? 'valid', ['valid', 'same'] as const);
    this.kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
    makeInitializer(fn, 'kernelInitializer', this.kernelInitializer);
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const fn = 'PrimaryCapsules';
    const shape = oneShape(fn, inputShape);
    const c = channelsOf(fn, shape);
    if (shape[1] === null || shape[2] === null) argError(fn, 'input', 'must have known height and width', shape);
    layerWindowOutput(fn, shape, this.kernelSize, this.strides, this.padding); // the kernel fits, before any weight exists
    const filters = this.numCapsules * this.capsuleDim;
    checkWeightShapes(fn, { kernel: [...this.kernelSize, c, filters] });
    this.kernel = this.addWeight('kernel', [...this.kernelSize, c, filters], 'float32', makeInitializer(fn, 'kernelInitializer', this.kernelInitializer));
    this.bias = this.addWeight('bias', [filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = oneTensor('PrimaryCapsules', inputs) as tf.Tensor4D;
      const y = tf.add(tf.conv2d(x, this.kernel!.read() as tf.Tensor4D, this.strides, this.padding), this.bias!.read());
      // [N, h, w, types * dim] -> [N, h * w * types, dim]: channel t * dim + d is component d of capsule type t.
      return capsuleSquash(tf.reshape(y, [x.shape[0], -1, this.capsuleDim]));
    });
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const s = oneShape('PrimaryCapsules', inputShape);
    const [h, w] = layerWindowOutput('PrimaryCapsules', s, this.kernelSize, this.strides, this.padding);
    return [s[0], h === null || w === null ? null : h * w * this.numCapsules, this.capsuleDim];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numCapsules: this.numCapsules,
      capsuleDim: this.capsuleDim,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      kernelInitializer: this.kernelInitializer,
    };
  }
}
tf.serialization.registerClass(PrimaryCapsules);

/**
 * Lengths of capsule vectors, [N, numCaps, dim] -> [N, numCaps]: the output layer of a CapsNet classifier
 * (length = probability that the entity is present). No weights.
 * @throws ArgError when the input is not rank 3
 * @example new CapsuleLength().apply(digitCaps)   // [null, 10]
 * @see notebooks/q19-capsule-networks.ipynb
 */
export class CapsuleLength extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'CapsuleLength';

  constructor(args: LayerArgs = {}) {
    super(layerArgs('CapsuleLength', args, []));
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = oneShape('CapsuleLength', inputShape);
    if (shape.length !== 3) argError('CapsuleLength', 'input', 'must have rank 3 [N, numCapsules, dim]', shape);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    // epsilon inside the root keeps the gradient finite at the zero vector.
    return tf.tidy(() => tf.sqrt(tf.add(tf.sum(tf.square(oneTensor('CapsuleLength', inputs)), -1), 1e-9)));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const s = oneShape('CapsuleLength', inputShape);
    return [s[0], s[1]];
  }
}
tf.serialization.registerClass(CapsuleLength);

/**
 * The margin loss of Sabour et al. on capsule lengths, averaged over the batch:
 * L = sum_k T_k max(0, mPlus - |v_k|)^2 + lambda (1 - T_k) max(0, |v_k| - mMinus)^2.
 * Usable as a tfjs loss: `model.compile({ loss: capsuleMarginLoss, ... })` on a model that ends in
 * {@link CapsuleLength}.
 * @param yTrue one-hot targets [N, K]; yPred capsule lengths [N, K]
 * @param opts.mPlus default 0.9; opts.mMinus default 0.1; opts.lambda down-weighting of absent classes, default 0.5
 * @returns a scalar
 * @throws ArgError when the shapes differ or an option is not a finite number
 * @example capsuleMarginLoss(tf.tensor2d([[0, 1]]), tf.tensor2d([[0.2, 0.8]]))   // 0.5 * 0.1^2 + 0.1^2 = 0.015
 * @see notebooks/q19-capsule-networks.ipynb
 */
export function capsuleMarginLoss(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  opts: { mPlus?: number; mMinus?: number; lambda?: number } = {},
): tf.Scalar {
  const fn = 'capsuleMarginLoss';
  checkTensor(fn, 'yTrue', yTrue);
  checkTensor(fn, 'yPred', yPred);
  checkOptionKeys(fn, 'opts', opts, ['mPlus', 'mMinus', 'lambda']);
  if (yTrue.shape.length !== yPred.shape.length || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    argError(fn, 'yTrue', `must have the shape of yPred [${yPred.shape.join(', ')}]`, yTrue.shape);
  }
  const mPlus = checkFinite(fn, 'opts.mPlus', opts.mPlus ?? 0.9);
  const mMinus = checkFinite(fn, 'opts.mMinus', opts.mMinus ?? 0.1);
  const lambda = checkFinite(fn, 'opts.lambda', opts.lambda ?? 0.5);
  return tf.tidy(() => {
    const present = tf.mul(yTrue, tf.square(tf.relu(tf.sub(mPlus, yPred))));
    const absent = tf.mul(tf.mul(tf.sub(1, yTrue), lambda), tf.square(tf.relu(tf.sub(yPred, mMinus))));
    return tf.mean(tf.sum(tf.add(present, absent), -1)) as tf.Scalar;
  });
}
