import { describe, expect, it } from 'vitest';
import type { LayerSpec } from '../../../lib/ops/layer-spec';
import { receptiveField } from '../../../lib/ops/receptive-field';
import { intIn, seededRandom } from './helpers';

describe('receptiveField', () => {
  it('three 3x3 stride-1 convs see 7 pixels; two see 5 (one 5x5)', () => {
    const rows = receptiveField([{ kernelSize: 3 }, { kernelSize: 3 }, { kernelSize: 3 }]);
    expect(rows.map((r) => r.size)).toEqual([3, 5, 7]);
    expect(rows.map((r) => r.jump)).toEqual([1, 1, 1]);
  });

  it('works the Q1 CNN by hand: conv3, pool2, conv3, pool2', () => {
    const q1: LayerSpec[] = [
      { type: 'conv2d', filters: 32, kernelSize: 3 },
      { type: 'activation' },
      { type: 'maxPooling2d', poolSize: 2 },
      { type: 'conv2d', filters: 64, kernelSize: 3 },
      { type: 'maxPooling2d', poolSize: 2 },
    ];
    // 3; relu keeps 3; pool: 3 + 1*1 = 4, jump 2; conv: 4 + 2*2 = 8; pool: 8 + 1*2 = 10, jump 4
    expect(receptiveField(q1).map((r) => [r.size, r.jump])).toEqual([[3, 1], [3, 1], [4, 2], [8, 2], [10, 4]]);
  });

  it('uses the dilated extent and follows the closed form 1 + sum (k_l - 1) prod s_i', () => {
    expect(receptiveField([{ kernelSize: 3, dilationRate: 2 }]).at(-1)!.size).toBe(5);
    // WaveNet-style dilations 1, 2, 4, 8 of a 2-tap kernel: 1 + 1 + 2 + 4 + 8 = 16
    expect(receptiveField([1, 2, 4, 8].map((d) => ({ kernelSize: 2, dilationRate: d }))).at(-1)!.size).toBe(16);
    const rand = seededRandom(81);
    for (let t = 0; t < 20; t++) {
      const layers = Array.from({ length: intIn(rand, 1, 6) }, () => ({ kernelSize: intIn(rand, 1, 7), strides: intIn(rand, 1, 3), dilationRate: intIn(rand, 1, 3) }));
      let expected = 1;
      let prod = 1;
      for (const l of layers) {
        expected += (l.kernelSize - 1) * l.dilationRate * prod;
        prod *= l.strides;
      }
      expect(receptiveField(layers).at(-1)!.size).toBe(expected);
      expect(receptiveField(layers).at(-1)!.jump).toBe(prod);
    }
  });

  it('reads each axis of non-square windows', () => {
    const layers = [{ kernelSize: [1, 7] as [number, number] }, { kernelSize: [7, 1] as [number, number] }];
    expect(receptiveField(layers).at(-1)!.size).toBe(7);
    expect(receptiveField([{ kernelSize: [3, 5] as [number, number], strides: [1, 2] as [number, number] }, { kernelSize: 3 }], { axis: 'width' }).at(-1)!.size).toBe(5 + 2 * 2);
  });

  it('rejects layers without a finite window and bad sizes', () => {
    expect(() => receptiveField([{ type: 'flatten' }])).toThrow(/^receptiveField: layers\[0\]\.type must be a convolution, pooling or elementwise layer .*, got "flatten"$/);
    expect(() => receptiveField([{ kernelSize: 0 }])).toThrow('receptiveField: layers[0].kernelSize must be a positive integer, got 0');
    expect(() => receptiveField([{ kernelSize: 3, strides: 1.5 }])).toThrow('receptiveField: layers[0].strides must be a positive integer, got 1.5');
  });
});
