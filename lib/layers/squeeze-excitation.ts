/**
 * Squeeze-and-excitation (Hu et al. 2018, SENet) as a TensorFlow.js layer: channel attention.
 *
 *   z = GAP(x)                      [N, C]      squeeze: one number per channel
 *   e = sigmoid(W2 relu(W1 z + b1) + b2)   [N, C]   excitation: a weight in (0, 1) per channel
 *   y = x * e (broadcast over H, W)  [N, H, W, C]
 *
 * with W1: [C, C/ratio], W2: [C/ratio, C]. Parameters: 2 C (C/ratio) + C/ratio + C (with biases).
 *
 * With `pooling: 'avgmax'` the squeeze is done twice, by average and by max pooling, through the same MLP,
 * and the two logits are summed before the sigmoid: the channel attention of CBAM (Woo et al. 2018),
 * which {@link Cbam} composes with {@link SpatialAttention}. The parameter count does not change.
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
  checkWeightShapes,
  layerArgs,
  makeInitializer,
  oneShape,
  oneTensor,
  optionalBoolean,
} from './common';
import { checkTensor } from './check-tensor';

export interface SqueezeExcitationArgs extends LayerArgs {
  /** Reduction ratio r: the hidden layer has floor(C / r) units. Integer >= 1, at most C. Default 16 (SENet). */
  ratio?: number;
  /** The squeeze: 'avg' (SENet, default) or 'avgmax' (CBAM's channel attention: MLP(avg) + MLP(max)). */
  pooling?: 'avg' | 'avgmax';
  /** Whether the two dense maps have biases (the reference answer's Keras Dense layers do). Default true. */
  useBias?: boolean;
  /** Initializer of W1 and W2. Default 'glorotUniform' (Keras Dense's default). */
  kernelInitializer?: InitializerName;
}

/**
 * Squeeze-and-excitation on [N, H, W, C]; output shape = input shape.
 * @throws ArgError when ratio is not a positive integer, exceeds the channel count, pooling is not 'avg'
 *   or 'avgmax', useBias is not a boolean, or the input is not rank 4
 * @example squeezeExcitation({ ratio: 8 }).apply(tf.randomNormal([2, 8, 8, 32]))   // [2, 8, 8, 32]
 * @see notebooks/q21-attention.ipynb
 */
export class SqueezeExcitation extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'SqueezeExcitation';
  readonly ratio: number;
  readonly pooling: 'avg' | 'avgmax';
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  private w1?: tf.LayerVariable;
  private b1?: tf.LayerVariable;
  private w2?: tf.LayerVariable;
  private b2?: tf.LayerVariable;

  constructor(args: SqueezeExcitationArgs = {}) {
    super(layerArgs('SqueezeExcitation', args, ['ratio', 'pooling', 'useBias', 'kernelInitializer']));
    this.ratio = checkPositiveInt('SqueezeExcitation', 'ratio', args.ratio ?? 16);
    this.pooling = checkOneOf('SqueezeExcitation', 'pooling', args.pooling ?? 'avg', ['avg', 'avgmax'] as const);
    this.useBias = optionalBoolean('SqueezeExcitation', 'useBias', args.useBias, true);
    this.kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
    makeInitializer('SqueezeExcitation', 'kernelInitializer', this.kernelInitializer);
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const fn = 'SqueezeExcitation';
    const c = channelsOf(fn, oneShape(fn, inputShape));
    const hidden = Math.floor(c / this.ratio);
    if (hidden < 1) argError(fn, 'ratio', `must be at most the channel count (${c})`, this.ratio);
    const init = () => makeInitializer(fn, 'kernelInitializer', this.kernelInitializer);
    checkWeightShapes(fn, { w1: [c, hidden] });
    this.w1 = this.addWeight('w1', [c, hidden], 'float32', init());
    this.w2 = this.addWeight('w2', [hidden, c], 'float32', init());
    if (this.useBias) {
      this.b1 = this.addWeight('b1', [hidden], 'float32', tf.initializers.zeros());
      this.b2 = this.addWeight('b2', [c], 'float32', tf.initializers.zeros());
    }
    this.built = true;
  }

  /** The channel weights e in (0, 1): [N, C] for an [N, H, W, C] input. Builds the layer if needed. */
  excitation(x: tf.Tensor4D): tf.Tensor2D {
    checkTensor('SqueezeExcitation.excitation', 'x', x, { rank: 4, layout: '[N, H, W, C]' });
    if (!this.built) this.build(x.shape);
    return tf.tidy(() => {
      let logits = this.mlp(tf.mean(x, [1, 2]) as tf.Tensor2D); // squeeze: [N, C]
      if (this.pooling === 'avgmax') logits = tf.add(logits, this.mlp(tf.max(x, [1, 2]) as tf.Tensor2D));
      return tf.sigmoid(logits);
    });
  }

  /** W2 relu(W1 z + b1) + b2 on a squeezed [N, C]. */
  private mlp(z: tf.Tensor2D): tf.Tensor2D {
    let h: tf.Tensor2D = tf.matMul(z, this.w1!.read() as tf.Tensor2D);
    if (this.b1) h = tf.add(h, this.b1.read());
    let e: tf.Tensor2D = tf.matMul(tf.relu(h), this.w2!.read() as tf.Tensor2D);
    if (this.b2) e = tf.add(e, this.b2.read());
    return e;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = oneTensor('SqueezeExcitation', inputs) as tf.Tensor4D;
      const e = this.excitation(x);
      return tf.mul(x, tf.reshape(e, [e.shape[0], 1, 1, e.shape[1]]));
    });
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return oneShape('SqueezeExcitation', inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ratio: this.ratio, pooling: this.pooling, useBias: this.useBias, kernelInitializer: this.kernelInitializer };
  }
}
tf.serialization.registerClass(SqueezeExcitation);

/**
 * Factory for {@link SqueezeExcitation}.
 * @example const y = squeezeExcitation({ ratio: 8 }).apply(x) as tf.SymbolicTensor;
 * @see notebooks/q21-attention.ipynb
 */
export function squeezeExcitation(args: SqueezeExcitationArgs = {}): SqueezeExcitation {
  return new SqueezeExcitation(args);
}
