import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { actorCriticLoss, discountedReturns } from '../../../lib/rl/actor-critic';

describe('discountedReturns', () => {
  it('sums discounted rewards backwards, by hand', () => {
    const g = discountedReturns([0, 0, 1], 0.9);
    [0.81, 0.9, 1].forEach((x, i) => expect(g[i]).toBeCloseTo(x, 12));
    // bootstrap 2 after the last reward: G_1 = 0 + 0.5 * 2 = 1, G_0 = 1 + 0.5 * 1 = 1.5
    expect(discountedReturns([1, 0], 0.5, 2)).toEqual([1.5, 1]);
    expect(discountedReturns([3, -1], 0)).toEqual([3, -1]);
  });

  it('rejects bad arguments', () => {
    expect(() => discountedReturns([], 0.9)).toThrow('discountedReturns: rewards must have at least 1 entry, got []');
    expect(() => discountedReturns([0, NaN], 0.9)).toThrow('discountedReturns: rewards must contain only finite numbers (index 1), got NaN');
    expect(() => discountedReturns([1], 1.5)).toThrow('discountedReturns: gamma must be a number in [0, 1], got 1.5');
    expect(() => discountedReturns([1], 0.9, Infinity)).toThrow('discountedReturns: bootstrap must be a finite number, got Infinity');
  });
});

describe('actorCriticLoss', () => {
  // B = 2 steps, A = 3 actions
  const probs = [
    [0.2, 0.5, 0.3],
    [0.6, 0.3, 0.1],
  ];
  const values = [0.5, -0.2];
  const actions = [1, 0];
  const returns = [1, -1];
  const entropyOf = (p: number[]) => -p.reduce((s, q) => s + q * Math.log(q), 0);

  it('matches the formula computed by hand', () => {
    const adv = returns.map((g, b) => g - values[b]); // [0.5, -0.8]
    const policyLoss = -(Math.log(0.5) * adv[0] + Math.log(0.6) * adv[1]) / 2;
    const valueLoss = (adv[0] ** 2 + adv[1] ** 2) / 2;
    const entropy = (entropyOf(probs[0]) + entropyOf(probs[1])) / 2;
    const loss = tf.tidy(() =>
      actorCriticLoss(tf.tensor2d(probs), tf.tensor2d(values, [2, 1]), actions, returns, { valueWeight: 0.5, entropyWeight: 0.01 }).dataSync()[0],
    );
    expect(loss).toBeCloseTo(policyLoss + 0.5 * valueLoss - 0.01 * entropy, 5);
    // the defaults are 0.5 and 0.01, and a value of shape [B] works as well as [B, 1]
    const again = tf.tidy(() => actorCriticLoss(tf.tensor2d(probs), tf.tensor1d(values), actions, returns).dataSync()[0]);
    expect(again).toBeCloseTo(loss, 6);
  });

  it('lets no policy gradient through the baseline: dL/dV = valueWeight * 2 (V - G) / B', () => {
    const pi = tf.tensor2d(probs);
    const g = tf.tidy(() => tf.grad((v: tf.Tensor) => actorCriticLoss(pi, v, actions, returns, { valueWeight: 0.5 }))(tf.tensor1d(values)).arraySync() as number[]);
    [0.5 * 2 * (0.5 - 1) / 2, 0.5 * 2 * (-0.2 + 1) / 2].forEach((x, i) => expect(g[i]).toBeCloseTo(x, 5));
    pi.dispose();
  });

  it('pushes up the taken action in proportion to the advantage: dL/dpi[b, a_b] = -A_b / (B pi[b, a_b])', () => {
    const v = tf.tensor1d(values);
    const g = tf.tidy(
      () => tf.grad((p: tf.Tensor) => actorCriticLoss(p as tf.Tensor2D, v, actions, returns, { valueWeight: 0, entropyWeight: 0 }))(tf.tensor2d(probs)).arraySync() as number[][],
    );
    const expected = [
      [0, -0.5 / (2 * 0.5), 0],
      [0.8 / (2 * 0.6), 0, 0],
    ];
    expected.forEach((row, b) => row.forEach((x, a) => expect(g[b][a]).toBeCloseTo(x, 4)));
    v.dispose();
  });

  it('leaves no tensor behind', () => {
    const pi = tf.tensor2d(probs);
    const v = tf.tensor1d(values);
    const before = tf.memory().numTensors;
    actorCriticLoss(pi, v, actions, returns).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([pi, v]);
  });

  it('rejects bad arguments', () => {
    const pi = tf.tensor2d(probs);
    const v = tf.tensor1d(values);
    expect(() => actorCriticLoss(tf.tensor1d([1]) as never, v, actions, returns)).toThrow('actorCriticLoss: policy must have rank 2 [B, A], got [1]');
    expect(() => actorCriticLoss(pi, tf.zeros([3]), actions, returns)).toThrow('actorCriticLoss: value must have shape [2, 1] or [2] (one value per row of policy), got [3]');
    expect(() => actorCriticLoss(pi, v, [1, 3], returns)).toThrow('actorCriticLoss: actions[1] must be an integer in [0, 3), got 3');
    expect(() => actorCriticLoss(pi, v, [1], returns)).toThrow('actorCriticLoss: actions must have 2 entries (one per row of policy), got 1');
    expect(() => actorCriticLoss(pi, v, actions, [1, NaN])).toThrow('actorCriticLoss: returns must contain only finite numbers (index 1), got NaN');
    expect(() => actorCriticLoss(pi, v, actions, returns, { entropyWeight: -1 })).toThrow('actorCriticLoss: opts.entropyWeight must be a number in [0, 1000000], got -1');
    expect(() => actorCriticLoss(pi, v, actions, returns, { valueWeigth: 1 } as never)).toThrow(/^actorCriticLoss: opts/);
    tf.dispose([pi, v]);
  });
});
