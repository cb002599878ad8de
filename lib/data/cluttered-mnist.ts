/**
 * Cluttered translated MNIST, after Mnih et al. (2014, "Recurrent Models of Visual Attention"): one real
 * digit pasted at a random position on a larger black canvas, with square fragments cropped from other
 * digits of the same split pasted at random positions as clutter. Overlaps keep the brighter pixel (max).
 * A task where "where to look" matters: the label is the whole digit, and the fragments look like parts of
 * digits.
 * @see notebooks/q21-attention.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkElementCount, checkNonNegativeInt, checkOneOf, checkOptionKeys, checkPositiveInt } from '../check';
import { argError, DataError } from '../errors';
import { seededRandom } from '../random/generator';
import { loadMnistArrays, type MnistSplit } from './mnist';

/** What {@link clutteredMnist} returns. The caller owns the tensors. */
export interface ClutteredMnist {
  /** Canvases with pixels in [0, 1], float32 [count, S, S, 1] for canvasSize S. */
  xs: tf.Tensor4D;
  /** The label of the whole digit on each canvas, int32 [count]. */
  labels: tf.Tensor1D;
  /** Row and column of the digit's 28x28 box on canvas i: positions[i] = [top, left], each in [0, S - 28]. */
  positions: [number, number][];
  /** The MNIST index of each canvas's digit (offset + i). */
  sources: number[];
}

/**
 * Build `count` cluttered canvases from MNIST digits offset .. offset + count - 1 of `split`.
 * Each canvas: `fragments` crops of fragmentSize x fragmentSize taken at random places from random other
 * digits of the split, pasted at random places, then the digit itself at a random [top, left]; all draws
 * come from `seededRandom(seed)`, so the same options give the same canvases on every machine.
 * @param split 'train' or 'test'
 * @param opts.count canvases, default 1000; opts.offset first digit, default 0; opts.canvasSize side S,
 *   28..256, default 40; opts.fragments pieces of clutter per canvas, 0..64, default 4; opts.fragmentSize
 *   side of a piece, 1..28, default 8; opts.seed a safe integer, default 0
 * @throws ArgError on a bad split or option, an unknown option, or more than 2^28 pixels; DataError when the
 *   split has fewer than offset + count digits or its files are missing
 * @example const { xs, labels, positions } = clutteredMnist('test', { count: 100, seed: 1 });  // xs [100, 40, 40, 1]
 * @see notebooks/q21-attention.ipynb
 */
export function clutteredMnist(
  split: MnistSplit,
  opts: { count?: number; offset?: number; canvasSize?: number; fragments?: number; fragmentSize?: number; seed?: number } = {},
): ClutteredMnist {
  const fn = 'clutteredMnist';
  checkOneOf(fn, 'split', split, ['train', 'test'] as const);
  checkOptionKeys(fn, 'opts', opts, ['count', 'offset', 'canvasSize', 'fragments', 'fragmentSize', 'seed']);
  const count = checkPositiveInt(fn, 'opts.count', opts.count ?? 1000);
  const offset = checkNonNegativeInt(fn, 'opts.offset', opts.offset ?? 0);
  const size = checkPositiveInt(fn, 'opts.canvasSize', opts.canvasSize ?? 40, 256);
  if (size < 28) argError(fn, 'opts.canvasSize', 'must be at least 28 (the digit)', size);
  const fragments = checkNonNegativeInt(fn, 'opts.fragments', opts.fragments ?? 4, 64);
  const piece = checkPositiveInt(fn, 'opts.fragmentSize', opts.fragmentSize ?? 8, 28);
  const seed = opts.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) argError(fn, 'opts.seed', 'must be a safe integer', seed);
  checkElementCount(fn, 'opts.count', count * size * size, `${count} canvases of ${size}x${size}`);
  // The split's files are read (and checked) only after every argument has passed.
  const raw = loadMnistArrays(split);
  if (offset + count > raw.count) {
    throw new DataError(`${fn}: offset + count must be at most the ${raw.count} digits of '${split}', got ${offset + count}`);
  }
  const rand = seededRandom(seed);
  const below = (n: number) => Math.floor(rand() * n); // an integer in [0, n)
  const pixels = new Float32Array(count * size * size);
  const labels = new Int32Array(count);
  const positions: [number, number][] = [];
  const sources: number[] = [];
  // Paste an h x w window of image `src` starting at (sy, sx) onto canvas n at (ty, tx), keeping the max.
  const paste = (n: number, src: number, sy: number, sx: number, h: number, w: number, ty: number, tx: number) => {
    const base = n * size * size;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = raw.images[src * 784 + (sy + y) * 28 + sx + x] / 255;
        const i = base + (ty + y) * size + tx + x;
        if (v > pixels[i]) pixels[i] = v;
      }
    }
  };
  for (let n = 0; n < count; n++) {
    const src = offset + n;
    for (let f = 0; f < fragments; f++) {
      let other = below(raw.count - 1);
      if (other >= src) other += 1; // any digit but the canvas's own
      paste(n, other, below(28 - piece + 1), below(28 - piece + 1), piece, piece, below(size - piece + 1), below(size - piece + 1));
    }
    const top = below(size - 28 + 1);
    const left = below(size - 28 + 1);
    paste(n, src, 0, 0, 28, 28, top, left);
    labels[n] = raw.labels[src];
    positions.push([top, left]);
    sources.push(src);
  }
  return { xs: tf.tensor4d(pixels, [count, size, size, 1]), labels: tf.tensor1d(labels, 'int32'), positions, sources };
}
