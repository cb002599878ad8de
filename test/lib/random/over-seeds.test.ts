import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { overSeeds } from '../../../lib/random/over-seeds';
import { currentSeed } from '../../../lib/random/seed';

describe('overSeeds', () => {
  it('seeds each run and returns the per-component mean, min and max', async () => {
    const seen: number[] = [];
    const r = await overSeeds([3, 1, 2], (s) => {
      seen.push(currentSeed()!);
      return [s, 10 * s];
    });
    expect(seen).toEqual([3, 1, 2]);
    expect(r.seeds).toEqual([3, 1, 2]);
    expect(r.values).toEqual([[3, 30], [1, 10], [2, 20]]);
    expect(r.mean).toEqual([2, 20]);
    expect(r.median).toEqual([2, 20]);
    expect(r.min).toEqual([1, 10]);
    expect(r.max).toEqual([3, 30]);
  });

  it('takes the median per component: the middle run, or the mean of the two middle ones', async () => {
    const odd = await overSeeds([1, 2, 3], (s) => [[5, 1, 9][s - 1], [0.2, 0.7, 0.4][s - 1]]);
    expect(odd.median).toEqual([5, 0.4]);
    const even = await overSeeds([1, 2, 3, 4], (s) => [8, 1, 4, 2][s - 1]);
    expect(even.median).toEqual([3]);
    expect(even.values).toEqual([[8], [1], [4], [2]]); // the runs' order is kept
  });

  it('takes a number or a promise, and a seeded run replays', async () => {
    const draw = async () => tf.tidy(() => tf.randomUniform([1]).dataSync()[0]);
    const a = await overSeeds([5, 6], draw);
    const b = await overSeeds([5, 6], draw);
    expect(a.values).toEqual(b.values);
    expect(a.values[0][0]).not.toBe(a.values[1][0]);
    expect(a.min[0]).toBeLessThanOrEqual(a.mean[0]);
    expect(a.mean[0]).toBeLessThanOrEqual(a.max[0]);
  });

  it('rejects bad seeds, a bad run and bad results in one line', async () => {
    await expect(overSeeds([], () => 1)).rejects.toThrow(/^overSeeds: seeds must be an array of 1 to 1000 seeds/);
    await expect(overSeeds([1, 1], () => 1)).rejects.toThrow(/^overSeeds: seeds\[1\] must differ/);
    await expect(overSeeds([1.5], () => 1)).rejects.toThrow(/^overSeeds: seeds\[0\] must be a safe integer/);
    await expect(overSeeds([1], 42 as never)).rejects.toThrow(/^overSeeds: run must be a function/);
    await expect(overSeeds([1], () => NaN)).rejects.toThrow(/^overSeeds: run\(1\) result\[0\] must be a finite/);
    await expect(overSeeds([1], () => [] as number[])).rejects.toThrow(/^overSeeds: run\(1\) result must be/);
    await expect(overSeeds([1, 2], (s) => (s === 1 ? [1] : [1, 2]))).rejects.toThrow(/^overSeeds: run\(2\) result must have 1 entries/);
    await expect(overSeeds([1], () => { throw new Error('boom'); })).rejects.toThrow(/^boom$/);
  });
});
