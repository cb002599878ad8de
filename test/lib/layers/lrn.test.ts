import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { LocalResponseNormalization } from '../../../lib/layers/lrn';
import { expectRoundTrip, maxAbsDiff } from './helpers';

describe('LocalResponseNormalization', () => {
  it('matches the AlexNet formula on a case small enough to compute by hand', () => {
    // One pixel, 3 channels [1, 2, 3], r = 1, k = 2, alpha = 0.5, beta = 1:
    // c0: 1 / (2 + 0.5 (1 + 4)) = 1/4.5; c1: 2 / (2 + 0.5 (1 + 4 + 9)) = 2/9; c2: 3 / (2 + 0.5 (4 + 9)) = 3/8.5
    const layer = new LocalResponseNormalization({ depthRadius: 1, bias: 2, alpha: 0.5, beta: 1 });
    const y = layer.apply(tf.tensor4d([1, 2, 3], [1, 1, 1, 3])) as tf.Tensor;
    const v = y.dataSync();
    expect(v[0]).toBeCloseTo(1 / 4.5, 6);
    expect(v[1]).toBeCloseTo(2 / 9, 6);
    expect(v[2]).toBeCloseTo(3 / 8.5, 6);
  });

  it('equals tf.localResponseNormalization with the AlexNet defaults on random shapes', () => {
    for (const [h, w, c] of [[5, 7, 16], [3, 3, 6], [8, 4, 1]]) {
      const x = tf.randomNormal([2, h, w, c]) as tf.Tensor4D;
      const layer = new LocalResponseNormalization();
      const y = layer.apply(x) as tf.Tensor;
      expect(layer.computeOutputShape([null, h, w, c])).toEqual([null, h, w, c]);
      const ref = tf.localResponseNormalization(x, 2, 2, 1e-4, 0.75);
      expect(maxAbsDiff(y, ref)).toBeLessThan(1e-6);
      expect(layer.countParams()).toBe(0);
      tf.dispose([x, y, ref]);
    }
  });

  it('leaves no tensors behind', () => {
    const x = tf.randomNormal([1, 4, 4, 8]);
    const layer = new LocalResponseNormalization();
    (layer.apply(x) as tf.Tensor).dispose();
    const before = tf.memory().numTensors;
    (layer.apply(x) as tf.Tensor).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('survives a serialization round trip', async () => {
    const x = tf.randomNormal([2, 4, 4, 6]);
    await expectRoundTrip(new LocalResponseNormalization({ depthRadius: 1, bias: 1, alpha: 0.1, beta: 0.5 }), [4, 4, 6], x);
    x.dispose();
  });

  it('rejects bad arguments with one-line messages', () => {
    expect(() => new LocalResponseNormalization({ depthRadius: -1 })).toThrow(
      'LocalResponseNormalization: depthRadius must be a non-negative integer, got -1',
    );
    expect(() => new LocalResponseNormalization({ bias: 0 })).toThrow('LocalResponseNormalization: bias must be > 0, got 0');
    expect(() => new LocalResponseNormalization({ beta: NaN })).toThrow('LocalResponseNormalization: beta must be a finite number, got NaN');
    expect(() => new LocalResponseNormalization().apply(tf.input({ shape: [8, 3] }))).toThrow(
      'LocalResponseNormalization: input must have rank 4 [N, H, W, C], got [null,8,3]',
    );
  });
});
