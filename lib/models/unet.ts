/**
 * U-Net (Ronneberger et al. 2015) in the form of the reference answer's Question 20: an encoder of `depth` levels
 * (two 3x3 'same' ReLU convolutions, then a 2x2 max pool), a bottleneck of two convolutions, and a
 * decoder that mirrors the encoder (2x upsampling, a 2x2 'same' convolution halving the channels,
 * concatenation with the encoder map of the same size, two 3x3 convolutions), closed by a 1x1
 * convolution (sigmoid for one class, softmax for several). Filters double per level: f, 2f, ..., 2^depth f.
 * The reference answer's model is `unet()`: 256x256x1, f = 64, depth 2.
 * @see notebooks/q20-unet.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptionKeys, checkPositiveInt } from '../check';
import { argError } from '../errors';
import { checkTensor } from '../layers/check-tensor';
import { checkClasses, checkImageShape, sym } from './common';

/** The most channels the bottleneck (filters * 2^depth) may have: its 3x3 convolutions then hold 151M weights. */
const MAX_BOTTLENECK = 4096;

export interface UnetOptions {
  /** [H, W, C]; H and W must be divisible by 2^depth. Default [256, 256, 1] (the reference answer). */
  inputShape?: [number, number, number];
  /** Filters of the first level, f. Default 64. f * 2^depth (the bottleneck's channels) is at most 4096. */
  filters?: number;
  /** Number of pooling steps. Default 2 (the reference answer). */
  depth?: number;
  /** Output channels: 1 (default) gives a sigmoid mask, more give a softmax over classes per pixel. */
  classes?: number;
}

/**
 * Build a U-Net: [N, H, W, C] -> [N, H, W, classes].
 * @throws ArgError when a size is not a positive integer, H, W are not divisible by 2^depth, the bottleneck
 *   would have more than 4096 channels, or opts has an unknown key
 * @example unet().countParams()   // the reference answer's network
 * @example unet({ inputShape: [32, 32, 1], filters: 8, depth: 2 })   // small enough to train in a notebook
 * @see notebooks/q20-unet.ipynb
 */
export function unet(opts: UnetOptions = {}): tf.LayersModel {
  const fn = 'unet';
  checkOptionKeys(fn, 'opts', opts, ['inputShape', 'filters', 'depth', 'classes']);
  const shape = checkImageShape(fn, opts.inputShape ?? [256, 256, 1]);
  const f = checkPositiveInt(fn, 'opts.filters', opts.filters ?? 64, MAX_BOTTLENECK);
  const depth = checkPositiveInt(fn, 'opts.depth', opts.depth ?? 2, Math.log2(MAX_BOTTLENECK));
  const classes = checkClasses(fn, 'opts.classes', opts.classes ?? 1);
  if (f * 2 ** depth > MAX_BOTTLENECK) {
    argError(fn, 'opts.filters * 2^opts.depth', `must be at most ${MAX_BOTTLENECK} (the bottleneck's channels)`, `${f} * 2^${depth} = ${f * 2 ** depth}`);
  }
  const step = 2 ** depth;
  if (shape[0] % step !== 0 || shape[1] % step !== 0) {
    argError(fn, 'opts.inputShape', `must have height and width divisible by 2^depth = ${step}`, shape);
  }
  const conv = (x: tf.SymbolicTensor, filters: number, k: number, name: string) =>
    sym(tf.layers.conv2d({ filters, kernelSize: k, padding: 'same', activation: 'relu', name }), x);
  const twoConvs = (x: tf.SymbolicTensor, filters: number, name: string) =>
    conv(conv(x, filters, 3, `${name}_conv1`), filters, 3, `${name}_conv2`);

  const input = tf.input({ shape, name: 'input' });
  const skips: tf.SymbolicTensor[] = [];
  let x = input;
  for (let l = 0; l < depth; l++) {
    x = twoConvs(x, f * 2 ** l, `enc${l + 1}`);
    skips.push(x);
    x = sym(tf.layers.maxPooling2d({ poolSize: 2, name: `enc${l + 1}_pool` }), x);
  }
  x = twoConvs(x, f * 2 ** depth, 'bottleneck');
  for (let l = depth - 1; l >= 0; l--) {
    const name = `dec${l + 1}`;
    x = sym(tf.layers.upSampling2d({ size: [2, 2], name: `${name}_up` }), x);
    x = conv(x, f * 2 ** l, 2, `${name}_upconv`);
    x = sym(tf.layers.concatenate({ axis: -1, name: `${name}_concat` }), [x, skips[l]]);
    x = twoConvs(x, f * 2 ** l, name);
  }
  const output = sym(
    tf.layers.conv2d({ filters: classes, kernelSize: 1, activation: classes === 1 ? 'sigmoid' : 'softmax', name: 'mask' }),
    x,
  );
  return tf.model({ inputs: input, outputs: output, name: 'unet' });
}

/**
 * Overlap of a predicted binary mask with the true one, over all pixels of the batch:
 * IoU = |P ∩ T| / |P ∪ T| and Dice = 2 |P ∩ T| / (|P| + |T|). Masks hold 0/1 values (threshold
 * probabilities first); two empty masks overlap perfectly (1, 1).
 * @param pred predicted mask, any shape; truth same shape
 * @throws ArgError when the shapes differ or a mask holds values other than 0 and 1
 * @example maskOverlap(probs.greater(0.5).toFloat(), masks)   // { iou: 0.83, dice: 0.91 }
 * @see notebooks/q20-unet.ipynb
 */
export function maskOverlap(pred: tf.Tensor, truth: tf.Tensor): { iou: number; dice: number } {
  const fn = 'maskOverlap';
  checkTensor(fn, 'pred', pred);
  checkTensor(fn, 'truth', truth);
  if (pred.shape.length !== truth.shape.length || pred.shape.some((d, i) => d !== truth.shape[i])) {
    argError(fn, 'truth', `must have the shape of pred [${pred.shape.join(', ')}]`, truth.shape);
  }
  const [p, t] = [pred.dataSync(), truth.dataSync()];
  let inter = 0;
  let sizeP = 0;
  let sizeT = 0;
  for (let k = 0; k < p.length; k++) {
    if ((p[k] !== 0 && p[k] !== 1) || (t[k] !== 0 && t[k] !== 1)) {
      argError(fn, p[k] !== 0 && p[k] !== 1 ? 'pred' : 'truth', `must hold only 0 and 1 (index ${k})`, p[k] !== 0 && p[k] !== 1 ? p[k] : t[k]);
    }
    inter += p[k] * t[k];
    sizeP += p[k];
    sizeT += t[k];
  }
  const union = sizeP + sizeT - inter;
  return { iou: union === 0 ? 1 : inter / union, dice: sizeP + sizeT === 0 ? 1 : (2 * inter) / (sizeP + sizeT) };
}
