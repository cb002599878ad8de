import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DepthwiseSeparableConv2D, depthwiseSeparableConv2d } from '../../../lib/layers/separable';
import { expectRoundTrip, maxAbsDiff } from './helpers';

describe('DepthwiseSeparableConv2D', () => {
  it('has k^2 C_in m + C_in m C_out + C_out parameters', () => {
    for (const [k, cin, m, cout] of [[3, 32, 1, 64], [5, 8, 2, 16], [1, 3, 1, 4]]) {
      const layer = depthwiseSeparableConv2d({ filters: cout, kernelSize: k, depthMultiplier: m, padding: 'same' });
      layer.apply(tf.input({ shape: [9, 9, cin] }));
      expect(layer.countParams()).toBe(k * k * cin * m + cin * m * cout + cout);
    }
  });

  it('equals a depthwise conv followed by a 1x1 conv, on random shapes, strides and padding', () => {
    const cases: [number[], number, number, 'valid' | 'same', number, number][] = [
      [[2, 9, 9, 4], 3, 1, 'same', 1, 6],
      [[1, 11, 8, 3], 3, 2, 'valid', 2, 5],
      [[2, 7, 7, 2], 5, 1, 'same', 1, 3],
    ];
    for (const [shape, k, s, padding, m, filters] of cases) {
      const x = tf.randomNormal(shape as [number, number, number, number]) as tf.Tensor4D;
      const layer = new DepthwiseSeparableConv2D({ filters, kernelSize: k, strides: s, padding, depthMultiplier: m });
      layer.build(x.shape);
      layer.setWeights(layer.getWeights().map((w) => tf.randomNormal(w.shape)));
      const y = layer.apply(x) as tf.Tensor;
      const [dk, pk, b] = layer.getWeights();
      const ref = tf.tidy(() => tf.add(tf.conv2d(tf.depthwiseConv2d(x, dk as tf.Tensor4D, s, padding), pk as tf.Tensor4D, 1, 'valid'), b));
      expect(maxAbsDiff(y, ref)).toBeLessThan(1e-4);
      expect(layer.computeOutputShape([null, ...shape.slice(1)])).toEqual([null, ...ref.shape.slice(1)]);
      tf.dispose([x, y, ref]);
    }
  });

  it('computes dilated output shapes', () => {
    const layer = depthwiseSeparableConv2d({ filters: 4, kernelSize: 3, dilationRate: 2 });
    const y = layer.apply(tf.zeros([1, 10, 10, 2])) as tf.Tensor;
    expect(y.shape).toEqual([1, 6, 6, 4]);
    expect(layer.computeOutputShape([null, 10, 10, 2])).toEqual([null, 6, 6, 4]);
  });

  it('survives a serialization round trip', async () => {
    const x = tf.randomNormal([2, 6, 6, 3]);
    await expectRoundTrip(new DepthwiseSeparableConv2D({ filters: 4, kernelSize: [3, 1], depthMultiplier: 2, padding: 'same' }), [6, 6, 3], x);
    x.dispose();
  });

  it('rejects bad arguments with one-line messages', () => {
    expect(() => depthwiseSeparableConv2d({ filters: 0, kernelSize: 3 })).toThrow(
      'DepthwiseSeparableConv2D: filters must be a positive integer, got 0',
    );
    expect(() => depthwiseSeparableConv2d({ filters: 4, kernelSize: [3, 3, 3] as never })).toThrow(
      'DepthwiseSeparableConv2D: kernelSize must be a positive integer or [height, width], got [3, 3, 3]',
    );
    expect(() => depthwiseSeparableConv2d({ filters: 4, kernelSize: 3, padding: 'full' as never })).toThrow(
      "DepthwiseSeparableConv2D: padding must be one of 'valid', 'same', got \"full\"",
    );
    expect(() => depthwiseSeparableConv2d({ filters: 4, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(
      'DepthwiseSeparableConv2D: strides must be 1 when dilationRate > 1, got 2',
    );
  });
});
