import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { layerShapes, type LayerSpec } from '../../../lib/ops/layer-spec';
import { activationMemory, conv2dParamCount, denseParamCount, flopCount, layerStats, paramCount } from '../../../lib/ops/layer-stats';

// The seed's Question 1 / Question 10 CNN.
const Q1: LayerSpec[] = [
  { type: 'conv2d', filters: 32, kernelSize: 3 },
  { type: 'maxPooling2d', poolSize: 2 },
  { type: 'conv2d', filters: 64, kernelSize: 3 },
  { type: 'maxPooling2d', poolSize: 2 },
  { type: 'flatten' },
  { type: 'dense', units: 64 },
  { type: 'dense', units: 10 },
];

/** The same stack as tf.layers, for an independent count. */
function toTfModel(inputShape: number[], layers: LayerSpec[]): tf.Sequential {
  const model = tf.sequential();
  layers.forEach((l, i) => {
    const first = i === 0 ? { inputShape } : {};
    switch (l.type) {
      case 'conv2d':
        model.add(tf.layers.conv2d({ ...first, filters: l.filters, kernelSize: l.kernelSize as number, strides: l.strides as number, padding: l.padding as 'valid', useBias: l.useBias }));
        break;
      case 'depthwiseConv2d':
        model.add(tf.layers.depthwiseConv2d({ ...first, kernelSize: l.kernelSize as number, depthMultiplier: l.depthMultiplier, strides: l.strides as number, padding: l.padding as 'valid' }));
        break;
      case 'maxPooling2d':
        model.add(tf.layers.maxPooling2d({ ...first, poolSize: l.poolSize as number, strides: l.strides as number, padding: l.padding as 'valid' }));
        break;
      case 'averagePooling2d':
        model.add(tf.layers.averagePooling2d({ ...first, poolSize: l.poolSize as number, strides: l.strides as number, padding: l.padding as 'valid' }));
        break;
      case 'globalAveragePooling2d':
        model.add(tf.layers.globalAveragePooling2d({ ...first }));
        break;
      case 'flatten':
        model.add(tf.layers.flatten({ ...first }));
        break;
      case 'dense':
        model.add(tf.layers.dense({ ...first, units: l.units }));
        break;
      case 'batchNormalization':
        model.add(tf.layers.batchNormalization({ ...first }));
        break;
      default:
        model.add(tf.layers.activation({ ...first, activation: 'relu' }));
    }
  });
  return model;
}

describe('layerShapes and layerStats', () => {
  it('give the Q1 CNN the shapes and counts worked out by hand', () => {
    const rows = layerStats([28, 28, 1], Q1);
    expect(rows.map((r) => r.outputShape)).toEqual([[26, 26, 32], [13, 13, 32], [11, 11, 64], [5, 5, 64], [1600], [64], [10]]);
    expect(rows.map((r) => r.params)).toEqual([320, 0, 18496, 0, 0, 102464, 650]);
    // MACs: 26*26*32*9, 11*11*64*9*32, 1600*64, 64*10
    expect(rows.map((r) => r.macs)).toEqual([194688, 0, 2230272, 0, 0, 102400, 640]);
    expect(paramCount([28, 28, 1], Q1)).toBe(121930);
    expect(flopCount([28, 28, 1], Q1)).toEqual({ macs: 2528000, flops: 5056000 });
  });

  it('agree with tf.layers on output shapes and parameter counts of mixed stacks', () => {
    const stacks: [number[], LayerSpec[]][] = [
      [[28, 28, 1], Q1],
      [
        [32, 32, 3],
        [
          { type: 'conv2d', filters: 16, kernelSize: 3, strides: 2, padding: 'same' },
          { type: 'batchNormalization' },
          { type: 'activation' },
          { type: 'depthwiseConv2d', kernelSize: 3, depthMultiplier: 2, padding: 'same' },
          { type: 'conv2d', filters: 8, kernelSize: 1, useBias: false },
          { type: 'averagePooling2d', poolSize: 3, strides: 2 },
          { type: 'globalAveragePooling2d' },
          { type: 'dense', units: 5 },
        ],
      ],
      [[9, 7, 2], [{ type: 'maxPooling2d', poolSize: 2, padding: 'same' }, { type: 'conv2d', filters: 3, kernelSize: 2 }, { type: 'dense', units: 4 }]],
    ];
    for (const [input, layers] of stacks) {
      const model = toTfModel(input, layers);
      const rows = layerStats(input, layers);
      rows.forEach((r, i) => {
        expect(r.outputShape).toEqual((model.layers[i].outputShape as number[]).slice(1));
        expect(r.params).toBe(model.layers[i].countParams());
      });
      expect(paramCount(input, layers)).toBe(model.countParams());
      model.dispose();
    }
  });

  it('counts batch norm as 4C parameters of which 2C are trainable', () => {
    const [row] = layerStats([4, 4, 6], [{ type: 'batchNormalization' }]);
    expect([row.params, row.trainableParams]).toEqual([24, 12]);
  });

  it('computes activation memory as the sum of output sizes times batch and bytes', () => {
    const perExample = 26 * 26 * 32 + 13 * 13 * 32 + 11 * 11 * 64 + 5 * 5 * 64 + 1600 + 64 + 10;
    expect(activationMemory([28, 28, 1], Q1)).toEqual({ elements: perExample, bytes: perExample * 4 });
    expect(activationMemory([28, 28, 1], Q1, { batchSize: 32, includeInput: true, bytesPerElement: 2 })).toEqual({
      elements: (perExample + 784) * 32,
      bytes: (perExample + 784) * 32 * 2,
    });
  });

  it('single-layer formulas: (k*k*Cin/groups + 1) * Cout and (n + 1) * units', () => {
    expect(conv2dParamCount(3, 1, 32)).toBe(320);
    expect(conv2dParamCount(3, 32, 64)).toBe(18496);
    expect(conv2dParamCount(3, 64, 128)).toBe(73856);
    expect(conv2dParamCount([3, 5], 4, 6, { groups: 2, useBias: false })).toBe(3 * 5 * 2 * 6);
    expect(denseParamCount(1600, 64)).toBe(102464);
    expect(denseParamCount(10, 3, { useBias: false })).toBe(30);
  });

  it('reject bad stacks with one-line messages', () => {
    expect(() => layerShapes([28, 28], Q1)).toThrow('layerShapes: layers[0] (conv2d) must receive an image input [H, W, C], got [28, 28]');
    expect(() => layerShapes([28, 28, 1], [{ type: 'flatten' }, { type: 'conv2d', filters: 2, kernelSize: 3 }])).toThrow(
      'layerShapes: layers[1] (conv2d) must receive an image input [H, W, C], got [784]',
    );
    expect(() => layerShapes([4, 4, 1], [{ type: 'conv2d', filters: 2, kernelSize: 5 }])).toThrow(
      'layerShapes: layers[0].kernelSize must be no larger than the padded input [4, 4], got [5, 5]',
    );
    expect(() => layerShapes([4, 4, 1], [{ type: 'conv2d', filters: 0, kernelSize: 3 }])).toThrow('layerShapes: layers[0].filters must be a positive integer, got 0');
    expect(() => layerShapes([4, 4, 1], [{ type: 'conv3d' } as never])).toThrow(/^layerShapes: layers\[0\]\.type must be one of conv2d, .*, got "conv3d"$/);
    expect(() => paramCount([0, 4, 1], [])).toThrow('paramCount: inputShape must be a non-empty list of positive integers, e.g. [28, 28, 1], got [0, 4, 1]');
    expect(() => conv2dParamCount(3, 6, 4, { groups: 4 })).toThrow('conv2dParamCount: opts.groups must divide inChannels 6 and filters 4, got 4');
  });
});
