import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { layerGradientStats } from '../../../lib/grad/stats';

function mlp(activation: 'softmax' | 'linear', seed = 1) {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [5], units: 4, activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed }) }),
      tf.layers.dense({ units: 3, activation, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }),
    ],
  });
}

describe('layerGradientStats', () => {
  it('matches a case computed by hand: d sum(Wx + b) / dW = sum of inputs, / db = N', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 1 })] });
    model.layers[0].setWeights([tf.tensor2d([[1], [2], [0]]), tf.tensor1d([0])]);
    const xs = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const labels = tf.zeros([2]);
    const before = tf.memory().numTensors;
    const { layers, loss } = layerGradientStats(model, xs, labels, { loss: (out) => tf.sum(out) as tf.Scalar });
    expect(tf.memory().numTensors).toBe(before);
    expect(loss).toBeCloseTo(1 + 4 + 4 + 10, 5); // (1*1+2*2) + (4*1+5*2)
    const [dense] = layers;
    // kernel gradient [5, 7, 9], bias gradient [2]
    expect(dense.norm).toBeCloseTo(Math.sqrt(25 + 49 + 81 + 4), 5);
    expect(dense.meanAbs).toBeCloseTo((5 + 7 + 9 + 2) / 4, 5);
    expect(dense.maxAbs).toBeCloseTo(9, 5);
    expect(dense.weightNorm).toBeCloseTo(Math.sqrt(5), 5);
    expect(dense.ratio!).toBeCloseTo(Math.sqrt(159) / Math.sqrt(5), 5);
    expect(dense.zeroFraction).toBe(0);
    expect(dense.variables.map((v) => v.shape)).toEqual([[3, 1], [1]]);
    expect(dense.variables[1].norm).toBeCloseTo(2, 5);
    tf.dispose([xs, labels]);
  });

  it('uses the cross-entropy of logits, or of probabilities after a softmax, with the same gradients', () => {
    const logits = mlp('linear');
    const probs = mlp('softmax');
    probs.setWeights(logits.getWeights());
    const xs = tf.randomNormal([6, 5], 0, 1, 'float32', 3);
    const labels = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
    // Independent reference: tfjs's own softmax cross-entropy on the logits model.
    const vars = logits.trainableWeights.map((w) => w.read() as tf.Variable);
    const ref = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 3), logits.apply(xs) as tf.Tensor) as tf.Scalar, vars);
    const refNorms = logits.layers.map((l) => Math.sqrt(l.trainableWeights.reduce((s, w) => s + tf.sum(tf.square(ref.grads[(w.read() as tf.Variable).name])).dataSync()[0], 0)));
    const a = layerGradientStats(logits, xs, labels);
    const b = layerGradientStats(probs, xs, tf.oneHot(labels, 3));
    expect(a.loss).toBeCloseTo(ref.value.dataSync()[0], 5);
    a.layers.forEach((l, i) => expect(l.norm).toBeCloseTo(refNorms[i], 5));
    b.layers.forEach((l, i) => expect(Math.abs(l.norm - refNorms[i]) / refNorms[i]).toBeLessThan(1e-4));
    tf.dispose([xs, labels, ref.value, ref.grads]);
  });

  it('counts exact zeros (dead ReLUs) and NaNs, keeping the norm finite', () => {
    const dead = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [5], units: 4, activation: 'relu', biasInitializer: tf.initializers.constant({ value: -100 }) }),
        tf.layers.dense({ units: 3 }),
      ],
    });
    const xs = tf.randomUniform([4, 5], 0, 1, 'float32', 2);
    const labels = tf.tensor1d([0, 1, 2, 0], 'int32');
    const { layers } = layerGradientStats(dead, xs, labels);
    expect(layers[0].zeroFraction).toBe(1);
    expect(layers[0].norm).toBe(0);
    const nan = layerGradientStats(mlp('linear'), xs, labels, { loss: (out) => tf.sum(tf.sqrt(tf.sub(out, 100))) as tf.Scalar });
    expect(nan.layers[1].nanCount).toBe(4 * 3 + 3);
    expect(Number.isFinite(nan.layers[1].norm)).toBe(true);
    tf.dispose([xs, labels]);
  });

  it('rejects labels that do not match the inputs', () => {
    const xs = tf.zeros([2, 5]);
    const labels = tf.zeros([3]);
    expect(() => layerGradientStats(mlp('linear'), xs, labels)).toThrow('layerGradientStats: labels must be class ids [2] or one-hot [2, 3], got [3]');
    expect(() => layerGradientStats(mlp('linear'), tf.zeros([2, 4]), labels)).toThrow('layerGradientStats: xs must have shape [N, 5] like the model input, got [2, 4]');
    tf.dispose([xs, labels]);
  });
});
