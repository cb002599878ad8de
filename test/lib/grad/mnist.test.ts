// The grad tools on a real model: a small CNN trained on 3,000 MNIST digits for 2 epochs, once,
// shared by every test here (a few seconds on wasm).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adversarialTraining, epsilonSweep, fgsm } from '../../../lib/grad/adversarial';
import { gradCam } from '../../../lib/grad/grad-cam';
import { integratedGradients } from '../../../lib/grad/saliency';
import { layerGradientStats } from '../../../lib/grad/stats';
import { loadMnist } from '../../../lib/data/mnist';

function cnn() {
  let s = 10;
  const init = () => tf.initializers.heNormal({ seed: s++ });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: init() }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init() }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.003), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

const accuracy = (m: tf.LayersModel, x: tf.Tensor, y: tf.Tensor) =>
  tf.tidy(() => (m.predict(x) as tf.Tensor).argMax(-1).equal(y).mean().dataSync()[0]);

let model: tf.Sequential;
let train: { xs: tf.Tensor4D; labels: tf.Tensor1D };
let test: { xs: tf.Tensor4D; labels: tf.Tensor1D };

beforeAll(async () => {
  train = loadMnist('train', { count: 3000 });
  test = loadMnist('test', { count: 500 });
  model = cnn();
  await model.fit(train.xs, train.labels.toFloat(), { epochs: 2, batchSize: 64, verbose: 0, shuffle: false });
}, 120_000);

afterAll(() => {
  tf.dispose([train.xs, train.labels, test.xs, test.labels]);
  model.dispose();
});

describe('grad tools on a trained MNIST CNN', () => {
  it('learned: test accuracy above 80%', () => {
    expect(accuracy(model, test.xs, test.labels)).toBeGreaterThan(0.8);
  });

  it('integrated gradients: completeness gap under 5% of F(x) - F(baseline)', () => {
    const x = test.xs.slice(0, 4);
    const before = tf.memory().numTensors;
    const ig = integratedGradients(model, x, { steps: 64 });
    expect(tf.memory().numTensors).toBe(before + 1);
    for (let i = 0; i < 4; i++) {
      const diff = ig.scoreInput[i] - ig.scoreBaseline[i];
      expect(Math.abs(diff)).toBeGreaterThan(0.1);
      expect(ig.completenessGap[i]).toBeLessThan(0.05 * Math.abs(diff));
    }
    tf.dispose([x, ig.attributions]);
  });

  it('per-layer gradient statistics are finite, with no NaN or Inf', () => {
    const { layers, loss } = layerGradientStats(model, test.xs.slice(0, 64), test.labels.slice(0, 64));
    expect(layers.map((l) => l.className)).toEqual(['Conv2D', 'Conv2D', 'Dense']);
    expect(loss).toBeGreaterThan(0);
    for (const l of layers) {
      expect(l.nanCount + l.infCount).toBe(0);
      expect(l.norm).toBeGreaterThan(0);
      expect(l.ratio).not.toBeNull();
    }
  });

  it('Grad-CAM puts most of its mass on the digit', () => {
    const x = test.xs.slice(0, 8);
    const { heatmap } = gradCam(model, x);
    // Fraction of heat on pixels within 2 px of ink vs the fraction of such pixels in the image.
    const [onInk, inkArea] = tf.tidy(() => {
      const ink = tf.maxPool(tf.greater(x, 0.3).toFloat() as tf.Tensor4D, 5, 1, 'same').squeeze([3]);
      return [tf.sum(tf.mul(heatmap, ink)).div(tf.sum(heatmap)).dataSync()[0], tf.mean(ink).dataSync()[0]];
    });
    expect(onInk).toBeGreaterThan(inkArea);
    tf.dispose([x, heatmap]);
  });

  it('FGSM at epsilon 0.1 lowers test accuracy; adversarial training raises it back beyond clean training', async () => {
    const clean = accuracy(model, test.xs, test.labels);
    const [sweep0, sweep1] = epsilonSweep(model, test.xs, test.labels, [0, 0.1]);
    expect(sweep0.accuracy).toBeCloseTo(clean, 5);
    expect(sweep1.accuracy).toBeLessThan(clean - 0.1);
    const adv = fgsm(model, test.xs, test.labels, 0.1);
    expect(accuracy(model, adv, test.labels)).toBeCloseTo(sweep1.accuracy, 5);
    adv.dispose();

    // Same starting weights, one more epoch each: clean (control) vs clean + FGSM mixed.
    const control = cnn();
    const robust = cnn();
    control.setWeights(model.getWeights());
    robust.setWeights(model.getWeights());
    await control.fit(train.xs, train.labels.toFloat(), { epochs: 1, batchSize: 64, verbose: 0, shuffle: false });
    await adversarialTraining(robust, train.xs, train.labels, { epsilon: 0.1, epochs: 1, batchSize: 64 });
    const [controlAdv] = epsilonSweep(control, test.xs, test.labels, [0.1]);
    const [robustAdv] = epsilonSweep(robust, test.xs, test.labels, [0.1]);
    expect(robustAdv.accuracy).toBeGreaterThan(controlAdv.accuracy + 0.05);
    expect(robustAdv.accuracy).toBeGreaterThan(sweep1.accuracy + 0.05);
    expect(accuracy(robust, test.xs, test.labels)).toBeGreaterThan(0.85);
    control.dispose();
    robust.dispose();
  }, 60_000);
});
