import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GroupedConv2D, groupedConv2d } from '../../../lib/layers/grouped';
import { expectRoundTrip, maxAbsDiff } from './helpers';

/** A grouped kernel [kh, kw, cin/g, cout] as the equivalent dense kernel [kh, kw, cin, cout] with zero blocks. */
function blockDiagonal(kernel: tf.Tensor4D, groups: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, cg, cout] = kernel.shape;
    const og = cout / groups;
    const columns = tf.split(kernel, groups, 3).map((kq, q) =>
      tf.concat([tf.zeros([kh, kw, q * cg, og]), kq, tf.zeros([kh, kw, (groups - 1 - q) * cg, og])], 2),
    );
    return tf.concat(columns, 3) as tf.Tensor4D;
  });
}

describe('GroupedConv2D', () => {
  it('has kh kw (C_in / g) C_out + C_out parameters: g times fewer weights', () => {
    for (const [k, cin, cout, g] of [[3, 32, 64, 4], [3, 32, 64, 1], [5, 12, 6, 3], [3, 8, 8, 8]]) {
      const layer = groupedConv2d({ filters: cout, kernelSize: k, groups: g, padding: 'same' });
      layer.apply(tf.input({ shape: [7, 7, cin] }));
      expect(layer.countParams()).toBe(k * k * (cin / g) * cout + cout);
    }
  });

  it('equals a standard convolution with a block-diagonal kernel, and plain conv2d for one group', () => {
    const cases: [number[], number, number, number, 'valid' | 'same', number][] = [
      [[2, 8, 8, 8], 4, 3, 1, 'same', 12],
      [[1, 9, 7, 6], 3, 3, 2, 'valid', 6],
      [[2, 6, 6, 4], 1, 3, 1, 'same', 5],
      [[1, 5, 5, 4], 4, 3, 1, 'valid', 4],
    ];
    for (const [shape, g, k, s, padding, filters] of cases) {
      const x = tf.randomNormal(shape as [number, number, number, number]) as tf.Tensor4D;
      const layer = new GroupedConv2D({ filters, kernelSize: k, groups: g, strides: s, padding });
      layer.build(x.shape);
      layer.setWeights(layer.getWeights().map((w) => tf.randomNormal(w.shape)));
      const y = layer.apply(x) as tf.Tensor;
      const [kernel, bias] = layer.getWeights();
      const dense = blockDiagonal(kernel as tf.Tensor4D, g);
      const ref = tf.tidy(() => tf.add(tf.conv2d(x, dense, s, padding), bias));
      expect(maxAbsDiff(y, ref)).toBeLessThan(1e-4);
      expect(layer.computeOutputShape([null, ...shape.slice(1)])).toEqual([null, ...ref.shape.slice(1)]);
      tf.dispose([x, y, ref, dense]);
    }
  });

  it('survives a serialization round trip', async () => {
    const x = tf.randomNormal([2, 6, 6, 4]);
    await expectRoundTrip(new GroupedConv2D({ filters: 6, kernelSize: 3, groups: 2, padding: 'same', dilationRate: 2 }), [6, 6, 4], x);
    x.dispose();
  });

  it('rejects bad arguments with one-line messages', () => {
    expect(() => groupedConv2d({ filters: 10, kernelSize: 3, groups: 4 })).toThrow('GroupedConv2D: groups must divide filters (10), got 4');
    expect(() => groupedConv2d({ filters: 8, kernelSize: 3, groups: 4 }).apply(tf.input({ shape: [5, 5, 6] }))).toThrow(
      'GroupedConv2D: groups must divide the input channel count (6), got 4',
    );
    expect(() => groupedConv2d({ filters: 8, kernelSize: 3, groups: 0 })).toThrow('GroupedConv2D: groups must be a positive integer, got 0');
  });
});
