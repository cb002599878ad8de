import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { lrn } from '../../../lib/ops/lrn';
import { ndarray } from '../../../lib/ops/ndarray';
import { expectClose, fromTf, intIn, seededRandom, ndRandom, toTf } from './helpers';

describe('lrn', () => {
  it("computes the seed's channel-2 example by hand", () => {
    // one position, 8 channels [0.5, 2, 10, 2, 0.5, 0.5, 0.5, 0.5]; depthRadius 2, bias 2, alpha 1e-4, beta 0.75
    const a = [0.5, 2, 10, 2, 0.5, 0.5, 0.5, 0.5];
    const y = lrn(ndarray(a, [1, 1, 1, 8]), { depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 });
    const sq2 = 0.25 + 4 + 100 + 4 + 0.25; // channels 0..4
    expect(y.data[2]).toBeCloseTo(10 / (2 + 1e-4 * sq2) ** 0.75, 5);
    const sq0 = 0.25 + 4 + 100; // channels 0..2 (the window is cut at the edge)
    expect(y.data[0]).toBeCloseTo(0.5 / (2 + 1e-4 * sq0) ** 0.75, 6);
  });

  it('matches tf.localResponseNormalization on random shapes and parameters', () => {
    const rand = seededRandom(71);
    for (let t = 0; t < 12; t++) {
      const x = ndRandom([intIn(rand, 1, 2), intIn(rand, 1, 5), intIn(rand, 1, 5), intIn(rand, 1, 12)], { seed: t, low: -3, high: 3 });
      const depthRadius = intIn(rand, 0, 5);
      const bias = 0.5 + 2 * rand();
      const alpha = rand();
      const beta = rand();
      const ref = fromTf(() => tf.localResponseNormalization(toTf(x) as tf.Tensor4D, depthRadius, bias, alpha, beta));
      expectClose(lrn(x, { depthRadius, bias, alpha, beta }), ref);
    }
    // tf's defaults: depthRadius 5, bias 1, alpha 1, beta 0.5
    const x = ndRandom([1, 3, 3, 9], { seed: 99 });
    expectClose(lrn(x), fromTf(() => tf.localResponseNormalization(toTf(x) as tf.Tensor4D)));
  });
});
