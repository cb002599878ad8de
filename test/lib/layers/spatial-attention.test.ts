import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SpatialAttention, spatialAttention } from '../../../lib/layers/spatial-attention';
import { expectRoundTrip, maxAbsDiff } from './helpers';

describe('SpatialAttention', () => {
  it('has 2 k^2 + 1 parameters and keeps the shape', () => {
    for (const k of [3, 7]) {
      const layer = spatialAttention({ kernelSize: k });
      const y = layer.apply(tf.input({ shape: [9, 9, 5] })) as tf.SymbolicTensor;
      expect(layer.countParams()).toBe(2 * k * k + 1);
      expect(y.shape).toEqual([null, 9, 9, 5]);
    }
  });

  it("equals the seed's block (mean/max over channels, 7x7 conv, sigmoid, multiply) written with tfjs ops", () => {
    const x = tf.randomNormal([2, 10, 8, 6]) as tf.Tensor4D;
    const layer = new SpatialAttention();
    layer.build(x.shape);
    layer.setWeights([tf.randomNormal([7, 7, 2, 1]), tf.tensor1d([0.3])]);
    const y = layer.apply(x) as tf.Tensor;
    const [kernel, bias] = layer.getWeights();
    const ref = tf.tidy(() => {
      const avg = tf.mean(x, 3, true);
      const max = tf.max(x, 3, true);
      const conv = tf.conv2d(tf.concat([avg, max], 3) as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same');
      return tf.mul(x, tf.sigmoid(tf.add(conv, bias)));
    });
    expect(maxAbsDiff(y, ref)).toBeLessThan(1e-5);
    const map = layer.attentionMap(x);
    expect(map.shape).toEqual([2, 10, 8, 1]);
    tf.dispose([x, y, ref, map]);
  });

  it('attends to one spot when the kernel is a single tap', () => {
    // Kernel: only the centre tap on the max channel, weight 10, bias -5: a ~ sigmoid(10 max_c - 5).
    const x = tf.tensor4d([0, 0, 0, 0, 1, 0, 0, 0, 0], [1, 3, 3, 1]);
    const layer = new SpatialAttention({ kernelSize: 3 });
    layer.build(x.shape);
    const k = tf.buffer([3, 3, 2, 1]);
    k.set(10, 1, 1, 1, 0);
    layer.setWeights([k.toTensor(), tf.tensor1d([-5])]);
    const a = layer.attentionMap(x).dataSync();
    expect(a[4]).toBeCloseTo(1 / (1 + Math.exp(-5)), 6);
    expect(a[0]).toBeCloseTo(1 / (1 + Math.exp(5)), 6);
  });

  it('survives a serialization round trip', async () => {
    const x = tf.randomNormal([2, 6, 6, 3]);
    await expectRoundTrip(new SpatialAttention({ kernelSize: 5, useBias: false }), [6, 6, 3], x);
    x.dispose();
  });

  it('rejects bad arguments with one-line messages', () => {
    expect(() => spatialAttention({ kernelSize: 2.5 })).toThrow('SpatialAttention: kernelSize must be a positive integer, got 2.5');
    expect(() => spatialAttention().apply(tf.input({ shape: [8] }))).toThrow(
      'SpatialAttention: input must have rank 4 [N, H, W, C], got [null,8]',
    );
  });
});
