import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { trainingMonitor } from '../../../lib/display/training-monitor';
import { VEGA_LITE_MIME } from '../../../lib/viz/render';
import { fakeKernel } from './fake-kernel';

describe('trainingMonitor', () => {
  function tinyModel() {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })] });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    return model;
  }

  it('updates one display in place during fit and ends on the final frame', async () => {
    const writes = fakeKernel();
    const model = tinyModel();
    const xs = tf.randomNormal([32, 4], 0, 1, 'float32', 1);
    const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 3), 'int32'), 3);
    const monitor = trainingMonitor({ title: 'tiny', every: 'batch', minIntervalMs: 0 });
    await model.fit(xs, ys, { epochs: 2, batchSize: 8, validationSplit: 0.25, callbacks: monitor, verbose: 0 });
    expect(new Set(writes.map((w) => w.content.transient.display_id)).size).toBe(1);
    expect(writes[0].update).toBe(false);
    expect(writes.slice(1).every((w) => w.update)).toBe(true);
    const texts = writes.map((w) => String(w.content.data['text/plain']));
    expect(texts.some((t) => /epoch 1\/2 .*ETA/.test(t))).toBe(true);
    expect(texts[texts.length - 1]).toMatch(/^tiny: done: 2 epochs in .* \| final loss \d/);
    const last = writes[writes.length - 1].content.data;
    expect(last[VEGA_LITE_MIME]).toBeDefined();
    const points = monitor.points;
    // 24 training examples / batch 8 = 3 batches per epoch, 2 epochs.
    expect(points.filter((p) => p.series === 'train (batch)')).toHaveLength(6);
    expect(points.filter((p) => p.panel === 'loss' && p.series === 'validation').map((p) => p.step)).toEqual([1, 2]);
    expect(points.filter((p) => p.panel === 'accuracy' && p.series === 'train')).toHaveLength(2);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('prints one progress line per epoch outside a kernel', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const model = tinyModel();
    const xs = tf.zeros([8, 4]);
    const ys = tf.oneHot(tf.zeros([8], 'int32') as tf.Tensor1D, 3);
    await model.fit(xs, ys, { epochs: 3, batchSize: 4, callbacks: trainingMonitor(), verbose: 0 });
    const lines = log.mock.calls.map((c) => String(c[0]));
    expect(lines.filter((l) => /^Training: epoch \d\/3 \| loss/.test(l))).toHaveLength(3);
    expect(lines[lines.length - 1]).toMatch(/^Training: done: 3 epochs/);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('rejects unknown options', () => {
    expect(() => trainingMonitor({ every: 'step' as 'batch' })).toThrow("trainingMonitor: opts.every must be one of 'epoch', 'batch', got \"step\"");
  });
});
