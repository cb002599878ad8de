import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convArgsConfig, convLayerOutputShape, resolveConvArgs } from '../../../lib/layers/conv-args';

describe('resolveConvArgs', () => {
  it("fills Keras's defaults and expands pairs", () => {
    const c = resolveConvArgs('L', { filters: 8, kernelSize: 3 }, 'filters');
    expect(c).toEqual({ filters: 8, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', dilationRate: [1, 1], useBias: true, kernelInitializer: 'glorotUniform' });
    expect(convArgsConfig(c)).toEqual(c);
  });
  it('rejects bad arguments in one line naming the layer', () => {
    expect(() => resolveConvArgs('L', undefined as never, 'filters and kernelSize')).toThrow('L: args must give filters and kernelSize, got undefined');
    expect(() => resolveConvArgs('L', { filters: 0, kernelSize: 3 }, '')).toThrow('L: filters must be a positive integer, got 0');
    expect(() => resolveConvArgs('L', { filters: 2, kernelSize: [3, 3, 3] as never }, '')).toThrow('L: kernelSize must be a positive integer or [height, width], got [3, 3, 3]');
    expect(() => resolveConvArgs('L', { filters: 2, kernelSize: 3, padding: 'full' as never }, '')).toThrow("L: padding must be one of 'valid', 'same'");
    expect(() => resolveConvArgs('L', { filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }, '')).toThrow('L: strides must be 1 when dilationRate > 1, got 2');
    expect(() => resolveConvArgs('L', { filters: 2, kernelSize: 3, kernelInitializer: 'random' as never }, '')).toThrow('L: kernelInitializer must be one of');
  });
});

describe('convLayerOutputShape', () => {
  it("agrees with tf.layers.conv2d's own output shape", () => {
    for (const [size, k, s, d, padding] of [
      [28, 3, 1, 1, 'valid'], [28, 3, 2, 1, 'valid'], [28, 3, 2, 1, 'same'], [9, 4, 3, 1, 'same'], [17, 3, 1, 3, 'valid'], [10, 5, 1, 2, 'same'], [7, 7, 1, 1, 'valid'],
    ] as const) {
      const conv = tf.layers.conv2d({ filters: 4, kernelSize: k, strides: s, dilationRate: d, padding });
      const expected = conv.computeOutputShape([null, size, size + 1, 3]);
      const c = resolveConvArgs('L', { filters: 4, kernelSize: k, strides: s, dilationRate: d, padding }, '');
      expect(convLayerOutputShape('L', [null, size, size + 1, 3], c), `${size} k${k} s${s} d${d} ${padding}`).toEqual(expected);
    }
  });
  it('keeps unknown sizes unknown', () => {
    const c = resolveConvArgs('L', { filters: 4, kernelSize: 3, strides: 2 }, '');
    expect(convLayerOutputShape('L', [null, null, 9, 1], c)).toEqual([null, null, 4, 4]);
  });
});
