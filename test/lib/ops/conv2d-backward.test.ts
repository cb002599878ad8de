import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { conv2d, conv2dBackward } from '../../../lib/ops/conv2d';
import { depthwiseConv2d, depthwiseConv2dBackward } from '../../../lib/ops/depthwise-conv2d';
import { ndarray, type NDArray } from '../../../lib/ops/ndarray';
import type { Padding } from '../../../lib/ops/output-size';
import { dot, expectClose, expectRelClose, finiteDiff, fromTfAll, intIn, seededRandom, ndRandom, onCpu, pick, tfPad, toTf } from './helpers';

/** dL/dx, dL/dw, dL/db of L = sum((conv2d(x, w) + b) * r) from tf.grads. */
function tfConvGrads(x: NDArray, w: NDArray, r: NDArray, strides: [number, number], padding: Padding) {
  const f = (xt: tf.Tensor, wt: tf.Tensor, bt: tf.Tensor) =>
    tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, strides, tfPad(padding)).add(bt).mul(toTf(r)).sum();
  const [dx, dw, db] = fromTfAll(() => tf.grads(f)([toTf(x), toTf(w), tf.zeros([w.shape[3]])]));
  return { dx, dw, db };
}

describe('conv2dBackward', () => {
  it('works by hand on a 1x3 image and a 1x2 kernel', () => {
    // y0 = x0 w0 + x1 w1, y1 = x1 w0 + x2 w1; dy = [1, 10]
    const x = ndarray([1, 2, 3], [1, 1, 3, 1]);
    const w = ndarray([5, 7], [1, 2, 1, 1]);
    const { dx, dw, db } = conv2dBackward(x, w, ndarray([1, 10], [1, 1, 2, 1]));
    expect(Array.from(dx.data)).toEqual([5, 7 + 50, 70]); // dx0 = dy0 w0, dx1 = dy0 w1 + dy1 w0, dx2 = dy1 w1
    expect(Array.from(dw.data)).toEqual([1 + 20, 2 + 30]); // dw0 = dy0 x0 + dy1 x1, dw1 = dy0 x1 + dy1 x2
    expect(Array.from(db.data)).toEqual([11]);
  });

  it('matches tf.grads of tf.conv2d on random geometries', async () => {
    const rand = seededRandom(21);
    for (let t = 0; t < 20; t++) {
      const x = ndRandom([intIn(rand, 1, 2), intIn(rand, 4, 8), intIn(rand, 4, 8), intIn(rand, 1, 3)], { seed: t });
      const w = ndRandom([intIn(rand, 1, 3), intIn(rand, 1, 3), x.shape[3], intIn(rand, 1, 3)], { seed: 40 + t });
      const strides: [number, number] = [intIn(rand, 1, 2), intIn(rand, 1, 2)];
      const padding = pick<Padding>(rand, ['valid', 'same', 1, [[1, 0], [0, 2]]]);
      const y = conv2d(x, w, { strides, padding });
      const r = ndRandom(y.shape, { seed: 80 + t });
      const ours = conv2dBackward(x, w, r, { strides, padding });
      const ref = await onCpu(() => tfConvGrads(x, w, r, strides, padding));
      expectClose(ours.dx, ref.dx);
      expectClose(ours.dw, ref.dw);
      expectClose(ours.db, ref.db);
    }
  });

  it('matches finite differences with dilations, groups, strides and padding together', () => {
    const x = ndRandom([2, 7, 6, 4], { seed: 1 });
    const w = ndRandom([3, 2, 2, 6], { seed: 2 });
    const opts = { strides: [2, 1] as [number, number], dilations: [2, 2] as [number, number], groups: 2, padding: 'same' as const, bias: [1, 2, 3, 4, 5, 6] };
    const r = ndRandom(conv2d(x, w, opts).shape, { seed: 3 });
    const g = conv2dBackward(x, w, r, opts);
    expectRelClose(g.dx, finiteDiff(x, (v) => dot(conv2d(v, w, opts), r)), 1e-3);
    expectRelClose(g.dw, finiteDiff(w, (v) => dot(conv2d(x, v, opts), r)), 1e-3);
    const b0 = ndarray(opts.bias);
    expectRelClose(g.db, finiteDiff(b0, (v) => dot(conv2d(x, w, { ...opts, bias: v.data }), r)), 1e-3);
  });
});

describe('depthwiseConv2dBackward', () => {
  it('matches tf.grads of tf.depthwiseConv2d and finite differences', () => {
    const x = ndRandom([2, 6, 5, 3], { seed: 4 });
    const w = ndRandom([3, 3, 3, 2], { seed: 5 });
    const r = ndRandom(depthwiseConv2d(x, w, { padding: 'same' }).shape, { seed: 6 });
    const ours = depthwiseConv2dBackward(x, w, r, { padding: 'same' });
    const f = (xt: tf.Tensor, wt: tf.Tensor) => tf.depthwiseConv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, 1, 'same').mul(toTf(r)).sum();
    const [dx, dw] = fromTfAll(() => tf.grads(f)([toTf(x), toTf(w)]));
    expectClose(ours.dx, dx);
    expectClose(ours.dw, dw);
    expectRelClose(ours.dw, finiteDiff(w, (v) => dot(depthwiseConv2d(x, v, { padding: 'same' }), r)), 1e-3);
  });
});
