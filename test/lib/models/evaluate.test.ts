import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { accuracy } from '../../../lib/models/evaluate';

describe('accuracy', () => {
  // A model whose prediction is its input: argmax of each row is known by construction.
  const identity = tf.sequential({ layers: [tf.layers.activation({ activation: 'linear', inputShape: [3] })] });
  const xs = tf.tensor2d([[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.2, 0.3, 0.5], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8]]);

  it('is the fraction of rows whose argmax equals the label, in any batch size', () => {
    const labels = tf.tensor1d([0, 1, 0, 0, 2], 'int32'); // argmaxes 0, 1, 2, 0, 2: four of five right
    for (const batchSize of [1, 2, 5, 256]) expect(accuracy(identity, xs, labels, { batchSize })).toBeCloseTo(4 / 5, 10);
    expect(accuracy(identity, xs, labels.cast('float32'))).toBeCloseTo(4 / 5, 10);
  });

  it('frees its tensors', () => {
    const labels = tf.tensor1d([0, 1, 2, 0, 2], 'int32');
    const before = tf.memory().numTensors;
    expect(accuracy(identity, xs, labels, { batchSize: 2 })).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects mismatched or malformed labels', () => {
    expect(() => accuracy(identity, xs, tf.tensor1d([0, 1]))).toThrow('accuracy: labels must have one entry per input (5), got 2');
    expect(() => accuracy(identity, xs, tf.tensor2d([[0], [1], [2], [0], [2]]))).toThrow(
      'accuracy: labels must have rank 1 [N], got [5, 1]',
    );
    expect(() => accuracy(identity, xs, tf.tensor1d([0, 1, 2, 0, 2]), { batchSize: 0 })).toThrow(
      'accuracy: opts.batchSize must be a positive integer, got 0',
    );
  });
});
