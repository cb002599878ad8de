import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { batchMoments, batchNorm, batchNormTraining, updateMovingMoments } from '../../../lib/ops/batch-norm';
import { ndarray, type NDArray } from '../../../lib/ops/ndarray';
import { expectClose, fromTf, ndRandom, toTf } from './helpers';

const arr = (v: ArrayLike<number>): NDArray => ({ shape: [v.length], data: Float32Array.from(v) });

describe('batch normalization', () => {
  it('computes moments by hand', () => {
    const m = batchMoments(ndarray([[1, 10], [3, 30]]));
    expect(Array.from(m.mean)).toEqual([2, 20]);
    expect(Array.from(m.variance)).toEqual([1, 100]);
  });

  it('matches tf.moments and tf.batchNorm on a random NHWC batch', () => {
    const x = ndRandom([4, 5, 6, 3], { seed: 1, low: -2, high: 5 });
    const m = batchMoments(x);
    const ref = tf.tidy(() => {
      const r = tf.moments(toTf(x), [0, 1, 2]);
      return { mean: Float32Array.from(r.mean.dataSync()), variance: Float32Array.from(r.variance.dataSync()) };
    });
    expectClose(arr(m.mean), arr(ref.mean));
    expectClose(arr(m.variance), arr(ref.variance));
    const gamma = [0.5, 2, -1];
    const beta = [1, 0, -3];
    const y = batchNorm(x, m.mean, m.variance, { scale: gamma, offset: beta, varianceEpsilon: 1e-3 });
    const refY = fromTf(() => tf.batchNorm(toTf(x), arr(m.mean).data, arr(m.variance).data, beta, gamma, 1e-3));
    expectClose(y, refY);
  });

  it('training mode gives every channel mean beta and variance gamma^2 var / (var + eps), like tf.layers.batchNormalization', () => {
    const x = ndRandom([8, 3, 3, 2], { seed: 2, low: 0, high: 4 });
    const { y, variance } = batchNormTraining(x, { gamma: [2, 1], beta: [1, -1], epsilon: 1e-3 });
    const m = batchMoments(y);
    expect(m.mean[0]).toBeCloseTo(1, 5);
    expect(m.mean[1]).toBeCloseTo(-1, 5);
    expect(m.variance[0]).toBeCloseTo((4 * variance[0]) / (variance[0] + 1e-3), 4);
    // Keras' layer in training mode: gamma = 1, beta = 0, epsilon = 1e-3
    const ref = fromTf(() => tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(toTf(x), { training: true }) as tf.Tensor);
    expectClose(batchNormTraining(x).y, ref, 1e-4);
  });

  it('updates moving averages with momentum', () => {
    const moving = { mean: Float32Array.from([0, 0]), variance: Float32Array.from([1, 1]) };
    const batch = { mean: Float32Array.from([10, 20]), variance: Float32Array.from([3, 5]) };
    const next = updateMovingMoments(moving, batch, 0.9);
    expect(next.mean[0]).toBeCloseTo(1, 6);
    expect(next.mean[1]).toBeCloseTo(2, 6);
    expect(next.variance[0]).toBeCloseTo(1.2, 6);
  });
});
