import { describe, expect, it } from 'vitest';
import { ArgError, argMessage, describe as describeValue } from '../../lib/errors';
import { checkInRange, checkOneOf, checkPositiveInt, checkRank, checkShape, checkAllFinite } from '../../lib/check';

describe('messages', () => {
  it('read fn: arg rule, got value', () => {
    expect(argMessage('convOutputSize', 'kernelSize', 'must be a positive integer', 2.5)).toBe(
      'convOutputSize: kernelSize must be a positive integer, got 2.5',
    );
  });
  it('describe values compactly', () => {
    expect(describeValue([1, 28, 28])).toBe('[1, 28, 28]');
    expect(describeValue('same')).toBe('"same"');
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue(new Float32Array(5))).toBe('Float32Array(5)');
    expect(describeValue('x'.repeat(200)).length).toBe(80);
  });
});

describe('checks', () => {
  it('throw ArgError with one line each', () => {
    expect(() => checkPositiveInt('f', 'n', 0)).toThrow(new ArgError('f: n must be a positive integer, got 0'));
    expect(() => checkPositiveInt('f', 'n', 1.5)).toThrow('f: n must be a positive integer, got 1.5');
    expect(() => checkInRange('f', 'p', NaN, 0, 1)).toThrow('f: p must be a number in [0, 1], got NaN');
    expect(() => checkOneOf('f', 'padding', 'full', ['valid', 'same'])).toThrow(
      `f: padding must be one of 'valid', 'same', got "full"`,
    );
    expect(() => checkRank('conv2d', 'x', [28, 28], 4, '[N, H, W, C]')).toThrow(
      'conv2d: x must have rank 4 [N, H, W, C], got [28, 28]',
    );
    expect(() => checkShape('q', 'y', [1, 2], [1, 3])).toThrow('q: y must have shape [1, 3], got [1, 2]');
    expect(() => checkAllFinite('f', 'x', [1, Infinity])).toThrow('f: x must contain only finite numbers (index 1), got Infinity');
  });
  it('return the value when it passes', () => {
    expect(checkPositiveInt('f', 'n', 3)).toBe(3);
    expect(checkShape('q', 'y', [1, 2], [1, 2])).toEqual([1, 2]);
  });
});
