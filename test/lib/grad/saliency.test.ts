import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradientTimesInput, integratedGradients, saliencyMap, smoothGrad } from '../../../lib/grad/saliency';

let model: tf.Sequential;
// Built after the setup file has selected the backend.
beforeAll(() => {
  model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [5], units: 6, activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: 5 }) }),
    ],
  });
});
const score = (x: number[], c: number) => tf.tidy(() => (model.predict(tf.tensor2d([x])) as tf.Tensor).dataSync()[c]);

describe('saliency', () => {
  const x = [0.3, -0.2, 0.8, 0.1, -0.5];

  it('vanilla gradient matches central finite differences of the class score', () => {
    const before = tf.memory().numTensors;
    const xt = tf.tensor2d([x]);
    const g = saliencyMap(model, xt, { classIndex: 1 });
    const got = Array.from(g.dataSync());
    tf.dispose([g, xt]);
    expect(tf.memory().numTensors).toBe(before);
    const h = 1e-2;
    x.forEach((_, i) => {
      const up = [...x];
      const down = [...x];
      up[i] += h;
      down[i] -= h;
      const fd = (score(up, 1) - score(down, 1)) / (2 * h);
      expect(Math.abs(got[i] - fd)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
    });
  });

  it('explains the predicted class by default, and gradient x input is the product', () => {
    const xt = tf.tensor2d([x, x.map((v) => -v)]);
    const pred = Array.from((model.predict(xt) as tf.Tensor).argMax(-1).dataSync());
    const g = saliencyMap(model, xt);
    const gp = saliencyMap(model, xt, { classIndex: pred });
    expect(Array.from(g.dataSync())).toEqual(Array.from(gp.dataSync()));
    const gi = gradientTimesInput(model, xt);
    const expected = tf.mul(g, xt).dataSync();
    Array.from(gi.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    tf.dispose([xt, g, gp, gi]);
  });

  it('SmoothGrad with no noise is the vanilla gradient; with noise it is seeded', () => {
    const xt = tf.tensor2d([x]);
    const g = saliencyMap(model, xt, { classIndex: 0 });
    const s0 = smoothGrad(model, xt, { classIndex: 0, noise: 0, samples: 3 });
    Array.from(s0.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(g.dataSync()[i], 6));
    const before = tf.memory().numTensors;
    const a = smoothGrad(model, xt, { classIndex: 0, samples: 4, seed: 7 });
    const b = smoothGrad(model, xt, { classIndex: 0, samples: 4, seed: 7 });
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(g.dataSync()));
    tf.dispose([xt, g, s0, a, b]);
  });

  it('integrated gradients of a linear score are exactly (x - baseline) * w', () => {
    const linear = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    linear.layers[0].setWeights([tf.tensor2d([[1, -2], [3, 0.5], [-1, 4]]), tf.tensor1d([0.1, 0.2])]);
    const xt = tf.tensor2d([[1, 2, 3]]);
    const baseline = tf.tensor2d([[0.5, 0.5, 0.5]]);
    const before = tf.memory().numTensors;
    const ig = integratedGradients(linear, xt, { classIndex: 1, baseline, steps: 8 });
    expect(tf.memory().numTensors).toBe(before + 1);
    const want = [0.5 * -2, 1.5 * 0.5, 2.5 * 4];
    Array.from(ig.attributions.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    expect(ig.completenessGap[0]).toBeLessThan(1e-5);
    expect(ig.scoreInput[0] - ig.scoreBaseline[0]).toBeCloseTo(want[0] + want[1] + want[2], 5);
    tf.dispose([xt, baseline, ig.attributions]);
  });

  it('integrated gradients on a nonlinear model: the gap shrinks with more steps', () => {
    const xt = tf.tensor2d([x.map((v) => 3 * v)]);
    const coarse = integratedGradients(model, xt, { classIndex: 2, steps: 2 });
    const fine = integratedGradients(model, xt, { classIndex: 2, steps: 64, batchSize: 16 });
    expect(fine.completenessGap[0]).toBeLessThan(coarse.completenessGap[0]);
    expect(fine.relativeGap[0]!).toBeLessThan(0.01);
    tf.dispose([xt, coarse.attributions, fine.attributions]);
  });

  it('rejects class ids out of range and baselines of another shape', () => {
    const xt = tf.tensor2d([x]);
    expect(() => saliencyMap(model, xt, { classIndex: 3 })).toThrow('saliencyMap: opts.classIndex[0] must be an integer class id in [0, 3), got 3');
    expect(() => integratedGradients(model, xt, { baseline: tf.zeros([2, 5]) })).toThrow(
      "integratedGradients: opts.baseline must have the input's shape [1, 5], got [2, 5]",
    );
    expect(() => smoothGrad(model, xt, { noise: -1 })).toThrow('smoothGrad: opts.noise must be a finite number >= 0, got -1');
    xt.dispose();
  });
});
