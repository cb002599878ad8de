import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { deepfool } from '../../../lib/grad/deepfool';

// A linear softmax model, logits = x W + b: every decision boundary is a hyperplane, so DeepFool's
// first step has a closed form, distance |f_k - f_y| / ||w_k - w_y|| to the nearest one.
const D = 6;
const K = 4;
let model: tf.Sequential;
let W: number[][]; // [D][K]
let b: number[];
let xs: tf.Tensor2D;
beforeAll(() => {
  model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [D], units: K, activation: 'softmax' })] });
  W = Array.from({ length: D }, (_, i) => Array.from({ length: K }, (_, k) => Math.sin(1 + 3 * i + 7 * k)));
  b = [0.1, -0.2, 0.05, 0];
  model.layers[0].setWeights([tf.tensor2d(W), tf.tensor1d(b)]);
  // Inputs near the middle of [0, 1]^D, so the small steps stay inside the box and clipping does nothing.
  xs = tf.tensor2d(Array.from({ length: 5 }, (_, n) => Array.from({ length: D }, (_, i) => 0.5 + 0.05 * Math.cos(n + 2 * i))));
});

/** By hand: the logits, the class y, and the nearest boundary's distance and step vector. */
function closedForm(x: number[]) {
  const f = Array.from({ length: K }, (_, k) => b[k] + x.reduce((s, v, i) => s + v * W[i][k], 0));
  const y = f.indexOf(Math.max(...f));
  let best = { dist: Infinity, r: [] as number[] };
  for (let k = 0; k < K; k++) {
    if (k === y) continue;
    const w = W.map((row) => row[k] - row[y]);
    const norm = Math.hypot(...w);
    const gap = Math.abs(f[k] - f[y]);
    if (gap / norm < best.dist) best = { dist: gap / norm, r: w.map((v) => (gap / norm ** 2) * v) };
  }
  return { y, ...best };
}

describe('deepfool', () => {
  it('takes the closed-form first step on a linear model: (1 + overshoot) times the distance to the nearest boundary', () => {
    const res = deepfool(model, xs, { maxIter: 1, overshoot: 0.02 });
    const adv = res.adversarial.arraySync() as number[][];
    const x = xs.arraySync();
    x.forEach((xi, n) => {
      const cf = closedForm(xi);
      expect(res.original[n]).toBe(cf.y);
      expect(res.iterations[n]).toBe(1);
      expect(res.l2[n]).toBeCloseTo(1.02 * cf.dist, 4);
      adv[n].forEach((v, i) => expect(v - xi[i]).toBeCloseTo(1.02 * cf.r[i], 4));
    });
    res.adversarial.dispose();
  });

  it('misclassifies every example with the default overshoot, and the linear model needs one step', () => {
    const res = deepfool(model, xs);
    expect(res.fooled).toEqual([true, true, true, true, true]);
    expect(res.iterations).toEqual([1, 1, 1, 1, 1]);
    const pred = tf.tidy(() => Array.from((model.predict(res.adversarial) as tf.Tensor).argMax(-1).dataSync()));
    expect(pred).toEqual(res.predicted);
    pred.forEach((p, n) => expect(p).not.toBe(res.original[n]));
    res.adversarial.dispose();
  });

  it('without overshoot lands on the boundary: the two top logits tie', () => {
    const res = deepfool(model, xs, { overshoot: 0, maxIter: 1 });
    const adv = res.adversarial.arraySync() as number[][];
    adv.forEach((a, n) => {
      const f = Array.from({ length: K }, (_, k) => b[k] + a.reduce((s, v, i) => s + v * W[i][k], 0));
      const sorted = [...f].sort((p, q) => q - p);
      expect(sorted[0] - sorted[1]).toBeLessThan(1e-4);
      expect(f[res.original[n]]).toBeCloseTo(sorted[0], 4);
    });
    res.adversarial.dispose();
  });

  it('holds pixels at 0 that the step would push below 0: one exact step on the remaining pixels', () => {
    // Pixels 0-2 at 0 (the box edge), 3-5 at 0.5.
    const x = [0, 0, 0, 0.5, 0.5, 0.5];
    const res = deepfool(model, tf.tensor2d([x]), { overshoot: 0.02 });
    const f = Array.from({ length: K }, (_, k) => b[k] + x.reduce((s, v, i) => s + v * W[i][k], 0));
    const y = f.indexOf(Math.max(...f));
    let best = { dist: Infinity, r: [] as number[] };
    for (let k = 0; k < K; k++) {
      if (k === y) continue;
      const w = W.map((row, i) => (x[i] <= 0 && row[k] - row[y] < 0 ? 0 : row[k] - row[y]));
      const norm = Math.hypot(...w);
      const gap = Math.abs(f[k] - f[y]);
      if (gap / norm < best.dist) best = { dist: gap / norm, r: w.map((v) => (gap / norm ** 2) * v) };
    }
    expect(best.r.some((v, i) => i < 3 && v === 0)).toBe(true); // the case is not vacuous
    expect(res.fooled).toEqual([true]);
    expect(res.iterations).toEqual([1]);
    const adv = (res.adversarial.arraySync() as number[][])[0];
    adv.forEach((v, i) => expect(v - x[i]).toBeCloseTo(1.02 * best.r[i], 4));
    res.adversarial.dispose();
  });

  it('leaves no tensors behind but the result, and rejects bad options in one line', () => {
    const before = tf.memory().numTensors;
    const res = deepfool(model, xs, { maxIter: 3 });
    expect(tf.memory().numTensors).toBe(before + 1);
    res.adversarial.dispose();
    expect(() => deepfool(model, xs, { overshoot: 2 })).toThrow('deepfool: opts.overshoot must be a number in [0, 1], got 2');
    expect(() => deepfool(model, xs, { maxIter: 0 })).toThrow(/^deepfool: opts\.maxIter/);
  });
});
