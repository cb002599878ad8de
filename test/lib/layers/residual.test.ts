import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { bottleneckBlock, residualBlock } from '../../../lib/layers/residual';

const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
const bn = (c: number) => 4 * c; // gamma, beta, moving mean, moving variance

describe('residualBlock', () => {
  it('uses the identity when shapes match and a projection when they do not', () => {
    const x = tf.input({ shape: [8, 8, 16] });
    const same = tf.model({ inputs: x, outputs: residualBlock(x, { filters: 16, name: 'a' }) });
    expect(same.countParams()).toBe(conv(3, 16, 16) * 2 + bn(16) * 2);
    expect(same.layers.map((l) => l.name)).not.toContain('a_0_conv');
    const y = residualBlock(x, { filters: 32, strides: 2, name: 'b' });
    expect(y.shape).toEqual([null, 4, 4, 32]);
    const down = tf.model({ inputs: x, outputs: y });
    expect(down.countParams()).toBe(conv(3, 16, 32) + conv(3, 32, 32) + 2 * bn(32) + conv(1, 16, 32) + bn(32));
    same.dispose();
    down.dispose();
  });

  it('adds the input back: with the second batch norm zeroed, the block is relu(x)', () => {
    const x = tf.input({ shape: [5, 5, 4] });
    const model = tf.model({ inputs: x, outputs: residualBlock(x, { filters: 4, name: 'r' }) });
    const bn2 = model.getLayer('r_2_bn');
    bn2.setWeights(bn2.getWeights().map((w, i) => (i === 0 ? tf.zerosLike(w) : w))); // gamma = 0, beta = 0
    const input = tf.randomNormal([2, 5, 5, 4]);
    const out = model.predict(input) as tf.Tensor;
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(out, tf.relu(input)))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-6);
    tf.dispose([input, out]);
    model.dispose();
  });

  it('rejects bad arguments with one-line messages', () => {
    const x = tf.input({ shape: [8, 8, 16] });
    expect(() => residualBlock(x, { filters: -2 })).toThrow('residualBlock: filters must be a positive integer, got -2');
    expect(() => residualBlock(tf.input({ shape: [8] }), { filters: 2 })).toThrow(
      'residualBlock: x must have rank 4 [N, H, W, C] with known C, got [null,8]',
    );
  });
});

describe('bottleneckBlock', () => {
  it("has Keras ResNet50's conv2_block1 parameter count (projection) and conv2_block2's (identity)", () => {
    const x = tf.input({ shape: [56, 56, 64] });
    const b1 = bottleneckBlock(x, { filters: 64, name: 'conv2_block1' });
    expect(b1.shape).toEqual([null, 56, 56, 256]);
    const b2 = bottleneckBlock(b1, { filters: 64, name: 'conv2_block2' });
    const m1 = tf.model({ inputs: x, outputs: b1 });
    const first = conv(1, 64, 256) + bn(256) + conv(1, 64, 64) + bn(64) + conv(3, 64, 64) + bn(64) + conv(1, 64, 256) + bn(256);
    expect(m1.countParams()).toBe(first);
    const m2 = tf.model({ inputs: x, outputs: b2 });
    const second = conv(1, 256, 64) + bn(64) + conv(3, 64, 64) + bn(64) + conv(1, 64, 256) + bn(256);
    expect(m2.countParams() - first).toBe(second);
    expect(m1.getLayer('conv2_block1_1_bn').getConfig().epsilon).toBe(1.001e-5);
    m2.dispose(); // m2 holds every layer of m1
  });

  it('strides the first 1x1 convolution and the shortcut', () => {
    const x = tf.input({ shape: [56, 56, 256] });
    const y = bottleneckBlock(x, { filters: 128, strides: 2, name: 'conv3_block1' });
    expect(y.shape).toEqual([null, 28, 28, 512]);
  });

  it('rejects an identity shortcut that cannot match the shapes', () => {
    const x = tf.input({ shape: [8, 8, 64] });
    expect(() => bottleneckBlock(x, { filters: 64, convShortcut: false })).toThrow(
      'bottleneckBlock: convShortcut must be true when strides > 1 or the input has 64 != 4 * filters channels, got false',
    );
    expect(() => bottleneckBlock(x, { filters: 16, kernelSize: 0 })).toThrow('bottleneckBlock: kernelSize must be a positive integer, got 0');
  });
});
