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
    expect(() => accuracy(identity, xs, tf.tensor1d([0, 1]))).toThrow('accuracy: labels must be class ids [5], got [2]');
    expect(() => accuracy(identity, xs, tf.tensor2d([[0], [1], [2], [0], [2]]))).toThrow(
      'accuracy: labels must be class ids [5], got [5, 1]',
    );
    expect(() => accuracy(identity, xs, tf.tensor1d([0, 1, 2, 0, 2]), { batchSize: 0 })).toThrow(
      'accuracy: opts.batchSize must be a positive integer, got 0',
    );
  });

  it('rejects labels that are not class ids of the model and inputs that are not finite, leaving no tensor', () => {
    // 3 outputs: ids 0, 1, 2. An id out of range used to count as a wrong answer (accuracy 0), silently.
    const ids = (last: number) => tf.tensor1d([0, 1, 2, 0, last]);
    const before = tf.memory().numTensors;
    for (const [last, shown] of [[42, '42'], [3, '3'], [-1, '-1'], [0.5, '0.5'], [NaN, 'NaN']] as const) {
      const labels = ids(last);
      expect(() => accuracy(identity, xs, labels)).toThrow(`accuracy: labels[4] must be an integer class id in [0, 3), got ${shown}`);
      labels.dispose();
    }
    const nan = tf.tensor2d([[0.9, 0.05, 0.05], [NaN, 0.8, 0.1]]);
    const two = tf.tensor1d([0, 1]);
    const wide = tf.zeros([5, 4]);
    const good = ids(0);
    expect(() => accuracy(identity, nan, two)).toThrow('accuracy: xs must contain only finite numbers (index 3), got NaN');
    expect(() => accuracy(identity, wide, good)).toThrow('accuracy: xs must have shape [N, 3] like the model input, got [5, 4]');
    expect(() => accuracy({} as tf.LayersModel, xs, good)).toThrow('accuracy: model must be a tf.LayersModel (tf.sequential or tf.model), got {}');
    tf.dispose([nan, two, wide, good]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
