import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { dense, denseBackward } from '../../../lib/ops/dense';
import { ndarray, ndToArray } from '../../../lib/ops/ndarray';
import { dot, expectClose, expectRelClose, finiteDiff, fromTf, fromTfAll, intIn, seededRandom, ndRandom, toTf } from './helpers';

describe('dense', () => {
  it('computes x W + b by hand', () => {
    const y = dense(ndarray([[1, 2]]), ndarray([[1, 0, 1], [0, 1, 1]]), [0, 0, 1]);
    expect(ndToArray(y)).toEqual([[1, 2, 4]]);
  });

  it('matches tf.matMul + bias and tf.layers.dense on random shapes', () => {
    const rand = seededRandom(51);
    for (let t = 0; t < 10; t++) {
      const x = ndRandom([intIn(rand, 1, 4), intIn(rand, 1, 20)], { seed: t });
      const w = ndRandom([x.shape[1], intIn(rand, 1, 10)], { seed: 20 + t });
      const b = ndRandom([w.shape[1]], { seed: 40 + t });
      const ref = fromTf(() => tf.matMul(toTf(x) as tf.Tensor2D, toTf(w) as tf.Tensor2D).add(toTf(b)));
      expectClose(dense(x, w, b.data), ref);
      const layer = fromTf(() => {
        const l = tf.layers.dense({ units: w.shape[1], weights: [toTf(w), toTf(b)] });
        return l.apply(toTf(x)) as tf.Tensor;
      });
      expectClose(dense(x, w, b.data), layer);
    }
  });
});

describe('denseBackward', () => {
  it('matches tf.grads and finite differences', () => {
    const x = ndRandom([3, 7], { seed: 1 });
    const w = ndRandom([7, 4], { seed: 2 });
    const b = ndRandom([4], { seed: 3 });
    const r = ndRandom([3, 4], { seed: 4 });
    const ours = denseBackward(x, w, r);
    const f = (xt: tf.Tensor, wt: tf.Tensor, bt: tf.Tensor) => tf.matMul(xt as tf.Tensor2D, wt as tf.Tensor2D).add(bt).mul(toTf(r)).sum();
    const [dx, dw, db] = fromTfAll(() => tf.grads(f)([toTf(x), toTf(w), toTf(b)]));
    expectClose(ours.dx, dx);
    expectClose(ours.dw, dw);
    expectClose(ours.db, db);
    expectRelClose(ours.dx, finiteDiff(x, (v) => dot(dense(v, w, b.data), r)), 1e-3);
    expectRelClose(ours.dw, finiteDiff(w, (v) => dot(dense(x, v, b.data), r)), 1e-3);
    expectRelClose(ours.db, finiteDiff(b, (v) => dot(dense(x, w, v.data), r)), 1e-3);
  });
});
