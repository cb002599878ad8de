import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { conv2d } from '../../../lib/ops/conv2d';
import { depthwiseConv2d } from '../../../lib/ops/depthwise-conv2d';
import { conv2dIm2col, im2col, matMul } from '../../../lib/ops/im2col';
import { ndarray, ndToArray, type NDArray } from '../../../lib/ops/ndarray';
import type { Padding } from '../../../lib/ops/output-size';
import { expectClose, fromTf, intIn, seededRandom, ndRandom, onCpu, pick, tfPad, toTf } from './helpers';

/** A random conv geometry whose kernel fits: x [N, H, W, C], w [k, k, C / groups, Cout]. */
function randomCase(rand: () => number, t: number) {
  const n = intIn(rand, 1, 2);
  const h = intIn(rand, 4, 9);
  const w = intIn(rand, 4, 9);
  const groups = pick(rand, [1, 1, 2]);
  const cin = groups * intIn(rand, 1, 3);
  const cout = groups * intIn(rand, 1, 3);
  const kh = intIn(rand, 1, 3);
  const kw = intIn(rand, 1, 3);
  const strides: [number, number] = [intIn(rand, 1, 3), intIn(rand, 1, 3)];
  const padding = pick<Padding>(rand, ['valid', 'same', 1, [[0, 2], [1, 0]]]);
  return {
    x: ndRandom([n, h, w, cin], { seed: 100 + t }),
    w: ndRandom([kh, kw, cin / groups, cout], { seed: 200 + t }),
    strides,
    padding,
    groups,
  };
}

/** Grouped conv the TensorFlow way: one tf.conv2d per group, outputs concatenated. */
function tfGroupedConv(x: NDArray, w: NDArray, groups: number, strides: [number, number], padding: Padding, dilations: [number, number] = [1, 1]): NDArray {
  return fromTf(() => {
    const xs = tf.split(toTf(x) as tf.Tensor4D, groups, 3) as tf.Tensor4D[];
    const ws = tf.split(toTf(w) as tf.Tensor4D, groups, 3) as tf.Tensor4D[];
    return tf.concat(xs.map((xg, g) => tf.conv2d(xg, ws[g], strides, tfPad(padding), 'NHWC', dilations)), 3);
  });
}

/** The kernel with (d - 1) zeros between taps: a dilated conv is a plain conv with this kernel. */
function dilateKernel(w: NDArray, [dh, dw]: [number, number]): NDArray {
  const [kh, kw, c, o] = w.shape;
  const eh = (kh - 1) * dh + 1;
  const ew = (kw - 1) * dw + 1;
  const out = new Float32Array(eh * ew * c * o);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let k = 0; k < c * o; k++) out[(i * dh * ew + j * dw) * c * o + k] = w.data[(i * kw + j) * c * o + k];
  return { shape: [eh, ew, c, o], data: out };
}

describe('conv2d', () => {
  it('computes the seed 6x6 vertical-edge example by hand', () => {
    // columns 0-2 are 0, columns 3-5 are 1; the filter [1, 0, -1] per row responds where they meet
    const img = ndarray(Array.from({ length: 36 }, (_, k) => (k % 6 >= 3 ? 1 : 0)), [1, 6, 6, 1]);
    const edge = ndarray([1, 0, -1, 1, 0, -1, 1, 0, -1], [3, 3, 1, 1]);
    const y = conv2d(img, edge);
    // window starting at column j covers columns j..j+2: sum = 3*(x[j] - x[j+2]) -> 0, -3, -3, 0
    expect(ndToArray(y, { squeeze: true })).toEqual([0, 1, 2, 3].map(() => [0, -3, -3, 0]));
    expect(conv2d(img, edge, { strides: 2 }).shape).toEqual([1, 2, 2, 1]);
    expect(conv2d(img, edge, { padding: 1 }).shape).toEqual([1, 6, 6, 1]);
  });

  it('adds the bias and sums over input channels', () => {
    // 1x1 image, 2 channels [2, 3]; 1x1 kernel to 1 output: 2*10 + 3*100 + bias 1
    const y = conv2d(ndarray([2, 3], [1, 1, 1, 2]), ndarray([10, 100], [1, 1, 2, 1]), { bias: [1] });
    expect(Array.from(y.data)).toEqual([321]);
  });

  it('matches tf.conv2d (cpu kernels) on random shapes, strides and paddings (groups via split + concat)', async () => {
    const rand = seededRandom(1);
    for (let t = 0; t < 40; t++) {
      const c = randomCase(rand, t);
      const ours = conv2d(c.x, c.w, { strides: c.strides, padding: c.padding, groups: c.groups });
      const ref = await onCpu(() =>
        c.groups === 1
          ? fromTf(() => tf.conv2d(toTf(c.x) as tf.Tensor4D, toTf(c.w) as tf.Tensor4D, c.strides, tfPad(c.padding)))
          : tfGroupedConv(c.x, c.w, c.groups, c.strides, c.padding),
      );
      expectClose(ours, ref);
    }
  });

  it('matches tf.conv2d on the notebooks backend for square kernels and strides <= kernel', () => {
    // wasm (XNNPACK) is wrong for 'same' when the stride exceeds the kernel and the padding formula
    // (out - 1) * s + k - in goes negative; the cpu test above covers those geometries.
    const rand = seededRandom(7);
    for (let t = 0; t < 20; t++) {
      const k = intIn(rand, 1, 3);
      const s = intIn(rand, 1, k);
      const padding = pick<Padding>(rand, ['valid', 'same', 1]);
      const x = ndRandom([intIn(rand, 1, 2), intIn(rand, 4, 9), intIn(rand, 4, 9), intIn(rand, 1, 4)], { seed: 400 + t });
      const w = ndRandom([k, k, x.shape[3], intIn(rand, 1, 4)], { seed: 500 + t });
      const ref = fromTf(() => tf.conv2d(toTf(x) as tf.Tensor4D, toTf(w) as tf.Tensor4D, s, tfPad(padding)));
      expectClose(conv2d(x, w, { strides: s, padding }), ref);
    }
  });

  it('matches tf.conv2d with dilations (stride 1, as tfjs requires)', () => {
    const rand = seededRandom(2);
    for (let t = 0; t < 10; t++) {
      const x = ndRandom([1, intIn(rand, 7, 10), intIn(rand, 7, 10), 2], { seed: t });
      const w = ndRandom([intIn(rand, 2, 3), intIn(rand, 2, 3), 2, 3], { seed: 50 + t });
      const d: [number, number] = [intIn(rand, 1, 3), intIn(rand, 1, 3)];
      const padding = pick(rand, ['valid', 'same'] as const);
      const ref = fromTf(() => tf.conv2d(toTf(x) as tf.Tensor4D, toTf(w) as tf.Tensor4D, 1, padding, 'NHWC', d));
      expectClose(conv2d(x, w, { dilations: d, padding }), ref);
    }
  });

  it('treats dilation and stride together as a plain conv with a zero-stuffed kernel', () => {
    const x = ndRandom([2, 11, 10, 2], { seed: 3 });
    const w = ndRandom([3, 2, 2, 4], { seed: 4 });
    const ref = fromTf(() => tf.conv2d(toTf(x) as tf.Tensor4D, toTf(dilateKernel(w, [2, 3])) as tf.Tensor4D, [2, 3], 'valid'));
    expectClose(conv2d(x, w, { strides: [2, 3], dilations: [2, 3] }), ref);
  });
});

describe('depthwiseConv2d', () => {
  it('matches tf.depthwiseConv2d on random shapes', () => {
    const rand = seededRandom(5);
    for (let t = 0; t < 15; t++) {
      const c = intIn(rand, 1, 4);
      const m = intIn(rand, 1, 3);
      const x = ndRandom([intIn(rand, 1, 2), intIn(rand, 4, 9), intIn(rand, 4, 9), c], { seed: t });
      const w = ndRandom([intIn(rand, 1, 3), intIn(rand, 1, 3), c, m], { seed: 30 + t });
      const s = intIn(rand, 1, 2);
      const padding = pick(rand, ['valid', 'same'] as const);
      const ref = fromTf(() => tf.depthwiseConv2d(toTf(x) as tf.Tensor4D, toTf(w) as tf.Tensor4D, s, padding));
      expectClose(depthwiseConv2d(x, w, { strides: s, padding }), ref);
    }
  });

  it('keeps channels apart: a one-hot channel only reaches its own outputs', () => {
    const x = ndarray([0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0], [1, 2, 2, 3]); // only channel 1 is non-zero
    const y = depthwiseConv2d(x, ndarray(new Array(2 * 2 * 3 * 2).fill(1), [2, 2, 3, 2]));
    expect(Array.from(y.data)).toEqual([0, 0, 4, 4, 0, 0]);
  });
});

describe('im2col', () => {
  it('unfolds a 3x3 image into 2x2 windows by hand', () => {
    const x = ndarray([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expect(ndToArray(im2col(x, 2))).toEqual([
      [1, 2, 4, 5],
      [2, 3, 5, 6],
      [4, 5, 7, 8],
      [5, 6, 8, 9],
    ]);
  });

  it('matMul multiplies by hand', () => {
    expect(ndToArray(matMul(ndarray([[1, 2], [3, 4]]), ndarray([[5], [6]])))).toEqual([[17], [39]]);
  });

  it('conv2dIm2col equals conv2d and tf.conv2d (cpu kernels) on random shapes', async () => {
    const rand = seededRandom(6);
    for (let t = 0; t < 20; t++) {
      const c = randomCase(rand, t);
      const w = ndRandom([c.w.shape[0], c.w.shape[1], c.x.shape[3], c.w.shape[3]], { seed: 300 + t });
      const bias = Array.from({ length: w.shape[3] }, (_, i) => i - 1);
      const ours = conv2dIm2col(c.x, w, { strides: c.strides, padding: c.padding, bias });
      expectClose(ours, conv2d(c.x, w, { strides: c.strides, padding: c.padding, bias }));
      const ref = await onCpu(() =>
        fromTf(() => tf.conv2d(toTf(c.x) as tf.Tensor4D, toTf(w) as tf.Tensor4D, c.strides, tfPad(c.padding)).add(tf.tensor1d(bias))),
      );
      expectClose(ours, ref);
    }
  });
});
