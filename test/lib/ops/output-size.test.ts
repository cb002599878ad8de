import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convOutputSize } from '../../../lib/ops/output-size';
import { intIn, seededRandom, pick } from './helpers';

describe('convOutputSize', () => {
  it('matches the formula floor((n - k + 2p) / s) + 1 on hand-worked cases', () => {
    expect(convOutputSize(28, 3, { strides: 2 })).toBe(13); // (28 - 3) / 2 = 12.5 -> 12, + 1
    expect(convOutputSize(6, 3)).toBe(4);
    expect(convOutputSize(6, 3, { padding: 1 })).toBe(6);
    expect(convOutputSize(6, 3, { strides: 2, padding: 1 })).toBe(3); // (6 - 3 + 2) / 2 = 2.5 -> 2, + 1
    expect(convOutputSize(224, 7, { strides: 2, padding: 3 })).toBe(112); // ResNet stem
    expect(convOutputSize(227, 11, { strides: 4 })).toBe(55); // AlexNet conv1
    expect(convOutputSize(28, 3, { strides: 4 })).toBe(7);
  });

  it("gives ceil(n / s) for 'same'", () => {
    for (const [n, s] of [[28, 1], [28, 2], [7, 2], [5, 3], [32, 2]]) {
      expect(convOutputSize(n, 3, { strides: s, padding: 'same' })).toBe(Math.ceil(n / s));
    }
  });

  it('uses the dilated extent (k - 1) * d + 1', () => {
    expect(convOutputSize(10, 3, { dilations: 2 })).toBe(6); // extent 5
    expect(convOutputSize(10, 3, { dilations: 4 })).toBe(2); // extent 9
    expect(convOutputSize(10, 3, { padding: [2, 0] })).toBe(10);
  });

  it('agrees with the output shape of tf.conv2d on random geometries', () => {
    const rand = seededRandom(11);
    for (let t = 0; t < 40; t++) {
      const n = intIn(rand, 3, 12);
      const k = intIn(rand, 1, Math.min(n, 5));
      const s = intIn(rand, 1, 3);
      const pad = pick(rand, ['valid', 'same', 0, 1, 2] as const);
      const expected = tf.tidy(() => tf.conv2d(tf.zeros([1, n, n, 1]) as tf.Tensor4D, tf.zeros([k, k, 1, 1]) as tf.Tensor4D, s, pad).shape[1]);
      expect(convOutputSize(n, k, { strides: s, padding: pad }), `n=${n} k=${k} s=${s} pad=${pad}`).toBe(expected);
    }
  });

  it('rejects non-positive or fractional sizes and windows that do not fit, in one line', () => {
    expect(() => convOutputSize(28, 2.5)).toThrow('convOutputSize: kernelSize must be a positive integer, got 2.5');
    expect(() => convOutputSize(0, 3)).toThrow('convOutputSize: inputSize must be a positive integer, got 0');
    expect(() => convOutputSize(28, 3, { strides: -1 })).toThrow('convOutputSize: opts.strides must be a positive integer, got -1');
    expect(() => convOutputSize(28, 3, { padding: -1 })).toThrow('convOutputSize: opts.padding must be a non-negative integer, got -1');
    expect(() => convOutputSize(4, 5)).toThrow('convOutputSize: kernelSize must be no larger than the padded input 4, got 5');
    expect(() => convOutputSize(4, 5, { padding: 1 })).not.toThrow();
    // Keras's layer spelling `stride`/`dilation` would otherwise be ignored and default to 1.
    expect(() => convOutputSize(28, 3, { stride: 2 } as never)).toThrow(
      'convOutputSize: opts.stride is not an option (allowed: strides, padding, dilations), got 2',
    );
    expect(() => convOutputSize(28, 3, { dilation: 2 } as never)).toThrow('convOutputSize: opts.dilation is not an option');
    expect(() => convOutputSize(4, 3, { dilations: 2 })).toThrow('convOutputSize: kernelSize (dilated) must be no larger than the padded input 4, got 5');
    expect(() => convOutputSize(4, 3, { padding: 'full' as never })).toThrow(
      `convOutputSize: opts.padding must be 'valid', 'same', a non-negative integer or [before, after], got "full"`,
    );
  });
});
