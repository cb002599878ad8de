import { describe, expect, it } from 'vitest';
import { maxAbsDiff, ndarray, ndReshape, ndToArray, ndZeros, shapeSize } from '../../../lib/ops/ndarray';
import { ndRandom } from '../../../lib/ops/random';
import { seededRandom } from '../../../lib/random/generator';

describe('ndarray', () => {
  it('infers the shape of nested arrays and stores row-major float32', () => {
    const x = ndarray([[[1, 2, 3]], [[4, 5, 6]]]);
    expect(x.shape).toEqual([2, 1, 3]);
    expect(x.data).toBeInstanceOf(Float32Array);
    expect(Array.from(x.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ndToArray(x)).toEqual([[[1, 2, 3]], [[4, 5, 6]]]);
    expect(ndToArray(x, { squeeze: true })).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('takes flat values with a shape, and copies them', () => {
    const src = new Float32Array([1, 2, 3, 4]);
    const x = ndarray(src, [1, 2, 2, 1]);
    src[0] = 9;
    expect(x.data[0]).toBe(1);
    // NHWC: element [0, 1, 0, 0] is at ((0 * 2 + 1) * 2 + 0) * 1 + 0 = 2
    expect(x.data[2]).toBe(3);
  });

  it('reshapes without copying, makes zeros, measures sizes and differences', () => {
    const x = ndarray([1, 2, 3, 4]);
    const y = ndReshape(x, [2, 2]);
    expect(y.data).toBe(x.data);
    expect(ndToArray(y)).toEqual([[1, 2], [3, 4]]);
    expect(Array.from(ndZeros([2, 3]).data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(shapeSize([2, 3, 4])).toBe(24);
    expect(maxAbsDiff(ndarray([1, 2]), ndarray([1.5, 0]))).toBe(2);
    expect(() => ndReshape(x, [3])).toThrow('ndReshape: shape must have 4 elements like x [4], got [3]');
  });
});

describe('seeded random arrays', () => {
  it('repeat for the same seed and differ for another', () => {
    expect(Array.from(ndRandom([5], { seed: 3 }).data)).toEqual(Array.from(ndRandom([5], { seed: 3 }).data));
    expect(Array.from(ndRandom([5], { seed: 3 }).data)).not.toEqual(Array.from(ndRandom([5], { seed: 4 }).data));
  });

  it('stay in [low, high) with a mean near the middle', () => {
    const x = ndRandom([10000], { seed: 1, low: 2, high: 4 });
    expect(Math.min(...x.data)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...x.data)).toBeLessThan(4);
    expect(x.data.reduce((a, b) => a + b, 0) / 10000).toBeCloseTo(3, 1);
    const rand = seededRandom(0);
    expect(rand()).not.toBe(rand());
  });
});
