import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Normalization } from '../../../lib/layers/normalization';
import { expectRoundTrip } from './helpers';

describe('Normalization', () => {
  it('holds mean, variance and count like Keras: 2 C + 1 non-trainable parameters', () => {
    const layer = new Normalization();
    layer.apply(tf.input({ shape: [8, 8, 3] }));
    expect(layer.countParams()).toBe(7);
    expect(layer.trainableWeights).toHaveLength(0);
    expect(layer.nonTrainableWeights.map((w) => w.shape)).toEqual([[3], [3], []]);
  });

  it('standardizes each channel after adapt', () => {
    const data = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([50, 4, 4, 3]), tf.tensor1d([1, 5, 0.1])), tf.tensor1d([3, -2, 10])));
    const layer = new Normalization();
    layer.adapt(data);
    const y = layer.apply(data) as tf.Tensor;
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    // Float32 sums of n numbers carry an error of about sqrt(n) units in the last place of their size
    // (8x margin), and standardizing divides the error of a channel's mean by its spread: a channel at
    // 10 +- 0.1 keeps 100x the error of one at 0 +- 1. Statistics of the data in float64, per channel.
    const n = 50 * 4 * 4;
    const xs = data.dataSync();
    const stats = [0, 1, 2].map((c) => {
      const v = Array.from({ length: n }, (_, i) => xs[3 * i + c]);
      const mu = v.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / n);
      return { mu, sd };
    });
    Array.from(mean.dataSync()).forEach((m, c) => {
      const tol = 8 * Math.sqrt(n) * 2 ** -23 * (Math.abs(stats[c].mu) / stats[c].sd + 1);
      expect(Math.abs(m), `channel ${c}`).toBeLessThan(tol);
    });
    for (const v of variance.dataSync()) expect(v).toBeCloseTo(1, 3);
    expect(layer.getWeights()[2].dataSync()[0]).toBe(50 * 16);
    tf.dispose([data, y, mean, variance]);
  });

  it('uses given statistics: (x - mean) / sqrt(variance)', () => {
    const layer = new Normalization({ mean: [1, 2], variance: [4, 0.25] });
    const y = (layer.apply(tf.tensor2d([[3, 3]])) as tf.Tensor).dataSync();
    expect(y[0]).toBeCloseTo(1, 6);
    expect(y[1]).toBeCloseTo(2, 6);
  });

  it('survives a serialization round trip', async () => {
    const x = tf.randomNormal([2, 4, 4, 2]);
    await expectRoundTrip(new Normalization({ mean: [0.5, -1], variance: [2, 3] }), [4, 4, 2], x);
    x.dispose();
  });

  it('rejects bad statistics with one-line messages', () => {
    expect(() => new Normalization({ variance: [1, -1] })).toThrow('Normalization: variance[1] must be >= 0, got -1');
    expect(() => new Normalization({ mean: [0, 0], variance: [1] })).toThrow('Normalization: variance must have as many entries as mean (2), got 1');
    expect(() => new Normalization({ mean: [0, 0] }).apply(tf.input({ shape: [3] }))).toThrow(
      'Normalization: mean must have one entry per channel (3), got 2',
    );
  });
});
