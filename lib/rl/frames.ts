/**
 * Frames for a deep-Q network, as in Mnih et al. (2015): Atari-style preprocessing of one screen
 * (grayscale, crop, resize, scale) and stacks of the last k frames as one observation [H, W, k], so that
 * the network sees motion as well as position.
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkElementCount, checkFinite, checkNonNegativeInt, checkOptionKeys, checkPositiveInt } from '../check';
import { argError } from '../errors';
import { checkTensor } from '../layers/check-tensor';

/** The most frames one {@link FrameStack} keeps: 1024 (DQN stacks 4). */
export const MAX_FRAMES = 1024;

/**
 * Interleave k frames of [H, W] into one array [H, W, k] (NHWC channels: frame i becomes channel i), the
 * input layout of a DQN.
 * @param frames k >= 1 arrays of height * width values, oldest first
 * @throws ArgError when the list is empty or a frame has the wrong length
 * @example stackFrames([f0, f1, f2, f3], 84, 84)   // Float32Array(84 * 84 * 4)
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export function stackFrames(frames: readonly ArrayLike<number>[], height: number, width: number): Float32Array {
  return stackAs('stackFrames', frames, height, width);
}

function stackAs(fn: string, frames: readonly ArrayLike<number>[], height: number, width: number): Float32Array {
  checkPositiveInt(fn, 'height', height);
  checkPositiveInt(fn, 'width', width);
  if (!Array.isArray(frames) || frames.length === 0) argError(fn, 'frames', 'must be a non-empty list of frames', frames);
  const k = frames.length;
  const hw = height * width;
  frames.forEach((f, i) => {
    if (!f || typeof f !== 'object' || f.length !== hw) argError(fn, `frames[${i}]`, `must have height*width = ${hw} values`, f?.length);
  });
  checkElementCount(fn, 'frames', hw * k, `${k} frames of ${height} x ${width}`);
  const out = new Float32Array(hw * k);
  for (let i = 0; i < k; i++) {
    const f = frames[i];
    for (let p = 0; p < hw; p++) out[p * k + i] = f[p];
  }
  return out;
}

/**
 * The last k frames of an episode as one observation [H, W, k], newest in the last channel. A single
 * frame shows where things are; a stack also shows where they were going (velocity, direction).
 * reset() fills every slot with the first frame, as the DQN paper does at the start of an episode.
 * @param k frames per stack (1 to MAX_FRAMES = 1024); height, width of one frame; a stack holds at most
 *   MAX_ELEMENTS (2^28) values
 * @throws ArgError on bad sizes, a frame of the wrong length or with a non-finite value, or push() before reset()
 * @example
 *   const stack = new FrameStack(4, 10, 10);
 *   let s = stack.reset(env.reset());            // Float32Array(400), [10, 10, 4]
 *   s = stack.push(env.step(2).observation);
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export class FrameStack {
  readonly k: number;
  readonly height: number;
  readonly width: number;
  private frames: Float32Array[] = [];

  constructor(k: number, height: number, width: number) {
    const fn = 'FrameStack';
    this.k = checkPositiveInt(fn, 'k', k, MAX_FRAMES);
    this.height = checkPositiveInt(fn, 'height', height);
    this.width = checkPositiveInt(fn, 'width', width);
    checkElementCount(fn, 'k * height * width', k * height * width, `${k} x ${height} x ${width}`);
  }

  /** [height, width, k]. */
  get shape(): [number, number, number] {
    return [this.height, this.width, this.k];
  }

  private copy(fn: string, frame: ArrayLike<number>): Float32Array {
    const hw = this.height * this.width;
    if (!frame || typeof frame !== 'object' || typeof frame.length !== 'number' || frame.length !== hw) {
      argError(fn, 'frame', `must have height*width = ${hw} values`, frame?.length);
    }
    const f = Float32Array.from(frame);
    for (let i = 0; i < f.length; i++) if (!Number.isFinite(f[i])) argError(fn, 'frame', `must contain only finite numbers (index ${i})`, f[i]);
    return f;
  }

  /** Start a stack: k copies of `frame`. Returns the stack [H, W, k]. */
  reset(frame: ArrayLike<number>): Float32Array {
    const f = this.copy('FrameStack.reset', frame);
    this.frames = Array.from({ length: this.k }, () => f);
    return this.stacked();
  }

  /** Append `frame`, dropping the oldest. Returns the stack [H, W, k]. */
  push(frame: ArrayLike<number>): Float32Array {
    const fn = 'FrameStack.push';
    if (this.frames.length === 0) argError(fn, 'stack', 'must be started with reset(frame) first', 'empty');
    this.frames = [...this.frames.slice(1), this.copy(fn, frame)];
    return this.stacked();
  }

  /** The current stack [H, W, k] (a new array). */
  stacked(): Float32Array {
    if (this.frames.length === 0) argError('FrameStack.stacked', 'stack', 'must be started with reset(frame) first', 'empty');
    return stackAs('FrameStack.stacked', this.frames, this.height, this.width);
  }
}

/**
 * Atari-style preprocessing of one screen: RGB to grayscale (luma 0.2989 R + 0.587 G + 0.114 B, tf.image.rgbToGrayscale),
 * crop rows off the top and bottom (the score bar), resize (bilinear) and divide by `scale`.
 * @param frame [H, W, 3] RGB or [H, W, 1] gray, values 0..scale (any numeric dtype)
 * @param opts.cropTop rows removed at the top (default 0); opts.cropBottom at the bottom (default 0);
 *   opts.size [h, w] of the result (default [84, 84]); opts.scale divisor (default 255)
 * @returns float32 [h, w, 1]
 * @throws ArgError on a frame that is not a live tensor [H, W, 1 or 3], a crop that leaves no rows, bad sizes
 *   (a result of more than 2^28 values included), or an unknown option
 * @example preprocessFrame(screen, { cropTop: 34, cropBottom: 16 })   // [210, 160, 3] -> [84, 84, 1]
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export function preprocessFrame(
  frame: tf.Tensor,
  opts: { cropTop?: number; cropBottom?: number; size?: [number, number]; scale?: number } = {},
): tf.Tensor3D {
  const fn = 'preprocessFrame';
  if (!(frame instanceof tf.Tensor)) argError(fn, 'frame', 'must be a tf.Tensor [H, W, 3] or [H, W, 1]', frame);
  checkTensor(fn, 'frame', frame, { rank: 3, layout: '[H, W, C]' });
  checkOptionKeys(fn, 'opts', opts, ['cropTop', 'cropBottom', 'size', 'scale']);
  const [h, w, c] = frame.shape;
  if (c !== 1 && c !== 3) argError(fn, 'frame', 'must have 1 or 3 channels', frame.shape);
  const top = checkNonNegativeInt(fn, 'opts.cropTop', opts.cropTop ?? 0);
  const bottom = checkNonNegativeInt(fn, 'opts.cropBottom', opts.cropBottom ?? 0);
  if (top + bottom >= h) argError(fn, 'opts.cropTop + opts.cropBottom', `must leave at least one of ${h} rows`, top + bottom);
  const size = opts.size ?? [84, 84];
  if (!Array.isArray(size) || size.length !== 2) argError(fn, 'opts.size', 'must be [height, width]', size);
  checkPositiveInt(fn, 'opts.size[0]', size[0]);
  checkPositiveInt(fn, 'opts.size[1]', size[1]);
  checkElementCount(fn, 'opts.size', size[0] * size[1], `[${size[0]}, ${size[1]}]`);
  const scale = checkFinite(fn, 'opts.scale', opts.scale ?? 255);
  if (scale <= 0) argError(fn, 'opts.scale', 'must be a positive number', scale);
  return tf.tidy(() => {
    const x = frame.toFloat() as tf.Tensor3D;
    const gray = c === 3 ? tf.image.rgbToGrayscale(x) : x; // [H, W, 1]
    const cropped = gray.slice([top, 0, 0], [h - top - bottom, w, 1]);
    return tf.image.resizeBilinear(cropped, size).div(scale) as tf.Tensor3D;
  });
}
