import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkFiniteTensor, checkTensor } from '../../../lib/layers/check-tensor';

describe('checkTensor', () => {
  it('returns a live tensor that obeys the rule', () => {
    const x = tf.ones([2, 3]);
    expect(checkTensor('f', 'x', x, { rank: 2, nonEmpty: true, finite: true })).toBe(x);
    x.dispose();
  });
  it('rejects what is not a live tensor, a wrong rank, an empty tensor', () => {
    expect(() => checkTensor('f', 'x', [1, 2])).toThrow('f: x must be a tf.Tensor, got [1, 2]');
    const d = tf.zeros([2]);
    d.dispose();
    expect(() => checkTensor('f', 'x', d)).toThrow('f: x must not be a disposed tensor, got [2]');
    const x = tf.zeros([2, 3]);
    expect(() => checkTensor('f', 'x', x, { rank: 4, layout: '[N, H, W, C]' })).toThrow('f: x must have rank 4 [N, H, W, C], got [2, 3]');
    const e = tf.zeros([0, 3]);
    expect(() => checkTensor('f', 'x', e, { nonEmpty: true })).toThrow('f: x must not be empty, got [0, 3]');
    tf.dispose([x, e]);
  });
  it('finds the first non-finite value, and leaves no tensor behind', () => {
    const x = tf.tensor1d([1, 2, Infinity, NaN]);
    const before = tf.memory().numTensors;
    expect(() => checkFiniteTensor('f', 'xs', x)).toThrow('f: xs must contain only finite numbers (index 2), got Infinity');
    expect(tf.memory().numTensors).toBe(before);
    const ints = tf.tensor1d([1, 2], 'int32');
    expect(() => checkFiniteTensor('f', 'xs', ints)).not.toThrow();
    tf.dispose([x, ints]);
  });
});
