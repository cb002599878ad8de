import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkClassLabels, checkModelInputs, classCount } from '../../../lib/models/check-labels';

describe('checkClassLabels', () => {
  it('takes class ids in [0, K) of any numeric dtype, and (with oneHot) rows in [0, 1]', () => {
    const ids = tf.tensor1d([0, 2, 1], 'int32');
    expect(checkClassLabels('f', ids, 3, 3, false)).toBe(ids);
    const soft = tf.tensor2d([[0.1, 0.9], [1, 0], [0, 1]]);
    expect(checkClassLabels('f', soft, 3, 2, true)).toBe(soft);
    tf.dispose([ids, soft]);
  });
  it('rejects an id out of range, fractional or NaN, naming its index', () => {
    for (const [bad, shown] of [[42, '42'], [10, '10'], [-1, '-1'], [0.5, '0.5'], [NaN, 'NaN']] as const) {
      const y = tf.tensor1d([0, bad]);
      expect(() => checkClassLabels('fgsm', y, 2, 10, true)).toThrow(`fgsm: labels[1] must be an integer class id in [0, 10), got ${shown}`);
      y.dispose();
    }
  });
  it('rejects a wrong shape, and one-hot where only ids are taken, and a one-hot value outside [0, 1]', () => {
    const y = tf.tensor1d([0, 1, 2]);
    expect(() => checkClassLabels('f', y, 2, 3, true)).toThrow('f: labels must be class ids [2] or one-hot [2, 3], got [3]');
    const rows = tf.tensor2d([[0, 1], [2, 0]]);
    expect(() => checkClassLabels('f', rows, 2, 2, false)).toThrow('f: labels must be class ids [2], got [2, 2]');
    expect(() => checkClassLabels('f', rows, 2, 2, true)).toThrow('f: labels[1][0] must be a finite number in [0, 1] (one-hot or soft targets), got 2');
    tf.dispose([y, rows]);
  });
});

describe('checkModelInputs', () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
  it('takes a batch of the model input shape, and gives the class count of its output', () => {
    const xs = tf.ones([4, 3]);
    expect(checkModelInputs('f', model, xs)).toBe(xs);
    expect(classCount(model)).toBe(2);
    xs.dispose();
  });
  it('rejects another shape, an empty batch and non-finite values', () => {
    const wide = tf.ones([4, 5]);
    expect(() => checkModelInputs('f', model, wide)).toThrow('f: xs must have shape [N, 3] like the model input, got [4, 5]');
    const empty = tf.ones([0, 3]);
    expect(() => checkModelInputs('f', model, empty)).toThrow('f: xs must hold at least one example, got [0, 3]');
    const nan = tf.tensor2d([[1, NaN, 1]]);
    expect(() => checkModelInputs('f', model, nan)).toThrow('f: xs must contain only finite numbers (index 1), got NaN');
    tf.dispose([wide, empty, nan]);
  });
});
