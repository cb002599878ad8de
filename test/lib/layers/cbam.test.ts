import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Cbam, cbam } from '../../../lib/layers/cbam';
import { expectRoundTrip, maxAbsDiff } from './helpers';

/** CBAM written out with tfjs ops from the paper's equations, given the layer's weights. */
function reference(x: tf.Tensor4D, w: tf.Tensor[], pooling: 'avg' | 'avgmax'): tf.Tensor {
  // The block's weights are its halves': SqueezeExcitation's [w1, w2, b1, b2], then SpatialAttention's [kernel, bias].
  const [w1, w2, b1, b2, kernel, bias] = w;
  return tf.tidy(() => {
    const mlp = (z: tf.Tensor) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(z as tf.Tensor2D, w1 as tf.Tensor2D), b1)), w2 as tf.Tensor2D), b2);
    let logits = mlp(tf.mean(x, [1, 2]));
    if (pooling === 'avgmax') logits = tf.add(logits, mlp(tf.max(x, [1, 2])));
    const mc = tf.sigmoid(logits).reshape([x.shape[0], 1, 1, x.shape[3]]);
    const xc = tf.mul(x, mc) as tf.Tensor4D;
    const pooled = tf.concat([tf.mean(xc, 3, true), tf.max(xc, 3, true)], 3) as tf.Tensor4D;
    const ms = tf.sigmoid(tf.add(tf.conv2d(pooled, kernel as tf.Tensor4D, 1, 'same'), bias));
    return tf.mul(xc, ms);
  });
}

describe('Cbam', () => {
  it('has SE + spatial-attention parameters, the same for both poolings', () => {
    for (const channelPooling of ['avg', 'avgmax'] as const) {
      const layer = cbam({ ratio: 8, channelPooling });
      layer.apply(tf.input({ shape: [6, 6, 64] }));
      expect(layer.countParams()).toBe(2 * 64 * 8 + 8 + 64 + (2 * 49 + 1));
    }
  });

  it('equals the paper equations computed with tfjs ops, for both poolings', () => {
    const x = tf.randomNormal([2, 7, 9, 16]) as tf.Tensor4D;
    for (const channelPooling of ['avg', 'avgmax'] as const) {
      const layer = new Cbam({ ratio: 4, channelPooling });
      layer.build(x.shape);
      layer.setWeights(layer.getWeights().map((w) => tf.randomNormal(w.shape, 0, 0.5)));
      const y = layer.apply(x) as tf.Tensor;
      const ref = reference(x, layer.getWeights(), channelPooling);
      expect(maxAbsDiff(y, ref)).toBeLessThan(1e-5);
      const mc = layer.channelAttention(x);
      const ms = layer.spatialAttention(x);
      expect(mc.shape).toEqual([2, 16]);
      expect(ms.shape).toEqual([2, 7, 9, 1]);
      tf.dispose([y, ref, mc, ms]);
    }
    x.dispose();
  });

  it('owns each weight of its two halves once, and freezes them all with trainable = false', () => {
    const layer = new Cbam({ ratio: 4, kernelSize: 3 });
    layer.build([null, 5, 5, 16]);
    const names = layer.weights.map((w) => w.name);
    expect(new Set(names).size).toBe(6);
    expect(layer.weights.map((w) => w.shape)).toEqual([[16, 4], [4, 16], [4], [16], [3, 3, 2, 1], [1]]);
    expect(layer.countParams()).toBe(layer.channel.countParams() + layer.spatial.countParams());
    layer.trainable = false;
    expect(layer.trainableWeights).toEqual([]);
    expect(layer.nonTrainableWeights.length).toBe(6);
  });

  it('names itself in errors its halves raise', () => {
    expect(() => cbam({ ratio: 32 }).apply(tf.input({ shape: [4, 4, 16] }))).toThrow(/^Cbam: ratio/);
    expect(() => cbam().apply(tf.input({ shape: [4, 16] }))).toThrow(/^Cbam: input must have rank 4/);
  });

  it('leaves no tensors behind', () => {
    const x = tf.randomNormal([1, 5, 5, 8]) as tf.Tensor4D;
    const layer = new Cbam({ ratio: 2 });
    (layer.apply(x) as tf.Tensor).dispose();
    const before = tf.memory().numTensors;
    (layer.apply(x) as tf.Tensor).dispose();
    layer.channelAttention(x).dispose();
    layer.spatialAttention(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('survives a serialization round trip', async () => {
    const x = tf.randomNormal([2, 5, 5, 8]);
    await expectRoundTrip(new Cbam({ ratio: 2, kernelSize: 3, channelPooling: 'avg' }), [5, 5, 8], x);
    x.dispose();
  });

  it('rejects bad arguments with one-line messages', () => {
    expect(() => cbam({ channelPooling: 'max' as never })).toThrow("Cbam: channelPooling must be one of 'avg', 'avgmax', got \"max\"");
    expect(() => cbam({ kernelSize: 0 })).toThrow('Cbam: kernelSize must be a positive integer, got 0');
    expect(() => cbam({ ratio: 32 }).apply(tf.input({ shape: [4, 4, 16] }))).toThrow('Cbam: ratio must be at most the channel count (16), got 32');
  });
});
