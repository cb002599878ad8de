/**
 * Feature-wise standardization, Keras's preprocessing `Normalization(axis=-1)`, as a TensorFlow.js layer
 * (tfjs-layers has none): y = (x - mean) / max(sqrt(variance), 1e-7) per channel. Like Keras it stores
 * three non-trainable weights, mean [C], variance [C] and the count of samples seen (a scalar), so a
 * model that starts with it (Keras's EfficientNetB0) counts 2 C + 1 extra parameters, 7 for RGB.
 * @see notebooks/q17-popular-architectures.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { checkAllFinite } from '../check';
import { checkWeightShapes, type Kwargs, type LayerArgs, type LayerShape, layerArgs, oneShape, oneTensor } from './common';
import { checkTensor } from './check-tensor';

export interface NormalizationArgs extends LayerArgs {
  /** Per-channel mean; default zeros (set later with {@link Normalization.adapt}). */
  mean?: number[];
  /** Per-channel variance, every entry >= 0; default ones. */
  variance?: number[];
}

/**
 * Per-channel standardization over the last axis; output shape = input shape. Weights: mean, variance, count.
 * @throws ArgError when mean or variance has non-finite or (variance) negative entries, their lengths differ
 *   from the channel count, or the channel count is unknown
 * @example const norm = new Normalization(); norm.adapt(images);   // images [N, H, W, 3]
 * @see notebooks/q17-popular-architectures.ipynb
 */
export class Normalization extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'Normalization';
  private readonly initMean?: number[];
  private readonly initVariance?: number[];
  private meanW?: tf.LayerVariable;
  private varianceW?: tf.LayerVariable;
  private countW?: tf.LayerVariable;

  constructor(args: NormalizationArgs = {}) {
    super(layerArgs('Normalization', args, ['mean', 'variance']));
    const fn = 'Normalization';
    if (args.mean !== undefined) {
      checkAllFinite(fn, 'mean', args.mean);
      if (args.mean.length === 0) argError(fn, 'mean', 'must have one entry per channel', args.mean);
    }
    if (args.variance !== undefined) {
      checkAllFinite(fn, 'variance', args.variance);
      if (args.variance.length === 0) argError(fn, 'variance', 'must have one entry per channel', args.variance);
      const neg = Array.from(args.variance).findIndex((v) => v < 0);
      if (neg >= 0) argError(fn, `variance[${neg}]`, 'must be >= 0', args.variance[neg]);
    }
    if (args.mean && args.variance && args.mean.length !== args.variance.length) {
      argError(fn, 'variance', `must have as many entries as mean (${args.mean.length})`, args.variance.length);
    }
    this.initMean = args.mean;
    this.initVariance = args.variance;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const fn = 'Normalization';
    const shape = oneShape(fn, inputShape);
    const c = shape[shape.length - 1];
    if (shape.length < 2 || c === null) argError(fn, 'input', 'must have a known last axis', shape);
    checkWeightShapes(fn, { mean: [c] });
    for (const [arg, v] of [['mean', this.initMean], ['variance', this.initVariance]] as const) {
      if (v && v.length !== c) argError(fn, arg, `must have one entry per channel (${c})`, v.length);
    }
    this.meanW = this.addWeight('mean', [c], 'float32', tf.initializers.zeros(), undefined, false);
    this.varianceW = this.addWeight('variance', [c], 'float32', tf.initializers.ones(), undefined, false);
    if (this.initMean) tf.tidy(() => {
      this.meanW!.write(tf.tensor1d(this.initMean!));
    });
    if (this.initVariance) tf.tidy(() => {
      this.varianceW!.write(tf.tensor1d(this.initVariance!));
    });
    this.countW = this.addWeight('count', [], 'int32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  /**
   * Set mean and variance from data: statistics over every axis but the last; count = the number of
   * vectors seen. Builds the layer if needed.
   * @throws ArgError when data is not a non-empty tensor of finite values, or its last axis differs from the
   *   layer's channel count
   * @example norm.adapt(tf.randomUniform([100, 32, 32, 3]))
   */
  adapt(data: tf.Tensor): void {
    checkTensor('Normalization.adapt', 'data', data, { nonEmpty: true, finite: true });
    if (data.rank < 2) argError('Normalization.adapt', 'data', 'must have rank >= 2 [N, ..., C]', data.shape);
    if (!this.built) this.build(data.shape);
    const c = this.meanW!.shape[0];
    if (data.shape[data.rank - 1] !== c) argError('Normalization.adapt', 'data', `must have ${c} channels on the last axis`, data.shape);
    const axes = [...Array(data.rank - 1).keys()];
    const { mean, variance } = tf.moments(data, axes);
    this.meanW!.write(mean as tf.Tensor1D);
    this.varianceW!.write(variance as tf.Tensor1D);
    const count = tf.scalar(data.size / c, 'int32');
    this.countW!.write(count);
    tf.dispose([mean, variance, count]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = oneTensor('Normalization', inputs);
      return tf.div(tf.sub(x, this.meanW!.read()), tf.maximum(tf.sqrt(this.varianceW!.read()), 1e-7));
    });
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return oneShape('Normalization', inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { ...super.getConfig() };
    if (this.initMean) config.mean = this.initMean;
    if (this.initVariance) config.variance = this.initVariance;
    return config;
  }
}
tf.serialization.registerClass(Normalization);
