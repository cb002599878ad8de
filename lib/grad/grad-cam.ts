/**
 * Grad-CAM (Selvaraju et al. 2017): which regions of the input a conv layer's features used for a
 * class. Weights alpha_k = spatial mean of d score / d A_k over the layer's channels A_k; the map is
 * ReLU(sum_k alpha_k A_k), scaled to [0, 1] and (by default) resized to the input.
 * @see notebooks/q21-attention.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { checkBoolean, checkOptionKeys, checkString } from '../check';
import { checkModel } from '../models/check-model';
import {
  applyWithProbe,
  checkInputs,
  classScore,
  findConvLayer,
  layerOutputShape,
  resolveClasses,
  type Model,
} from './common';

/** Result of {@link gradCam}; the caller disposes `heatmap`. */
export interface GradCamResult {
  /** Maps in [0, 1], [N, H, W] at the input's size (or [N, h, w] at the layer's with upsample false). */
  heatmap: tf.Tensor3D;
  /** The layer used. */
  layerName: string;
  /** Class explained, per example. */
  classIndex: number[];
  /** Largest value of each map before scaling (0: no positive evidence, the map is all zeros). */
  rawMax: number[];
  /** The layer's spatial size [h, w]. */
  layerSize: [number, number];
}

/**
 * Grad-CAM heatmaps for a batch.
 * @param xs inputs [N, H, W, C] matching the model
 * @param opts.layerName conv layer to use (default: the last convolution with a 4-D output);
 *   opts.classIndex class(es) to explain (default: the predicted class); opts.upsample resize the map
 *   to the input size, bilinearly (default true)
 * @throws ArgError when the layer is missing or not 4-D, xs does not fit the model or holds NaN, a class id
 *   is out of range, or an option is unknown or of the wrong type
 * @example const { heatmap } = gradCam(model, x);  // [1, 28, 28], values in [0, 1]
 * @see notebooks/q21-attention.ipynb
 */
export function gradCam(
  model: Model,
  xs: tf.Tensor,
  opts: { layerName?: string; classIndex?: number | readonly number[]; upsample?: boolean } = {},
): GradCamResult {
  const fn = 'gradCam';
  checkModel(fn, model);
  checkInputs(fn, model, xs);
  if (xs.rank !== 4) argError(fn, 'xs', 'must have rank 4 [N, H, W, C]', xs.shape);
  checkOptionKeys(fn, 'opts', opts, ['layerName', 'classIndex', 'upsample']);
  if (opts.layerName !== undefined) checkString(fn, 'opts.layerName', opts.layerName);
  const upsample = checkBoolean(fn, 'opts.upsample', opts.upsample ?? true);
  const layer = findConvLayer(fn, model, opts.layerName);
  const n = xs.shape[0];
  const shape = layerOutputShape(fn, layer, n);
  if (shape.length !== 4) argError(fn, 'opts.layerName', 'must name a layer with a 4-D output [N, h, w, K]', shape);
  const ids = resolveClasses(fn, model, xs, opts.classIndex);
  let activations: tf.Tensor | undefined;
  const zero = tf.zeros(shape);
  const { grad, value } = tf.valueAndGrad((delta: tf.Tensor) => {
    const { output, captured } = applyWithProbe(model, layer, xs, { delta });
    activations = captured;
    return classScore(output, ids);
  })(zero);
  zero.dispose();
  value.dispose();
  const result = tf.tidy(() => {
    const a = activations as tf.Tensor4D;
    const alpha = tf.mean(grad, [1, 2], true); // [N, 1, 1, K]
    const cam = tf.relu(tf.sum(tf.mul(a, alpha), -1)) as tf.Tensor3D; // [N, h, w]
    const max = tf.max(cam, [1, 2], true);
    const scaled = tf.div(cam, tf.maximum(max, 1e-12)) as tf.Tensor3D;
    const up =
      !upsample
        ? scaled
        : (tf.image.resizeBilinear(scaled.expandDims(-1) as tf.Tensor4D, [xs.shape[1] as number, xs.shape[2] as number]).squeeze([3]) as tf.Tensor3D);
    // Bilinear resizing stays within [0, 1]; clip only float rounding.
    return { heatmap: tf.clipByValue(up, 0, 1) as tf.Tensor3D, rawMax: Array.from(max.dataSync()) };
  });
  grad.dispose();
  activations?.dispose();
  return { heatmap: result.heatmap, layerName: layer.name, classIndex: ids, rawMax: result.rawMax, layerSize: [shape[1], shape[2]] };
}
