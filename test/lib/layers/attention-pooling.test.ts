import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { AttentionPooling, attentionPooling } from '../../../lib/layers/attention-pooling';
import { expectRoundTrip, maxAbsDiff } from './helpers';

describe('AttentionPooling', () => {
  it('has C + 1 parameters and maps [N, H, W, C] to [N, C]', () => {
    for (const c of [1, 5, 32]) {
      const layer = attentionPooling();
      const y = layer.apply(tf.input({ shape: [7, 9, c] })) as tf.SymbolicTensor;
      expect(layer.countParams()).toBe(c + 1);
      expect(y.shape).toEqual([null, c]);
    }
  });

  it('equals a softmax over positions of x w + b, written out by hand, and its map sums to 1', () => {
    const x = tf.randomNormal([2, 3, 4, 5]) as tf.Tensor4D;
    const layer = new AttentionPooling();
    layer.build(x.shape);
    const w = Array.from({ length: 5 }, (_, i) => 0.3 * i - 0.5);
    layer.setWeights([tf.tensor2d(w, [5, 1]), tf.tensor1d([0.7])]);
    const xs = x.arraySync();
    const expected: number[][] = xs.map((img) => {
      const flat = img.flat(); // 12 positions of 5 channels
      const s = flat.map((v) => v.reduce((a, vc, c) => a + vc * w[c], 0.7));
      const top = Math.max(...s);
      const e = s.map((v) => Math.exp(v - top));
      const z = e.reduce((a, b) => a + b, 0);
      return Array.from({ length: 5 }, (_, c) => flat.reduce((a, v, p) => a + (e[p] / z) * v[c], 0));
    });
    const y = layer.apply(x) as tf.Tensor;
    expect(maxAbsDiff(y, tf.tensor2d(expected))).toBeLessThan(1e-5);
    const map = layer.attentionMap(x);
    expect(map.shape).toEqual([2, 3, 4, 1]);
    for (const total of map.sum([1, 2, 3]).dataSync()) expect(total).toBeCloseTo(1, 5);
    tf.dispose([x, y, map]);
  });

  it('is global average pooling when the scores are equal, and picks one position when one score dominates', () => {
    const x = tf.randomUniform([1, 4, 4, 3]) as tf.Tensor4D;
    const flat = new AttentionPooling({ kernelStddev: 0 });
    const y = flat.apply(x) as tf.Tensor;
    expect(maxAbsDiff(y, tf.mean(x, [1, 2]))).toBeLessThan(1e-6);
    // Channel 0 is 0 everywhere but 1 at (2, 1); a weight of 50 on channel 0 puts all the attention there.
    const b = tf.buffer([1, 4, 4, 3]);
    b.set(1, 0, 2, 1, 0);
    b.set(0.25, 0, 2, 1, 2);
    b.set(0.75, 0, 3, 3, 2);
    const spike = b.toTensor() as tf.Tensor4D;
    const sharp = new AttentionPooling();
    sharp.build(spike.shape);
    sharp.setWeights([tf.tensor2d([50, 0, 0], [3, 1]), tf.tensor1d([0])]);
    expect(Array.from((sharp.apply(spike) as tf.Tensor).dataSync()).map((v) => Number(v.toFixed(5)))).toEqual([1, 0, 0.25]);
    tf.dispose([x, y, spike]);
  });

  it('survives a serialization round trip', async () => {
    const x = tf.randomNormal([2, 5, 5, 3]);
    await expectRoundTrip(new AttentionPooling({ kernelStddev: 0.5 }), [5, 5, 3], x);
    x.dispose();
  });

  it('rejects bad arguments with one-line messages', () => {
    expect(() => attentionPooling({ kernelStddev: -1 })).toThrow('AttentionPooling: kernelStddev must be a number in [0, 100], got -1');
    expect(() => attentionPooling().apply(tf.input({ shape: [8] }))).toThrow('AttentionPooling: input must have rank 4 [N, H, W, C], got [null,8]');
    const layer = attentionPooling();
    layer.build([null, 4, 4, 3]);
    expect(() => layer.attentionMap(tf.zeros([1, 4, 4, 2]) as tf.Tensor4D)).toThrow(
      'AttentionPooling.attentionMap: x must have 3 channels, as the layer was built for, got [1, 4, 4, 2]',
    );
  });
});
