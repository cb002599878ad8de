/**
 * CBAM, the Convolutional Block Attention Module (Woo et al. 2018), as one TensorFlow.js layer:
 * channel attention, then spatial attention on the channel-refined map.
 *
 *   channel:  m_c = sigmoid(MLP(avgpool(x)) + MLP(maxpool(x)))   [N, C]     (shared MLP C -> C/r -> C)
 *             x' = x * m_c
 *   spatial:  m_s = sigmoid(conv_{k x k}([mean_c(x'), max_c(x')]))  [N, H, W, 1]
 *             y  = x' * m_s
 *
 * With `channelPooling: 'avg'` the channel half uses the average only, which is a squeeze-and-excitation
 * block: that is the seed's `cbam_block` (Q21). Parameters: 2 C (C/r) + C/r + C + 2 k^2 + 1 (with biases);
 * the max branch reuses the MLP, so both poolings cost the same.
 * @see notebooks/q21-attention.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkOneOf, checkPositiveInt } from '../check';
import { argError } from '../errors';
import {
  channelsOf,
  type InitializerName,
  type Kwargs,
  type LayerArgs,
  type LayerShape,
  makeInitializer,
  oneShape,
  oneTensor,
} from './common';

export interface CbamArgs extends LayerArgs {
  /** Reduction ratio of the shared MLP: floor(C / ratio) hidden units. Default 16 (CBAM paper; the seed uses 8). */
  ratio?: number;
  /** Side of the spatial-attention convolution. Default 7. */
  kernelSize?: number;
  /** 'avgmax' (the paper: MLP(avg) + MLP(max)) or 'avg' (SE-style, the seed's version). Default 'avgmax'. */
  channelPooling?: 'avg' | 'avgmax';
  /** Biases in the MLP and the spatial convolution. Default true. */
  useBias?: boolean;
  /** Initializer of the MLP and convolution kernels. Default 'glorotUniform'. */
  kernelInitializer?: InitializerName;
}

/**
 * CBAM on [N, H, W, C]; output shape = input shape.
 * @throws ArgError when ratio or kernelSize is not a positive integer, ratio exceeds C, channelPooling is
 *   not 'avg' or 'avgmax', or the input is not rank 4
 * @example cbam({ ratio: 8 }).apply(tf.randomNormal([1, 16, 16, 64]))   // [1, 16, 16, 64]
 * @see notebooks/q21-attention.ipynb
 */
export class Cbam extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'Cbam';
  readonly ratio: number;
  readonly kernelSize: number;
  readonly channelPooling: 'avg' | 'avgmax';
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  private w1?: tf.LayerVariable;
  private b1?: tf.LayerVariable;
  private w2?: tf.LayerVariable;
  private b2?: tf.LayerVariable;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: CbamArgs = {}) {
    super(args);
    const fn = 'Cbam';
    this.ratio = checkPositiveInt(fn, 'ratio', args.ratio ?? 16);
    this.kernelSize = checkPositiveInt(fn, 'kernelSize', args.kernelSize ?? 7);
    this.channelPooling = checkOneOf(fn, 'channelPooling', args.channelPooling ?? 'avgmax', ['avg', 'avgmax'] as const);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
    makeInitializer(fn, 'kernelInitializer', this.kernelInitializer);
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const fn = 'Cbam';
    const c = channelsOf(fn, oneShape(fn, inputShape));
    const hidden = Math.floor(c / this.ratio);
    if (hidden < 1) argError(fn, 'ratio', `must be at most the channel count (${c})`, this.ratio);
    const init = () => makeInitializer(fn, 'kernelInitializer', this.kernelInitializer);
    const k = this.kernelSize;
    this.w1 = this.addWeight('mlp_w1', [c, hidden], 'float32', init());
    this.w2 = this.addWeight('mlp_w2', [hidden, c], 'float32', init());
    this.kernel = this.addWeight('spatial_kernel', [k, k, 2, 1], 'float32', init());
    if (this.useBias) {
      this.b1 = this.addWeight('mlp_b1', [hidden], 'float32', tf.initializers.zeros());
      this.b2 = this.addWeight('mlp_b2', [c], 'float32', tf.initializers.zeros());
      this.bias = this.addWeight('spatial_bias', [1], 'float32', tf.initializers.zeros());
    }
    this.built = true;
  }

  private mlp(z: tf.Tensor2D): tf.Tensor2D {
    let h: tf.Tensor2D = tf.matMul(z, this.w1!.read() as tf.Tensor2D);
    if (this.b1) h = tf.add(h, this.b1.read());
    let o: tf.Tensor2D = tf.matMul(tf.relu(h), this.w2!.read() as tf.Tensor2D);
    if (this.b2) o = tf.add(o, this.b2.read());
    return o;
  }

  /** Channel attention m_c in (0, 1): [N, C] for an [N, H, W, C] input. Builds the layer if needed. */
  channelAttention(x: tf.Tensor4D): tf.Tensor2D {
    if (!this.built) this.build(x.shape);
    return tf.tidy(() => {
      let logits = this.mlp(tf.mean(x, [1, 2]) as tf.Tensor2D);
      if (this.channelPooling === 'avgmax') logits = tf.add(logits, this.mlp(tf.max(x, [1, 2]) as tf.Tensor2D));
      return tf.sigmoid(logits);
    });
  }

  /**
   * Spatial attention m_s in (0, 1): [N, H, W, 1], computed (as in the forward pass) on the
   * channel-refined map x * m_c. Builds the layer if needed.
   */
  spatialAttention(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => this.spatialMap(this.refineChannels(x)));
  }

  private refineChannels(x: tf.Tensor4D): tf.Tensor4D {
    const mc = this.channelAttention(x);
    return tf.mul(x, tf.reshape(mc, [mc.shape[0], 1, 1, mc.shape[1]]));
  }

  private spatialMap(x: tf.Tensor4D): tf.Tensor4D {
    const pooled = tf.concat([tf.mean(x, -1, true), tf.max(x, -1, true)], -1) as tf.Tensor4D; // [N, H, W, 2]
    let a = tf.conv2d(pooled, this.kernel!.read() as tf.Tensor4D, 1, 'same');
    if (this.bias) a = tf.add(a, this.bias.read());
    return tf.sigmoid(a);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const refined = this.refineChannels(oneTensor('Cbam', inputs) as tf.Tensor4D);
      return tf.mul(refined, this.spatialMap(refined));
    });
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return oneShape('Cbam', inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      ratio: this.ratio,
      kernelSize: this.kernelSize,
      channelPooling: this.channelPooling,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
    };
  }
}
tf.serialization.registerClass(Cbam);

/**
 * Factory for {@link Cbam}.
 * @example const y = cbam({ ratio: 8, channelPooling: 'avg' }).apply(x) as tf.SymbolicTensor;   // the seed's block
 * @see notebooks/q21-attention.ipynb
 */
export function cbam(args: CbamArgs = {}): Cbam {
  return new Cbam(args);
}
