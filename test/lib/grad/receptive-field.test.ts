import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { empiricalReceptiveField } from '../../../lib/grad/receptive-field';

/** rf = 1 + sum_i (k_i - 1) * prod_{j < i} s_j, with k the effective (dilated) kernel size. */
function formula(layers: { k: number; s: number; d?: number }[]): number {
  let rf = 1;
  let jump = 1;
  for (const { k, s, d = 1 } of layers) {
    const eff = d * (k - 1) + 1;
    rf += (eff - 1) * jump;
    jump *= s;
  }
  return rf;
}

describe('empiricalReceptiveField', () => {
  it('equals the formula for a linear conv / average-pool stack, and fills the whole square', () => {
    const init = (seed: number) => tf.initializers.randomUniform({ minval: 0.1, maxval: 1, seed });
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [40, 40, 1], filters: 2, kernelSize: 3, name: 'c1', kernelInitializer: init(1) }),
        tf.layers.averagePooling2d({ poolSize: 2, strides: 2, name: 'p1' }),
        tf.layers.conv2d({ filters: 2, kernelSize: 3, name: 'c2', kernelInitializer: init(2) }),
        tf.layers.conv2d({ filters: 2, kernelSize: 5, strides: 2, name: 'c3', kernelInitializer: init(3) }),
      ],
    });
    const before = tf.memory().numTensors;
    const rf = empiricalReceptiveField(model, { trials: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const want = formula([{ k: 3, s: 1 }, { k: 2, s: 2 }, { k: 3, s: 1 }, { k: 5, s: 2 }]);
    expect(want).toBe(16);
    expect([rf.height, rf.width]).toEqual([want, want]);
    expect(rf.count).toBe(want * want);
    expect(rf.layerName).toBe('c3');
    expect(rf.method).toBe('gradient');
    const byPerturbation = empiricalReceptiveField(model, { trials: 1, method: 'perturbation' });
    expect(Array.from(byPerturbation.mask)).toEqual(Array.from(rf.mask));
    const mid = empiricalReceptiveField(model, { layerName: 'c2', trials: 1 });
    expect(mid.height).toBe(formula([{ k: 3, s: 1 }, { k: 2, s: 2 }, { k: 3, s: 1 }]));
  });

  it('counts dilation: a dilated 3x3 acts like a 5x5 (measured by perturbation: tfjs has no dilated-conv gradient)', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [20, 20, 1], filters: 2, kernelSize: 3, dilationRate: 2, activation: 'relu' }),
        tf.layers.conv2d({ filters: 1, kernelSize: 3 }),
      ],
    });
    const before = tf.memory().numTensors;
    const rf = empiricalReceptiveField(model);
    expect(tf.memory().numTensors).toBe(before);
    expect(rf.method).toBe('perturbation');
    const want = formula([{ k: 3, s: 1, d: 2 }, { k: 3, s: 1 }]);
    expect(want).toBe(7);
    expect([rf.height, rf.width]).toEqual([want, want]);
  });

  it('with max pooling and ReLU, the union over random inputs reaches the formula', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [32, 32, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 1, kernelSize: 3 }),
      ],
    });
    const want = formula([{ k: 3, s: 1 }, { k: 2, s: 2 }, { k: 3, s: 1 }, { k: 2, s: 2 }, { k: 3, s: 1 }]);
    const one = empiricalReceptiveField(model, { trials: 1 });
    const many = empiricalReceptiveField(model, { trials: 24 });
    expect(one.count).toBeLessThan(want * want);
    expect([many.height, many.width]).toEqual([want, want]);
  });

  it('rejects units outside the layer output', () => {
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [5, 5, 1], filters: 1, kernelSize: 3 })] });
    expect(() => empiricalReceptiveField(model, { unit: [3, 0, 0] })).toThrow('empiricalReceptiveField: opts.unit must lie inside the layer output [3, 3, 1], got [3, 0, 0]');
  });
});
