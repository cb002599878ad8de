import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CapsuleLength, PrimaryCapsules, capsuleMarginLoss } from '../../../lib/layers/capsule-net';
import { capsuleSquash } from '../../../lib/layers/capsule';
import { expectRoundTrip, maxAbsDiff } from './helpers';

describe('PrimaryCapsules', () => {
  it("has the paper's shapes and parameter count: 20x20x256 -> 1152 capsules of 8", () => {
    const layer = new PrimaryCapsules({ numCapsules: 32, capsuleDim: 8, kernelSize: 9 });
    const y = layer.apply(tf.input({ shape: [20, 20, 256] })) as tf.SymbolicTensor;
    expect(y.shape).toEqual([null, 6 * 6 * 32, 8]);
    expect(layer.countParams()).toBe((9 * 9 * 256 + 1) * 32 * 8);
  });

  it('is a convolution regrouped into squashed capsule vectors', () => {
    const x = tf.randomNormal([2, 9, 9, 3]) as tf.Tensor4D;
    const layer = new PrimaryCapsules({ numCapsules: 4, capsuleDim: 5, kernelSize: 3, strides: 2 });
    const y = layer.apply(x) as tf.Tensor;
    const [k, b] = layer.getWeights();
    const ref = tf.tidy(() => capsuleSquash(tf.reshape(tf.add(tf.conv2d(x, k as tf.Tensor4D, 2, 'valid'), b), [2, 4 * 4 * 4, 5])));
    expect(y.shape).toEqual([2, 64, 5]);
    expect(maxAbsDiff(y, ref)).toBeLessThan(1e-5);
    tf.dispose([x, y, ref]);
  });

  it('survives a serialization round trip', async () => {
    const x = tf.randomNormal([2, 7, 7, 2]);
    await expectRoundTrip(new PrimaryCapsules({ numCapsules: 2, capsuleDim: 3, kernelSize: 3, strides: 1, padding: 'same' }), [7, 7, 2], x);
    x.dispose();
  });

  it('rejects bad arguments with one-line messages', () => {
    expect(() => new PrimaryCapsules({ numCapsules: 2, capsuleDim: 0, kernelSize: 3 })).toThrow(
      'PrimaryCapsules: capsuleDim must be a positive integer, got 0',
    );
    expect(() => new PrimaryCapsules({ numCapsules: 2, capsuleDim: 4, kernelSize: 3 }).apply(tf.input({ shape: [5, 5] }))).toThrow(
      'PrimaryCapsules: input must have rank 4 [N, H, W, C], got [null,5,5]',
    );
  });
});

describe('CapsuleLength', () => {
  it('gives the length of every capsule', () => {
    const layer = new CapsuleLength();
    const y = layer.apply(tf.tensor3d([[[3, 4], [0, 0]]])) as tf.Tensor;
    const v = y.dataSync();
    expect(v[0]).toBeCloseTo(5, 5);
    expect(v[1]).toBeCloseTo(0, 4);
    expect((layer.apply(tf.input({ shape: [10, 16] })) as tf.SymbolicTensor).shape).toEqual([null, 10]);
  });

  it('survives a serialization round trip', async () => {
    const x = tf.randomNormal([2, 4, 3]);
    await expectRoundTrip(new CapsuleLength(), [4, 3], x);
    x.dispose();
  });
});

describe('capsuleMarginLoss', () => {
  it('matches the formula on a hand example', () => {
    // present class at 0.8: (0.9 - 0.8)^2 = 0.01; absent class at 0.2: 0.5 (0.2 - 0.1)^2 = 0.005.
    // Second example: present at 0.95 (no loss), absent at 0.05 (no loss).
    const loss = capsuleMarginLoss(tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0.2, 0.8], [0.95, 0.05]]));
    expect(loss.dataSync()[0]).toBeCloseTo((0.015 + 0) / 2, 7);
    const custom = capsuleMarginLoss(tf.tensor2d([[1]]), tf.tensor2d([[0.5]]), { mPlus: 0.7 });
    expect(custom.dataSync()[0]).toBeCloseTo(0.04, 7);
  });

  it('trains a tiny capsule classifier end to end (gradients flow through routing)', async () => {
    const { CapsuleLayer } = await import('../../../lib/layers/capsule');
    const input = tf.input({ shape: [6, 4] });
    const caps = new CapsuleLayer({ numCapsules: 2, capsuleDim: 4, routings: 3 }).apply(input);
    const model = tf.model({ inputs: input, outputs: new CapsuleLength().apply(caps) as tf.SymbolicTensor });
    model.compile({ optimizer: tf.train.adam(0.05), loss: capsuleMarginLoss });
    // Class 0: all inputs point along +e0; class 1: along -e0.
    const xs = tf.tidy(() => tf.concat([tf.ones([8, 6, 1]), tf.neg(tf.ones([8, 6, 1]))]).pad([[0, 0], [0, 0], [0, 3]]).add(tf.randomNormal([16, 6, 4], 0, 0.1)));
    const ys = tf.oneHot(tf.tensor1d([...Array(8).fill(0), ...Array(8).fill(1)], 'int32'), 2);
    const h = await model.fit(xs, ys, { epochs: 30, batchSize: 16, verbose: 0 });
    const losses = h.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 3);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('rejects mismatched shapes', () => {
    expect(() => capsuleMarginLoss(tf.zeros([2, 3]), tf.zeros([2, 4]))).toThrow('capsuleMarginLoss: yTrue must have the shape of yPred [2, 4], got [2, 3]');
  });
});
