/**
 * Attention pooling as a TensorFlow.js layer: a learned spatial attention that replaces global average
 * pooling. A 1x1 convolution scores every position, a softmax over all H*W positions turns the scores into
 * weights that sum to 1, and the output is the weighted sum of the feature vectors,
 *
 *   s = x w + b                              [N, H, W]   one score per position (w: [C], b: scalar)
 *   a = softmax over (H, W) of s             [N, H, W]   attention weights, each in (0, 1), summing to 1
 *   y_c = sum_{i,j} a_{ij} x_{ijc}            [N, C]
 *
 * With equal scores it is global average pooling; with one score far above the rest it picks that one
 * position, so the classifier can read the features of the object and ignore those of clutter. The
 * soft-attention pooling of Ilse et al. (2018) and of Jetley et al. (2018) has this form. Parameters: C + 1.
 * @see notebooks/q21-attention.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkInRange } from '../check';
import { argError } from '../errors';
import { channelsOf, checkWeightShapes, type Kwargs, type LayerArgs, type LayerShape, layerArgs, oneShape, oneTensor } from './common';
import { checkTensor } from './check-tensor';

export interface AttentionPoolingArgs extends LayerArgs {
  /**
   * Standard deviation of the normal initializer of the scoring weights w (b starts at 0). Larger values
   * start the attention sharper (further from average pooling); 0 starts it as exact average pooling.
   * Finite, 0 to 100. Default 1.5 (the value of the Q21 notebook's cluttered-digit experiment).
   */
  kernelStddev?: number;
}

/**
 * Attention pooling on [N, H, W, C] -> [N, C].
 * @throws ArgError when kernelStddev is not a finite number in [0, 100], or the input is not rank 4 with known C
 * @example attentionPooling().apply(tf.randomNormal([2, 10, 10, 32]))   // [2, 32]
 * @see notebooks/q21-attention.ipynb
 */
export class AttentionPooling extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'AttentionPooling';
  readonly kernelStddev: number;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: AttentionPoolingArgs = {}) {
    super(layerArgs('AttentionPooling', args, ['kernelStddev']));
    this.kernelStddev = checkInRange('AttentionPooling', 'kernelStddev', args.kernelStddev ?? 1.5, 0, 100);
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const fn = 'AttentionPooling';
    const c = channelsOf(fn, oneShape(fn, inputShape));
    checkWeightShapes(fn, { kernel: [c, 1] });
    const init = this.kernelStddev === 0 ? tf.initializers.zeros() : tf.initializers.randomNormal({ stddev: this.kernelStddev });
    this.kernel = this.addWeight('kernel', [c, 1], 'float32', init);
    this.bias = this.addWeight('bias', [1], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  /** The attention weights a: [N, H, W, 1] for an [N, H, W, C] input, summing to 1 per image. Builds the layer if needed. */
  attentionMap(x: tf.Tensor4D): tf.Tensor4D {
    checkTensor('AttentionPooling.attentionMap', 'x', x, { rank: 4, layout: '[N, H, W, C]' });
    if (!this.built) this.build(x.shape);
    const [n, h, w, c] = x.shape;
    if (c !== (this.kernel!.shape[0] as number)) {
      argError('AttentionPooling.attentionMap', 'x', `must have ${this.kernel!.shape[0]} channels, as the layer was built for`, x.shape);
    }
    return tf.tidy(() => {
      const scores = tf.add(tf.matMul(tf.reshape(x, [n * h * w, c]), this.kernel!.read() as tf.Tensor2D), this.bias!.read()); // [NHW, 1]
      return tf.reshape(tf.softmax(tf.reshape(scores, [n, h * w])), [n, h, w, 1]) as tf.Tensor4D;
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = oneTensor('AttentionPooling', inputs) as tf.Tensor4D;
      return tf.sum(tf.mul(x, this.attentionMap(x)), [1, 2]); // [N, C]
    });
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const fn = 'AttentionPooling';
    const shape = oneShape(fn, inputShape);
    return [shape[0], channelsOf(fn, shape)];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), kernelStddev: this.kernelStddev };
  }
}
tf.serialization.registerClass(AttentionPooling);

/**
 * Factory for {@link AttentionPooling}.
 * @example const pooled = attentionPooling({ name: 'attention_pool' }).apply(features) as tf.SymbolicTensor;  // [N, C]
 * @see notebooks/q21-attention.ipynb
 */
export function attentionPooling(args: AttentionPoolingArgs = {}): AttentionPooling {
  return new AttentionPooling(args);
}
