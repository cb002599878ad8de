import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { relu, reluBackward, sigmoid, softmax } from '../../../lib/ops/activations';
import { ndarray } from '../../../lib/ops/ndarray';
import { squash } from '../../../lib/ops/squash';
import { dot, expectClose, expectRelClose, finiteDiff, fromTf, seededRandom, ndRandom, intIn, toTf } from './helpers';

describe('activations', () => {
  it('compute small cases by hand', () => {
    expect(Array.from(relu(ndarray([-1, 0, 2])).data)).toEqual([0, 0, 2]);
    expect(Array.from(sigmoid(ndarray([0])).data)).toEqual([0.5]);
    const s = softmax(ndarray([[1, 2, 3]])).data;
    const z = Math.E + Math.E ** 2 + Math.E ** 3;
    [Math.E / z, Math.E ** 2 / z, Math.E ** 3 / z].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 6));
  });

  it('match tf.relu, tf.sigmoid and tf.softmax on random shapes', () => {
    const rand = seededRandom(61);
    for (let t = 0; t < 8; t++) {
      const shape = Array.from({ length: intIn(rand, 1, 4) }, () => intIn(rand, 1, 6));
      const x = ndRandom(shape, { seed: t, low: -6, high: 6 });
      expectClose(relu(x), fromTf(() => tf.relu(toTf(x))));
      expectClose(sigmoid(x), fromTf(() => tf.sigmoid(toTf(x))));
      expectClose(softmax(x), fromTf(() => tf.softmax(toTf(x))));
    }
  });

  it('softmax does not overflow on large logits', () => {
    const s = softmax(ndarray([1000, 1000]));
    expect(Array.from(s.data)).toEqual([0.5, 0.5]);
  });

  it('reluBackward matches tf.grad and finite differences', () => {
    const x = ndRandom([4, 5], { seed: 1 });
    const r = ndRandom([4, 5], { seed: 2 });
    const ref = fromTf(() => tf.grad((v: tf.Tensor) => tf.relu(v).mul(toTf(r)).sum())(toTf(x)));
    expectClose(reluBackward(x, r), ref);
    expectRelClose(reluBackward(x, r), finiteDiff(x, (v) => dot(relu(v), r), 1e-4), 1e-2);
  });
});

describe('squash', () => {
  it('maps |s| to |s|^2 / (1 + |s|^2) and keeps the direction (3-4-5 triangle by hand)', () => {
    const v = squash(ndarray([[3, 4]]));
    // |s| = 5: scale 25/26 / 5
    expect(v.data[0]).toBeCloseTo((3 * 25) / 26 / 5, 6);
    expect(v.data[1]).toBeCloseTo((4 * 25) / 26 / 5, 6);
    expect(Array.from(squash(ndarray([[0, 0]])).data)).toEqual([0, 0]);
  });

  it('matches the formula composed from tf ops on random capsules', () => {
    const s = ndRandom([2, 6, 8], { seed: 5, low: -2, high: 2 });
    const ref = fromTf(() => {
      const t = toTf(s);
      const n2 = t.square().sum(-1, true);
      return t.mul(n2.div(n2.add(1)).div(n2.add(1e-7).sqrt()));
    });
    expectClose(squash(s), ref);
  });
});
