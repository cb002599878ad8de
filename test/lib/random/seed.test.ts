import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { currentSeed, seed, unseed } from '../../../lib/random/seed';
import { loadMnist } from '../../../lib/data/mnist';

/** One epoch of a small conv net with dropout on 256 MNIST digits, shuffled; per-batch losses. */
async function trainRun(s: number): Promise<number[]> {
  seed(s);
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
  const { xs, labels } = loadMnist('train', { count: 256 });
  const y = labels.cast('float32');
  const losses: number[] = [];
  await model.fit(xs, y, {
    epochs: 2,
    batchSize: 32,
    shuffle: true,
    verbose: 0,
    callbacks: { onBatchEnd: async (_b, logs) => void losses.push(logs!.loss as number) },
  });
  tf.dispose([xs, labels, y]);
  model.dispose();
  return losses;
}

describe('seed', () => {
  afterAll(() => unseed());

  it('replays random ops without an explicit seed', () => {
    seed(123);
    const a = tf.tidy(() => Array.from(tf.randomNormal([50]).dataSync()));
    const u = Math.random();
    seed(123);
    const b = tf.tidy(() => Array.from(tf.randomNormal([50]).dataSync()));
    expect(b).toEqual(a);
    expect(Math.random()).toBe(u);
    seed(124);
    const c = tf.tidy(() => Array.from(tf.randomNormal([50]).dataSync()));
    expect(c).not.toEqual(a);
    expect(currentSeed()).toBe(124);
  });

  it('gives values in [0, 1) with a plausible mean and distinct large seeds', () => {
    seed(2 ** 40 + 5);
    const x = Array.from({ length: 10000 }, () => Math.random());
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x)).toBeLessThan(1);
    expect(Math.abs(x.reduce((s, v) => s + v, 0) / x.length - 0.5)).toBeLessThan(0.02);
    seed(5);
    expect(Math.random()).not.toBe(x[0]); // the upper 32 bits of the seed matter
  });

  it('makes a shuffled training run with dropout reproducible, and the seed matters', async () => {
    const a = await trainRun(7);
    const b = await trainRun(7);
    const c = await trainRun(8);
    expect(a.length).toBe(16);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a.every(Number.isFinite)).toBe(true);
  });

  it('unseed restores the native generator', () => {
    seed(1);
    unseed();
    expect(currentSeed()).toBeUndefined();
    expect(Math.random.toString()).toContain('native code');
  });

  it('rejects a seed that is not a safe integer', () => {
    expect(() => seed(1.5)).toThrow('seed: n must be a safe integer, got 1.5');
    expect(() => seed(Number.NaN)).toThrow('seed: n must be a safe integer, got NaN');
  });
});
