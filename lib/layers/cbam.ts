/**
 * CBAM, the Convolutional Block Attention Module (Woo et al. 2018), as one TensorFlow.js layer:
 * channel attention, then spatial attention on the channel-refined map.
 *
 *   channel:  m_c = sigmoid(MLP(avgpool(x)) + MLP(maxpool(x)))   [N, C]     (shared MLP C -> C/r -> C)
 *             x' = x * m_c
 *   spatial:  m_s = sigmoid(conv_{k x k}([mean_c(x'), max_c(x')]))  [N, H, W, 1]
 *             y  = x' * m_s
 *
 * The layer is the composition of the two halves cnnlib has on their own: a {@link SqueezeExcitation} with
 * `pooling: 'avgmax'` (its MLP shared by both poolings) and a {@link SpatialAttention}; their weights are the
 * block's. With `channelPooling: 'avg'` the channel half uses the average only, a plain squeeze-and-excitation
 * block: that is the reference answer's `cbam_block` (Q21). Parameters: 2 C (C/r) + C/r + C + 2 k^2 + 1 (with biases);
 * the max branch reuses the MLP, so both poolings cost the same.
 * @see notebooks/q21-attention.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkOneOf, checkPositiveInt } from '../check';
import { checkWeightShapes, type InitializerName, type Kwargs, type LayerArgs, type LayerShape, layerArgs, makeInitializer, oneShape, oneTensor, optionalBoolean } from './common';
import { checkTensor } from './check-tensor';
import { SpatialAttention } from './spatial-attention';
import { SqueezeExcitation } from './squeeze-excitation';

export interface CbamArgs extends LayerArgs {
  /** Reduction ratio of the shared MLP: floor(C / ratio) hidden units. Default 16 (CBAM paper; the reference answer uses 8). */
  ratio?: number;
  /** Side of the spatial-attention convolution. Default 7. */
  kernelSize?: number;
  /** 'avgmax' (the paper: MLP(avg) + MLP(max)) or 'avg' (SE-style, the reference answer's version). Default 'avgmax'. */
  channelPooling?: 'avg' | 'avgmax';
  /** Biases in the MLP and the spatial convolution. Default true. */
  useBias?: boolean;
  /** Initializer of the MLP and convolution kernels. Default 'glorotUniform'. */
  kernelInitializer?: InitializerName;
}

/**
 * CBAM on [N, H, W, C]; output shape = input shape.
 * @throws ArgError when ratio or kernelSize is not a positive integer, ratio exceeds C, channelPooling is
 *   not 'avg' or 'avgmax', useBias is not a boolean, or the input is not rank 4 (the messages name Cbam)
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
  /** The channel half (its weights are this layer's). */
  readonly channel: SqueezeExcitation;
  /** The spatial half (its weights are this layer's). */
  readonly spatial: SpatialAttention;

  constructor(args: CbamArgs = {}) {
    super(layerArgs('Cbam', args, ['ratio', 'kernelSize', 'channelPooling', 'useBias', 'kernelInitializer']));
    const fn = 'Cbam';
    this.ratio = checkPositiveInt(fn, 'ratio', args.ratio ?? 16);
    this.kernelSize = checkPositiveInt(fn, 'kernelSize', args.kernelSize ?? 7);
    this.channelPooling = checkOneOf(fn, 'channelPooling', args.channelPooling ?? 'avgmax', ['avg', 'avgmax'] as const);
    this.useBias = optionalBoolean(fn, 'useBias', args.useBias, true);
    this.kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
    makeInitializer(fn, 'kernelInitializer', this.kernelInitializer);
    const common = { useBias: this.useBias, kernelInitializer: this.kernelInitializer };
    this.channel = new SqueezeExcitation({ ...common, ratio: this.ratio, pooling: this.channelPooling, name: `${this.name}_channel` });
    this.spatial = new SpatialAttention({ ...common, kernelSize: this.kernelSize, name: `${this.name}_spatial` });
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = oneShape('Cbam', inputShape);
    // The spatial half's weights are checked before the channel half creates its own (which would be left behind).
    checkWeightShapes('Cbam', { 'spatial kernel': [this.kernelSize, this.kernelSize, 2, 1] });
    try {
      this.channel.build(shape);
      this.spatial.build(shape);
    } catch (e) {
      // The halves check the input; the user called Cbam.
      if (e instanceof Error) e.message = e.message.replace(/^(SqueezeExcitation|SpatialAttention):/, 'Cbam:');
      throw e;
    }
    // tfjs-layers does not track nested layers: the block owns its halves' variables, so that countParams,
    // getWeights/setWeights, training, `trainable` and dispose see them (each exactly once).
    this._trainableWeights.push(...this.channel.trainableWeights, ...this.spatial.trainableWeights);
    this.built = true;
  }

  /** Channel attention m_c in (0, 1): [N, C] for an [N, H, W, C] input. Builds the layer if needed. */
  channelAttention(x: tf.Tensor4D): tf.Tensor2D {
    checkTensor('Cbam.channelAttention', 'x', x, { rank: 4, layout: '[N, H, W, C]' });
    if (!this.built) this.build(x.shape);
    return this.channel.excitation(x);
  }

  /**
   * Spatial attention m_s in (0, 1): [N, H, W, 1], computed (as in the forward pass) on the
   * channel-refined map x * m_c. Builds the layer if needed.
   */
  spatialAttention(x: tf.Tensor4D): tf.Tensor4D {
    checkTensor('Cbam.spatialAttention', 'x', x, { rank: 4, layout: '[N, H, W, C]' });
    if (!this.built) this.build(x.shape);
    return tf.tidy(() => this.spatial.attentionMap(this.channel.call(x, {}) as tf.Tensor4D));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => this.spatial.call(this.channel.call(oneTensor('Cbam', inputs), kwargs), kwargs));
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
 * @example const y = cbam({ ratio: 8, channelPooling: 'avg' }).apply(x) as tf.SymbolicTensor;   // the reference answer's block
 * @see notebooks/q21-attention.ipynb
 */
export function cbam(args: CbamArgs = {}): Cbam {
  return new Cbam(args);
}
