/**
 * Local response normalization (Krizhevsky et al. 2012, AlexNet) as a TensorFlow.js layer: each
 * activation is divided by a power of the summed squares of its neighbours across channels,
 *
 *   b[n,h,w,c] = a[n,h,w,c] / (bias + alpha * sum_{c' = c-r}^{c+r} a[n,h,w,c']^2)^beta
 *
 * with r = depthRadius (AlexNet: n = 5 channels, so r = 2; k = 2, alpha = 1e-4, beta = 0.75, the defaults
 * here). No weights. The hand-written version of the same formula is {@link lrn} in lib/ops (ops/lrn.ts),
 * checked against tf.localResponseNormalization; the layer has no lower-case factory.
 * @see notebooks/q10-local-response-normalization.ipynb
 * @see notebooks/q17-popular-architectures.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkFinite, checkNonNegativeInt } from '../check';
import { argError } from '../errors';
import { type Kwargs, type LayerArgs, type LayerShape, layerArgs, oneShape, oneTensor } from './common';

export interface LocalResponseNormalizationArgs extends LayerArgs {
  /** Half-width r of the channel window: channels c-r .. c+r are summed. Integer >= 0, default 2 (AlexNet's n = 5). */
  depthRadius?: number;
  /** Additive constant k in the denominator, > 0 so the denominator never vanishes. Default 2. */
  bias?: number;
  /** Scale of the sum of squares (not divided by the window size, as in AlexNet and tf.localResponseNormalization). Default 1e-4. */
  alpha?: number;
  /** Exponent of the denominator. Default 0.75. */
  beta?: number;
}

const LRN_KEYS = ['depthRadius', 'bias', 'alpha', 'beta'] as const;

/**
 * The LRN arguments checked, defaults filled: for the layer, and for builders that pass them on
 * (normalizationCnn's `opts.lrn`), which name themselves and the path (`prefix`, e.g. 'opts.lrn.').
 * Internal to lib/layers and lib/models.
 * @throws ArgError as {@link LocalResponseNormalization}
 */
export function resolveLrnArgs(fn: string, prefix: string, args: LocalResponseNormalizationArgs): Required<Pick<LocalResponseNormalizationArgs, (typeof LRN_KEYS)[number]>> {
  for (const key of LRN_KEYS) {
    if ((args as Record<string, unknown>)[key] === null) argError(fn, `${prefix}${key}`, 'must not be null (leave it out for the default)', null);
  }
  const depthRadius = checkNonNegativeInt(fn, `${prefix}depthRadius`, args.depthRadius ?? 2);
  const bias = checkFinite(fn, `${prefix}bias`, args.bias ?? 2);
  if (bias <= 0) argError(fn, `${prefix}bias`, 'must be > 0', bias);
  return { depthRadius, bias, alpha: checkFinite(fn, `${prefix}alpha`, args.alpha ?? 1e-4), beta: checkFinite(fn, `${prefix}beta`, args.beta ?? 0.75) };
}

/**
 * Local response normalization across channels of an [N, H, W, C] tensor; output shape = input shape.
 * @throws ArgError when depthRadius is not an integer >= 0, bias is not > 0, alpha or beta is not finite,
 *   or the input is not rank 4
 * @example new LocalResponseNormalization({ depthRadius: 2 }).apply(tf.randomNormal([1, 8, 8, 16]))   // [1, 8, 8, 16]
 * @see notebooks/q10-local-response-normalization.ipynb
 */
export class LocalResponseNormalization extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'LocalResponseNormalization';
  readonly depthRadius: number;
  readonly bias: number;
  readonly alpha: number;
  readonly beta: number;

  constructor(args: LocalResponseNormalizationArgs = {}) {
    super(layerArgs('LocalResponseNormalization', args, LRN_KEYS));
    ({ depthRadius: this.depthRadius, bias: this.bias, alpha: this.alpha, beta: this.beta } = resolveLrnArgs('LocalResponseNormalization', '', args));
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = oneShape('LocalResponseNormalization', inputShape);
    if (shape.length !== 4) argError('LocalResponseNormalization', 'input', 'must have rank 4 [N, H, W, C]', shape);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = oneTensor('LocalResponseNormalization', inputs) as tf.Tensor4D;
      return tf.localResponseNormalization(x, this.depthRadius, this.bias, this.alpha, this.beta);
    });
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return oneShape('LocalResponseNormalization', inputShape);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), depthRadius: this.depthRadius, bias: this.bias, alpha: this.alpha, beta: this.beta };
  }
}
tf.serialization.registerClass(LocalResponseNormalization);
