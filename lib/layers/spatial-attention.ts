/**
 * Spatial attention (the spatial half of CBAM, Woo et al. 2018) as a TensorFlow.js layer: a map in
 * (0, 1) over positions, computed from the channel-wise mean and max,
 *
 *   a = sigmoid(conv_{k x k}([mean_c(x), max_c(x)]) + b)   [N, H, W, 1]
 *   y = x * a (broadcast over channels)                     [N, H, W, C]
 *
 * Parameters: 2 k^2 (+ 1 with the bias).
 * @see notebooks/q21-attention.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkPositiveInt } from '../check';
import {
  channelsOf,
  type InitializerName,
  type Kwargs,
  type LayerArgs,
  type LayerShape,
  checkWeightShapes,
  layerArgs,
  makeInitializer,
  oneShape,
  oneTensor,
  optionalBoolean,
} from './common';
import { checkTensor } from './check-tensor';

export interface SpatialAttentionArgs extends LayerArgs {
  /** Side k of the square convolution over the [mean, max] map, 'same' padding. Default 7 (CBAM). */
  kernelSize?: number;
  /** Whether the convolution has a bias (Keras Conv2D's default, as in the reference answer). Default true. */
  useBias?: boolean;
  /** Initializer of the k x k x 2 x 1 kernel. Default 'glorotUniform'. */
  kernelInitializer?: InitializerName;
}

/**
 * Spatial attention on [N, H, W, C]; output shape = input shape.
 * @throws ArgError when kernelSize is not a positive integer, useBias is not a boolean, or the input is not rank 4
 * @example spatialAttention({ kernelSize: 7 }).apply(tf.randomNormal([1, 16, 16, 8]))   // [1, 16, 16, 8]
 * @see notebooks/q21-attention.ipynb
 */
export class SpatialAttention extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'SpatialAttention';
  readonly kernelSize: number;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: SpatialAttentionArgs = {}) {
    super(layerArgs('SpatialAttention', args, ['kernelSize', 'useBias', 'kernelInitializer']));
    this.kernelSize = checkPositiveInt('SpatialAttention', 'kernelSize', args.kernelSize ?? 7);
    this.useBias = optionalBoolean('SpatialAttention', 'useBias', args.useBias, true);
    this.kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
    makeInitializer('SpatialAttention', 'kernelInitializer', this.kernelInitializer);
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const fn = 'SpatialAttention';
    channelsOf(fn, oneShape(fn, inputShape));
    const k = this.kernelSize;
    checkWeightShapes(fn, { kernel: [k, k, 2, 1] });
    this.kernel = this.addWeight('kernel', [k, k, 2, 1], 'float32', makeInitializer(fn, 'kernelInitializer', this.kernelInitializer));
    if (this.useBias) this.bias = this.addWeight('bias', [1], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  /** The attention map a in (0, 1): [N, H, W, 1] for an [N, H, W, C] input. Builds the layer if needed. */
  attentionMap(x: tf.Tensor4D): tf.Tensor4D {
    checkTensor('SpatialAttention.attentionMap', 'x', x, { rank: 4, layout: '[N, H, W, C]' });
    if (!this.built) this.build(x.shape);
    return tf.tidy(() => {
      const pooled = tf.concat([tf.mean(x, -1, true), tf.max(x, -1, true)], -1) as tf.Tensor4D; // [N, H, W, 2]
      let a = tf.conv2d(pooled, this.kernel!.read() as tf.Tensor4D, 1, 'same');
      if (this.bias) a = tf.add(a, this.bias.read());
      return tf.sigmoid(a);
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = oneTensor('SpatialAttention', inputs) as tf.Tensor4D;
      return tf.mul(x, this.attentionMap(x));
    });
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return oneShape('SpatialAttention', inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), kernelSize: this.kernelSize, useBias: this.useBias, kernelInitializer: this.kernelInitializer };
  }
}
tf.serialization.registerClass(SpatialAttention);

/**
 * Factory for {@link SpatialAttention}.
 * @example const y = spatialAttention().apply(x) as tf.SymbolicTensor;
 * @see notebooks/q21-attention.ipynb
 */
export function spatialAttention(args: SpatialAttentionArgs = {}): SpatialAttention {
  return new SpatialAttention(args);
}
