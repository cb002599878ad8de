import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SqueezeExcitation, squeezeExcitation } from '../../../lib/layers/squeeze-excitation';
import { expectRoundTrip, maxAbsDiff } from './helpers';

/** The seed's Keras SE block (GAP -> Dense relu -> Dense sigmoid -> Reshape -> Multiply) in tfjs layers. */
function seedSeBlock(x: tf.Tensor4D, w: tf.Tensor[]): tf.Tensor {
  const [w1, w2, b1, b2] = w;
  const c = x.shape[3] as number;
  const input = tf.input({ shape: x.shape.slice(1) });
  const gap = tf.layers.globalAveragePooling2d({}).apply(input);
  const fc1 = tf.layers.dense({ units: w1.shape[1] as number, activation: 'relu', weights: [w1, b1] }).apply(gap);
  const fc2 = tf.layers.dense({ units: c, activation: 'sigmoid', weights: [w2, b2] }).apply(fc1);
  const scale = tf.layers.reshape({ targetShape: [1, 1, c] }).apply(fc2) as tf.SymbolicTensor;
  const out = tf.layers.multiply().apply([input, scale]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  const y = model.predict(x) as tf.Tensor;
  model.dispose();
  return y;
}

describe('SqueezeExcitation', () => {
  it('has 2 C (C/r) + C/r + C parameters and keeps the shape', () => {
    for (const [c, r] of [[32, 8], [64, 16], [6, 4]]) {
      const layer = squeezeExcitation({ ratio: r });
      const y = layer.apply(tf.input({ shape: [5, 5, c] })) as tf.SymbolicTensor;
      const h = Math.floor(c / r);
      expect(layer.countParams()).toBe(2 * c * h + h + c);
      expect(y.shape).toEqual([null, 5, 5, c]);
    }
    const noBias = squeezeExcitation({ ratio: 4, useBias: false });
    noBias.apply(tf.input({ shape: [3, 3, 16] }));
    expect(noBias.countParams()).toBe(2 * 16 * 4);
  });

  it("equals the seed's Keras block built from tfjs layers with the same weights", () => {
    const x = tf.randomNormal([3, 6, 5, 24]) as tf.Tensor4D;
    const layer = new SqueezeExcitation({ ratio: 4 });
    const y = layer.apply(x) as tf.Tensor;
    // Non-zero biases so that they are exercised too.
    layer.setWeights(layer.getWeights().map((w) => tf.randomNormal(w.shape)));
    const y2 = layer.apply(x) as tf.Tensor;
    const ref = seedSeBlock(x, layer.getWeights());
    expect(maxAbsDiff(y2, ref)).toBeLessThan(1e-5);
    tf.dispose([x, y, y2, ref]);
  });

  it('exposes the channel weights, in (0, 1), and leaves no tensors behind', () => {
    const x = tf.randomNormal([2, 4, 4, 16]) as tf.Tensor4D;
    const layer = new SqueezeExcitation({ ratio: 4 });
    const before = tf.memory().numTensors;
    const e = layer.excitation(x); // builds the layer: 4 weights
    expect(e.shape).toEqual([2, 16]);
    const v = e.dataSync();
    expect(Math.min(...v)).toBeGreaterThan(0);
    expect(Math.max(...v)).toBeLessThan(1);
    e.dispose();
    expect(tf.memory().numTensors).toBe(before + 4);
    x.dispose();
  });

  it('survives a serialization round trip', async () => {
    const x = tf.randomNormal([2, 4, 4, 16]);
    await expectRoundTrip(new SqueezeExcitation({ ratio: 2, useBias: false, kernelInitializer: 'heNormal' }), [4, 4, 16], x);
    x.dispose();
  });

  it('rejects bad arguments with one-line messages', () => {
    expect(() => squeezeExcitation({ ratio: 0 })).toThrow('SqueezeExcitation: ratio must be a positive integer, got 0');
    expect(() => squeezeExcitation({ kernelInitializer: 'magic' as never })).toThrow(
      "SqueezeExcitation: kernelInitializer must be one of 'glorotUniform', 'glorotNormal', 'heNormal', 'heUniform', 'leCunNormal', 'zeros', 'ones', got \"magic\"",
    );
    expect(() => squeezeExcitation({ ratio: 16 }).apply(tf.input({ shape: [4, 4, 8] }))).toThrow(
      'SqueezeExcitation: ratio must be at most the channel count (8), got 16',
    );
    expect(() => squeezeExcitation().apply(tf.input({ shape: [4, 8] }))).toThrow(
      'SqueezeExcitation: input must have rank 4 [N, H, W, C], got [null,4,8]',
    );
  });
});
