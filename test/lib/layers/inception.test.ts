import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { inceptionBranchOf, inceptionModule } from '../../../lib/layers/inception';

const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
const F3A = { filters1x1: 64, filters3x3Reduce: 96, filters3x3: 128, filters5x5Reduce: 16, filters5x5: 32, filtersPoolProj: 32 };

describe('inceptionModule', () => {
  it('concatenates the four branches at the input resolution, with the parameters of its convolutions', () => {
    const cin = 192;
    const x = tf.input({ shape: [28, 28, cin] });
    const y = inceptionModule(x, { ...F3A, name: 'm' });
    expect(y.shape).toEqual([null, 28, 28, 64 + 128 + 32 + 32]);
    const model = tf.model({ inputs: x, outputs: y });
    const expected =
      conv(1, cin, 64) + conv(1, cin, 96) + conv(3, 96, 128) + conv(1, cin, 16) + conv(5, 16, 32) + conv(1, cin, 32);
    expect(model.countParams()).toBe(expected);
    expect(model.getLayer('m_pool').countParams()).toBe(0);
    expect(model.getLayer('m_5x5').countParams()).toBe(conv(5, 16, 32));
    model.dispose();
  });

  it('without reductions keeps the output shape and costs what the formula says', () => {
    const cin = 192;
    const x = tf.input({ shape: [14, 14, cin] });
    const y = inceptionModule(x, { ...F3A, reduce: false, name: 'naive' });
    expect(y.shape).toEqual([null, 14, 14, 256]);
    const model = tf.model({ inputs: x, outputs: y });
    expect(model.countParams()).toBe(conv(1, cin, 64) + conv(3, cin, 128) + conv(5, cin, 32) + conv(1, cin, 32));
    expect(model.layers.map((l) => l.name)).not.toContain('naive_3x3_reduce');
    model.dispose();
  });

  it('computes what its branches compute', () => {
    const x = tf.input({ shape: [6, 6, 3] });
    const args = { filters1x1: 2, filters3x3Reduce: 2, filters3x3: 3, filters5x5Reduce: 1, filters5x5: 2, filtersPoolProj: 1, name: 'tiny' };
    const model = tf.model({ inputs: x, outputs: inceptionModule(x, args) });
    const input = tf.randomNormal([2, 6, 6, 3]) as tf.Tensor4D;
    const y = model.predict(input) as tf.Tensor4D;
    const w = (name: string) => model.getLayer(name).getWeights() as [tf.Tensor4D, tf.Tensor1D];
    const c = (inp: tf.Tensor4D, name: string) => tf.relu(tf.add(tf.conv2d(inp, w(name)[0], 1, 'same'), w(name)[1])) as tf.Tensor4D;
    const ref = tf.tidy(() =>
      tf.concat(
        [
          c(input, 'tiny_1x1'),
          c(c(input, 'tiny_3x3_reduce'), 'tiny_3x3'),
          c(c(input, 'tiny_5x5_reduce'), 'tiny_5x5'),
          c(tf.maxPool(input, 3, 1, 'same'), 'tiny_pool_proj'),
        ],
        3,
      ),
    );
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(y, ref))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([input, y, ref]);
    model.dispose();
  });

  it('names the branch of each layer', () => {
    expect(inceptionBranchOf('inception3a_5x5_reduce')).toEqual({ module: 'inception3a', branch: '5x5' });
    expect(inceptionBranchOf('inception3a_pool_proj')).toEqual({ module: 'inception3a', branch: 'pool' });
    expect(inceptionBranchOf('inception3b_1x1')).toEqual({ module: 'inception3b', branch: '1x1' });
    expect(inceptionBranchOf('inception3b_concat')).toBeUndefined();
    expect(inceptionBranchOf('stem_conv')).toBeUndefined();
  });

  it('rejects bad arguments with one-line messages', () => {
    const x = tf.input({ shape: [8, 8, 4] });
    expect(() => inceptionModule(x, { ...F3A, filters5x5: 0 })).toThrow('inceptionModule: filters5x5 must be a positive integer, got 0');
    expect(() => inceptionModule(tf.input({ shape: [8, 4] }), F3A)).toThrow('inceptionModule: x must have rank 4 [N, H, W, C], got [null,8,4]');
    expect(() => inceptionModule(tf.zeros([1, 8, 8, 4]) as never, F3A)).toThrow('inceptionModule: x must be a SymbolicTensor (functional API)');
  });
});
