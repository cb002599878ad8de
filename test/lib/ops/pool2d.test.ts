import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { globalAvgPool2d, globalMaxPool2d } from '../../../lib/ops/global-pool';
import { ndarray, ndToArray, type NDArray } from '../../../lib/ops/ndarray';
import type { Padding } from '../../../lib/ops/output-size';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward, maxPool2dWithArgmax } from '../../../lib/ops/pool2d';
import { dot, expectClose, expectRelClose, finiteDiff, fromTf, intIn, seededRandom, ndRandom, onCpu, pick, tfPad, toTf } from './helpers';

// The seed's 6x6 feature map (Question 4).
const SEED_MAP = [
  [1, 3, 2, 4, 1, 2],
  [2, 5, 1, 3, 2, 1],
  [1, 2, 4, 6, 3, 2],
  [3, 1, 2, 5, 4, 1],
  [2, 4, 3, 2, 1, 3],
  [1, 2, 1, 3, 2, 4],
];
const seedMap = () => ndarray(SEED_MAP.flat(), [1, 6, 6, 1]);

function randomPoolCase(rand: () => number, t: number) {
  const k: [number, number] = [intIn(rand, 1, 3), intIn(rand, 1, 3)];
  const strides: [number, number] = [intIn(rand, 1, 3), intIn(rand, 1, 3)];
  const padding = pick<Padding>(rand, ['valid', 'same', [[0, k[0] - 1], [k[1] - 1, 0]]]);
  const x = ndRandom([intIn(rand, 1, 2), intIn(rand, 3, 9), intIn(rand, 3, 9), intIn(rand, 1, 3)], { seed: 600 + t });
  return { x, k, strides, padding };
}

describe('maxPool2d and avgPool2d', () => {
  it("compute the seed's 2x2 stride-2 example by hand", () => {
    expect(ndToArray(maxPool2d(seedMap(), 2), { squeeze: true })).toEqual([
      [5, 4, 2],
      [3, 6, 4],
      [4, 3, 4],
    ]);
    // means of the nine 2x2 blocks, e.g. (1 + 3 + 2 + 5) / 4 = 2.75
    expect(ndToArray(avgPool2d(seedMap(), 2), { squeeze: true })).toEqual([
      [2.75, 2.5, 1.5],
      [1.75, 4.25, 2.5],
      [2.25, 2.25, 2.5],
    ]);
  });

  it('match tf.maxPool and tf.avgPool (cpu kernels) on random shapes, strides and paddings', async () => {
    const rand = seededRandom(31);
    for (let t = 0; t < 30; t++) {
      const { x, k, strides, padding } = randomPoolCase(rand, t);
      const [refMax, refAvg] = await onCpu(() => [
        fromTf(() => tf.maxPool(toTf(x) as tf.Tensor4D, k, strides, tfPad(padding) as never)),
        fromTf(() => tf.avgPool(toTf(x) as tf.Tensor4D, k, strides, tfPad(padding) as never)),
      ]);
      expectClose(maxPool2d(x, k, { strides, padding }), refMax);
      expectClose(avgPool2d(x, k, { strides, padding }), refAvg);
    }
  });

  it('match tf.layers.maxPooling2d / averagePooling2d on the notebooks backend (Keras defaults: strides = poolSize)', () => {
    const x = ndRandom([2, 8, 7, 3], { seed: 9 });
    for (const padding of ['valid', 'same'] as const) {
      const refMax = fromTf(() => tf.layers.maxPooling2d({ poolSize: 2, padding }).apply(toTf(x)) as tf.Tensor);
      const refAvg = fromTf(() => tf.layers.averagePooling2d({ poolSize: 2, padding }).apply(toTf(x)) as tf.Tensor);
      expectClose(maxPool2d(x, 2, { padding }), refMax);
      expectClose(avgPool2d(x, 2, { padding }), refAvg);
    }
  });

  it("do not count padding cells: a 'same' corner window averages only real cells", () => {
    // 3x3 input, window 2 stride 2 'same': out 2x2, padding 1 at the bottom/right
    const y = avgPool2d(ndarray([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), 2, { padding: 'same' });
    expect(ndToArray(y, { squeeze: true })).toEqual([
      [(1 + 2 + 4 + 5) / 4, (3 + 6) / 2],
      [(7 + 8) / 2, 9],
    ]);
  });
});

describe('global pooling', () => {
  it('matches tf.layers.globalAveragePooling2d / globalMaxPooling2d and the seed map by hand', () => {
    const sum = SEED_MAP.flat().reduce((a, b) => a + b, 0);
    expect(globalAvgPool2d(seedMap()).data[0]).toBeCloseTo(sum / 36, 6);
    expect(Array.from(globalMaxPool2d(seedMap()).data)).toEqual([6]);
    const x = ndRandom([3, 5, 4, 6], { seed: 10 });
    expectClose(globalAvgPool2d(x), fromTf(() => tf.layers.globalAveragePooling2d({}).apply(toTf(x)) as tf.Tensor));
    expectClose(globalMaxPool2d(x), fromTf(() => tf.layers.globalMaxPooling2d({}).apply(toTf(x)) as tf.Tensor));
  });
});

describe('pooling backward', () => {
  it('routes each dy to the argmax of its window (by hand)', () => {
    const x = seedMap();
    const { argmax } = maxPool2dWithArgmax(x, 2);
    // top-left window [1 3; 2 5]: the 5 sits at row 1, column 1 -> flat index 7
    expect(argmax[0]).toBe(7);
    const dx = maxPool2dBackward(x, ndarray(new Array(9).fill(1), [1, 3, 3, 1]), 2);
    const grid = ndToArray(dx, { squeeze: true }) as number[][];
    expect(grid[1][1]).toBe(1);
    expect(grid[0][0]).toBe(0);
    expect(dx.data.reduce((a, b) => a + b, 0)).toBe(9); // one unit per window
  });

  it('matches tf.grad of tf.maxPool / tf.avgPool and finite differences on random cases', async () => {
    const rand = seededRandom(41);
    for (let t = 0; t < 12; t++) {
      const { x, k, strides, padding } = randomPoolCase(rand, t);
      const r = ndRandom(maxPool2d(x, k, { strides, padding }).shape, { seed: 700 + t });
      const grad = (op: 'maxPool' | 'avgPool'): NDArray =>
        fromTf(() => tf.grad((xt: tf.Tensor) => tf[op](xt as tf.Tensor4D, k, strides, tfPad(padding) as never).mul(toTf(r)).sum())(toTf(x)));
      const [refMax, refAvg] = await onCpu(() => [grad('maxPool'), grad('avgPool')]);
      const oursMax = maxPool2dBackward(x, r, k, { strides, padding });
      const oursAvg = avgPool2dBackward(x, r, k, { strides, padding });
      expectClose(oursMax, refMax);
      // tfjs 4.22's AvgPoolGrad divides by the full window size even where the forward pass divided by
      // the real cells only, so with padding its gradient disagrees with its own forward; finite
      // differences below are the judge there.
      if (padding === 'valid') expectClose(oursAvg, refAvg);
      // Finite differences need every argmax to stay put under the step: use values 0.01 apart.
      const order = Array.from(x.data.keys()).sort((a, b) => x.data[a] - x.data[b]);
      const spaced = { shape: x.shape, data: new Float32Array(x.data.length) };
      order.forEach((k0, rank) => (spaced.data[k0] = rank * 0.01));
      expectRelClose(
        maxPool2dBackward(spaced, r, k, { strides, padding }),
        finiteDiff(spaced, (v) => dot(maxPool2d(v, k, { strides, padding }), r), 1e-3),
        1e-3,
      );
      expectRelClose(oursAvg, finiteDiff(x, (v) => dot(avgPool2d(v, k, { strides, padding }), r)), 1e-3);
    }
  });

  it('matches tf.grad of tf.maxPool on the notebooks backend', () => {
    const x = ndRandom([2, 6, 6, 3], { seed: 11 });
    const r = ndRandom([2, 3, 3, 3], { seed: 12 });
    const ref = fromTf(() => tf.grad((xt: tf.Tensor) => tf.maxPool(xt as tf.Tensor4D, 2, 2, 'valid').mul(toTf(r)).sum())(toTf(x)));
    expectClose(maxPool2dBackward(x, r, 2), ref);
  });
});
