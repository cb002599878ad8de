import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { inceptionModule } from '../../../lib/layers/inception';
import { inceptionBranchParams } from '../../../lib/models/inception-branch-params';

const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
const F3A = { filters1x1: 64, filters3x3Reduce: 96, filters3x3: 128, filters5x5Reduce: 16, filters5x5: 32, filtersPoolProj: 32 };

describe('inceptionBranchParams', () => {
  it('sums parameters per module and branch', () => {
    const x = tf.input({ shape: [8, 8, 16] });
    const y = inceptionModule(inceptionModule(x, { ...F3A, name: 'a' }), { ...F3A, reduce: false, name: 'b' });
    const model = tf.model({ inputs: x, outputs: y });
    const rows = inceptionBranchParams(model);
    expect(rows.map((r) => `${r.module}/${r.branch}`)).toEqual(['a/1x1', 'a/3x3', 'a/5x5', 'a/pool', 'b/1x1', 'b/3x3', 'b/5x5', 'b/pool']);
    expect(rows[1].params).toBe(conv(1, 16, 96) + conv(3, 96, 128));
    expect(rows[6].params).toBe(conv(5, 256, 32));
    expect(rows.reduce((s, r) => s + r.params, 0)).toBe(model.countParams());
    model.dispose();
    const plain = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    expect(() => inceptionBranchParams(plain)).toThrow('inceptionBranchParams: model must contain an Inception module (layers named <module>_1x1, ...), got');
  });

  it('rejects what is not a model with the shared model check', () => {
    expect(() => inceptionBranchParams({} as never)).toThrow('inceptionBranchParams: model must be a tf.LayersModel (tf.sequential or tf.model), got');
  });
});
